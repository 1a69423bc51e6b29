"""Every page: accessible (axe, WCAG 2.1 A/AA) in nb, nn and en; languages; no-JS forms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import (
    BackgroundStack,
    Browsing,
    Partner,
    axe_violations,
    run_axe,
)

CHILD = "Amina Rahimi"


@pytest.fixture(scope="module")
def staff(web_stack: BackgroundStack) -> dict[str, str]:
    """The users of these tests by what they do: staff of a municipality of the module's own
    (which has settled a child), a partner's user in it and another, and directorate users.
    The tests only read, so they share them (and their signed-in sessions)."""
    town, other = web_stack.fresh_municipality(), web_stack.fresh_municipality()
    web_stack.settle_child(town, fullName=CHILD)
    return {
        "caseworker": town.caseworker,
        "volunteers": town.volunteers,
        "partner": web_stack.fresh_partner(town, other),
        "allocator": web_stack.fresh_user("directorate-allocator"),
        "analyst": web_stack.fresh_user("directorate-analyst"),
    }


# (who, path): every page of the shell and the areas built so far.
PAGES = [
    (None, "/"),
    (None, "/signed-out"),
    ("caseworker", "/"),
    ("caseworker", "/children"),
    ("caseworker", "/no-such-page"),
    ("partner", "/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_axe_finds_no_wcag_violation(browsing: Browsing, staff, who, path):
    user = staff[who] if who else None
    assert axe_violations(browsing, user, path) == {}


def test_the_axe_check_reports_each_violation_it_finds(browsing: Browsing):
    # given a page with an image without a text alternative, and a form field without a label
    page = browsing.context().new_page()
    page.set_content(
        '<html lang="nb"><title>t</title><main><img src="data:,"><input id="x"></main></html>'
    )
    # then the check names both, with the element each is on
    assert sorted(run_axe(page)) == ['image-alt: ["img"]', 'label: ["#x"]']


@pytest.mark.parametrize(
    ("language", "name", "heading"),
    [
        ("nn", "Norsk nynorsk", "Barn"),
        ("en", "English", "Children"),
        ("nb", "Norsk bokmål", "Barn"),
    ],
)
def test_the_language_switch_translates_and_is_remembered(
    browsing: Browsing, staff, language, name, heading
):
    page = browsing.page(user=staff["caseworker"])
    page.goto("/children")
    page.get_by_role("link", name=name).click()
    page.wait_for_url(f"{browsing.stack.url}/children")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(heading)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_the_language_follows_accept_language_until_one_is_chosen(browsing: Browsing):
    page = browsing.page(locale="en-GB")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Havn for municipal staff")
    page = browsing.page(locale="nn-NO")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Havn for kommunalt tilsette")


def test_dates_and_numbers_follow_the_language(browsing: Browsing):
    from datetime import date

    from web import i18n

    with i18n.language("nb"):
        assert (i18n.format_day(date(2026, 12, 5)), i18n.format_number(12345.6)) == (
            "5. desember 2026",
            "12\xa0345,6",
        )
    with i18n.language("en"):
        assert i18n.format_day(date(2026, 12, 5)) == "December 5, 2026"


def test_the_municipality_picker_works_without_javascript(browsing: Browsing, partner: Partner):
    page = browsing.page(user=partner.username, java_script_enabled=False)
    page.goto("/")
    chosen = partner.towns[1].number
    page.select_option("#municipality-picker", chosen)
    page.get_by_role("button", name="Bytt kommune").click()
    page.wait_for_url(f"{browsing.stack.url}/")
    expect(page.locator(".havn-user")).to_contain_text(f"kommune {chosen}")


def test_the_children_list_and_sign_out_work_without_javascript(browsing: Browsing, staff):
    context = browsing.context(java_script_enabled=False)
    page = context.new_page()
    browsing.sign_in(page, staff["caseworker"], "/children")
    expect(page.locator("table")).to_contain_text("Amina")
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{browsing.stack.url}/signed-out?*")
    assert browsing.stack.session_of(context) is None


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("caseworker", ["Barn"]),
        ("partner", ["Våre tilbud"]),
        (
            "volunteers",
            [
                "Partnere",
                "Tilbud",
                "Frivillige",
                "Barn og tilhørighet",
                "Oversikt over tilhørighet",
                "Finansiering",
            ],
        ),
        ("allocator", ["Anmodninger", "Nasjonal kapasitet"]),
        ("analyst", ["Statistikk"]),
    ],
)
def test_the_menu_shows_only_what_the_role_can_use(browsing: Browsing, staff, who, shown):
    page = browsing.page(user=staff[who])
    page.goto("/")
    assert page.locator(".havn-nav a").all_inner_texts() == shown


def test_no_childs_name_in_the_address_or_title_of_the_children_list(browsing: Browsing, staff):
    page = browsing.page(user=staff["caseworker"])
    page.goto("/children")
    expect(page.locator("table")).to_contain_text(CHILD)
    assert "Amina" not in page.title() and "Amina" not in page.url


def test_an_unknown_address_is_the_not_found_page_in_the_shell(browsing: Browsing, staff):
    page = browsing.page(user=staff["caseworker"])
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Fant ikke siden")
    expect(page.locator(".havn-user")).to_contain_text(staff["caseworker"])


FOCUSED = "() => document.activeElement.id || document.activeElement.className"
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
}"""


def test_keyboard_only_the_skip_link_leads_to_the_main_content_and_a_form_is_sent_with_keys(
    browsing: Browsing, staff
):
    page = browsing.page(user=staff["caseworker"])
    page.goto("/children")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "ds-skip-link"
    expect(page.locator(".ds-skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "main"
    page.keyboard.press("Tab")  # the first control of the main content: search by name
    assert page.evaluate(FOCUSED) == "name"
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.type("Amina")
    page.keyboard.press("Tab")
    expect(page.locator("main button[type=submit]").first).to_be_focused()
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{browsing.stack.url}/children/search")
    expect(page.locator("#name")).to_have_value("Amina")
