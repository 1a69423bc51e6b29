"""The partner's screens in the browser, against the real stack: choosing the municipality,
its offers and enrolments, the child's basic profile only while a grant is in force, and
attendance."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.community_support import (
    TODAY,
    settled_child_in_community,
    sos_offer_in,
    unique_word,
)
from tests.web.conftest import BackgroundStack, Browsing, axe_violations, run_axe

ENROL = """
mutation($child: ID!, $offer: ID!) {
  enrol(childId: $child, offerId: $offer, consentGiven: true) { id }
}"""
END_ENROLMENT = "mutation($id: ID!) { endEnrolment(id: $id) { id } }"


def enrolled_offer(web_stack: BackgroundStack) -> dict[str, Any]:
    """An offer of SOS-barnebyer (under an agreement in force) in a municipality of the caller's
    own, with two children enrolled today; and a user of SOS-barnebyer there and in another
    municipality (so it chooses one)."""
    town = web_stack.fresh_municipality()
    tag = unique_word().lower()
    title = f"Klatring {tag}"
    offer_id = sos_offer_in(web_stack, town, title=title, tag=tag)
    child = settled_child_in_community(web_stack, interests=[tag, "sjakk"], town=town)
    enrolment = web_stack.query(town.volunteers, ENROL, {"child": child["id"], "offer": offer_id})
    other = settled_child_in_community(web_stack, interests=[], town=town)
    other_enrolment = web_stack.query(
        town.volunteers, ENROL, {"child": other["id"], "offer": offer_id}
    )
    return {
        "town": town,
        "partner": web_stack.fresh_partner(town, web_stack.fresh_municipality()),
        "other_enrolment_id": other_enrolment["enrol"]["id"],
        "offer_id": offer_id,
        "title": title,
        "tag": tag,
        "child": child,
        "enrolment_id": enrolment["enrol"]["id"],
    }


@pytest.fixture
def sos_offer(web_stack: BackgroundStack) -> dict[str, Any]:
    """The test's own offer, its children and partner: for a test that changes them."""
    return enrolled_offer(web_stack)


@pytest.fixture(scope="module")
def shared_offer(web_stack: BackgroundStack) -> dict[str, Any]:
    """The module's offer, its children and partner: the tests given it only read them."""
    return enrolled_offer(web_stack)


def in_town(page: Page, sos_offer: dict[str, Any]) -> None:
    """Acts in the offer's municipality: the signed-in state is shared, so is the municipality
    chosen in it."""
    page.goto("/")
    page.select_option("#municipality-picker", sos_offer["town"].number)
    page.get_by_role("button", name="Bytt kommune").click()


def test_the_partner_chooses_the_municipality_sees_the_basic_profile_and_records_attendance(
    browsing: Browsing, sos_offer: dict[str, Any]
):
    child = sos_offer["child"]
    # Signed in afresh: a partner of several municipalities has chosen none yet.
    context = browsing.context(bypass_csp=True)
    page = context.new_page()
    browsing.pages.append(page)
    browsing.sign_in(page, sos_offer["partner"], "/partner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velg kommune")
    assert run_axe(page) == []
    page.get_by_label(f"kommune {sos_offer['town'].number}").check()
    page.get_by_role("button", name="Velg", exact=True).click()
    page.wait_for_url(re.compile(re.escape(browsing.stack.url) + "/partner$"))
    page.get_by_role("link", name=sos_offer["title"]).click()

    card = page.locator(f"#enrolment-{sos_offer['enrolment_id']}")
    expect(card.get_by_role("heading")).to_contain_text(child["first_name"])
    for shown in ("16", "engelsk", sos_offer["tag"], "sjakk", "Aktiv"):
        expect(card).to_contain_text(shown)
    # The basic profile only: no family name, date of birth or anything else of the child.
    expect(page.locator("main")).not_to_contain_text("Rahimi")
    card.get_by_label("Møtte").select_option("false")
    card.get_by_role("button", name="Registrer oppmøte").click()
    expect(card).to_contain_text("fraværende")
    # A day is recorded once: again, the page says why not.
    card.get_by_role("button", name="Registrer oppmøte").click()
    expect(page.get_by_role("alert")).to_contain_text("already recorded")
    expect(page.locator(".havn-nav li")).to_have_count(1)


def test_the_attendance_form_works_without_javascript(
    browsing: Browsing, sos_offer: dict[str, Any]
):
    page = browsing.page(user=sos_offer["partner"], java_script_enabled=False)
    in_town(page, sos_offer)
    page.goto(f"/partner?offer={sos_offer['offer_id']}")
    card = page.locator(f"#enrolment-{sos_offer['other_enrolment_id']}")
    card.get_by_role("button", name="Registrer oppmøte").click()
    expect(card).to_contain_text("til stede")


def test_attendance_for_a_future_day_is_refused_at_the_cards_field(
    browsing: Browsing, shared_offer: dict[str, Any]
):
    page = browsing.page(user=shared_offer["partner"])
    in_town(page, shared_offer)
    page.goto(f"/partner?offer={shared_offer['offer_id']}")
    card = page.locator(f"#enrolment-{shared_offer['enrolment_id']}")
    day = card.get_by_label("Dag")
    day.fill((TODAY + timedelta(days=2)).isoformat())
    card.get_by_role("button", name="Registrer oppmøte").click()
    expect(page.locator(".ds-error-summary a")).to_have_attribute(
        "href", f"#on-{shared_offer['enrolment_id']}"
    )
    expect(day).to_have_attribute("aria-invalid", "true")


def test_axe_finds_no_wcag_violation_on_the_partners_page(
    browsing: Browsing, shared_offer: dict[str, Any]
):
    partner = shared_offer["partner"]
    in_town(browsing.page(user=partner), shared_offer)
    path = f"/partner?offer={shared_offer['offer_id']}"
    assert axe_violations(browsing, partner, path) == {}


def test_a_child_without_a_grant_shows_nothing_to_the_partner(
    browsing: Browsing, sos_offer: dict[str, Any]
):
    child = settled_child_in_community(browsing.stack, interests=["sjakk"], town=sos_offer["town"])
    page = browsing.page(user=sos_offer["partner"])
    in_town(page, sos_offer)
    response = page.goto(f"/children/{child['id']}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text(child["first_name"])
    page.goto("/partner")
    expect(page.locator("main")).not_to_contain_text(child["first_name"])


def test_after_the_enrolment_ends_the_partner_no_longer_sees_the_childs_profile(
    browsing: Browsing, sos_offer: dict[str, Any]
):
    town = sos_offer["town"]
    browsing.stack.query(town.volunteers, END_ENROLMENT, {"id": sos_offer["enrolment_id"]})
    child = sos_offer["child"]
    page = browsing.page(user=sos_offer["partner"])
    in_town(page, sos_offer)
    page.goto(f"/partner?offer={sos_offer['offer_id']}")
    card = page.locator(f"#enrolment-{sos_offer['enrolment_id']}")
    expect(card).to_contain_text("Ikke tilgjengelig")
    expect(card).to_contain_text("Avsluttet")
    expect(card.get_by_role("button", name="Registrer oppmøte")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(child["first_name"])
    expect(page.locator("main")).not_to_contain_text(sos_offer["tag"] + ", sjakk")
    response = page.goto(f"/children/{child['id']}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text(child["first_name"])
