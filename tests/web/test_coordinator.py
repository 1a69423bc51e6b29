"""The settlement coordinator's screens in the browser: referrals, checklist, arrival,
capacity and relocations, against the real stack."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from havn.clock import Clock
from havn.db import create_engine
from tests.factories import ACCEPT_REFERRAL, Municipality, create_referral, unique_name
from tests.web.conftest import BackgroundStack, Browsing, axe_violations

TODAY = Clock().today()
PROPOSE_RELOCATION = """
mutation Propose($child: ID!, $to: String!) {
  proposeRelocation(childId: $child, toMunicipality: $to) { id }
}"""
DECLINE_REFERRAL = """
mutation Decline($id: ID!, $reason: String!) { declineReferral(id: $id, reason: $reason) { id } }
"""
REFERRAL_CHILD = "query ReferralChild($id: ID!) { referral(id: $id) { child { id } } }"


def referral_from_the_directorate(
    web_stack: BackgroundStack, town: Municipality, **overrides: Any
) -> str:
    """A referral to `town`, made by imdi-allocator through GraphQL."""
    referral = web_stack.run(
        create_referral(web_stack.gql, TODAY, municipality=town.number, **overrides)
    )
    return str(referral["id"])


def accepted_referral(web_stack: BackgroundStack, town: Municipality, **overrides: Any) -> str:
    referral_id = referral_from_the_directorate(web_stack, town, **overrides)
    web_stack.query(
        town.coordinator,
        ACCEPT_REFERRAL,
        {
            "id": referral_id,
            "input": {"plannedArrival": TODAY.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )
    return referral_id


def make_overdue(web_stack: BackgroundStack, town: Municipality, referral_id: str) -> None:
    """Moves a pending referral's respond-by date into the past, as time would (owner role)."""

    async def update() -> None:
        engine = create_engine(web_stack.stack.database.owner, pool_size=1)
        try:
            async with engine.begin() as conn:
                # Row-level security holds for every role: act in the referral's municipality.
                await conn.execute(
                    text("select set_config('havn.tenant', :tenant, true)"),
                    {"tenant": town.number},
                )
                changed = await conn.execute(
                    text("update intake.referrals set respond_by = :day where id = :id"),
                    {"day": TODAY - timedelta(days=3), "id": referral_id},
                )
                assert changed.rowcount == 1
        finally:
            await engine.dispose()

    web_stack.run(update())


def url(browsing: Browsing, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(browsing.stack.url + path) + r"(#.*)?$")


def test_the_coordinator_takes_a_referral_through_accept_the_checklist_and_arrival(
    browsing: Browsing, town: Municipality
):
    name = unique_name("Nadia", "Karimi")
    referral_id = referral_from_the_directorate(
        browsing.stack, town, fullName=name, respondBy=(TODAY + timedelta(days=1)).isoformat()
    )
    page = browsing.page(user=town.coordinator)
    page.goto("/referrals")
    page.get_by_role("link", name=name).click()
    page.wait_for_url(url(browsing, f"/referrals/{referral_id}"))
    assert "Nadia" not in page.title() and "Nadia" not in page.url
    expect(page.locator(".havn-summary")).to_contain_text(name)

    page.fill("#plannedArrival", TODAY.isoformat())
    page.get_by_label("Bofellesskap").check()
    page.get_by_role("button", name="Aksepter", exact=True).click()
    page.wait_for_url(url(browsing, f"/referrals/{referral_id}"))
    expect(page.locator(".havn-summary")).to_contain_text("Akseptert")

    housing = page.locator("#task-HOUSING")
    housing.get_by_role("button", name="Merk Bolig som gjort").click()
    expect(housing).to_contain_text("Gjort")
    housing.get_by_role("link", name="Endre ansvarlig eller notater").click()
    page.wait_for_url(url(browsing, f"/referrals/{referral_id}/tasks/HOUSING"))
    page.select_option("#owner", town.coordinator)
    page.fill("#notes", "Flat in Nygårdsgaten")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(url(browsing, f"/referrals/{referral_id}"))
    expect(housing).to_contain_text(town.coordinator)
    expect(housing).to_contain_text("Flat in Nygårdsgaten")
    housing.get_by_role("button", name="Merk Bolig som ikke gjort").click()
    expect(housing).to_contain_text("Ikke gjort")

    page.fill("#arrivedOn", TODAY.isoformat())
    page.get_by_role("button", name="Registrer ankomst").click()
    page.wait_for_url(url(browsing, f"/referrals/{referral_id}"))
    expect(page.locator(".havn-summary")).to_contain_text("Ankommet")
    child = browsing.stack.query(town.coordinator, REFERRAL_CHILD, {"id": referral_id})
    expect(page.get_by_role("link", name="Gå til barnets journal")).to_have_attribute(
        "href", f"/child/{child['referral']['child']['id']}"
    )


