"""A child's record in the browser: the caseworker's tabs and forms, the contact person's view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from havn.clock import Clock
from tests.factories import Municipality
from tests.waiting import eventually
from tests.web.conftest import BackgroundStack, Browsing, axe_violations
from web.record.tab import TABS

ASSIGN = """mutation($id: ID!, $who: String!) {
  assignContactPerson(childId: $id, username: $who, replace: true) { contactPerson }
}"""
SEEN = "query($id: ID!) { child(id: $id) { id } }"
PLAN = "query($id: ID!) { childCare(childId: $id) { carePlan { status childsOwnWords } } }"
ACCESS_LOG = """query($id: ID!) { accessLog(childId: $id, first: 500) {
  edges { node { actor action dataClass operation } } } }"""
CARE = "query($id: ID!) { childCare(childId: $id) { contactPerson } }"
CASELOAD = "{ caseload { totalCount } }"


def assigned_child(stack: BackgroundStack, town: Municipality) -> str:
    """A child of `town` (Nasrin Karimi) whose contact person is the town's, and who sees it."""
    assigned = stack.settle_child(town, fullName="Nasrin Karimi")
    gql = stack.gql

    async def assign() -> None:
        await eventually(  # care knows the child once it has heard it settled
            lambda: gql.raw(town.caseworker, ASSIGN, {"id": assigned["id"], "who": town.contact}),
            lambda body: not body.get("errors"),
        )

        async def seen() -> list[str]:
            return await gql.error_codes(town.contact, SEEN, {"id": assigned["id"]})

        # Intake follows care's assignment through an event before the contact person sees it.
        await eventually(seen, lambda codes: codes == [])

    stack.run(assign())
    return str(assigned["id"])


@dataclass(frozen=True)
class Children:
    assigned: str  # the town's contact person is its contact person
    other: str  # the town's contact person is not


@pytest.fixture(scope="module")
def shared(web_stack: BackgroundStack) -> Municipality:
    """A municipality of the module's own, whose children the tests given it only read."""
    return web_stack.fresh_municipality()


@pytest.fixture(scope="module")
def children(web_stack: BackgroundStack, shared: Municipality) -> Children:
    """Two children of the module's municipality; the first has its contact person."""
    other = web_stack.settle_child(shared, fullName="Yonas Tesfaye")
    return Children(assigned=assigned_child(web_stack, shared), other=other["id"])


def test_a_caseworker_writes_and_approves_the_care_plan_with_the_childs_own_words_then_records_an_assessment_and_a_note(  # noqa: E501
    browsing: Browsing, town: Municipality
):
    child = browsing.stack.settle_child(town, fullName="Yonas Tesfaye")["id"]
    base = f"/child/{child}"
    page = browsing.page(user=town.caseworker)
    page.goto(f"{base}/care-plan")
    page.fill("#goal-education-description", "Start at the local school")
    page.fill("#goal-education-measures", "Visit the school\nMeet the teacher")
    page.fill("#goal-education-responsible", town.caseworker)
    page.fill(
        "#goal-education-review", Clock().today().replace(year=Clock().today().year + 1).isoformat()
    )
    page.fill("#childsOwnWords", "Jeg vil gå på skolen med vennene mine.")
    page.get_by_role("button", name="Lagre omsorgsplanen").click()
    expect(page.get_by_role("status")).to_contain_text("Lagret")
    expect(page.locator("table").first).to_contain_text("Start at the local school")
    page.get_by_role("button", name="Godkjenn omsorgsplanen").click()
    expect(page.locator(".havn-summary")).to_contain_text("Godkjent")
    plan = browsing.stack.query(town.caseworker, PLAN, {"id": child})["childCare"]["carePlan"]
    assert plan == {
        "status": "APPROVED",
        "childsOwnWords": "Jeg vil gå på skolen med vennene mine.",
    }

    page.goto(f"{base}/assessments")
    page.fill("#score-education", "4")
    page.fill("#score-wellbeing", "3")
    page.fill("#childsOwnWords", "Skolen er fin.")
    page.fill("#notes", "Settling in well.")
    page.get_by_role("button", name="Registrer kartleggingen").click()
    expect(page.get_by_role("status")).to_contain_text("Lagret")
    expect(page.locator("main")).to_contain_text("Settling in well.")

    page.goto(f"{base}/notes")
    page.fill("#text", "Met at the group home; talked about school.")
    page.get_by_role("button", name="Legg til notatet").click()
    expect(page.locator(".havn-notes")).to_contain_text("talked about school")
    # Written just now by this user: it can still be edited.
    page.locator(".havn-notes summary").first.click()
    edit = page.locator(".havn-notes textarea").first
    edit.fill("Met at the group home; talked about school and football.")
    page.get_by_role("button", name="Lagre endringen").click()
    expect(page.locator(".havn-notes")).to_contain_text("school and football")


