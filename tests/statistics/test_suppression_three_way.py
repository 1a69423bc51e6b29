"""Disclosure control of three-way tables: nothing hidden can be derived from the table, its
margins (as their own queries publish them), its county tables and its year slices together."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.synthetic import AGE_AT_SETTLEMENT, SETTLEMENT_YEAR_WEIGHT, SEXES, spread_children
from havn.statistics.dimensions import AGE_BANDS, Dimension, Measure, age_band, county_of
from havn.statistics.suppression import Key, Lattice, Node, is_primary, suppress_counts
from havn.statistics.tables import Group, build_table
from tests.statistics.attack import attack, pinned_by_margins_alone

M, C, Y, A, S = (
    Dimension.MUNICIPALITY,
    Dimension.COUNTY,
    Dimension.YEAR,
    Dimension.AGE_BAND,
    Dimension.SEX,
)
# Small counts are where suppression works hardest; large ones give it room to hide others.
COUNT = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 40])
# Two or three in a county, and Oslo alone in its own.
MUNICIPALITIES = ["0301", "4601", "4602", "4621", "3203", "3204", "5501"]
SHAPES = [(Y, A, S), (M, A, S), (M, Y, A), (C, Y, S)]
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ATTACK = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def three_way_tables(draw, dimensions):
    """Random small cells, zeros, and structural zeros: pairs of categories that never occur
    together (children settled long ago are no longer young), so whole margin cells are 0."""
    categories = []
    for dimension in dimensions:
        if dimension is M:
            pool, most = MUNICIPALITIES, 4
        else:
            pool, most = [f"{dimension.value[:3]}{i}" for i in range(4)], 3
        size = draw(st.integers(min_value=1, max_value=most))
        categories.append(draw(st.permutations(pool))[:size])
    keys = list(itertools.product(*categories))
    values = draw(st.lists(COUNT, min_size=len(keys), max_size=len(keys)))
    counts = dict(zip(keys, values, strict=True))
    pair = draw(st.sampled_from([(0, 1), (0, 2), (1, 2)]))
    never = draw(
        st.sets(
            st.tuples(st.sampled_from(categories[pair[0]]), st.sampled_from(categories[pair[1]])),
            max_size=2,
        )
    )
    return {k: v for k, v in counts.items() if v and (k[pair[0]], k[pair[1]]) not in never}


def margin_counts(counts: dict[Key, int], lattice: Lattice, node: Node) -> dict[Key, int]:
    """What a query by `node`'s dimensions counts."""
    summed: Counter[Key] = Counter()
    for key, value in counts.items():
        summed[lattice.project(node, key)] += value
    return dict(summed)


def assert_nothing_disclosed_beyond_the_margins(lattice: Lattice) -> None:
    for table in lattice.tables.values():
        published_small = [
            k for k, v in table.values.items() if is_primary(v) and k not in table.suppressed
        ]
        assert published_small == [], f"a cell of 1-4 is published in {table.dims}"
    verdict = attack(lattice)
    assert verdict.inconclusive == [], "the attacker could not decide: safety is not proved"
    if verdict.derived:
        # Only what the margins give away on their own, the three-way table withheld.
        assert set(verdict.derived) <= pinned_by_margins_alone(lattice)


@ATTACK
@given(data=st.data(), shape=st.sampled_from(SHAPES))
def test_no_hidden_cell_of_a_three_way_table_or_its_margins_can_be_derived_beyond_the_margins(
    data, shape
):
    # given a three-way table, published with every margin and (by municipality) by county
    counts = data.draw(three_way_tables(shape))
    # when it is suppressed
    lattice = Lattice(counts, shape)
    # then no hidden cell of it or of any margin can be solved for from all of them together,
    # beyond what the margins (which their own queries publish) already give away
    assert_nothing_disclosed_beyond_the_margins(lattice)