def test_the_inbox_shows_pending_referrals_overdue_first_and_flags_them(
    browsing: Browsing, town: Municipality
):
    # All three due in two weeks until the first is made overdue: that alone puts it on top.
    name, later, accepted = (unique_name(given, "Haidari") for given in ("Omar", "Ali", "Reza"))
    overdue = referral_from_the_directorate(browsing.stack, town, fullName=name)
    referral_from_the_directorate(browsing.stack, town, fullName=later)
    accepted_referral(browsing.stack, town, fullName=accepted)
    make_overdue(browsing.stack, town, overdue)
    page = browsing.page(user=town.coordinator)
    page.goto("/referrals")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Forfalt")
    expect(rows.first).to_contain_text(name)
    expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("Forfalt")
    expect(page.get_by_role("row", name=re.compile(later))).not_to_contain_text("Forfalt")
    page.select_option("#status", "ACCEPTED")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(url(browsing, "/referrals?status=ACCEPTED"))
    expect(page.locator("#status")).to_have_value("ACCEPTED")
    expect(page.locator("#referrals-results")).to_contain_text(accepted)
    expect(page.locator("#referrals-results")).not_to_contain_text(name)


def test_declining_without_a_reason_shows_the_error_at_the_field_and_in_the_summary(
    browsing: Browsing, town: Municipality
):
    referral_id = referral_from_the_directorate(browsing.stack, town)
    page = browsing.page(user=town.coordinator)
    page.goto(f"/referrals/{referral_id}")
    page.get_by_role("button", name="Avslå", exact=True).click()
    summary = page.locator(".ds-error-summary")
    # The service's message, in the page's Bokmål.
    expect(summary).to_contain_text("oppgi en begrunnelse for å avslå anmodningen")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#reason")
    field = page.locator("ds-field", has=page.locator("#reason"))
    expect(field.locator(".ds-validation-message")).to_contain_text("begrunnelse")
    expect(page.locator("#reason")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".havn-summary")).to_contain_text("Venter på svar")


def test_the_accept_form_works_without_javascript(browsing: Browsing, town: Municipality):
    referral_id = referral_from_the_directorate(browsing.stack, town)
    page = browsing.page(user=town.coordinator, java_script_enabled=False)
    page.goto(f"/referrals/{referral_id}")
    page.fill("#plannedArrival", (TODAY + timedelta(days=7)).isoformat())
    page.get_by_label("Bolig med oppfølging").check()
    page.get_by_role("button", name="Aksepter", exact=True).click()
    page.wait_for_url(url(browsing, f"/referrals/{referral_id}"))
    expect(page.locator(".havn-summary")).to_contain_text("Akseptert")
    expect(page.locator(".havn-summary")).to_contain_text("Bolig med oppfølging")
    expect(page.locator("#checklist")).to_be_visible()


