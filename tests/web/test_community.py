"""The volunteer coordinator's screens in the browser, against the real stack: partners and
agreements, offers, volunteers and police certificates, a child's interests and suggestions,
enrolment and match with the child's consent, the belonging overview and funding."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.factories import Municipality
from tests.web.community_support import (
    SOS,
    TODAY,
    settled_child_in_community,
    sos_offer_in,
    unique_word,
)
from tests.web.conftest import Browsing, axe_violations

FUNDING_TOTALS = "query { fundingTotals { appliedNok } }"
REGISTER_VOLUNTEER = """
mutation($name: String!, $interests: [String!], $on: Date) {
  registerVolunteer(input: { partnerSlug: "sos-barnebyer", kind: "MENTOR", name: $name,
    interests: $interests, policeCertificateCheckedOn: $on }) { id }
}"""
APPLY_FOR_FUNDING = """
mutation($purpose: String!, $on: Date!) {
  applyForFunding(input: { foundation: "Gjensidigestiftelsen", purpose: $purpose,
    amountNok: 120000, appliedOn: $on }) { id }
}"""


def url(browsing: Browsing, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(browsing.stack.url + path) + r"(#.*)?$")


def row(page: Page, text: str) -> Locator:
    return page.get_by_role("row", name=re.compile(re.escape(text)))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_coordinator_registers_a_partner_agreement_offer_and_volunteer_and_enrols_and_matches_a_child_with_consent(  # noqa: E501
    browsing: Browsing, town: Municipality, javascript: bool
):
    tag = unique_word().lower()
    child = settled_child_in_community(browsing.stack, interests=[], town=town)
    page = browsing.page(user=town.volunteers, java_script_enabled=javascript)

    page.goto("/partners")
    page.fill("#name", "SOS-barnebyer")
    page.fill("#slug", SOS)
    page.select_option("#kind", "NGO")
    page.get_by_role("button", name="Registrer partneren").click()
    page.wait_for_url(url(browsing, f"/partners?partner={SOS}"))
    expect(page.locator("#partnerSlug")).to_have_value(SOS)
    scope = f"Fritid {tag}"
    page.fill("#scope", scope)
    page.fill("#validFrom", (TODAY - timedelta(days=1)).isoformat())
    page.fill("#validTo", (TODAY + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Registrer avtalen").click()
    page.wait_for_url(url(browsing, "/partners"))
    expect(row(page, scope)).to_contain_text("Utløper snart")

    page.goto("/offers")
    title = f"Fotball {tag}"
    page.fill("#partnerSlug", SOS)
    page.fill("#title", title)
    page.fill("#tags", f"{tag}, fotball")
    page.fill("#languages", "nb, so")
    page.fill("#capacity", "2")
    page.fill("#schedule", "Tirsdager kl 18")
    page.get_by_role("button", name="Opprett tilbudet").click()
    page.wait_for_url(url(browsing, "/offers"))
    offer = row(page, title)
    for shown in ("SOS-barnebyer", "Fritidsaktivitet", tag, "somali", "Tirsdager kl 18"):
        expect(offer).to_contain_text(shown)

    page.goto("/volunteers")
    mentor = f"Kari {tag.capitalize()}"
    page.fill("#name", mentor)
    page.fill("#partnerSlug", SOS)
    page.fill("#interests", tag)
    checked_on = TODAY - timedelta(days=30)
    page.fill("#policeCertificateCheckedOn", checked_on.isoformat())
    page.get_by_role("button", name="Registrer den frivillige").click()
    page.wait_for_url(url(browsing, "/volunteers"))
    expect(row(page, mentor)).to_contain_text("Gyldig")

    page.goto(f"/community/children/{child['id']}")
    page.fill("#interests", f"{tag}, sjakk")
    page.get_by_role("button", name="Lagre interessene").click()
    page.wait_for_url(url(browsing, f"/community/children/{child['id']}"))
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text(f"shares the child's interests: {tag}")
    suggestions.locator("li", has_text=title).get_by_role("link", name="Meld på").click()
    page.wait_for_url(
        re.compile(re.escape(f"{browsing.stack.url}/community/children/{child['id']}/enrol"))
    )
    expect(page.get_by_label(re.compile(re.escape(title)))).to_be_checked()
    # The consent step is explicit: without it, the enrolment is refused at the field.
    page.get_by_role("button", name="Meld på").click()
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", "#consentGiven")
    expect(page.locator("#consentGiven")).to_have_attribute("aria-invalid", "true")
    page.get_by_label(f"{child['first_name']} er spurt og sier ja").check()
    page.get_by_role("button", name="Meld på").click()
    page.wait_for_url(url(browsing, f"/community/children/{child['id']}"))
    expect(page.locator("#enrolments").get_by_role("row", name=re.compile(title))).to_contain_text(
        "Aktiv"
    )

    page.locator("#suggestions li", has_text=mentor).get_by_role("link", name="Koble").click()
    page.get_by_label(f"{child['first_name']} er spurt og sier ja").check()
    page.get_by_role("button", name="Koble").click()
    page.wait_for_url(url(browsing, f"/community/children/{child['id']}"))
    matches = page.locator("#matches")
    expect(matches.get_by_role("row", name=re.compile(mentor))).to_contain_text("Aktiv")
    matches.get_by_role("row", name=re.compile(mentor)).get_by_role("button").click()
    page.wait_for_url(url(browsing, f"/community/children/{child['id']}"))
    expect(matches.get_by_role("row", name=re.compile(mentor))).to_contain_text("Avsluttet")
    enrolments = page.locator("#enrolments")
    enrolments.get_by_role("row", name=re.compile(title)).get_by_role("button").click()
    page.wait_for_url(url(browsing, f"/community/children/{child['id']}"))
    expect(page.locator("#enrolments").get_by_role("row", name=re.compile(title))).to_contain_text(
        "Avsluttet"
    )


def test_an_expired_police_certificate_is_flagged_until_a_new_check_is_recorded_without_javascript(
    browsing: Browsing, town: Municipality
):
    tag = unique_word()
    page = browsing.page(user=town.volunteers, java_script_enabled=False)
    page.goto("/volunteers")
    page.fill("#name", f"Ola {tag}")
    page.fill("#partnerSlug", SOS)
    page.fill("#policeCertificateCheckedOn", (TODAY - timedelta(days=4 * 365)).isoformat())
    page.get_by_role("button", name="Registrer den frivillige").click()
    page.wait_for_url(url(browsing, "/volunteers"))
    volunteer = row(page, f"Ola {tag}")
    expect(volunteer).to_contain_text("Utløpt")
    volunteer.get_by_label("Kontrollert").fill(TODAY.isoformat())
    volunteer.get_by_role("button", name="Registrer kontrollen").click()
    expect(volunteer).to_contain_text("Gyldig")


def test_a_check_date_in_the_future_is_refused_at_the_row_field_with_the_summary_on_top(
    browsing: Browsing, town: Municipality
):
    tag = unique_word()
    page = browsing.page(user=town.volunteers)
    page.goto("/volunteers")
    page.fill("#name", f"Per {tag}")
    page.fill("#partnerSlug", SOS)
    page.get_by_role("button", name="Registrer den frivillige").click()
    volunteer = row(page, f"Per {tag}")
    expect(volunteer).to_contain_text("Ikke kontrollert")
    field = volunteer.get_by_label("Kontrollert")
    field.fill((TODAY + timedelta(days=3)).isoformat())
    volunteer.get_by_role("button", name="Registrer kontrollen").click()
    field_id = field.get_attribute("id")
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")


def test_funding_applications_and_decisions_show_in_the_municipalitys_totals_without_javascript(
    browsing: Browsing, town: Municipality
):
    purpose = f"Sommerleir {unique_word()}"
    page = browsing.page(user=town.volunteers, java_script_enabled=False)
    page.goto("/funding")
    page.fill("#foundation", "Gjensidigestiftelsen")
    page.fill("#purpose", purpose)
    page.fill("#amountNok", "0")
    page.get_by_role("button", name="Registrer søknaden").click()
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", "#amountNok")
    page.fill("#amountNok", "120000")
    page.get_by_role("button", name="Registrer søknaden").click()
    page.wait_for_url(url(browsing, "/funding"))
    expect(row(page, purpose)).to_contain_text("Venter på avgjørelse")

    application = page.locator("#id option", has_text=purpose).get_attribute("value")
    page.select_option("#id", application)
    page.select_option("#status", "GRANTED")
    page.fill("#grantedNok", "100000")
    page.get_by_role("button", name="Registrer avgjørelsen").click()
    page.wait_for_url(url(browsing, "/funding"))
    expect(row(page, purpose)).to_contain_text("Innvilget")
    expect(row(page, purpose)).to_contain_text("100 000")
    applied = browsing.stack.query(town.volunteers, FUNDING_TOTALS)["fundingTotals"]["appliedNok"]
    totals = page.locator("#totals")
    expect(totals).to_contain_text(f"kommune {town.number}")
    expect(totals).to_contain_text(f"{applied:,} kr".replace(",", "\u00a0"))


def test_axe_finds_no_wcag_violation_on_the_coordinators_pages(
    browsing: Browsing, town: Municipality
):
    # A row on every page: a partner with an agreement and an offer, a volunteer and a
    # funding application, and a child whose interests they share.
    stack = browsing.stack
    sos_offer_in(stack, town, title="Fotball", tag="fotball")
    volunteer = {"name": "Kari Nordmann", "interests": ["fotball"], "on": TODAY.isoformat()}
    stack.query(town.volunteers, REGISTER_VOLUNTEER, volunteer)
    stack.query(
        town.volunteers, APPLY_FOR_FUNDING, {"purpose": "Sommerleir", "on": TODAY.isoformat()}
    )
    child = settled_child_in_community(stack, interests=["fotball"], town=town)
    paths = [
        "/partners",
        "/offers",
        "/volunteers",
        "/community/children",
        f"/community/children/{child['id']}",
        f"/community/children/{child['id']}/enrol",
        f"/community/children/{child['id']}/match",
        "/belonging",
        "/funding",
    ]
    violations = {
        path: found for path in paths if (found := axe_violations(browsing, town.volunteers, path))
    }
    assert violations == {}
