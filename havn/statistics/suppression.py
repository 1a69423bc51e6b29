"""Disclosure control for count tables: primary and secondary cell suppression over margins.

A count table is published together with every table of its *lattice*: the tables summed
over any subset of its dimensions (anyone can ask for those) and, where it has municipalities,
the same tables by county. An attacker knows every published cell of all of them and that
counts are whole numbers of at least zero.

Primary suppression hides every cell from 1 to 4. Zeros describe no one and are shown, unless
they are needed as secondary suppressions (so a hidden cell may be zero: nothing is known of it
but that it is not negative).

Secondary suppression is proved rather than guessed: every hidden cell, in the table and in
each of its margins, gets a *witness move* - a change of the table by +1/-1 on the corners of
a box of hidden cells that keeps every published cell of every lattice table the same and no
count negative. Two different tables then explain everything published, and differ in that
cell, so it cannot be derived, not even with integer or bound reasoning. Margins are protected
first (smallest tables first) and the same way whatever table asks for them, so the margin
shown with a table is the one its own query shows, and the dimensions' order never matters.
"""

from __future__ import annotations

import heapq
import itertools
import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from havn.statistics.dimensions import MINIMUM_CELL_SIZE, Dimension, county_of

logger = logging.getLogger("havn.statistics")

Key = tuple[str, ...]
# Candidate moves examined per hidden cell before the cheapest valid one found is taken,
# and before giving up when none is valid.
SEARCH_BUDGET = 12
SEARCH_LIMIT = 5_000
# A first, narrow search tries only this many of the most promising categories per side.
NARROW = 6


def is_primary(value: int) -> bool:
    """A count that could single out a child: 1 to 4."""
    return 0 < value < MINIMUM_CELL_SIZE


@dataclass(frozen=True, order=True)
class Node:
    """One table of the lattice: the finest table's positions it keeps; counties or not."""

    kept: tuple[int, ...]
    county: bool = False


@dataclass
class _Table:
    node: Node
    domains: list[list[str]]
    values: dict[Key, int]
    suppressed: set[Key] = field(default_factory=set)
    # Per position: each category's total, to try large categories first.
    margins: list[dict[str, int]] = field(default_factory=list)
    # Per position: the categories that have a hidden cell, to try them first.
    hidden_categories: list[set[str]] = field(default_factory=list)

    def hide(self, key: Key) -> None:
        self.suppressed.add(key)
        for i, category in enumerate(key):
            self.hidden_categories[i].add(category)


@dataclass(frozen=True)
class Move:
    """Cells changed by +1 or -1 (a box of them, or two boxes added up).

    `positions` are the finest-table positions of the moving table's key; `box` those of
    them along which a box has two sides (None for two boxes added up).
    """

    corners: tuple[tuple[Key, int], ...]
    positions: tuple[int, ...]
    box: tuple[int, ...] | None


