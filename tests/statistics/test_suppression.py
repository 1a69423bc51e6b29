"""Disclosure control: no hidden cell can be derived from a table and its published margins."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from havn.statistics.dimensions import Dimension
from havn.statistics.suppression import Key, Lattice, is_primary, suppress_by_size, suppress_counts
from tests.statistics.attack import derived_cells

# Small counts are where suppression works hardest; large ones give it room to hide others.
COUNT = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 40])
MUNICIPALITIES = ["0301", "4601", "4602", "4621", "3203", "3204", "5501", "5503"]


def table_of(dimensions, categories, values):
    keys = list(itertools.product(*categories))
    return {key: value for key, value in zip(keys, values, strict=False) if value}


@st.composite
def tables(draw, dimensions):
    categories = []
    for dimension in dimensions:
        if dimension is Dimension.MUNICIPALITY:
            pool = MUNICIPALITIES
        else:
            pool = [f"{dimension.value[:3]}{i}" for i in range(4)]
        size = draw(st.integers(min_value=1, max_value=4 if len(dimensions) < 3 else 2))
        categories.append(draw(st.permutations(pool))[:size])
    cells = 1
    for category in categories:
        cells *= len(category)
    values = draw(st.lists(COUNT, min_size=cells, max_size=cells))
    return table_of(dimensions, categories, values)


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_safe(counts, dimensions):
    lattice = Lattice(counts, dimensions)
    for table in lattice.tables.values():
        published_small = [
            k for k, v in table.values.items() if is_primary(v) and k not in table.suppressed
        ]
        assert published_small == [], f"a cell of 1-4 is published in {table.dims}"
    assert derived_cells(lattice) == []


@PROPERTY
@given(data=st.data())
def test_no_hidden_cell_of_a_one_way_table_or_its_total_can_be_derived(data):
    # given a one-way table and its total
    counts = data.draw(tables((Dimension.SEX,)))
    # when it is suppressed, then no attacker can solve for a hidden cell
    assert_safe(counts, (Dimension.SEX,))


@PROPERTY
@given(data=st.data())
def test_no_hidden_cell_of_a_two_way_table_or_its_margins_can_be_derived(data):
    counts = data.draw(tables((Dimension.AGE_BAND, Dimension.SEX)))
    assert_safe(counts, (Dimension.AGE_BAND, Dimension.SEX))


@PROPERTY
@given(data=st.data())
def test_no_hidden_municipality_cell_can_be_derived_from_the_county_totals(data):
    # given municipalities whose counties (Oslo is one municipality) are published too
    dimensions = (Dimension.MUNICIPALITY, Dimension.SEX)
    counts = data.draw(tables(dimensions))
    assert_safe(counts, dimensions)


def test_the_attacker_solves_a_table_with_only_primary_suppression():
    # given a two-way table where only the small cells are hidden
    counts: dict[Key, int] = {("a", "x"): 3, ("a", "y"): 9, ("b", "x"): 8, ("b", "y"): 12}
    lattice = Lattice(counts, (Dimension.AGE_BAND, Dimension.SEX))
    for table in lattice.tables.values():
        table.suppressed = {k for k, v in table.values.items() if is_primary(v)}
    # when the attacker solves, then it recovers the hidden 3 from the row total
    assert (lattice.top(), ("a", "x")) in derived_cells(lattice)


def test_the_attacker_uses_that_counts_are_not_negative():
    # given a box of hidden cells whose row a holds nothing once its published cell is taken
    counts: dict[Key, int] = {("a", "z"): 5, ("b", "x"): 3, ("b", "y"): 4, ("b", "z"): 5}
    lattice = Lattice(counts, (Dimension.AGE_BAND, Dimension.SEX))
    for table in lattice.tables.values():
        table.suppressed = set()
    lattice.tables[lattice.top()].suppressed = {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    # when the attacker solves: no linear combination fixes them, but a + a = 0 with a >= 0 does
    derived = derived_cells(lattice)
    # then it recovers the hidden 3 and 4 as well as the zeros
    assert (lattice.top(), ("b", "x")) in derived and (lattice.top(), ("b", "y")) in derived


@PROPERTY
@given(data=st.data(), order=st.permutations([0, 1, 2]))
def test_suppression_is_the_same_whatever_order_the_dimensions_are_asked_in(data, order):
    # given a three-way table
    dimensions = (Dimension.YEAR, Dimension.SEX, Dimension.NATIONALITY)
    counts = data.draw(tables(dimensions))
    # when the caller asks in another order, the service computes it in canonical order
    asked = [dimensions[i] for i in order]
    from havn.statistics.tables import count_table

    canonical_rows = count_table(counts, dimensions, asked=list(dimensions))
    reordered_rows = count_table(counts, dimensions, asked=asked)
    # then the same cells are hidden, only the key order differs
    assert {tuple(sorted(r.keys)) for r in canonical_rows if r.suppressed} == {
        tuple(sorted(r.keys)) for r in reordered_rows if r.suppressed
    }


@PROPERTY
@given(data=st.data())
def test_a_municipality_admin_cannot_derive_another_municipality_from_its_own_and_the_totals(
    data,
):
    # given a table by municipality and sex, whose own rows the admin of 4601 knows
    dimensions = (Dimension.MUNICIPALITY, Dimension.SEX)
    counts = data.draw(tables(dimensions))
    own = {k: v for k, v in counts.items() if k[0] == "4601"}
    # when it is suppressed for that admin
    cells = suppress_counts(counts, dimensions, own=own)
    # then its own cells are all shown
    assert all(not hidden for key, _, hidden in cells if key[0] == "4601")
    # and what the admin learns of the others is safe: it is the table without its own rows
    others = {k: v for k, v in counts.items() if k[0] != "4601"}
    assert_safe(others, dimensions)
    shown_others = {key for key, _, hidden in cells if not hidden and key[0] != "4601"}
    lattice = Lattice(others, dimensions)
    assert not shown_others & lattice.tables[lattice.top()].suppressed


def test_a_national_cell_the_admins_own_children_make_up_all_but_two_of_is_hidden():
    # given 6 girls nationally, 4 of them in the admin's municipality
    counts: dict[Key, int] = {("F",): 6, ("M",): 30}
    own: dict[Key, int] = {("F",): 4, ("M",): 10}
    # when the admin asks by sex
    cells = dict(
        (key, hidden) for key, _, hidden in suppress_counts(counts, (Dimension.SEX,), own=own)
    )
    # then the girls are hidden (6 - 4 = 2 elsewhere), and so the boys, lest 36 give it away
    assert cells == {("F",): True, ("M",): True}


def test_medians_and_rates_are_hidden_behind_fewer_than_five_children():
    assert suppress_by_size(4)
    assert not suppress_by_size(5)
    assert not suppress_by_size(3, own=3)
    assert suppress_by_size(8, own=5)
