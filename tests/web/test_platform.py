"""The platform administrator's pages in the browser: services' health, dead letters (replay,
discard), the municipalities; and nobody else gets them."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from havn.db import create_engine, create_sessionmaker
from tests.factories import Municipality, park_settled_event_in_care, unique_name
from tests.web.conftest import BackgroundStack, Browsing, axe_violations


@pytest.fixture(scope="module")
def operator(web_stack: BackgroundStack) -> str:
    """A platform administrator of the module's own."""
    return web_stack.fresh_user("platform-admin", prefix="platform")


def parked_letter(stack: BackgroundStack, town: Municipality) -> str:
    """A dead letter in care of a child of `town` (see tests/factories.py)."""
    child = stack.settle_child(town, fullName=unique_name("Dawit"))

    async def park() -> uuid.UUID:
        engine = create_engine(stack.stack.database.app, pool_size=1)
        try:
            return await park_settled_event_in_care(
                create_sessionmaker(engine), child["id"], tenant=town.number
            )
        finally:
            await engine.dispose()

    return str(stack.run(park()))


def test_the_platform_admin_sees_every_services_health(browsing: Browsing, operator: str):
    page = browsing.page(user=operator)
    page.goto("/platform/services")
    for service in ("intake", "care", "community", "transition"):
        row = page.locator(f"#service-{service}")
        expect(row.locator("td").nth(0)).to_have_text("OK")
        expect(row.locator("td").nth(1)).to_have_text("OK")
    expect(page.get_by_role("table", name="Konsumenter i care")).to_contain_text(
        "care-child-settled"
    )


def test_the_platform_admin_replays_one_dead_letter_and_discards_another(
    browsing: Browsing, operator: str, town: Municipality
):
    replayed, discarded = parked_letter(browsing.stack, town), parked_letter(browsing.stack, town)
    page = browsing.page(user=operator)
    page.goto("/platform/dead-letters?service=CARE")
    page.locator(f"#letter-{replayed}").get_by_role("button", name="Spill av på nytt").click()
    page.wait_for_url("**/platform/dead-letters?service=CARE&done=replayed")
    expect(page.get_by_role("status")).to_contain_text("spilt av på nytt")
    expect(page.locator(f"#letter-{replayed}")).to_contain_text("Spilt av på nytt")
    page.locator(f"#letter-{discarded}").get_by_role("button", name="Forkast").click()
    page.wait_for_url("**/platform/dead-letters?service=CARE&done=discarded")
    expect(page.locator(f"#letter-{discarded}")).to_have_count(0)


def test_the_replay_form_works_without_javascript(
    browsing: Browsing, operator: str, town: Municipality
):
    letter = parked_letter(browsing.stack, town)
    page = browsing.page(user=operator, java_script_enabled=False)
    page.goto("/platform/dead-letters?service=CARE")
    page.locator(f"#letter-{letter}").get_by_role("button", name="Spill av på nytt").click()
    page.wait_for_url("**/platform/dead-letters?service=CARE&done=replayed")
    expect(page.locator(f"#letter-{letter}")).to_contain_text("Spilt av på nytt")


def test_the_platform_admin_sees_the_municipalities_on_the_platform(
    browsing: Browsing, operator: str, town: Municipality, other_town: Municipality
):
    page = browsing.page(user=operator)
    page.goto("/platform/municipalities")
    for registered in (town, other_town):
        row = page.get_by_role("row", name=f"{registered.number} {registered.name}")
        expect(row).to_be_visible()


def test_the_platform_menu_is_the_operators_alone_and_the_gateway_refuses_others(
    browsing: Browsing, operator: str, town: Municipality
):
    page = browsing.page(user=operator)
    page.goto("/")
    assert page.locator(".havn-nav a").all_inner_texts() == [
        "Tjenester",
        "Døde meldinger",
        "Kommuner",
    ]
    admin = browsing.page(user=town.admin)
    admin.goto("/")
    expect(admin.locator(".havn-nav")).not_to_contain_text("Tjenester")
    for path in ("/platform/services", "/platform/dead-letters", "/platform/municipalities"):
        response = admin.goto(path)
        assert response is not None and response.status == 403, path


@pytest.mark.parametrize(
    "path",
    ["/platform/services", "/platform/dead-letters?service=CARE", "/platform/municipalities"],
)
def test_axe_finds_no_wcag_violation_on_the_platform_pages(
    browsing: Browsing, operator: str, path: str
):
    if "dead-letters" in path:  # a row with its forms, not only the empty table
        parked_letter(browsing.stack, browsing.stack.fresh_municipality())
    assert axe_violations(browsing, operator, path) == {}
