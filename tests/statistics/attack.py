"""An attacker of suppressed tables: solves for hidden cells from everything published.

It knows every published cell of a table and of all its margins (the lattice: every table
summed over some of its dimensions, and by county where it has municipalities), and that
counts are whole numbers of at least zero. A hidden cell - of the table or of any margin - is
*derived* if every table consistent with what is published gives it the same value. Two
attacks, independent of the suppression code: exact linear algebra over the rationals, and a
search, with bounds propagated through every published equation, for another whole-number
table that agrees with everything published but differs in the cell. A search that runs out
of budget proves nothing either way: it is reported as inconclusive, never as safe.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from havn.statistics.suppression import Key, Lattice, Node


@dataclass
class System:
    unknowns: list[Key]
    truth: list[int]
    # sum of the listed unknowns equals rhs
    equations: list[tuple[list[int], int]]
    # hidden cells: (which table, which cell, the unknowns it sums, their true total)
    targets: list[tuple[Node, Key, list[int], int]]


@dataclass
class Verdict:
    derived: list[tuple[Node, Key]]
    inconclusive: list[tuple[Node, Key]]


def published_system(lattice: Lattice, *, top_published: bool = True) -> System:
    """The attacker's equations; `top_published=False`: as if only the margins were published
    (the finest table withheld), the baseline of what its margins give away on their own."""
    top_node = lattice.top()
    top = lattice.tables[top_node]
    cells = list(top.cells())
    unknown = [k for k in cells if k in top.suppressed or not top_published]
    index = {key: i for i, key in enumerate(unknown)}
    truth = [top.values.get(k, 0) for k in unknown]
    equations: list[tuple[list[int], int]] = []
    targets: list[tuple[Node, Key, list[int], int]] = [
        (top_node, key, [index[key]], top.values.get(key, 0)) for key in sorted(top.suppressed)
    ]
    for node, table in lattice.tables.items():
        if node == top_node:
            continue
        fibres: dict[Key, list[Key]] = {}
        for key in cells:
            fibres.setdefault(lattice.project(node, key), []).append(key)
        for cell, fibre in fibres.items():
            known = sum(top.values.get(k, 0) for k in fibre if k not in index)
            hidden = [index[k] for k in fibre if k in index]
            rest = table.values.get(cell, 0) - known
            if cell in table.suppressed:
                targets.append((node, cell, hidden, rest))
            else:
                equations.append((hidden, rest))
    return System(unknown, truth, equations, targets)


def linearly_derived(system: System, targets: list[list[int]]) -> list[bool]:
    """For each target, whether its sum is a linear combination of the published equations."""
    width = len(system.unknowns)
    pivots: list[tuple[int, list[Fraction]]] = []
    for hidden, _ in system.equations:
        row = [Fraction(0)] * width
        for i in hidden:
            row[i] = Fraction(1)
        for col, pivot_row in pivots:
            if row[col]:
                factor = row[col]
                row = [a - factor * b for a, b in zip(row, pivot_row, strict=True)]
        lead = next((c for c, v in enumerate(row) if v), None)
        if lead is None:
            continue
        row = [v / row[lead] for v in row]
        pivots = [(c, [a - r[lead] * b for a, b in zip(r, row, strict=True)]) for c, r in pivots]
        pivots.append((lead, row))
    found = []
    for target in targets:
        vector = [Fraction(0)] * width
        for i in target:
            vector[i] = Fraction(1)
        for col, pivot_row in pivots:
            if vector[col]:
                factor = vector[col]
                vector = [a - factor * b for a, b in zip(vector, pivot_row, strict=True)]
        found.append(not any(vector))
    return found


class Inconclusive(Exception):
    pass


def other_solution_exists(system: System, target: list[int], value: int, budget: int) -> bool:
    """Searches for whole numbers >= 0 meeting every equation with the target sum != value."""
    width = len(system.unknowns)
    on = [[] for _ in range(width)]  # type: list[list[int]]
    for e, (hidden, _) in enumerate(system.equations):
        for i in hidden:
            on[i].append(e)
    # An unknown in no equation can take any value: the truth plus one is another solution.
    if any(not on[i] for i in target):
        return True
    bound = [min(system.equations[e][1] for e in on[i]) for i in range(width)]
    # Unknowns near the target first, values near the truth first: an alternative, if any,
    # is usually a step or two away. The target's unknowns first, so that a search that
    # keeps the true value is cut early.
    order = sorted(range(width), key=lambda i: (i not in target, -len(on[i]), i))
    last_target_depth = max(order.index(i) for i in target)
    assigned: dict[int, int] = {}
    # Per equation: sum of what is assigned, and the most the unassigned can still add.
    assigned_sum = [0] * len(system.equations)
    room = [sum(bound[i] for i in hidden) for hidden, _ in system.equations]
    steps = 0

    def feasible(i: int) -> bool:
        for e in on[i]:
            rhs = system.equations[e][1]
            if assigned_sum[e] > rhs or assigned_sum[e] + room[e] < rhs:
                return False
        return True

    def search(depth: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > budget:
            raise Inconclusive
        if depth == width:
            return True
        i = order[depth]
        truth = system.truth[i]
        candidates = sorted(range(bound[i] + 1), key=lambda v: (abs(v - truth), v))
        for e in on[i]:
            room[e] -= bound[i]
        try:
            for candidate in candidates:
                if (
                    depth == last_target_depth
                    and sum(candidate if t == i else assigned[t] for t in target) == value
                ):
                    continue
                assigned[i] = candidate
                for e in on[i]:
                    assigned_sum[e] += candidate
                if feasible(i) and search(depth + 1):
                    return True
                for e in on[i]:
                    assigned_sum[e] -= candidate
                del assigned[i]
            return False
        finally:
            for e in on[i]:
                room[e] += bound[i]

    return search(0)


def short_move_exists(
    system: System, target: list[int], *, longest: int = 16, budget: int = 200_000
) -> bool:
    """Searches for a short change of the hidden cells by whole numbers that keeps every
    published equation and no count negative, and changes the target's sum: each unbalanced
    equation is mended by moving one of its cells the other way, deepening step by step.
    Finding one proves the target cannot be derived; not finding one proves nothing."""
    on: list[list[int]] = [[] for _ in system.unknowns]
    for e, (hidden, _) in enumerate(system.equations):
        for i in hidden:
            on[i].append(e)
    in_target = set(target)
    steps = 0

    def search(
        change: dict[int, int], residual: dict[int, int], depth: int, seen: set[frozenset]
    ) -> bool:
        nonlocal steps
        steps += 1
        if steps > budget:
            raise Inconclusive
        open_equations = [e for e, r in residual.items() if r]
        if not open_equations:
            return bool(sum(change.get(i, 0) for i in in_target))
        if depth == 0:
            return False
        best: list[tuple[int, int]] | None = None
        for e in open_equations:
            step = -1 if residual[e] > 0 else 1
            options = [
                (j, step)
                for j in system.equations[e][0]
                if system.truth[j] + change.get(j, 0) + step >= 0
            ]
            if best is None or len(options) < len(best):
                best = options
        assert best is not None
        for j, step in best:
            change[j] = change.get(j, 0) + step
            state = frozenset((k, v) for k, v in change.items() if v)
            if state not in seen:
                seen.add(state)
                for e in on[j]:
                    residual[e] = residual.get(e, 0) + step
                found = search(change, residual, depth - 1, seen)
                for e in on[j]:
                    residual[e] -= step
                if found:
                    return True
            change[j] -= step
        return False

    try:
        for depth in range(1, longest):
            for start in target:
                for step in (1, -1):
                    if system.truth[start] + step < 0:
                        continue
                    residual = {e: step for e in on[start]}
                    if search({start: step}, residual, depth, {frozenset({(start, step)})}):
                        return True
    except Inconclusive:
        return False
    return False


def attack(lattice: Lattice, *, top_published: bool = True, budget: int = 200_000) -> Verdict:
    """Every hidden cell an attacker can pin down, and those it could not decide."""
    system = published_system(lattice, top_published=top_published)
    linear = linearly_derived(system, [hidden for _, _, hidden, _ in system.targets])
    verdict = Verdict([], [])
    for (node, key, hidden, value), pinned in zip(system.targets, linear, strict=True):
        if not hidden or pinned:
            verdict.derived.append((node, key))
            continue
        if short_move_exists(system, hidden):
            continue
        try:
            if not other_solution_exists(system, hidden, value, budget):
                verdict.derived.append((node, key))
        except Inconclusive:
            verdict.inconclusive.append((node, key))
    return verdict


def derived_cells(lattice: Lattice, *, budget: int = 200_000) -> list[tuple[Node, Key]]:
    """Every hidden cell an attacker can pin down; [] when the table is safe. A cell the
    search could not decide counts as pinned down: safety is proved, not presumed."""
    verdict = attack(lattice, budget=budget)
    return verdict.derived + verdict.inconclusive


def pinned_by_margins_alone(lattice: Lattice, *, budget: int = 200_000) -> set[tuple[Node, Key]]:
    """The hidden cells the margins give away with the finest table withheld entirely."""
    verdict = attack(lattice, top_published=False, budget=budget)
    return set(verdict.derived)


def lattice_nodes(lattice: Lattice) -> list[Node]:
    return sorted(lattice.tables, key=lambda n: (len(n), [str(d) for d in n]))


def all_cells(lattice: Lattice, node: Node) -> list[Key]:
    return list(itertools.product(*lattice.tables[node].domains))
