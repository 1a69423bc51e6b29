"""The municipality administrator's pages in the browser: a child's access log (filters, the
printable page for the child, CSV), settings, partner grants and the break-the-glass review;
and a contact person breaking the glass from the child's record."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.factories import Municipality, unique_name
from tests.web.conftest import BackgroundStack, Browsing, axe_violations
from web.admin.routes import csv_cell

LOG = """query($id: ID!, $actor: String) { accessLog(childId: $id, actor: $actor, first: 500) {
  edges { node { at actor role org action dataClass operation service breakGlass } } } }"""
READ = "query($id: ID!) { child(id: $id) { id fullName } }"
SETTINGS = "{ assessmentSchedule { intervalMonths } communitySettings { policeCertificateMonths } }"


@pytest.fixture(scope="module")
def shared(web_stack: BackgroundStack) -> Municipality:
    """A municipality of the module's own: the tests given it only read its pages and its
    child's log."""
    return web_stack.fresh_municipality()


def read_child(stack: BackgroundStack, town: Municipality) -> str:
    """A child of `town` its caseworker has read (so its log has reads and writes)."""
    settled = stack.settle_child(town, fullName=unique_name("Nasrin"))
    stack.query(town.caseworker, READ, {"id": settled["id"]})
    return str(settled["id"])


@pytest.fixture(scope="module")
def child(web_stack: BackgroundStack, shared: Municipality) -> str:
    return read_child(web_stack, shared)


def log_entries(
    stack: BackgroundStack, town: Municipality, child_id: str, actor: str | None = None
) -> list[dict]:
    data = stack.query(town.admin, LOG, {"id": child_id, "actor": actor})
    return [edge["node"] for edge in data["accessLog"]["edges"]]


def test_the_admins_access_log_page_shows_exactly_the_entries_of_access_log_in_its_order(
    browsing: Browsing, shared: Municipality, child: str
):
    page = browsing.page(user=shared.admin)
    page.goto("/admin/access-log")
    page.fill("#child", child)
    page.get_by_role("button", name="Vis tilgangsloggen").click()
    page.wait_for_url(f"**/admin/children/{child}/access-log")
    rows = page.locator("#access-log-results tbody tr")
    expect(rows.first).to_be_visible()
    # The page read the log after the admin's own reads before it: compare with the same log
    # as it was, the entries up to the page's newest (the admin's page view adds none here).
    shown = [
        (row.locator("time").get_attribute("datetime"), row.locator("td").nth(1).inner_text())
        for row in rows.all()
    ]
    expected = [(e["at"], e["actor"]) for e in log_entries(browsing.stack, shared, child)]
    assert shown == expected[: len(shown)]
    assert len(shown) == len(expected)
    assert "Nasrin" not in page.title() and "Nasrin" not in page.url


def test_the_access_log_filters_by_user_and_kind_of_data_and_keeps_them_in_its_links(
    browsing: Browsing, shared: Municipality, child: str
):
    caseworker = shared.caseworker
    page = browsing.page(user=shared.admin)
    page.goto(f"/admin/children/{child}/access-log")
    page.fill("#actor", caseworker)
    page.select_option("#dataClass", "PERSONAL")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(f"**/access-log?from=&to=&actor={caseworker}&dataClass=PERSONAL")
    expected = [
        e["at"]
        for e in log_entries(browsing.stack, shared, child, caseworker)
        if e["dataClass"] == "personal"
    ]
    times = page.locator("#access-log-results tbody time")
    assert [t.get_attribute("datetime") for t in times.all()] == expected and expected
    expect(page.get_by_role("link", name="Last ned som CSV")).to_have_attribute(
        "href", f"/admin/children/{child}/access-log.csv?actor={caseworker}&dataClass=PERSONAL"
    )


def test_a_period_ending_before_it_starts_is_refused_at_the_to_field(
    browsing: Browsing, shared: Municipality, child: str
):
    page = browsing.page(user=shared.admin)
    response = page.goto(f"/admin/children/{child}/access-log?from=2026-02-01&to=2026-01-01")
    assert response is not None and response.status == 422
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", "#to")
    expect(page.locator("#to")).to_have_attribute("aria-invalid", "true")


