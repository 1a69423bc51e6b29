"""Categories of the statistics: counties, age bands, nationality groups, and what is refused."""

from __future__ import annotations

import pytest

from havn.errors import InvalidInput
from havn.statistics.dimensions import (
    AGE_BANDS,
    COUNTIES,
    NAMED_NATIONALITIES,
    Dimension,
    Measure,
    age_band,
    canonical,
    check_request,
    county_of,
    nationality_group,
)


@pytest.mark.parametrize(
    ("municipality", "county"),
    [("0301", "03"), ("4601", "46"), ("3203", "32"), ("5501", "55"), ("1103", "11")],
)
def test_the_county_is_the_first_two_digits_of_the_municipality_number(municipality, county):
    assert county_of(municipality) == county and county in COUNTIES


def test_the_counties_are_the_fifteen_of_2024():
    assert len(COUNTIES) == 15
    assert COUNTIES["46"] == "Vestland" and COUNTIES["56"] == "Finnmark"


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-12"),
        (12, "0-12"),
        (13, "13-15"),
        (15, "13-15"),
        (16, "16-17"),
        (17, "16-17"),
        (18, "18-20"),
        (20, "18-20"),
        (21, "21+"),
        (25, "21+"),
    ],
)
def test_ages_fall_in_one_band_each(age, band):
    assert age_band(age) == band and band in AGE_BANDS


def test_frequent_nationalities_are_named_and_rare_ones_only_by_region():
    assert nationality_group("af") == "AF"
    assert nationality_group("IS") == "OTHER_EUROPE"
    assert nationality_group("GH") == "OTHER_AFRICA"
    assert nationality_group("NP") == "OTHER_ASIA"
    assert nationality_group("BR") == "OTHER"
    assert set(NAMED_NATIONALITIES) == {nationality_group(c) for c in NAMED_NATIONALITIES}


def test_dimensions_have_one_canonical_order_whatever_order_they_come_in():
    asked = [Dimension.SEX, Dimension.MUNICIPALITY, Dimension.YEAR]
    assert (
        canonical(asked)
        == canonical(reversed(asked))
        == (
            Dimension.MUNICIPALITY,
            Dimension.YEAR,
            Dimension.SEX,
        )
    )


@pytest.mark.parametrize(
    ("measure", "by", "year", "field"),
    [
        (Measure.DAYS_REFERRAL_TO_ARRIVAL, [Dimension.OUTCOME_MILESTONE], None, "by"),
        (Measure.SETTLED_CHILDREN, [Dimension.OUTCOME_MILESTONE], None, "by"),
        (Measure.REFERRALS, [Dimension.SEX, Dimension.SEX], None, "by"),
        (Measure.REFERRALS, [Dimension.SEX], 1800, "year"),
    ],
)
def test_a_table_a_measure_cannot_give_is_refused_naming_the_field(measure, by, year, field):
    with pytest.raises(InvalidInput) as refused:
        check_request(measure, by, year)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("by", "year"),
    [
        ([Dimension.MUNICIPALITY, Dimension.SEX, Dimension.AGE_BAND, Dimension.NATIONALITY], None),
        ([Dimension.COUNTY, Dimension.SEX, Dimension.AGE_BAND], 2025),
    ],
)
def test_a_table_of_more_than_three_dimensions_counting_a_year_is_refused(by, year):
    with pytest.raises(InvalidInput) as refused:
        check_request(Measure.SETTLED_CHILDREN, by, year)
    assert refused.value.field == "by"
    assert "at most 3 dimensions, a chosen year counting as one" in str(refused.value)


@pytest.mark.parametrize(
    ("by", "year"),
    [
        ([Dimension.COUNTY, Dimension.SEX, Dimension.AGE_BAND], None),
        ([Dimension.COUNTY, Dimension.AGE_BAND], 2025),
        # counties come from the municipalities: COUNTY beside MUNICIPALITY adds no dimension
        ([Dimension.COUNTY, Dimension.MUNICIPALITY], 2025),
    ],
)
def test_a_table_of_three_dimensions_counting_a_year_is_published(by, year):
    check_request(Measure.SETTLED_CHILDREN, by, year)


@pytest.mark.parametrize(
    ("by", "year"),
    [
        ([Dimension.MUNICIPALITY, Dimension.SEX, Dimension.AGE_BAND], None),
        ([Dimension.MUNICIPALITY, Dimension.SEX], 2025),
    ],
)
def test_a_count_by_municipality_has_at_most_two_dimensions(by, year):
    with pytest.raises(InvalidInput) as refused:
        check_request(Measure.SETTLED_CHILDREN, by, year)
    assert refused.value.field == "by"
    assert "MUNICIPALITY has at most 2 dimensions" in str(refused.value)


def test_a_rate_by_municipality_may_have_three_dimensions_it_needs_no_secondary_suppression():
    by = [Dimension.MUNICIPALITY, Dimension.SEX, Dimension.OUTCOME_MILESTONE]
    check_request(Measure.OUTCOME_EDUCATION_OR_WORK_RATE, by, None)


@pytest.mark.parametrize("by", [[Dimension.COUNTY], [Dimension.SEX, Dimension.YEAR]])
def test_the_outcome_rate_is_always_a_share_at_a_milestone(by):
    with pytest.raises(InvalidInput) as refused:
        check_request(Measure.OUTCOME_EDUCATION_OR_WORK_RATE, by, None)
    assert refused.value.field == "by"
    assert "OUTCOME_MILESTONE" in str(refused.value)
