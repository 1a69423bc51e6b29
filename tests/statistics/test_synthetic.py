"""Synthetic national data: 357 municipalities within the counties, realistic and repeatable."""

from __future__ import annotations

import random
from datetime import date

from cli.seed import DEMO_MUNICIPALITIES
from cli.synthetic import (
    CHILDREN,
    OUTCOMES,
    REFERRALS,
    iter_batches,
    municipality_numbers,
    spread_children,
)
from havn.statistics.dimensions import COUNTIES, county_of

TODAY = date(2026, 11, 22)


def test_there_are_357_municipalities_each_in_a_county_of_2024_none_of_them_a_demo_one():
    numbers = municipality_numbers()
    assert len(set(numbers)) == 357
    assert {county_of(n) for n in numbers} == set(COUNTIES)
    assert set(DEMO_MUNICIPALITIES).isdisjoint(numbers)


def test_children_are_spread_over_every_county_large_municipalities_first():
    counts = spread_children(20_000, random.Random(1))
    assert sum(counts.values()) == 20_000
    assert counts["0399"] > 20_000 / 357 * 5
    assert {county_of(n) for n, c in counts.items() if c} == set(COUNTIES)


def test_every_child_has_its_referral_and_outcomes_only_at_passed_milestones():
    batches = list(iter_batches(2_000, seed=3, today=TODAY))
    children = [c for b in batches for c in b.rows.get(CHILDREN, [])]
    referrals = {r["id"]: r for b in batches for r in b.rows.get(REFERRALS, [])}
    outcomes = [o for b in batches for o in b.rows.get(OUTCOMES, [])]
    assert len(children) == 2_000
    assert all(referrals[c["referral_id"]]["status"] == "ARRIVED" for c in children)
    assert all(c["settled_on"] <= TODAY for c in children)
    assert all(o["recorded_on"] <= TODAY for o in outcomes)
    assert {o["milestone_years"] for o in outcomes} == {1, 2, 4, 5}


def test_the_same_seed_gives_the_same_data():
    first = [c["date_of_birth"] for b in iter_batches(300, 9, TODAY) for c in b.rows[CHILDREN]]
    again = [c["date_of_birth"] for b in iter_batches(300, 9, TODAY) for c in b.rows[CHILDREN]]
    assert first == again
