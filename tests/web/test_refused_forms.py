"""A form the gateway refuses is shown again one way on every page: `web.forms.Refused`, made
from the gateway's answer in one place, and the shell's macros that show it (the summary on
top linking to each input, the message and aria-invalid at the input, what was typed kept)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from jinja2_fragments import render_block
from playwright.sync_api import Page, expect

from tests.factories import Municipality
from tests.web.conftest import Browsing
from web import i18n
from web.app import AREAS, template_environment
from web.areas import WEB_DIR
from web.forms import NOTHING_REFUSED, Refused
from web.graphql import GraphQLError, GraphQLResult


def answer(*errors: tuple[str, str | None, str]) -> GraphQLResult:
    """A gateway answer with (code, field, message) errors."""
    found = [GraphQLError(code, message, field=field) for code, field, message in errors]
    return GraphQLResult(data={}, errors=found)


def test_each_message_goes_to_the_input_its_field_names_and_the_rest_to_the_first_input():
    refused = Refused.of(
        answer(
            ("BAD_USER_INPUT", "languages[1]", "not a language"),
            ("BAD_USER_INPUT", "input.respondBy", "in the past"),
            ("BAD_USER_INPUT", None, "the form as a whole"),
            ("BAD_USER_INPUT", "notAnInput", "a field the form does not have"),
        ),
        {"municipality": "4601", "languages": "ti, xx", "respondBy": "2020-01-01"},
    )
    assert refused.messages == {
        "languages": "not a language",
        "respondBy": "in the past",
        "municipality": "the form as a whole",
    }
    assert refused.value("languages") == "ti, xx"
    assert refused.status_code == 422


def test_a_form_says_where_its_fields_are_when_its_inputs_are_named_otherwise():
    refused = Refused.of(
        answer(("BAD_USER_INPUT", "goals[0].reviewOn", "too late"), ("BAD_USER_INPUT", "x", "?")),
        {"csrf": "token", "goal-health-review": "2099-01-01"},
        input_of=lambda field: "goal-health-review" if field.startswith("goals[0]") else None,
        first_input="goal-health-description",
    )
    assert refused.messages == {"goal-health-review": "too late", "goal-health-description": "?"}


def test_a_conflict_alone_is_409_and_a_page_with_nothing_refused_is_200():
    refused = Refused.of(answer(("CONFLICT", None, "the referral is DECLINED")), {"reason": ""})
    assert refused.conflicts == ("the referral is DECLINED",)
    assert refused.messages == {}
    assert refused.status_code == 409
    assert NOTHING_REFUSED.status_code == 200
    assert NOTHING_REFUSED.value("reason", "as shown before") == "as shown before"


SHOWN = """{% import "shell/macros.html" as ui with context %}{{ ui.refusal() }}
<form>{{ ui.input("name", "Name", "as stored", hint="A hint") }}{{ ui.textarea("note", "Note") }}
</form>"""


def rendered(refused: Refused) -> str:
    return template_environment(AREAS).from_string(SHOWN).render(refused=refused)


def test_the_summary_links_each_message_to_its_input_which_shows_it_and_is_invalid():
    html = rendered(Refused({"name": "Too long"}, {"name": "typed", "note": "kept"}))
    summary = re.search(r"<ds-error-summary.*?</ds-error-summary>", html, re.S)
    assert summary is not None
    assert '<a href="#name">Too long</a>' in summary.group()
    [name] = re.findall(r"<input[^>]*>", html)
    assert 'id="name"' in name and 'value="typed"' in name
    assert 'aria-invalid="true"' in name and 'aria-describedby="name-hint"' in name
    assert '<div class="ds-validation-message" data-field="validation">Too long</div>' in html
    assert ">kept</textarea>" in html
    assert "aria-invalid" not in html.split('id="note"')[1]


def test_a_page_with_nothing_refused_shows_no_summary_and_the_stored_values():
    html = rendered(NOTHING_REFUSED)
    assert "ds-error-summary" not in html and "aria-invalid" not in html
    assert 'value="as stored"' in html


def test_the_clients_own_message_is_not_marked_english():
    html = rendered(Refused({"name": "For lang"}))
    assert 'lang="en"' not in html


# A refusal of the services' that the catalogs translate (web/refusal_messages.py), and one
# they cannot hold (built from values), each at an input and as the record's state.
TRANSLATED = "type part of a name to search for"
IN_BOKMAL = "skriv inn hele eller deler av navnet du søker etter"
CONFLICT = "the match has already ended"
CONFLICT_IN_BOKMAL = "koblingen er allerede avsluttet"
UNTRANSLATED = "a message built from values (6), which no catalog holds"


def test_a_message_the_catalogs_translate_is_in_the_users_language_at_its_input_and_on_top():
    with i18n.language("nb"):
        refused = Refused.of(
            answer(("BAD_USER_INPUT", "name", TRANSLATED), ("CONFLICT", None, CONFLICT)),
            {"name": "", "note": ""},
        )
        html = rendered(refused)
    assert refused.messages == {"name": IN_BOKMAL}
    assert refused.conflicts == (CONFLICT_IN_BOKMAL,)
    assert refused.english == frozenset()
    assert f'<a href="#name">{IN_BOKMAL}</a>' in html
    assert f'data-field="validation">{IN_BOKMAL}</div>' in html
    assert f'<p class="ds-paragraph">{CONFLICT_IN_BOKMAL}</p>' in html
    assert 'lang="en"' not in html


def test_a_message_the_catalogs_lack_stays_in_the_gateways_english_marked_so():
    with i18n.language("nb"):
        gateway = answer(
            ("BAD_USER_INPUT", "note", UNTRANSLATED), ("BAD_USER_INPUT", "name", TRANSLATED)
        )
        refused = Refused.of(gateway, {"name": "", "note": ""})
        html = rendered(refused)
    assert refused.messages == {"note": UNTRANSLATED, "name": IN_BOKMAL}
    assert refused.english == {UNTRANSLATED}
    assert f'<a href="#note" lang="en">{UNTRANSLATED}</a>' in html
    assert f'data-field="validation" lang="en">{UNTRANSLATED}</div>' in html
    assert f'<a href="#name">{IN_BOKMAL}</a>' in html


def test_a_live_search_shows_its_refusal_alone_in_the_users_language_or_marked_english():
    environment = template_environment(AREAS)
    shown = {}
    for message in (TRANSLATED, UNTRANSLATED):
        with i18n.language("nb"):
            refused = Refused.of(answer(("BAD_USER_INPUT", "name", message)), {"name": ""})
            # What htmx gets as the user types: the results block alone.
            shown[message] = render_block(
                environment,
                "children/search.html",
                "search_results",
                refused=refused,
                live=True,
                searched=False,
            ).strip()
    assert shown == {
        TRANSLATED: f'<p class="ds-paragraph" role="status">{IN_BOKMAL}</p>',
        UNTRANSLATED: f'<p class="ds-paragraph" role="status" lang="en">{UNTRANSLATED}</p>',
    }


def test_only_the_shell_macros_write_the_summary_the_messages_and_aria_invalid():
    macros = WEB_DIR / "shell" / "templates" / "macros.html"
    by_hand = re.compile(r'ds-error-summary|ds-validation-message|aria-invalid|role="alert"')
    offenders = [
        str(path.relative_to(WEB_DIR))
        for path in WEB_DIR.glob("*/templates/*.html")
        if path != macros and by_hand.search(path.read_text())
    ]
    assert offenders == []


def test_only_web_forms_turns_the_gateways_objections_into_a_refused_form():
    reads_objections = re.compile(r"\.(field_errors|conflicts)\b")
    allowed = {Path("forms.py"), Path("graphql.py")}
    offenders = [
        str(path.relative_to(WEB_DIR))
        for path in WEB_DIR.rglob("*.py")
        if "node_modules" not in path.parts
        and path.relative_to(WEB_DIR) not in allowed
        and reads_objections.search(path.read_text())
    ]
    assert offenders == []


# Two forms of different areas (each for a user of `town` in the role named), each refused at
# one input while another keeps what was typed.
REFUSED_FORMS: dict[str, dict[str, Any]] = {
    "care places (coordinator)": {
        "role": "coordinator",
        "path": "/capacity",
        "typed": {"#places": "1", "#free": "2"},
        "button": "Registrer omsorgsplasser",
        "refused_at": "free",
        "kept": ("#places", "1"),
    },
    "funding application (volunteer coordinator)": {
        "role": "volunteers",
        "path": "/funding",
        "typed": {"#foundation": "Gjensidigestiftelsen", "#purpose": "Leir", "#amountNok": "0"},
        "button": "Registrer søknaden",
        "refused_at": "amountNok",
        "kept": ("#purpose", "Leir"),
    },
}


def summary_shape(page: Page) -> dict[str, Any]:
    """The error summary's markup without its texts, addresses and languages (a message the
    catalogs lack is marked English): what every form shares."""
    return page.locator(".ds-error-summary").evaluate(
        """summary => {
          const shape = el => ({
            tag: el.tagName,
            attributes: [...el.attributes].map(a => a.name)
              .filter(n => !['aria-labelledby', 'id', 'lang'].includes(n)).sort(),
            children: [...el.children].map(shape),
          });
          return shape(summary);
        }"""
    )


def refuse(page: Page, form: dict[str, Any]) -> None:
    page.goto(form["path"])
    for selector, value in form["typed"].items():
        page.fill(selector, value)
    page.get_by_role("button", name=form["button"]).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_two_refused_forms_show_the_same_summary_linking_the_field_and_keep_what_was_typed(
    browsing: Browsing, town: Municipality, javascript: bool
):
    shapes = []
    for name, form in REFUSED_FORMS.items():
        user = getattr(town, form["role"])
        page = browsing.page(user=user, java_script_enabled=javascript)
        refuse(page, form)
        link = page.locator(".ds-error-summary a")
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", f"#{form['refused_at']}")
        field = page.locator(f"#{form['refused_at']}")
        expect(field).to_have_attribute("aria-invalid", "true")
        message = page.locator("ds-field", has=field).locator(".ds-validation-message")
        expect(message).to_have_text(link.inner_text())
        selector, value = form["kept"]
        expect(page.locator(selector)).to_have_value(value)
        shapes.append((name, summary_shape(page)))
    (_, first), (_, second) = shapes
    assert first == second
