"""The `havn` command: run the whole stack, migrate, seed."""

from __future__ import annotations

import argparse
import asyncio
import time

from havn.config import Settings, get_settings
from havn.db import migrate
from havn.seed import seed_demo
from havn.stack import run_processes

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
            seeded = seed_demo(ready)
            print("demo data seeded." if seeded else "demo data already present.", flush=True)
        gateway = f"http://{ready.host}:{ready.gateway_port}"
        print(
            EXAMPLE.format(
                env=ready.env,
                gateway=gateway,
                web=ready.web_url(),
                issuer=ready.issuer,
                graphiql="  (GraphiQL in the browser)" if ready.env == "dev" else "",
                services=", ".join(
                    ready.service_url(s) for s in ("intake", "care", "community", "transition")
                ),
                data_dir=ready.data_dir,
                seconds=time.monotonic() - started,
            ),
            flush=True,
        )

    run_processes(settings, on_ready)


def seed_synthetic_data(settings: Settings, *, children: int, seed: int) -> None:
    """Seeds HAVN_DATABASE_OWNER_URL, or the embedded database in the data directory."""
    from havn.db import provision
    from havn.embedded import EmbeddedPostgres
    from havn.synthetic import ProgressBar, seed_synthetic

    progress = ProgressBar(children, "synthetic children")
    postgres = None
    owner_url = settings.database_owner_url
    if owner_url is None:
        postgres = EmbeddedPostgres(settings.data_dir / "postgres")
        postgres.start()
    try:
        if postgres is not None:
            owner_url = asyncio.run(provision(postgres.superuser_url)).owner
        assert owner_url is not None
        asyncio.run(migrate(owner_url))
        written = asyncio.run(
            seed_synthetic(owner_url, children=children, seed=seed, progress=progress.advance)
        )
        print(f"{written} synthetic children written.", flush=True)
    finally:
        if postgres is not None:
            postgres.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="havn", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the whole stack with demo data")
    commands.add_parser("migrate", help="migrate HAVN_DATABASE_OWNER_URL to the newest schema")
    seed = commands.add_parser("seed", help="write synthetic national data (--synthetic)")
    seed.add_argument("--synthetic", action="store_true", required=True)
    seed.add_argument("--children", type=int, default=100_000)
    seed.add_argument("--seed", type=int, default=7, help="the random seed (same seed, same data)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.command == "run":
        run(settings)
    elif args.command == "seed":
        if args.children < 1:
            parser.error("--children must be at least 1")
        seed_synthetic_data(settings, children=args.children, seed=args.seed)
    elif args.command == "migrate":
        if settings.database_owner_url is None:
            parser.error("set HAVN_DATABASE_OWNER_URL")
        asyncio.run(migrate(settings.database_owner_url))


if __name__ == "__main__":
    main()
