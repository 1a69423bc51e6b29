"""`make attack` (the bench/attack/ package), run short against the test stack: every category
probes something, and nothing gets through."""

from __future__ import annotations

from bench.attack import CATEGORIES, Target, attack
from cli.stack import InProcessStack


async def test_a_short_attack_probes_every_category_and_nothing_gets_through(
    stack: InProcessStack,
) -> None:
    # when the attack runs from outside, finding the stack as it finds `make run`'s
    figures = await attack(Target.discover(stack.settings), short=True)

    # then each category made probes, and none of them got through
    probes = {category: tally.probes for category, tally in figures.tallies.items()}
    failures = {category: tally.failures for category, tally in figures.tallies.items()}
    assert all(probes.values()), probes
    assert set(probes) == set(CATEGORIES)
    assert failures == dict.fromkeys(CATEGORIES, 0), figures.table()
