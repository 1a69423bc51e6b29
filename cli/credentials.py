"""`python -m cli.credentials DIR`: the NATS seeds and authorization block for production.

Here, not in havn/events/credentials.py, because each service's permissions come from its
subscriptions, which only the composition root may import.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from cli.stack import bus_permissions
from havn.events.credentials import write_credentials


def main(argv: Sequence[str] = sys.argv[1:]) -> None:
    """Writes a seed per service plus admin.nk, and `havn-auth.conf`, into DIR."""
    if len(argv) != 1:
        raise SystemExit("usage: python -m cli.credentials DIR")
    config = write_credentials(Path(argv[0]), bus_permissions())
    print(f"wrote {config} and one seed per service (<service>.nk) plus admin.nk")


if __name__ == "__main__":
    main()
