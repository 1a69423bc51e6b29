"""Care rules for health screenings and education records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from havn import vocabulary
from havn.errors import InvalidInput
from services.care.domain.education import record_education
from services.care.domain.health import record_screening
from tests.care.domain_support import TODAY, a_child


def test_a_screening_in_the_future_is_bad_input():
    # when
    with pytest.raises(InvalidInput) as refused:
        record_screening(
            a_child(),
            kind="TB",
            screened_on=TODAY + timedelta(days=1),
            findings=None,
            by="cw",
            today=TODAY,
        )

    # then
    assert refused.value.field == "screened_on"


def test_school_start_before_birth_is_bad_input():
    # when / then
    with pytest.raises(InvalidInput, match="birth"):
        record_education(
            a_child(),
            None,
            school="Nygård",
            class_level="8",
            norwegian_level=vocabulary.NorwegianLevel.A1,
            started_on=date(2001, 1, 1),
        )