class Lattice:
    """A finest count table and every margin of it, protected smallest first."""

    def __init__(self, counts: Mapping[Key, int], dimensions: Sequence[Dimension]) -> None:
        self.dimensions = tuple(dimensions)
        self.width = len(self.dimensions)
        self.municipality = (
            self.dimensions.index(Dimension.MUNICIPALITY)
            if Dimension.MUNICIPALITY in self.dimensions
            else None
        )
        domains = [
            sorted({key[i] for key, value in counts.items() if value > 0})
            for i in range(self.width)
        ]
        self.tables: dict[Node, _Table] = {}
        for node in self._nodes():
            node_domains = [
                sorted({county_of(m) for m in domains[p]})
                if node.county and p == self.municipality
                else domains[p]
                for p in node.kept
            ]
            values: dict[Key, int] = defaultdict(int)
            for key, value in counts.items():
                values[self._project_finest(node, key)] += value
            margins: list[dict[str, int]] = [defaultdict(int) for _ in node.kept]
            for key, value in values.items():
                for i, category in enumerate(key):
                    margins[i][category] += value
            self.tables[node] = _Table(
                node,
                node_domains,
                dict(values),
                margins=margins,
                hidden_categories=[set() for _ in node.kept],
            )
        for node in sorted(self.tables, key=lambda n: (len(n.kept), not n.county, n.kept)):
            self._protect(self.tables[node])

    # --- the lattice ----------------------------------------------------------------------

    def _nodes(self) -> Iterator[Node]:
        for size in range(self.width + 1):
            for kept in itertools.combinations(range(self.width), size):
                yield Node(kept)
                if self.municipality in kept:
                    yield Node(kept, county=True)

    def _project_finest(self, node: Node, key: Key) -> Key:
        return tuple(
            county_of(key[p]) if node.county and p == self.municipality else key[p]
            for p in node.kept
        )

    def _descendants(self, node: Node) -> list[Node]:
        """The lattice tables strictly below a node: fewer dimensions, or counties."""
        found = []
        for other in self.tables:
            if other == node or not set(other.kept) <= set(node.kept):
                continue
            if node.county and self.municipality in other.kept and not other.county:
                continue
            found.append(other)
        return found

    def _projector(self, top: Node, below: Node) -> list[tuple[int, bool]]:
        """For each position of `below`: its index in `top`'s key, and whether to map county."""
        return [
            (
                top.kept.index(p),
                below.county and not top.county and p == self.municipality,
            )
            for p in below.kept
        ]

    @staticmethod
    def _project(key: Key, projector: list[tuple[int, bool]]) -> Key:
        return tuple(county_of(key[i]) if to_county else key[i] for i, to_county in projector)

    # --- protection -----------------------------------------------------------------------

    def _protect(self, table: _Table) -> None:
        node = table.node
        below = sorted(self._descendants(node), key=lambda n: (-len(n.kept), n.county, n.kept))
        projectors = {b: self._projector(node, b) for b in below}
        witnessed: dict[Node, set[Key]] = {b: set() for b in below}
        witnessed[node] = set()
        targets: list[tuple[Node, Key]] = [
            (b, key) for b in below for key in sorted(self.tables[b].suppressed)
        ]
        targets += [
            (node, key)
            for key in sorted(table.values, key=lambda k: (table.values[k], k))
            if is_primary(table.values[key])
        ]
        for target_node, target in targets:
            if target in witnessed[target_node]:
                continue
            move = self._cheapest_move(
                table, target_node, target, below, projectors
            ) or self._composed_move(table, target_node, target, below, projectors)
            if move is None:
                # No box of this table can hide the cell: hide the whole table, which the
                # margins then protect (they were protected on their own, smallest first).
                logger.warning("no witness move for %s in %s; table withheld", target, node)
                for key in itertools.product(*table.domains):
                    table.hide(key)
                return
            for key, _ in move.corners:
                table.hide(key)
                witnessed[node].add(key)
            for b in below:
                for key, weight in self._projection(move, projectors[b]).items():
                    if weight:
                        witnessed[b].add(key)

    def _touches(self, move: Move, below: Node) -> bool:
        """Whether a move can change a table below: not if it sums over one of the box's sides
        (the +1 and -1 cancel), nor if its municipalities differ only within one county."""
        if move.box is None:
            return True
        if not set(move.box) <= set(below.kept):
            return False
        if below.county and self.municipality in move.box:
            first, second = move.corners[0][0], move.corners[-1][0]
            i = move.positions.index(self.municipality)
            return county_of(first[i]) != county_of(second[i])
        return True

    @staticmethod
    def _projection(move: Move, projector: list[tuple[int, bool]]) -> dict[Key, int]:
        projected: dict[Key, int] = defaultdict(int)
        for key, sign in move.corners:
            projected[Lattice._project(key, projector)] += sign
        return projected

    def _cheapest_move(
        self,
        table: _Table,
        target_node: Node,
        target: Key,
        below: list[Node],
        projectors: dict[Node, list[tuple[int, bool]]],
    ) -> Move | None:
        best: Move | None = None
        best_cost: tuple[int, int] | None = None
        for narrow in (True, False):
            moves = self._candidate_moves(table, target_node, target, narrow=narrow)
            for examined, move in enumerate(moves, 1):
                if (best is not None and examined > SEARCH_BUDGET) or examined > SEARCH_LIMIT:
                    break
                cost = self._cost(table, move, below, projectors)
                if cost is not None and (best_cost is None or cost < best_cost):
                    best, best_cost = move, cost
                    if cost == (0, 0):
                        return best
            if best is not None:
                return best
        return best

    def _cost(
        self,
        table: _Table,
        move: Move,
        below: list[Node],
        projectors: dict[Node, list[tuple[int, bool]]],
    ) -> tuple[int, int] | None:
        """What a move costs in newly hidden cells (count, then total), or None if invalid."""
        if self._direction(table, move) is None or not self._valid(move, below, projectors):
            return None
        new = [k for k, _ in move.corners if k not in table.suppressed]
        return len(new), sum(table.values.get(k, 0) for k in new)

    @staticmethod
    def _direction(table: _Table, move: Move) -> int | None:
        """+1 or -1 if the move (or its opposite) leaves no count negative, else None."""
        for direction in (1, -1):
            if all(table.values.get(k, 0) + direction * d >= 0 for k, d in move.corners):
                return direction
        return None

    def _valid(
        self, move: Move, below: list[Node], projectors: dict[Node, list[tuple[int, bool]]]
    ) -> bool:
        """Whether every margin cell the move changes is hidden in its own table."""
        for b in below:
            if not self._touches(move, b):
                continue
            hidden = self.tables[b].suppressed
            for key, weight in self._projection(move, projectors[b]).items():
                if weight and key not in hidden:
                    return False
        return True

    def _composed_move(
        self,
        table: _Table,
        target_node: Node,
        target: Key,
        below: list[Node],
        projectors: dict[Node, list[tuple[int, bool]]],
    ) -> Move | None:
        """Two valid boxes whose sum leaves no count negative, where no single box does.

        A box that would take one empty cell below zero is mended by a second box that
        raises that cell; together they form a longer cycle of +1 and -1.
        """
        examined = 0
        for first in self._candidate_moves(table, target_node, target):
            examined += 1
            if examined > SEARCH_BUDGET * 10:
                return None
            if not self._valid(first, below, projectors):
                continue
            for direction in (1, -1):
                oriented = {k: direction * d for k, d in first.corners}
                negative = [k for k, d in oriented.items() if table.values.get(k, 0) + d < 0]
                if len(negative) != 1:
                    continue
                for second in itertools.islice(
                    self._candidate_moves(table, table.node, negative[0]), SEARCH_BUDGET * 10
                ):
                    if not self._valid(second, below, projectors):
                        continue
                    sign = dict(second.corners)[negative[0]]
                    combined = dict(oriented)
                    for k, d in second.corners:
                        combined[k] = combined.get(k, 0) + sign * d
                    corners = tuple((k, d) for k, d in combined.items() if d)
                    changes_target = any(
                        self._project_key(table.node, target_node, k) == target for k, _ in corners
                    )
                    move = Move(corners, first.positions, None)
                    if changes_target and self._direction(table, move) == 1:
                        projected = self._projection(move, self._projector(table.node, target_node))
                        if target_node == table.node or projected.get(target, 0):
                            return move
        return None

    def _project_key(self, top: Node, below: Node, key: Key) -> Key:
        if top == below:
            return key
        return self._project(key, self._projector(top, below))

    def _candidate_moves(
        self, table: _Table, target_node: Node, target: Key, *, narrow: bool = False
    ) -> Iterator[Move]:
        """Boxes that change the target cell, the largest boxes (fewest margins touched) first;
        `narrow`: only the most promising few categories on each side."""
        node = table.node
        # For each position of this table: fixed by the target, chosen within the target's
        # county, or free (a dimension the target's table sums over).
        kinds: list[tuple[str, str | None]] = []
        for position in node.kept:
            if position not in target_node.kept:
                kinds.append(("free", None))
                continue
            value = target[target_node.kept.index(position)]
            if target_node.county and not node.county and position == self.municipality:
                kinds.append(("in_county", value))
            else:
                kinds.append(("fixed", value))
        boxable = [i for i, (kind, _) in enumerate(kinds) if kind != "free"]
        for size in range(len(boxable), -1, -1):
            for box in itertools.combinations(boxable, size):
                yield from self._boxes(table, kinds, box, narrow)

    def _boxes(
        self,
        table: _Table,
        kinds: list[tuple[str, str | None]],
        box: tuple[int, ...],
        narrow: bool,
    ) -> Iterator[Move]:
        domains = table.domains
        positions = table.node.kept
        box_positions = tuple(positions[i] for i in box)
        width = NARROW if narrow else None

        def promising(i: int, options: list[str]) -> list[str]:
            # Categories that already have hidden cells, then the largest (non-zero cells).
            def rank(c: str) -> tuple[bool, int, str]:
                return c not in table.hidden_categories[i], -table.margins[i].get(c, 0), c

            if width is None:
                return sorted(options, key=rank)
            return heapq.nsmallest(width, options, key=rank)

        base_options: list[list[str]] = []
        partner_options: list[list[str]] = []
        for i, (kind, value) in enumerate(kinds):
            if kind == "fixed":
                assert value is not None
                base_options.append([value])
                partners = [c for c in domains[i] if c != value]
            elif kind == "in_county":
                base_options.append(promising(i, [m for m in domains[i] if county_of(m) == value]))
                partners = [m for m in domains[i] if county_of(m) != value]
            else:
                base_options.append(promising(i, list(domains[i])))
                partners = []
            partner_options.append(partners if i in box else [""])
        if any(not options for options in base_options + partner_options):
            return
        for base in itertools.product(*base_options):
            ordered = [
                self._prefer(
                    table, base, i, partner_options[i], positions[i] == self.municipality, width
                )
                for i in range(len(kinds))
            ]
            for chosen in itertools.product(*ordered):
                corners = []
                for flips in itertools.product((False, True), repeat=len(box)):
                    key = list(base)
                    for i, flip in zip(box, flips, strict=True):
                        if flip:
                            key[i] = chosen[i]
                    corners.append((tuple(key), -1 if sum(flips) % 2 else 1))
                yield Move(tuple(corners), positions, box_positions)

    @staticmethod
    def _prefer(
        table: _Table,
        base: tuple[str, ...],
        i: int,
        options: list[str],
        municipal: bool,
        width: int | None,
    ) -> list[str]:
        """Partners in the same county first (the county totals stay as they are), then
        those whose cell is already hidden, then small non-zero cells."""
        if options == [""]:
            return options

        def rank(option: str) -> tuple[bool, bool, bool, int]:
            key = (*base[:i], option, *base[i + 1 :])
            value = table.values.get(key, 0)
            other_county = municipal and county_of(option) != county_of(base[i])
            return other_county, key not in table.suppressed, value == 0, value

        if width is None:
            return sorted(options, key=rank)
        if municipal:
            # The narrow search keeps the county totals: partners in the same county only.
            county = county_of(base[i])
            options = [o for o in options if o[:2] == county]
        return heapq.nsmallest(width, options, key=rank)

    # --- results ----------------------------------------------------------------------------

    def top(self) -> Node:
        return Node(tuple(range(self.width)))

    def cells(self, node: Node | None = None) -> list[tuple[Key, int, bool]]:
        """Every cell of a table (zeros too), its count, and whether it is hidden."""
        table = self.tables[node or self.top()]
        return [
            (key, table.values.get(key, 0), key in table.suppressed)
            for key in itertools.product(*table.domains)
        ]