@PROPERTY
@given(data=st.data(), shape=st.sampled_from(SHAPES))
def test_every_margin_beside_a_three_way_table_is_the_one_its_own_query_publishes(data, shape):
    # given a three-way table
    counts = data.draw(three_way_tables(shape))
    lattice = Lattice(counts, shape)
    for node, table in lattice.tables.items():
        # when each margin (by county too) is asked for on its own
        alone = Lattice(margin_counts(counts, lattice, node), node)
        # then the same cells are hidden as beside the three-way table
        assert alone.tables[alone.top()].suppressed == table.suppressed, node


@PROPERTY
@given(data=st.data(), order=st.permutations([0, 1, 2]), shape=st.sampled_from(SHAPES))
def test_a_three_way_table_hides_the_same_cells_whatever_order_its_dimensions_come_in(
    data, order, shape
):
    # given a three-way table
    counts = data.draw(three_way_tables(shape))
    # when it is asked for with its dimensions in another order
    reordered = {tuple(k[i] for i in order): v for k, v in counts.items()}
    canonical = suppress_counts(counts, shape)
    asked = suppress_counts(reordered, [shape[i] for i in order])
    # then the same cells are hidden
    assert {tuple(k[i] for i in order) for k, _, hidden in canonical if hidden} == {
        k for k, _, hidden in asked if hidden
    }


def test_a_year_is_the_slice_of_the_table_by_year_and_every_year_its_margin():
    # given children by year, age band and sex, with small cells in 2024
    rng = random.Random(7)
    groups = [
        Group((year, band, sex), size, 0, float(size))
        for year, band, sex in itertools.product(["2023", "2024"], ["0", "1", "2"], ["F", "M"])
        if (size := rng.choice([0, 2, 3, 6, 9, 14, 30]))
    ]
    by = [S, A]
    counts = {g.keys: g.size for g in groups}
    lattice = Lattice(counts, (Y, A, S))
    # when 2024 is asked for, and every year
    chosen = build_table(Measure.SETTLED_CHILDREN, by, 2024, groups)
    summed: Counter[Key] = Counter()
    for g in groups:
        summed[g.keys[1:]] += g.size
    every_year = build_table(
        Measure.SETTLED_CHILDREN, by, None, [Group(k, v, 0, float(v)) for k, v in summed.items()]
    )
    # then 2024 is the table by year's slice, and every year its margin by age band and sex
    assert {r.keys for r in chosen.rows if r.suppressed} == {
        (sex, AGE_BANDS[int(band)])
        for (year, band, sex), _, hidden in lattice.cells()
        if hidden and year == "2024"
    }
    assert {r.keys for r in every_year.rows if r.suppressed} == {
        (sex, AGE_BANDS[int(band)]) for band, sex in lattice.tables[(A, S)].suppressed
    }
    assert_nothing_disclosed_beyond_the_margins(lattice)


def test_a_municipality_table_and_the_county_table_hide_alike():
    # given children by municipality, age band and sex, in three counties
    counts: dict[Key, int] = {
        ("4601", "0", "F"): 3,
        ("4601", "0", "M"): 12,
        ("4601", "1", "M"): 20,
        ("4602", "0", "F"): 6,
        ("4602", "1", "M"): 1,
        ("3203", "0", "M"): 9,
        ("3203", "1", "F"): 2,
        ("3203", "1", "M"): 14,
        ("0301", "0", "F"): 7,
        ("0301", "1", "M"): 40,
    }
    lattice = Lattice(counts, (M, A, S))
    # when the county table is asked for on its own
    by_county: Counter[Key] = Counter()
    for (municipality, band, sex), value in counts.items():
        by_county[(county_of(municipality), band, sex)] += value
    alone = Lattice(dict(by_county), (C, A, S))
    # then it hides what the municipality table's county margin hides, and nothing more
    # can be solved for from both together
    assert alone.tables[alone.top()].suppressed == lattice.tables[(C, A, S)].suppressed
    assert_nothing_disclosed_beyond_the_margins(lattice)