def test_the_csv_download_holds_the_same_entries_without_the_childs_name(
    browsing: Browsing, shared: Municipality, child: str
):
    context = browsing.context(user=shared.admin)
    response = context.request.get(f"/admin/children/{child}/access-log.csv")
    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and child in disposition
    rows = list(csv.DictReader(io.StringIO(response.text())))
    expected = log_entries(browsing.stack, shared, child)
    # the download is itself no read of the child: the log is the same before and after
    assert [(r["at"], r["actor"], r["dataClass"], r["operation"]) for r in rows] == [
        (e["at"], e["actor"], e["dataClass"], e["operation"]) for e in expected
    ]
    assert "Nasrin" not in disposition and "Nasrin" not in response.text()


def test_the_printable_page_tells_the_child_in_plain_words_who_saw_what(
    browsing: Browsing, shared: Municipality, child: str
):
    page = browsing.page(user=shared.admin)
    page.goto(f"/admin/children/{child}/access-log/print")
    expect(page.locator("h1")).to_have_text("Hvem har sett opplysningene om deg")
    rows = page.locator("tbody tr")
    expected = log_entries(browsing.stack, shared, child)
    shown = [
        (t.get_attribute("datetime"), t.locator("xpath=../..").locator("td").nth(1).inner_text())
        for t in page.locator("tbody time").all()
    ]
    assert [(at, who.split(",")[0]) for at, who in shown] == [
        (e["at"], e["actor"]) for e in expected
    ]
    expect(page.get_by_role("row", name=shared.caseworker).first).to_contain_text("Så på")
    page.emulate_media(media="print")
    expect(page.locator(".havn-nav")).to_be_hidden()
    expect(page.locator(".havn-header")).to_be_hidden()
    expect(rows.first).to_be_visible()


def test_the_admin_sets_the_assessment_interval_and_the_police_certificate_limit(
    browsing: Browsing, town: Municipality
):
    before = browsing.stack.query(town.admin, SETTINGS)
    interval = before["assessmentSchedule"]["intervalMonths"]
    page = browsing.page(user=town.admin)
    page.goto("/admin/settings")
    page.fill("#intervalMonths", str(interval))
    page.get_by_role("button", name="Lagre kartleggingsintervallet").click()
    page.wait_for_url("**/admin/settings?saved=1")
    expect(page.get_by_role("status")).to_contain_text("Innstillingen er lagret")
    page.fill("#certificateMonths", "0")
    page.get_by_role("button", name="Lagre grensen for politiattest").click()
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", "#certificateMonths")
    expect(page.locator("#certificateMonths")).to_have_value("0")
    assert browsing.stack.query(town.admin, SETTINGS) == before


def test_the_settings_form_works_without_javascript(browsing: Browsing, town: Municipality):
    settings = browsing.stack.query(town.admin, SETTINGS)
    months = settings["communitySettings"]["policeCertificateMonths"]
    page = browsing.page(user=town.admin, java_script_enabled=False)
    page.goto("/admin/settings")
    page.fill("#certificateMonths", str(months))
    page.get_by_role("button", name="Lagre grensen for politiattest").click()
    page.wait_for_url("**/admin/settings?saved=1")
    expect(page.locator("#certificateMonths")).to_have_value(str(months))


def test_a_contact_person_breaks_the_glass_with_a_reason_and_the_admin_reviews_it(
    browsing: Browsing, town: Municipality
):
    child = read_child(browsing.stack, town)
    page = browsing.page(user=town.contact)
    response = page.goto(f"/child/{child}")
    assert response is not None and response.status == 404
    page.get_by_role("button", name="Åpne journalen").click()
    expect(page.locator(".ds-error-summary a")).to_have_attribute("href", "#reason")
    reason = f"Out-of-hours call {unique_name('Reason')}"
    page.fill("#reason", reason)
    page.get_by_role("button", name="Åpne journalen").click()
    page.wait_for_url(f"**/child/{child}")
    expect(page.locator(".havn-summary")).to_contain_text("Nasrin")

    admin = browsing.page(user=town.admin)
    admin.goto("/admin/break-glass")
    row = admin.get_by_role("row", name=reason)
    expect(row).to_contain_text(town.contact)
    row.get_by_role("link").click()
    admin.wait_for_url(f"**/admin/children/{child}/access-log?actor={town.contact}")
    expect(admin.locator("#access-log-results tbody tr").first).to_contain_text("Brukte nødtilgang")


