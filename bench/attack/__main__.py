"""`python -m bench.attack [--short]`: attack the running stack and print the figures."""

from __future__ import annotations

import argparse
import asyncio
import sys

import bench.attack
from bench.attack import Target, attack
from bench.attack.target import SHORT
from havn.config import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.attack", description=bench.attack.__doc__
    )
    parser.add_argument("--short", action="store_true", help=f"{SHORT} probes of each kind")
    args = parser.parse_args(argv)
    target = Target.discover(get_settings())
    print(f"attacking {target.gateway_url} (data dir {target.settings.data_dir})", flush=True)
    figures = asyncio.run(attack(target, short=args.short))
    print(figures.table())
    sys.exit(1 if figures.failed else 0)


if __name__ == "__main__":
    main()
