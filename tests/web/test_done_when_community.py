"""Issue 12's "done when", in the browser in nb, nn and en: the volunteer coordinator registers
SOS-barnebyer, an agreement, an offer and a volunteer and enrols a child with its consent; the
partner records attendance and sees only the basic profile; the municipality admin prints the
child's access log, which shows the partner's reads; the analyst builds a county by age-band
table with its chart and downloads it as CSV. Controls are found by ids and the catalog's own
translation of their labels, so one journey runs in every language."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.community_support import (
    COORDINATOR,
    SOS,
    TODAY,
    settled_child_in_community,
    unique_word,
)
from tests.web.conftest import LANGUAGES, Browsing
from tests.web.journey import signed_in, translated

PARTNER, ADMIN, ANALYST = "sos-partner", "bergen-admin", "imdi-analyst"
BERGEN = "4601"


def download(page: Page, link_name: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    with open(info.value.path(), encoding="utf-8") as file:
        return file.read()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partners_enrolment_from_registration_to_attendance_shows_in_the_childs_printed_log_and_the_national_table_downloads(  # noqa: E501
    browsing: Browsing, language: str
):
    def _(message: str, **values: Any) -> str:
        return translated(language, message, **values)

    tag = unique_word().lower()
    child = settled_child_in_community(browsing.stack, interests=[])
    record = f"/community/children/{child['id']}"

    # The volunteer coordinator: the partner, its agreement, an offer and a volunteer.
    coordinator = signed_in(browsing, COORDINATOR, language)
    coordinator.goto("/partners")
    expect(coordinator.locator("html")).to_have_attribute("lang", language)
    coordinator.fill("#name", "SOS-barnebyer")
    coordinator.fill("#slug", SOS)
    coordinator.select_option("#kind", "NGO")
    coordinator.get_by_role("button", name=_("Register the partner")).click()
    coordinator.wait_for_url(re.compile(re.escape(f"/partners?partner={SOS}")))
    coordinator.fill("#scope", f"Fritid {tag}")
    coordinator.fill("#validFrom", (TODAY - timedelta(days=1)).isoformat())
    coordinator.get_by_role("button", name=_("Register the agreement")).click()
    expect(coordinator.get_by_role("row", name=re.compile(f"Fritid {tag}"))).to_be_visible()

    title = f"Fotball {tag}"
    coordinator.goto("/offers")
    coordinator.fill("#partnerSlug", SOS)
    coordinator.fill("#title", title)
    coordinator.fill("#tags", tag)
    coordinator.fill("#capacity", "3")
    coordinator.get_by_role("button", name=_("Create the offer")).click()
    expect(coordinator.get_by_role("row", name=re.compile(title))).to_be_visible()

    mentor = f"Kari {tag.capitalize()}"
    coordinator.goto("/volunteers")
    coordinator.fill("#name", mentor)
    coordinator.fill("#partnerSlug", SOS)
    coordinator.fill("#interests", tag)
    coordinator.fill("#policeCertificateCheckedOn", (TODAY - timedelta(days=30)).isoformat())
    coordinator.get_by_role("button", name=_("Register the volunteer")).click()
    expect(coordinator.get_by_role("row", name=re.compile(mentor))).to_contain_text(_("Valid"))

    # ... records what the child would like to do, and enrols it once it has said yes.
    coordinator.goto(record)
    coordinator.fill("#interests", tag)
    coordinator.get_by_role("button", name=_("Save the interests")).click()
    suggestion = coordinator.locator("#suggestions li", has_text=title)
    suggestion.get_by_role("link", name=_("Enrol")).click()
    coordinator.wait_for_url(f"**{record}/enrol**")
    coordinator.get_by_label(
        _("%(name)s has been asked and agrees", name=child["first_name"])
    ).check()
    coordinator.get_by_role("button", name=_("Enrol")).click()
    coordinator.wait_for_url(re.compile(re.escape(record) + r"(#.*)?$"))
    enrolment = coordinator.locator("#enrolments").get_by_role("row", name=re.compile(title))
    expect(enrolment).to_contain_text(_("Active"))

    # The partner, in Bergen: the child's card with its first name only; attendance once.
    partner = signed_in(browsing, PARTNER, language)
    partner.goto("/")
    partner.select_option("#municipality-picker", BERGEN)
    partner.get_by_role("button", name=_("Change municipality")).click()
    partner.goto("/partner")
    partner.get_by_role("link", name=title).click()
    card = partner.locator("article[id^=enrolment-]", has_text=child["first_name"])
    expect(card.get_by_role("heading")).to_contain_text(child["first_name"])
    expect(partner.locator("main")).not_to_contain_text("Rahimi")
    card.get_by_label(_("Came")).select_option("false")
    card.get_by_role("button", name=_("Record attendance")).click()
    expect(card).to_contain_text(_("absent"))

    # The municipality admin prints the child's log: the partner's read of its basic profile.
    admin = signed_in(browsing, ADMIN, language)
    admin.goto(f"/admin/children/{child['id']}/access-log/print")
    expect(admin.locator("h1")).to_have_text(_("Who has seen your information"))
    read = _(
        "%(did)s %(what)s",
        did=_("looked at"),
        what=_("basic facts about you, such as your first name and age"),
    ).capitalize()
    expect(admin.get_by_role("row", name=re.compile(PARTNER)).first).to_contain_text(read)
    admin.emulate_media(media="print")
    expect(admin.locator(".havn-nav")).to_be_hidden()

    # The analyst: settled children by county and age band, its chart, and the CSV.
    analyst = signed_in(browsing, ANALYST, language)
    analyst.goto("/statistics")
    analyst.get_by_label(_("Settled children")).check()
    analyst.get_by_label(_("County"), exact=True).check()
    analyst.get_by_label(_("Age band"), exact=True).check()
    analyst.get_by_role("button", name=_("Show the table")).click()
    analyst.wait_for_url(re.compile(r".*measure=SETTLED_CHILDREN&by=COUNTY&by=AGE_BAND"))
    expect(analyst.locator("#statistics-table tbody tr").first).to_be_visible()
    expect(analyst.locator("figure.havn-chart rect.havn-chart__bar").first).to_be_attached()
    lines = list(csv.reader(io.StringIO(download(analyst, _("Download as CSV")))))
    assert lines[0] == ["COUNTY", "AGE_BAND", "SETTLED_CHILDREN"]
    assert any(line[:1] == ["46"] for line in lines[1:]), "Bergen's county has its children"
