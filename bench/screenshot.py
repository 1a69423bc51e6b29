"""`make screenshot`: the README's picture of the web client, taken from the stack with demo data.

    python -m bench.screenshot [--out docs/screenshots/caseload.png]

Starts PostgreSQL, NATS and the whole stack on free ports in a scratch directory (as the
tests do, never on `make run`'s ports), seeds the demo data, signs in as bergen-caseworker
on the identity provider's page and saves the caseload in Bokmål, using Debian's Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

from cli.seed import DEV_PASSWORD, seed_demo
from cli.stack import InProcessStack, bus_permissions
from havn.db import migrate
from havn.embedded import EmbeddedNats, EmbeddedPostgres

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "caseload.png"
USER = "bergen-caseworker"
PAGE = "/children"


async def take(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="havn-screenshot-") as scratch:
        root = Path(scratch)
        postgres = EmbeddedPostgres(root / "postgres", ephemeral=True).start()
        nats = EmbeddedNats(root / "nats", sync_always=False, permissions=bus_permissions()).start()
        stack: InProcessStack | None = None
        try:
            database = await postgres.provision()
            await migrate(database.owner)
            stack = InProcessStack(
                database=database,
                nats_url=nats.url,
                nats_credentials_dir=nats.credentials_dir,
                data_dir=root,
                with_web=True,
            )
            await stack.start()
            await seed_demo(stack.settings, stack.clock)
            await save_page(stack.web_url, out)
        finally:
            if stack is not None:
                await stack.stop()
            nats.stop()
            postgres.stop()


async def save_page(web_url: str, out: Path) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(
            base_url=web_url, locale="nb-NO", viewport={"width": 1200, "height": 640}
        )
        page = await context.new_page()
        await page.goto(f"/sign-in?next={PAGE}")
        await page.fill("#username", USER)
        await page.fill("#password", DEV_PASSWORD)
        await page.click("#kc-login")
        await page.wait_for_url(f"{web_url}{PAGE}")
        out.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(out), full_page=True)
        await browser.close()
    print(f"saved {out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshot", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    asyncio.run(take(args.out))


if __name__ == "__main__":
    main()
