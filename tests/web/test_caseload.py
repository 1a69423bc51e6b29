"""The caseload page: the gateway's filters and counts, most urgent first, pages, search by name
(live and without JavaScript), a contact person's own children, and no name in any address."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import text

from havn.clock import NORWAY
from havn.db import create_engine, create_sessionmaker, scoped_transaction
from tests.factories import (
    ACCEPT_REFERRAL,
    COMPLETE_TASK,
    REGISTER_ARRIVAL,
    TASKS,
    Municipality,
    create_referral,
    settle_child,
)
from tests.waiting import eventually
from tests.web.conftest import BackgroundStack, Browsing, axe_violations
from web.children import routes

# The children of the module's municipality. Settled five years ago and never assessed: the
# most urgent child (so on every list's first page); no plan approved, no contact person. The
# name has letters search folds (Å, Ø, å).
OVERDUE = "Åsa Ødegård"
# Settled today and given a contact person: nothing is due yet.
ASSIGNED = "Yonas Tesfay"
# Settled today, without a contact person yet: the second of those without one.
WAITING = "Hamid Noori"
COUNTS = """query { caseload { counts {
  all overdueAssessment carePlanNotApproved noContactPerson } } }"""
CASELOAD_IDS = """query($filter: CaseloadFilter!) {
  caseload(filter: $filter, first: 500) { edges { node { childId } } } }"""
ASSIGN = """mutation($id: ID!, $username: String!) {
  assignContactPerson(childId: $id, username: $username) { contactPerson } }"""
FILTER_LINKS = {
    "all": "Alle",
    "overdueAssessment": "Kartlegging på overtid",
    "carePlanNotApproved": "Tiltaksplan ikke godkjent",
    "noContactPerson": "Uten hovedkontakt",
}


@pytest.fixture(scope="module")
def shared(web_stack: BackgroundStack) -> Municipality:
    """The municipality of these tests (they only read it): its caseworker's caseload."""
    return web_stack.fresh_municipality()


@pytest.fixture(scope="module")
def children(web_stack: BackgroundStack, shared: Municipality) -> dict[str, str]:
    """The children of these tests, by name: their ids."""
    stack = web_stack.stack
    gql = web_stack.gql

    async def in_caseload(child_id: str) -> None:
        def ids(data: dict[str, Any]) -> set[str]:
            return {edge["node"]["childId"] for edge in data["caseload"]["edges"]}

        await eventually(
            lambda: gql(shared.caseworker, CASELOAD_IDS, {"filter": "ALL"}),
            until=lambda data: child_id in ids(data),
        )

    async def settle() -> dict[str, str]:
        today = stack.clock.today()
        overdue = await settle_child_weeks_ago(
            web_stack, shared, today, weeks=5 * 52, fullName=OVERDUE
        )
        settled = {
            name: await settle_child(
                gql,
                today,
                coordinator=shared.coordinator,
                municipality=shared.number,
                fullName=name,
            )
            for name in (ASSIGNED, WAITING)
        }
        for child in (overdue, *settled.values()):
            await in_caseload(child["id"])
        await gql(
            shared.caseworker, ASSIGN, {"id": settled[ASSIGNED]["id"], "username": shared.contact}
        )
        return {OVERDUE: overdue["id"]} | {name: child["id"] for name, child in settled.items()}

    return web_stack.run(settle())


