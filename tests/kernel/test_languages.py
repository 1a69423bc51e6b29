"""Language codes: one ISO 639 form per language, and who needs an interpreter."""

import pytest

from havn.errors import InvalidInput
from havn.languages import needs_interpreter, normalise_language, normalise_languages


@pytest.mark.parametrize(
    ("given", "stored"),
    [("fa", "fa"), ("fas", "fa"), ("per", "fa"), (" FAS ", "fa"), ("prs", "prs"), ("nob", "nb")],
)
def test_a_language_is_stored_in_its_two_letter_code_where_it_has_one_else_three(given, stored):
    assert normalise_language(given) == stored


def test_persian_named_in_two_forms_is_one_language():
    assert normalise_languages(["fas", "en", "fa"]) == ["fa", "en"]


@pytest.mark.parametrize("code", ["zz", "xyz1", "", "english"])
def test_a_code_that_is_no_iso_639_language_is_bad_input_on_its_field(code):
    with pytest.raises(InvalidInput) as refused:
        normalise_language(code, field="languages[0]")
    assert refused.value.field == "languages[0]"


@pytest.mark.parametrize(
    ("languages", "needed"),
    [(["prs", "en"], True), (["ti", "nb"], False), (["no"], False), (["ar", "nno"], False)],
)
def test_a_child_who_speaks_no_norwegian_needs_an_interpreter(languages, needed):
    assert needs_interpreter(languages) is needed