def test_the_break_the_glass_form_works_without_javascript(browsing: Browsing, town: Municipality):
    other = browsing.stack.settle_child(town, fullName=unique_name("Ali"))
    page = browsing.page(user=town.contact, java_script_enabled=False)
    page.goto(f"/child/{other['id']}/break-glass")
    page.fill("#reason", "She called from the hospital; her contact person is away.")
    page.get_by_role("button", name="Åpne journalen").click()
    page.wait_for_url(f"**/child/{other['id']}")
    expect(page.locator("h1")).not_to_have_text("Dette barnet er ikke et av dine")


def test_the_partner_grants_page_lists_grants_with_their_state(
    browsing: Browsing, shared: Municipality
):
    page = browsing.page(user=shared.admin)
    page.goto("/admin/grants")
    expect(page.locator("h1")).to_have_text("Partnertilganger")
    expect(page.locator("table caption")).to_contain_text("tilgang")


def test_the_admins_menu_and_no_one_elses_offers_the_admin_pages(
    browsing: Browsing, shared: Municipality, child: str
):
    page = browsing.page(user=shared.admin)
    page.goto("/")
    assert page.locator(".havn-nav a").all_inner_texts() == [
        "Kapasitet",
        "Tilgangslogg",
        "Innstillinger",
        "Partnertilganger",
        "Nødtilgang",
    ]
    caseworker = browsing.page(user=shared.caseworker)
    caseworker.goto("/")
    expect(caseworker.locator(".havn-nav")).not_to_contain_text("Tilgangslogg")
    for path in (
        f"/admin/children/{child}/access-log",
        f"/admin/children/{child}/access-log/print",
        f"/admin/children/{child}/access-log.csv",
        "/admin/break-glass",
        "/admin/grants",
    ):
        response = caseworker.goto(path)
        assert response is not None and response.status == 403, path
    # the settings are the municipality's to read; changing them the gateway refuses
    caseworker.goto("/admin/settings")
    caseworker.fill("#intervalMonths", "6")
    with caseworker.expect_response("**/admin/settings/assessment-interval") as answer:
        caseworker.get_by_role("button", name="Lagre kartleggingsintervallet").click()
    assert answer.value.status == 403
    expect(caseworker.locator("h1")).to_have_text("Ikke tilgjengelig for din rolle")


@pytest.fixture(scope="module")
def admin_pages(child: str) -> dict[str, str]:
    return {
        "find": "/admin/access-log",
        "log": f"/admin/children/{child}/access-log",
        "print": f"/admin/children/{child}/access-log/print",
        "settings": "/admin/settings",
        "grants": "/admin/grants",
        "break-glass": "/admin/break-glass",
    }


@pytest.mark.parametrize("name", ["find", "log", "print", "settings", "grants", "break-glass"])
def test_axe_finds_no_wcag_violation_on_the_admins_pages(
    browsing: Browsing, shared: Municipality, admin_pages: dict[str, str], name: str
):
    assert axe_violations(browsing, shared.admin, admin_pages[name]) == {}


def test_axe_finds_no_wcag_violation_on_the_break_the_glass_form(
    browsing: Browsing, shared: Municipality, child: str
):
    assert axe_violations(browsing, shared.contact, f"/child/{child}/break-glass") == {}


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"])
def test_a_csv_cell_never_starts_a_spreadsheet_formula(cell: str):
    assert csv_cell(cell) == "'" + cell
    assert csv_cell("bergen-caseworker") == "bergen-caseworker"
