"""The directorate allocator's screens in the browser: a referral made and followed, and
national capacity, against the real stack."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from havn.clock import Clock
from tests.factories import Municipality, create_referral, unique_name
from tests.web.conftest import BackgroundStack, Browsing, axe_violations

TODAY = Clock().today()
RESPOND_BY = (TODAY + timedelta(days=14)).isoformat()


@pytest.fixture
def allocator(web_stack: BackgroundStack) -> str:
    """A directorate allocator of the test's own: it sees only the referrals it made."""
    return web_stack.fresh_user("directorate-allocator", prefix="imdi")


def url(browsing: Browsing, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(browsing.stack.url + path) + r"(#.*)?$")


def fill_referral(
    page: Page, town: Municipality, *, respond_by: str, full_name: str | None = None
) -> None:
    page.fill("#municipality", town.number)
    page.fill("#fullName", full_name or unique_name("Yonas"))
    page.fill("#dateOfBirth", (TODAY - timedelta(days=15 * 365)).isoformat())
    page.get_by_label("Mann").check()
    page.select_option("#nationality", "ER")
    page.fill("#languages", "ti, en")
    page.fill("#respondBy", respond_by)


def field_message(page: Page, field: str) -> str:
    """The message shown beside a field (in its ds-field, or the fieldset of its radios)."""
    message = "*[contains(@class, 'ds-validation-message')]"
    return page.locator(
        f"xpath=//*[@id='{field}']/ancestor::*[.//{message}][1]//{message}"
    ).inner_text()


def created_referral_id(browsing: Browsing, page: Page) -> str:
    page.wait_for_url(
        re.compile(re.escape(browsing.stack.url) + r"/allocation/referrals/[0-9a-f-]{36}$")
    )
    return page.url.rsplit("/", 1)[1]


def test_the_allocator_sees_a_refusal_in_bokmal_at_the_field_then_sends_the_referral_and_follows_it(
    browsing: Browsing, allocator: str, town: Municipality
):
    page = browsing.page(user=allocator)
    page.goto("/allocation/referrals/new")
    fill_referral(page, town, respond_by=(TODAY - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Send anmodningen").click()
    link = page.locator(".ds-error-summary").get_by_role("link")
    expect(link).to_have_attribute("href", "#respondBy")
    # The service's message ("respond-by date is in the past") in the page's language, on top
    # and at the field, not marked as English.
    message = page.locator("ds-field", has=page.locator("#respondBy")).locator(
        ".ds-validation-message"
    )
    for shown in (link, message):
        expect(shown).to_have_text("svarfristen er tilbake i tid")
        expect(shown).not_to_have_attribute("lang", "en")
    expect(page.locator("#respondBy")).to_have_attribute("aria-invalid", "true")
    # What was typed stays in the form.
    expect(page.locator("#languages")).to_have_value("ti, en")

    page.fill("#respondBy", RESPOND_BY)
    page.get_by_role("button", name="Send anmodningen").click()
    referral_id = created_referral_id(browsing, page)
    summary_list = page.locator(".havn-summary")
    expect(summary_list).to_contain_text("Venter på svar")
    expect(summary_list).to_contain_text(town.number)

    page.get_by_role("link", name="Alle direktoratets anmodninger").click()
    page.select_option("#status", "PENDING")
    page.fill("#municipality", town.number)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(
        url(browsing, f"/allocation/referrals?status=PENDING&municipality={town.number}")
    )
    expect(page.locator(f"#referral-{referral_id}")).to_contain_text("Venter på svar")


def test_an_empty_referral_form_shows_each_refused_field_at_the_field(
    browsing: Browsing, allocator: str
):
    page = browsing.page(user=allocator)
    page.goto("/allocation/referrals/new")
    page.get_by_role("button", name="Send anmodningen").click()
    links = page.locator(".ds-error-summary").get_by_role("link")
    expect(links.first).to_be_visible()
    targets = [
        href.removeprefix("#")
        for href in links.evaluate_all("ls => ls.map(l => l.getAttribute('href'))")
    ]
    # The dates that do not fit their type, refused by the gateway, each at its own field.
    assert {"dateOfBirth", "respondBy"} <= set(targets)
    for field in targets:
        assert field_message(page, field), field


def test_a_municipality_not_on_havn_is_refused_at_its_field(
    browsing: Browsing, allocator: str, town: Municipality
):
    page = browsing.page(user=allocator)
    page.goto("/allocation/referrals/new")
    fill_referral(page, town, respond_by=RESPOND_BY)
    page.fill("#municipality", "0999")
    page.get_by_role("button", name="Send anmodningen").click()
    assert "not on Havn" in field_message(page, "municipality")


def test_a_referral_is_sent_without_javascript(
    browsing: Browsing, allocator: str, town: Municipality
):
    page = browsing.page(user=allocator, java_script_enabled=False)
    page.goto("/allocation/referrals/new")
    fill_referral(page, town, respond_by=RESPOND_BY)
    page.get_by_role("button", name="Send anmodningen").click()
    created_referral_id(browsing, page)
    expect(page.locator(".havn-summary")).to_contain_text("Venter på svar")


def test_national_capacity_lists_every_municipality_and_refuses_a_bad_year_at_its_field(
    browsing: Browsing, allocator: str
):
    # In Oslo's county, whose numbers come first and are fewer than a page (50): on the first.
    towns = [browsing.stack.fresh_municipality(county="03") for _ in range(2)]
    rows = [f"{town.name} ({town.number})" for town in towns]
    page = browsing.page(user=allocator)
    page.goto("/allocation/capacity")
    expect(page.get_by_role("row", name=rows[0])).to_be_visible()
    page.fill("#year", "1990")
    page.get_by_role("button", name="Vis år").click()
    assert field_message(page, "year")
    expect(page.get_by_role("row", name=rows[1])).to_be_visible()


def test_the_allocators_pages_have_no_accessibility_violations(
    browsing: Browsing, allocator: str, town: Municipality
):
    referral = browsing.stack.run(
        create_referral(
            browsing.stack.gql,
            TODAY,
            allocator=allocator,
            municipality=town.number,
            fullName=unique_name("Yonas"),
        )
    )
    for path in (
        "/allocation/referrals",
        "/allocation/referrals/new",
        f"/allocation/referrals/{referral['id']}",
        "/allocation/capacity",
    ):
        assert axe_violations(browsing, allocator, path) == {}, path