async def settle_child_weeks_ago(
    web_stack: BackgroundStack, town: Municipality, today: date, *, weeks: int, **overrides: Any
) -> dict[str, Any]:
    """A child of `town` that arrived `weeks` ago, through the API: the referral is dated back
    first (the database stamps it), as arrival may not come before the referral."""
    gql = web_stack.gql
    arrived = today - timedelta(weeks=weeks)
    referral = await create_referral(gql, today, municipality=town.number, **overrides)
    coordinator = town.coordinator
    accept = {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"}
    await gql(coordinator, ACCEPT_REFERRAL, {"id": referral["id"], "input": accept})
    for task in TASKS:
        await gql(coordinator, COMPLETE_TASK, {"id": referral["id"], "task": task})
    engine = create_engine(web_stack.stack.database.app, pool_size=1)
    try:
        async with scoped_transaction(create_sessionmaker(engine), tenant=town.number) as session:
            await session.execute(
                text("update intake.referrals set created_at = :on where id = :id"),
                {"on": datetime.combine(arrived, time(9), NORWAY), "id": referral["id"]},
            )
    finally:
        await engine.dispose()
    on = {"id": referral["id"], "on": arrived.isoformat()}
    child: dict[str, Any] = (await gql(coordinator, REGISTER_ARRIVAL, on))["registerArrival"]
    return child


def counts_of(stack: BackgroundStack, user: str) -> dict[str, int]:
    return dict(stack.query(user, COUNTS)["caseload"]["counts"])


def row_of(page: Page, child_id: str) -> Any:
    return page.locator(f"#children-results tbody tr:has(a[href='/child/{child_id}'])")


def addresses(context: BrowserContext) -> list[str]:
    """Every URL the context's pages request from here on (navigations and htmx alike)."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    return seen


def name_parts(*names: str) -> list[str]:
    """Each word of the names, as typed and as search folds it (any of them is a name)."""
    words = {word for name in names for word in name.split()}
    folded = {w.lower().replace("å", "a").replace("ø", "o") for w in words}
    return sorted(words | folded)


def test_each_filter_link_shows_the_gateways_count_and_lists_its_children(
    browsing: Browsing, shared: Municipality, children: dict[str, str]
):
    page = browsing.page(user=shared.caseworker)
    counts = counts_of(browsing.stack, shared.caseworker)
    page.goto("/children")
    for field, label in FILTER_LINKS.items():
        link = page.locator(".havn-cards a", has_text=label)
        expect(link).to_have_text(f"{label} ({counts[field]})")
    overdue, assigned = children[OVERDUE], children[ASSIGNED]

    page.locator(".havn-cards a", has_text="Kartlegging på overtid").click()
    expect(page).to_have_url(re.compile(r"/children\?filter=OVERDUE_ASSESSMENT$"))
    expect(row_of(page, overdue)).to_contain_text("Forfalt")
    expect(row_of(page, assigned)).to_have_count(0)

    page.locator(".havn-cards a", has_text="Uten hovedkontakt").click()
    expect(row_of(page, overdue)).to_contain_text("Ingen ennå")
    expect(row_of(page, assigned)).to_have_count(0)

    page.locator(".havn-cards a", has_text="Tiltaksplan ikke godkjent").click()
    expect(row_of(page, overdue)).to_contain_text("Utkast")


def test_the_caseload_lists_the_most_urgent_assessment_first(
    browsing: Browsing, shared: Municipality, children: dict[str, str]
):
    page = browsing.page(user=shared.caseworker)
    page.goto("/children")
    expect(row_of(page, children[OVERDUE])).to_contain_text("Forfalt")
    due = page.locator("#children-results tbody time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert len(due) > 1 and due == sorted(due)


def test_the_next_page_link_shows_the_children_after_the_first_page(
    browsing: Browsing,
    shared: Municipality,
    children: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(routes, "PAGE_SIZE", 1)
    page = browsing.page(user=shared.caseworker)
    page.goto("/children")
    first = page.locator("#children-results tbody a").all_inner_texts()
    page.get_by_role("link", name="Neste side").click()
    expect(page).to_have_url(re.compile(r"/children\?filter=ALL&after=.+"))
    expect(page.get_by_role("link", name="Første side")).to_be_visible()
    second = page.locator("#children-results tbody a").all_inner_texts()
    assert len(first) == len(second) == 1 and first != second


def test_search_finds_a_child_as_you_type_without_case_or_accents(
    browsing: Browsing, shared: Municipality, children: dict[str, str]
):
    page = browsing.page(user=shared.caseworker)
    page.goto("/children")
    page.fill("#name", "ASA odegard")
    results = page.locator("#search-results")
    expect(results.locator(f"a[href='/child/{children[OVERDUE]}']")).to_have_text(OVERDUE)
    expect(results).not_to_contain_text(ASSIGNED)
    assert page.url == f"{browsing.stack.url}/children"


def test_search_works_without_javascript_and_keeps_the_name_out_of_the_address(
    browsing: Browsing, shared: Municipality, children: dict[str, str]
):
    page = browsing.page(user=shared.caseworker, java_script_enabled=False)
    page.goto("/children")
    page.fill("#name", "ødegård")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.wait_for_url(f"{browsing.stack.url}/children/search")
    expect(page.locator(f"#search-results a[href='/child/{children[OVERDUE]}']")).to_be_visible()
    expect(page.locator("#name")).to_have_value("ødegård")
    page.reload()  # the results page reads the name from the session, not from the address
    expect(page.locator(f"#search-results a[href='/child/{children[OVERDUE]}']")).to_be_visible()


def test_an_empty_search_shows_the_gateways_message_at_the_field_and_on_top(
    browsing: Browsing, shared: Municipality
):
    page = browsing.page(user=shared.caseworker, java_script_enabled=False)
    page.goto("/children")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.wait_for_url(f"{browsing.stack.url}/children/search")
    expect(page.locator(".ds-error-summary a[href='#name']")).to_contain_text("navn")
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")


def test_a_contact_person_sees_only_their_assigned_children_as_my_children(
    browsing: Browsing, shared: Municipality, children: dict[str, str]
):
    page = browsing.page(user=shared.contact)
    page.goto("/")
    assert page.locator(".havn-nav a").all_inner_texts() == ["Mine barn"]
    page.locator(".havn-nav").get_by_role("link", name="Mine barn").click()
    expect(page.locator("h1")).to_have_text("Mine barn")
    assert page.title().startswith("Mine barn")
    expect(row_of(page, children[ASSIGNED])).to_contain_text(shared.contact)
    expect(row_of(page, children[OVERDUE])).to_have_count(0)
    expect(page.locator(".havn-cards a", has_text="Uten hovedkontakt")).to_have_count(0)


def test_no_childs_name_is_in_any_address_or_title_of_the_caseload_and_search(
    browsing: Browsing,
    shared: Municipality,
    children: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(routes, "PAGE_SIZE", 1)
    context = browsing.context(user=shared.caseworker)
    requested = addresses(context)
    page = context.new_page()
    browsing.pages.append(page)
    visited, titles = [], []

    def step() -> None:
        page.wait_for_load_state("networkidle")
        visited.append(page.url)
        titles.append(page.title())

    page.goto("/children")
    step()
    page.locator(".havn-cards a", has_text="Uten hovedkontakt").click()
    expect(page).to_have_url(re.compile(r"filter=NO_CONTACT_PERSON$"))
    step()
    page.get_by_role("link", name="Neste side").click()
    expect(page).to_have_url(re.compile(r"filter=NO_CONTACT_PERSON&after="))
    step()
    page.fill("#name", "Åsa Ødegård")
    expect(page.locator("#search-results")).to_contain_text(OVERDUE)
    step()
    page.locator("#name").press("Enter")  # the form itself: post, then the results page
    page.wait_for_url(f"{browsing.stack.url}/children/search")
    step()
    assert len(set(visited)) >= 4 and any("after=" in url for url in visited)
    for part in name_parts(*children):
        urls = [unquote_plus(url).lower() for url in visited + requested]
        assert not [url for url in urls if part.lower() in url], part
        assert not [title for title in titles if part in title], part


@pytest.mark.parametrize(
    ("who", "path"),
    [("caseworker", "/children"), ("caseworker", "/children/search"), ("contact", "/children")],
)
def test_axe_finds_no_wcag_violation_on_the_caseload_and_search(
    browsing: Browsing,
    shared: Municipality,
    children: dict[str, str],
    who: str,
    path: str,
):
    user = shared.user(who)
    if path == "/children/search":  # with results: the search is kept in the session
        page = browsing.page(user=user, java_script_enabled=False)
        page.goto("/children")
        page.fill("#name", "odegard")
        page.locator("#name").press("Enter")
        page.wait_for_url(f"{browsing.stack.url}/children/search")
    assert axe_violations(browsing, user, path) == {}