def suppress_counts(
    counts: Mapping[Key, int],
    dimensions: Sequence[Dimension],
    *,
    own: Mapping[Key, int] | None = None,
) -> list[tuple[Key, int, bool]]:
    """Every cell of a count table by `dimensions` (canonical order), and whether it is hidden.

    `own` is the part of each cell the caller already knows (a municipality admin's own
    children). The table is protected against that knowledge: what is hidden is decided on
    the rest of the country, so subtracting its own children from a published cell never
    leaves a small count, and its own municipality's cells (nothing of the rest) are shown.
    """
    own = own or {}
    others = {k: v - own.get(k, 0) for k, v in counts.items() if v - own.get(k, 0) > 0}
    lattice = Lattice(others, dimensions)
    hidden = lattice.tables[lattice.top()].suppressed
    domains = [
        sorted({key[i] for key, v in counts.items() if v > 0}) for i in range(len(dimensions))
    ]
    return [(key, counts.get(key, 0), key in hidden) for key in itertools.product(*domains)]


def suppress_by_size(size: int, *, own: int = 0) -> bool:
    """A median or rate is hidden when one to four children (beyond the caller's own) are behind it.

    Medians and rates do not add up to their totals, so nothing can be solved for from the
    other cells; the count behind each one is never published.
    """
    return is_primary(size - own)
