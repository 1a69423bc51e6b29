"""The `havn` command: run the whole stack, migrate, seed."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from cli.seed import seed_demo
from cli.stack import run_processes
from havn.config import SERVICES, Settings, get_settings
from havn.db import migrate

EXAMPLE = """
Havn is running ({env}).
  staff web client  {web}  (dev users from API.md, password "dev")
  GraphQL gateway   {gateway}/graphql{graphiql}
  identity provider {issuer}
  services          {services}
  data directory    {data_dir}
Ready in {seconds:.1f} s. Press Ctrl-C to stop everything.

Try it (dev users from API.md, password "dev"):

  TOKEN=$(curl -s -d grant_type=password -d client_id=havn-cli \\
      -d username=bergen-coordinator -d password=dev \\
      {issuer}/protocol/openid-connect/token \\
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s {gateway}/graphql -H "Authorization: Bearer $TOKEN" \\
      -H 'Content-Type: application/json' \\
      -d '{{"query": "{{ me {{ username roles }} referrals {{ totalCount }} }}"}}'
"""


def run(settings: Settings) -> None:
    started = time.monotonic()

    def on_ready(ready: Settings) -> None:
        # Demo data is made with the dev users' tokens: only with the dev identity provider.
        if ready.env in ("dev", "test"):
            seeding = time.monotonic()
            seeded = asyncio.run(seed_demo(ready))
            print(
                f"demo data seeded in {time.monotonic() - seeding:.1f} s (see README, Demo data)."
                if seeded
                else "demo data already present.",
                flush=True,
            )
        gateway = f"http://{ready.host}:{ready.gateway_port}"
        print(
            EXAMPLE.format(
                env=ready.env,
                gateway=gateway,
                web=ready.web_url(),
                issuer=ready.issuer,
                graphiql="  (GraphiQL in the browser)" if ready.env == "dev" else "",
                services=", ".join(url for s in SERVICES for url in ready.service_urls(s)),
                data_dir=ready.data_dir,
                seconds=time.monotonic() - started,
            ),
            flush=True,
        )

    run_processes(settings, on_ready)


def on_owner_database(settings: Settings, act: Callable[[str], Coroutine[Any, Any, None]]) -> None:
    """Runs `act` on HAVN_DATABASE_OWNER_URL, or on the embedded database in the data
    directory: the running one if `make run` has it up (no second server on its files),
    else one started for the purpose and stopped after."""
    from havn.embedded import EmbeddedPostgres

    owner_url = settings.database_owner_url
    started = None
    try:
        if owner_url is None:
            pgdata = settings.data_dir / "postgres"
            postgres = EmbeddedPostgres.running(pgdata)
            if postgres is None:
                started = postgres = EmbeddedPostgres(pgdata).start()
            else:
                print(f"using the running stack's database ({pgdata}).", flush=True)
            owner_url = asyncio.run(postgres.provision()).owner
        asyncio.run(migrate(owner_url))
        asyncio.run(act(owner_url))
    finally:
        if started is not None:
            started.stop()


def seed_synthetic_data(settings: Settings, *, children: int, seed: int) -> None:
    """Writes synthetic national data into municipalities of its own."""
    from cli.synthetic import MunicipalityTaken, ProgressBar, seed_synthetic

    async def write(owner_url: str) -> None:
        progress = ProgressBar(children, "synthetic children")
        written = await seed_synthetic(
            owner_url, children=children, seed=seed, progress=progress.advance
        )
        print(
            f"{written} synthetic children written in municipalities named 'Synthetic …'; "
            "`havn seed --remove-synthetic` removes them.",
            flush=True,
        )

    try:
        on_owner_database(settings, write)
    except MunicipalityTaken as taken:
        raise SystemExit(f"havn seed: {taken}") from None


def remove_synthetic_data(settings: Settings) -> None:
    """Deletes the synthetic municipalities and everything synthetic data wrote in them."""
    from cli.synthetic import remove_synthetic

    async def remove(owner_url: str) -> None:
        removed = await remove_synthetic(owner_url)
        print(f"{removed} synthetic children removed, with their municipalities.", flush=True)

    on_owner_database(settings, remove)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="havn", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the whole stack with demo data")
    commands.add_parser("migrate", help="migrate HAVN_DATABASE_OWNER_URL to the newest schema")
    seed = commands.add_parser(
        "seed", help="write synthetic national data (--synthetic), or remove it"
    )
    what = seed.add_mutually_exclusive_group(required=True)
    what.add_argument("--synthetic", action="store_true", help="write synthetic data")
    what.add_argument("--remove-synthetic", action="store_true", help="remove all synthetic data")
    seed.add_argument("--children", type=int, default=100_000)
    seed.add_argument("--seed", type=int, default=7, help="the random seed (same seed, same data)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.command == "run":
        run(settings)
    elif args.command == "seed" and args.remove_synthetic:
        remove_synthetic_data(settings)
    elif args.command == "seed":
        if args.children < 1:
            parser.error("--children must be at least 1")
        seed_synthetic_data(settings, children=args.children, seed=args.seed)
    elif args.command == "migrate":
        if settings.database_owner_url is None:
            parser.error("set HAVN_DATABASE_OWNER_URL")
        asyncio.run(migrate(settings.database_owner_url))