def test_accepting_a_referral_declined_meanwhile_explains_the_state_it_is_in(
    browsing: Browsing, town: Municipality
):
    referral_id = referral_from_the_directorate(browsing.stack, town)
    page = browsing.page(user=town.coordinator)
    page.goto(f"/referrals/{referral_id}")
    browsing.stack.query(town.coordinator, DECLINE_REFERRAL, {"id": referral_id, "reason": "x"})
    page.fill("#plannedArrival", TODAY.isoformat())
    page.get_by_label("Bofellesskap").check()
    page.get_by_role("button", name="Aksepter", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Dette kan ikke gjøres nå")
    expect(alert).to_contain_text("DECLINED")
    expect(page.locator(".havn-summary")).to_contain_text("Avslått")


def test_the_coordinator_records_the_settlement_decision_and_care_places(
    browsing: Browsing, town: Municipality
):
    year = TODAY.year + 4
    page = browsing.page(user=town.coordinator)
    page.goto(f"/capacity?year={year}")
    page.fill("#minors", "12")
    page.get_by_role("button", name="Registrer bosettingsvedtak").click()
    page.wait_for_url(url(browsing, f"/capacity?year={year}"))
    expect(page.locator(".havn-summary")).to_contain_text("12 mindreårige")

    page.select_option("#careArrangement", "SUPPORTED_LODGING")
    page.fill("#places", "6")
    page.fill("#free", "4")
    page.get_by_role("button", name="Registrer omsorgsplasser").click()
    page.wait_for_url(url(browsing, f"/capacity?year={year}"))
    row = page.get_by_role("row", name=re.compile("Bolig med oppfølging"))
    expect(row).to_contain_text("6")
    expect(row).to_contain_text("4")


def test_more_free_places_than_places_is_refused_at_the_field(
    browsing: Browsing, town: Municipality
):
    page = browsing.page(user=town.coordinator)
    page.goto("/capacity")
    page.select_option("#careArrangement", "OTHER")
    page.fill("#places", "1")
    page.fill("#free", "2")
    page.get_by_role("button", name="Registrer omsorgsplasser").click()
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", "#free")
    expect(page.locator("#free")).to_have_attribute("aria-invalid", "true")


def test_a_relocation_proposed_by_one_municipality_is_accepted_by_the_other(
    browsing: Browsing, town: Municipality, other_town: Municipality
):
    web_stack = browsing.stack
    name = unique_name("Yonas")
    web_stack.settle_child(town, fullName=name)
    origin = browsing.page(user=town.coordinator)
    origin.goto("/relocations")
    origin.get_by_role("link", name="Foreslå en flytting").click()
    # Search is case-insensitive and matches a part of the name.
    origin.fill("#name", name.split()[-1].lower()[:6])
    origin.get_by_role("button", name="Søk").click()
    origin.get_by_role("link", name=re.compile(name)).click()
    origin.fill("#toMunicipality", other_town.number)
    origin.fill("#note", "Has an uncle there")
    origin.get_by_role("button", name="Foreslå flyttingen").click()
    origin.wait_for_url(re.compile(re.escape(web_stack.url) + r"/relocations/[0-9a-f-]{36}$"))
    relocation_path = origin.url.removeprefix(web_stack.url)
    expect(origin.locator(".havn-summary")).to_contain_text("Foreslått")
    expect(origin.get_by_role("button", name="Avbryt flyttingen")).to_be_visible()

    destination = browsing.page(user=other_town.coordinator)
    destination.goto("/relocations")
    incoming = destination.locator(
        "section", has=destination.get_by_role("heading", name="Innkommende")
    )
    incoming.locator(f'a[href="{relocation_path}"]').click()
    destination.wait_for_url(url(browsing, relocation_path))
    expect(destination.locator(".havn-summary")).to_contain_text("Has an uncle there")
    destination.select_option("#careArrangement", "FOSTER_HOME")
    destination.get_by_role("button", name="Aksepter", exact=True).click()
    destination.wait_for_url(url(browsing, relocation_path))
    expect(destination.locator(".havn-summary")).to_contain_text("Akseptert")
    expect(destination.locator(".havn-summary")).to_contain_text("Fosterhjem")

    origin.goto("/relocations")
    outgoing = origin.locator("section", has=origin.get_by_role("heading", name="Utgående"))
    # The child has moved: its old municipality sees only its first name now, in the row of
    # the relocation.
    row = outgoing.locator("tr", has=origin.locator(f'a[href="{relocation_path}"]'))
    expect(row).to_contain_text("Yonas, 16")
    expect(row).to_contain_text("Akseptert")


def test_a_municipality_cancels_its_proposal_and_the_other_can_no_longer_accept_it(
    browsing: Browsing, town: Municipality, other_town: Municipality
):
    web_stack = browsing.stack
    child = web_stack.settle_child(town)
    proposed = web_stack.query(
        town.coordinator, PROPOSE_RELOCATION, {"child": child["id"], "to": other_town.number}
    )
    path = f"/relocations/{proposed['proposeRelocation']['id']}"
    destination = browsing.page(user=other_town.coordinator)
    destination.goto(path)
    origin = browsing.page(user=town.coordinator)
    origin.goto(path)
    origin.get_by_role("button", name="Avbryt flyttingen").click()
    expect(origin.locator(".havn-summary")).to_contain_text("Avbrutt")
    destination.get_by_role("button", name="Aksepter", exact=True).click()
    expect(destination.get_by_role("alert")).to_contain_text("Dette kan ikke gjøres nå")
    expect(destination.locator(".havn-summary")).to_contain_text("Avbrutt")


@pytest.fixture(scope="module")
def shared(web_stack: BackgroundStack) -> Municipality:
    """A municipality of the module's own, whose pages the tests given it only read."""
    return web_stack.fresh_municipality()


@pytest.fixture(scope="module")
def coordinator_pages(web_stack: BackgroundStack, shared: Municipality) -> dict[str, str]:
    """One of each of the coordinator's pages, with what they show made through GraphQL."""
    pending = referral_from_the_directorate(web_stack, shared)
    accepted = accepted_referral(web_stack, shared)
    child = web_stack.settle_child(shared, fullName="Sara Haile")
    destination = web_stack.fresh_municipality()
    proposed = web_stack.query(
        shared.coordinator, PROPOSE_RELOCATION, {"child": child["id"], "to": destination.number}
    )
    return {
        "inbox": "/referrals",
        "pending referral": f"/referrals/{pending}",
        "accepted referral": f"/referrals/{accepted}",
        "task": f"/referrals/{accepted}/tasks/GUARDIAN",
        "capacity": "/capacity",
        "relocations": "/relocations",
        "find a child": "/relocations/new?name=sara",
        "propose": f"/relocations/new?child={child['id']}",
        "relocation": f"/relocations/{proposed['proposeRelocation']['id']}",
    }


PAGES = [
    "inbox",
    "pending referral",
    "accepted referral",
    "task",
    "capacity",
    "relocations",
    "find a child",
    "propose",
    "relocation",
]


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_violation_on_the_coordinators_pages(
    browsing: Browsing, shared: Municipality, coordinator_pages: dict[str, str], name: str
):
    assert axe_violations(browsing, shared.coordinator, coordinator_pages[name]) == {}


def test_the_menu_offers_the_coordinator_referrals_capacity_and_relocations(
    browsing: Browsing, shared: Municipality
):
    page: Page = browsing.page(user=shared.coordinator)
    page.goto("/")
    assert page.locator(".havn-nav a").all_inner_texts() == [
        "Barn",
        "Anmodninger",
        "Kapasitet",
        "Flyttinger",
    ]