def test_a_contact_person_who_has_only_read_is_offered_on_the_overview_and_assigned(
    browsing: Browsing, town: Municipality
):
    # given a contact person who has only looked at their caseload, and a child in care
    stack = browsing.stack
    reader = stack.fresh_user("contact-person", tenants=(town.number,))
    stack.query(reader, CASELOAD)
    child = stack.settle_child(town, fullName="Nasrin Karimi")["id"]

    async def in_care() -> dict:
        return await stack.gql.raw(town.caseworker, CARE, {"id": child})

    stack.run(eventually(in_care, lambda body: bool((body.get("data") or {}).get("childCare"))))

    # when the caseworker picks them on the child's overview
    page = browsing.page(user=town.caseworker)
    page.goto(f"/child/{child}")
    page.select_option("#username", reader)
    page.get_by_role("button", name="Tildel kontaktperson").click()

    # then they are the child's contact person
    expect(page.locator(".havn-summary")).to_contain_text(reader)
    assert stack.query(town.caseworker, CARE, {"id": child})["childCare"] == {
        "contactPerson": reader
    }


def test_a_contact_person_sees_an_assigned_child_but_health_is_not_available_for_the_role(
    browsing: Browsing, shared: Municipality, children: Children
):
    page = browsing.page(user=shared.contact)
    response = page.goto(f"/child/{children.assigned}")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text("Nasrin Karimi")
    response = page.goto(f"/child/{children.assigned}/health")
    assert response is not None and response.status == 200
    expect(page.locator("main")).to_contain_text("ikke tilgjengelig for din rolle")
    expect(page.locator("main form")).to_have_count(0)


def test_a_child_not_assigned_to_the_contact_person_is_the_not_found_page(
    browsing: Browsing, shared: Municipality, children: Children
):
    page = browsing.page(user=shared.contact)
    response = page.goto(f"/child/{children.other}/notes")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Fant ikke siden")


def test_the_admins_access_log_shows_the_web_users_reads_of_the_childs_health(
    browsing: Browsing, shared: Municipality, children: Children
):
    async def health_reads() -> int:
        data = await browsing.stack.gql(shared.admin, ACCESS_LOG, {"id": children.assigned})
        return sum(
            1
            for edge in data["accessLog"]["edges"]
            if edge["node"]
            == {
                "actor": shared.caseworker,
                "action": "read",
                "dataClass": "sensitive",
                "operation": "health.read",
            }
        )

    before = browsing.stack.run(health_reads())
    page = browsing.page(user=shared.caseworker)
    page.goto(f"/child/{children.assigned}/health")
    expect(page.locator("main h2")).to_contain_text("Helse")
    browsing.stack.run(eventually(health_reads, lambda reads: reads > before))


def test_a_score_of_6_is_refused_at_its_field_with_the_error_summary_on_top(
    browsing: Browsing, shared: Municipality, children: Children
):
    page = browsing.page(user=shared.caseworker)
    page.goto(f"/child/{children.assigned}/assessments")
    page.fill("#score-housing", "6")
    page.get_by_role("button", name="Registrer kartleggingen").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_contain_text("a score is 1 to 5, not 6")
    expect(summary.locator("a")).to_have_attribute("href", "#score-housing")
    field = page.locator("ds-field", has=page.locator("#score-housing"))
    expect(field.locator(".ds-validation-message")).to_contain_text("not 6")
    expect(page.locator("#score-housing")).to_have_value("6")


def test_the_note_form_works_without_javascript(browsing: Browsing, town: Municipality):
    child = assigned_child(browsing.stack, town)
    page = browsing.page(user=town.contact, java_script_enabled=False)
    page.goto(f"/child/{child}/notes")
    marker = f"Football practice on Thursday ({uuid.uuid4().hex[:6]})."
    page.fill("#text", marker)
    page.get_by_role("button", name="Legg til notatet").click()
    page.wait_for_url(f"**/child/{child}/notes?saved=1")
    expect(page.locator(".havn-notes")).to_contain_text(marker)


@pytest.mark.parametrize("tab", list(TABS.values()), ids=list(TABS))
def test_axe_finds_no_wcag_violation_on_the_record(
    browsing: Browsing, shared: Municipality, children: Children, tab
):
    path = tab.path(uuid.UUID(children.assigned))
    assert axe_violations(browsing, shared.caseworker, path) == {}


# Headings a reader of the page meets (not those of a closed dialog).
HEADING_LEVELS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
  .filter(heading => !heading.closest('dialog:not([open]), [hidden]'))
  .map(heading => Number(heading.tagName[1]))"""


def test_every_tab_of_the_record_has_one_h1_and_no_heading_level_skipped(
    browsing: Browsing, shared: Municipality, children: Children
):
    page = browsing.page(user=shared.caseworker)
    for tab in TABS.values():
        page.goto(tab.path(uuid.UUID(children.assigned)))
        levels = page.evaluate(HEADING_LEVELS)
        assert levels[0] == 1 and levels.count(1) == 1, (tab.slug, levels)
        skipped = [(a, b) for a, b in pairwise(levels) if b > a + 1]
        assert skipped == [], (tab.slug, levels)
