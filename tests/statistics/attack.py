"""An attacker of suppressed tables: solves for hidden cells from everything published.

It knows every published cell of a table and of all its margins (the lattice), and that
counts are whole numbers of at least zero. A hidden cell is *derived* if every table
consistent with what is published gives it the same value. Two attacks, independent of
the suppression code: exact linear algebra over the rationals, and a search for another
whole-number table that agrees with everything published but differs in the cell.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from havn.statistics.suppression import Key, Lattice


@dataclass
class System:
    unknowns: list[Key]
    truth: list[int]
    # sum of the listed unknowns equals rhs
    equations: list[tuple[list[int], int]]
    # hidden cells: (which table, which cell, the unknowns it sums, their true total)
    targets: list[tuple[str, Key, list[int], int]]


def published_system(lattice: Lattice) -> System:
    top = lattice.tables[lattice.top()]
    cells = list(itertools.product(*top.domains))
    index = {key: i for i, key in enumerate(k for k in cells if k in top.suppressed)}
    unknowns = list(index)
    truth = [top.values.get(k, 0) for k in unknowns]
    equations: list[tuple[list[int], int]] = []
    targets: list[tuple[str, Key, list[int], int]] = [
        ("top", key, [i], top.values.get(key, 0)) for key, i in index.items()
    ]
    for node, table in lattice.tables.items():
        if node == lattice.top():
            continue
        fibres: dict[Key, list[Key]] = {}
        for key in cells:
            fibres.setdefault(lattice._project_finest(node, key), []).append(key)
        for cell, fibre in fibres.items():
            known = sum(top.values.get(k, 0) for k in fibre if k not in index)
            hidden = [index[k] for k in fibre if k in index]
            rest = table.values.get(cell, 0) - known
            if cell in table.suppressed:
                targets.append((str(node), cell, hidden, rest))
            else:
                equations.append((hidden, rest))
    return System(unknowns, truth, equations, targets)


def linearly_derived(system: System, target: list[int]) -> bool:
    """Whether the target's sum is a linear combination of the published equations."""
    width = len(system.unknowns)
    rows: list[list[Fraction]] = []
    for hidden, _ in system.equations:
        row = [Fraction(0)] * width
        for i in hidden:
            row[i] = Fraction(1)
        rows.append(row)
    pivots: list[tuple[int, list[Fraction]]] = []
    for row in rows:
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
    vector = [Fraction(0)] * width
    for i in target:
        vector[i] = Fraction(1)
    for col, pivot_row in pivots:
        if vector[col]:
            factor = vector[col]
            vector = [a - factor * b for a, b in zip(vector, pivot_row, strict=True)]
    return not any(vector)


class Inconclusive(Exception):
    pass


def other_solution_exists(system: System, target: list[int], value: int, budget: int) -> bool:
    """Searches for whole numbers >= 0 meeting every equation with the target sum != value."""
    width = len(system.unknowns)
    on = [
        [e for e, (hidden, _) in enumerate(system.equations) if i in hidden] for i in range(width)
    ]
    bound = [
        min((system.equations[e][1] for e in on[i]), default=system.truth[i] + 1)
        for i in range(width)
    ]
    # Try values near the truth first: an alternative, if any, is usually one step away.
    # The target's unknowns first, so a search that keeps the true value is cut early.
    order = sorted(range(width), key=lambda i: (i not in target, -len(on[i]), i))
    last_target_depth = max(order.index(i) for i in target)
    assigned: dict[int, int] = {}
    steps = 0

    def consistent() -> bool:
        for hidden, rhs in system.equations:
            total = sum(assigned.get(i, 0) for i in hidden)
            if total > rhs:
                return False
            if all(i in assigned for i in hidden) and total != rhs:
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
        for candidate in candidates:
            assigned[i] = candidate
            if depth == last_target_depth and sum(assigned[t] for t in target) == value:
                del assigned[i]
                continue
            if consistent() and search(depth + 1):
                return True
            del assigned[i]
        return False

    return search(0)


def derived_cells(lattice: Lattice, *, budget: int = 20_000) -> list[tuple[str, Key]]:
    """Every hidden cell an attacker can pin down; [] when the table is safe."""
    system = published_system(lattice)
    found = []
    for table, key, hidden, value in system.targets:
        if not hidden or linearly_derived(system, hidden):
            found.append((table, key))
            continue
        try:
            if not other_solution_exists(system, hidden, value, budget):
                found.append((table, key))
        except Inconclusive:
            continue
    return found
