"""Published tables: a year is a slice of the table by year; counties come with municipalities."""

from __future__ import annotations

from havn.statistics.dimensions import Dimension, Measure, grouping_dimensions
from havn.statistics.tables import Group, build_table

M, C, Y, S = Dimension.MUNICIPALITY, Dimension.COUNTY, Dimension.YEAR, Dimension.SEX


def test_a_chosen_year_is_grouped_by_and_counties_come_from_municipalities():
    assert grouping_dimensions([S, C, M], 2024) == (M, Y, S)
    assert grouping_dimensions([C], None) == (C,)


def test_a_year_is_published_as_a_slice_of_the_table_by_year():
    # given counts in two years
    groups = [
        Group(("4601", "2023"), 30, 0, 30.0),
        Group(("4601", "2024"), 40, 0, 40.0),
        Group(("4621", "2023"), 20, 0, 20.0),
        Group(("4621", "2024"), 9, 0, 9.0),
    ]
    # when 2024 is asked for, by county and municipality
    table = build_table(Measure.SETTLED_CHILDREN, [C, M], 2024, groups)
    # then only 2024's rows, keyed as asked
    assert [(r.keys, r.value) for r in table.rows] == [
        (("46", "4601"), 40.0),
        (("46", "4621"), 9.0),
    ]
    assert table.dimensions == (C, M)


def test_a_rate_is_hidden_behind_fewer_than_five_children_but_not_from_their_own_admin():
    groups = [Group(("4601",), 4, 4, 0.5), Group(("4621",), 4, 0, 0.25), Group(("0301",), 9, 0, 1)]
    table = build_table(Measure.OUTCOME_EDUCATION_OR_WORK_RATE, [M], None, groups)
    assert {r.keys: r.value for r in table.rows} == {("0301",): 1, ("4601",): 0.5, ("4621",): None}
