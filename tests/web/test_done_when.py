"""Issue 11's "done when", in the browser in nb, nn and en: a referral from the directorate to
arrival, the care plan in the child's own words, an assessment and a note, and the contact
person who sees the child but not its health. Controls are found by ids, hrefs and the
catalog's own translation of their labels, so one journey runs in every language."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from havn.clock import Clock
from services.intake.domain.preparation import TASK_DUE_OFFSET_DAYS
from tests.client import GraphQLClient
from tests.factories import create_referral, unique_name
from tests.web.conftest import LANGUAGES, Browsing
from tests.web.journey import reload_until, signed_in, translated
from web import i18n
from web.record import labels

TODAY = Clock().today()
COORDINATOR, CASEWORKER, CONTACT = "bergen-coordinator", "bergen-caseworker", "bergen-contact"
# The checklist's tasks due by an arrival today (the others come after it).
DUE_BY_ARRIVAL = [task.value for task, offset in TASK_DUE_OFFSET_DAYS.items() if offset <= 0]
OWN_WORDS = "Jeg vil gå på skolen og spille fotball."  # the child's words stay as it said them


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_referral_becomes_a_settled_child_with_an_approved_care_plan_whose_health_the_contact_person_cannot_see(  # noqa: E501
    browsing: Browsing, language: str
):
    def _(message: str, **values: Any) -> str:
        return translated(language, message, **values)

    stack = browsing.stack
    name = unique_name("Hamid", "Noori")
    # To be answered today: ahead of every referral not yet overdue, on the inbox's first page.
    referral = stack.run(
        create_referral(
            GraphQLClient(stack.stack), TODAY, fullName=name, respondBy=TODAY.isoformat()
        )
    )
    # The settlement coordinator: the referral from the inbox, accepted, the checklist, arrival.
    coordinator = signed_in(browsing, COORDINATOR, language)
    coordinator.goto("/referrals")
    expect(coordinator.locator("html")).to_have_attribute("lang", language)
    coordinator.get_by_role("link", name=name).click()
    coordinator.wait_for_url(f"**/referrals/{referral['id']}")
    coordinator.fill("#plannedArrival", TODAY.isoformat())
    coordinator.check('input[name="careArrangement"][value="GROUP_HOME"]')
    coordinator.get_by_role("button", name=_("Accept"), exact=True).click()
    checklist = coordinator.locator("#checklist")
    ready = _("Everything due by the planned arrival is done.")
    expect(checklist).not_to_contain_text(ready)
    for task in DUE_BY_ARRIVAL:
        done = checklist.locator(f'form[action$="/tasks/{task}/complete"] button')
        done.click()
        expect(checklist.locator(f'form[action$="/tasks/{task}/reopen"]')).to_be_visible()
    expect(checklist).to_contain_text(ready)
    coordinator.fill("#arrivedOn", TODAY.isoformat())
    coordinator.locator("#arrival").get_by_role("button", name=_("Register arrival")).click()
    expect(coordinator.locator(".havn-summary")).to_contain_text(_("Arrived"))
    coordinator.get_by_role("link", name=_("Go to the child's record")).click()
    coordinator.wait_for_url(re.compile(r"/child/[0-9a-f-]{36}$"))
    expect(coordinator.locator("h1")).to_contain_text(name)
    record = coordinator.url.removeprefix(stack.url)

    # The contact person looks for the child, not yet theirs: Havn shows it to them not yet.
    contact = signed_in(browsing, CONTACT, language)
    contact.goto("/children")
    expect(contact.locator("h1")).to_have_text(_("My children"))
    contact.fill("#name", name)
    contact.locator("#name").press("Enter")
    contact.wait_for_url("**/children/search")
    expect(contact.get_by_role("status")).to_be_visible()
    expect(contact.get_by_role("link", name=name)).to_have_count(0)

    # The caseworker: the care plan with the child's own words, approved; an assessment; a note.
    caseworker = signed_in(browsing, CASEWORKER, language)
    caseworker.goto(f"{record}/care-plan")
    # Care opens the child's record when it hears of the arrival (an event).
    reload_until(caseworker, lambda: caseworker.locator("#childsOwnWords").is_visible())
    caseworker.fill("#goal-education-description", "Start at Nygård school")
    caseworker.fill("#goal-education-measures", "Visit the school\nMeet the teacher")
    caseworker.fill("#goal-education-responsible", CASEWORKER)
    caseworker.fill("#goal-education-review", (TODAY + timedelta(days=90)).isoformat())
    caseworker.fill("#childsOwnWords", OWN_WORDS)
    caseworker.get_by_role("button", name=_("Save the care plan")).click()
    expect(caseworker.get_by_role("status")).to_contain_text(_("Saved."))
    caseworker.get_by_role("button", name=_("Approve the care plan")).click()
    with i18n.language(language):
        approved = labels.label("care_plan_status", "APPROVED")
    expect(caseworker.locator(".havn-summary")).to_contain_text(approved)
    expect(caseworker.locator(".havn-own-words")).to_have_text(OWN_WORDS)

    caseworker.locator(f'a[href="{record}/assessments"]').click()
    caseworker.fill("#score-education", "4")
    caseworker.fill("#score-wellbeing", "3")
    caseworker.fill("#childsOwnWords", "Skolen er fin.")
    caseworker.fill("#notes", "Settling in well at the group home.")
    caseworker.get_by_role("button", name=_("Record the assessment")).click()
    expect(caseworker.get_by_role("status")).to_contain_text(_("Saved."))
    expect(caseworker.locator("main")).to_contain_text("Settling in well at the group home.")

    caseworker.locator(f'a[href="{record}/notes"]').click()
    caseworker.fill("#text", "Met at the group home; talked about school.")
    caseworker.get_by_role("button", name=_("Add the note")).click()
    expect(caseworker.locator(".havn-notes")).to_contain_text("talked about school")

    caseworker.locator(f'a[href="{record}"]').click()
    caseworker.select_option("#username", CONTACT)
    caseworker.get_by_role("button", name=_("Assign contact person")).click()
    expect(caseworker.locator(".havn-summary")).to_contain_text(CONTACT)

    # The contact person: the child among "My children", its record, but not its health.
    contact.goto("/children")
    # Intake lets the contact person see the child once it has heard of the assignment.
    reload_until(contact, lambda: contact.get_by_role("link", name=name).is_visible())
    contact.get_by_role("link", name=name).click()
    expect(contact.locator("h1")).to_contain_text(name)
    contact.locator(f'a[href="{record}/health"]').click()
    expect(contact.locator("main")).to_contain_text(_("not available for your role"))
    expect(contact.locator("main form")).to_have_count(0)