def test_the_attacker_solves_a_three_way_table_with_only_primary_suppression():
    # given a 2x2x2 table whose only small cell is hidden, and its margins in full
    counts: dict[Key, int] = {
        key: 3 if key == ("a", "x", "p") else 8 for key in itertools.product("ab", "xy", "pq")
    }
    lattice = Lattice(counts, (Y, A, S))
    for table in lattice.tables.values():
        table.suppressed = {k for k, v in table.values.items() if is_primary(v)}
    # when the attacker solves, then it recovers the 3 from the cell's row
    assert (lattice.top(), ("a", "x", "p")) in attack(lattice).derived


def test_the_property_fails_when_a_three_way_table_loses_its_secondary_suppression():
    # given a suppressed three-way table, and the same with only its small cells hidden
    counts: dict[Key, int] = {
        key: 2 if key in {("a", "x", "p"), ("b", "y", "q")} else 6 + len(set(key))
        for key in itertools.product("abc", "xy", "pq")
    }
    sound = Lattice(counts, (Y, A, S))
    weakened = Lattice(counts, (Y, A, S))
    top = weakened.tables[weakened.top()]
    top.suppressed = {k for k, v in top.values.items() if is_primary(v)}
    # when both are attacked, then only the sound one keeps every hidden cell
    assert_nothing_disclosed_beyond_the_margins(sound)
    derived = set(attack(weakened).derived) - pinned_by_margins_alone(weakened)
    assert (weakened.top(), ("a", "x", "p")) in derived


def test_three_two_way_tables_can_pin_a_cell_that_no_three_way_suppression_can_hide():
    # given a table whose two-way margins have no small cell at all, so their own queries
    # publish them in full: Oslo 13 aged 0 and 40 aged 3, 41 of sex 0; 5503 none aged 3;
    # no one of age 3 and sex 3
    counts: dict[Key, int] = {
        ("0301", "AGE0", "SEX0"): 1,
        ("0301", "AGE0", "SEX3"): 12,
        ("0301", "AGE3", "SEX0"): 40,
        ("5503", "AGE0", "SEX0"): 5,
        ("5503", "AGE0", "SEX3"): 20,
    }
    lattice = Lattice(counts, (M, A, S))
    one = (lattice.top(), ("0301", "AGE0", "SEX0"))
    # when the three-way table is suppressed
    assert one[1] in lattice.tables[lattice.top()].suppressed
    # then the margins alone pin its 1 (41 of sex 0 in Oslo, 40 of them aged 3), and
    # publishing the three-way table adds nothing to that: the limit of margins protected
    # without the tables above them
    assert one in pinned_by_margins_alone(lattice)
    assert_nothing_disclosed_beyond_the_margins(lattice)


def synthetic_children(children: int, seed: int) -> list[tuple[str, str, str, str]]:
    """(municipality, settlement year, age band today, sex) with the synthetic data's skew."""
    rng = random.Random(seed)
    years, ages, sexes = (
        list(SETTLEMENT_YEAR_WEIGHT),
        list(AGE_AT_SETTLEMENT),
        list(SEXES),
    )
    rows = []
    for municipality, count in spread_children(children, rng).items():
        for _ in range(count):
            year = rng.choices(years, weights=list(SETTLEMENT_YEAR_WEIGHT.values()))[0]
            age = rng.choices(ages, weights=list(AGE_AT_SETTLEMENT.values()))[0] + 2026 - year
            sex = rng.choices(sexes, weights=list(SEXES.values()))[0]
            rows.append((municipality, str(year), str(AGE_BANDS.index(age_band(age))), sex))
    return rows


def test_a_national_three_way_table_is_published_not_withheld():
    # given 20,000 synthetic children by county, age band and sex
    children = synthetic_children(20_000, seed=5)
    counts: Counter[Key] = Counter((county_of(m), band, sex) for m, _, band, sex in children)
    # when the table is suppressed
    cells = suppress_counts(dict(counts), (C, A, S))
    # then no small cell is shown, and most cells are
    assert not [key for key, value, hidden in cells if is_primary(value) and not hidden]
    assert sum(hidden for _, _, hidden in cells) < len(cells) / 2
