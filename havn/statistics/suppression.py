"""Disclosure control for count tables: primary and secondary cell suppression over margins.

A count table of up to three dimensions is published together with every table of its
*lattice*: the tables summed over any subset of its dimensions (anyone can ask for those),
and, where it has municipalities, the same tables by county. A table for a chosen year is a
slice of the table by year, so the year slices and the every-year table are in one lattice
too. An attacker knows every published cell of all of them and that counts are whole numbers
of at least zero.

Primary suppression hides every cell from 1 to 4. Zeros describe no one and are shown, unless
they are needed as secondary suppressions (so a hidden cell may be zero: nothing is known of it
but that it is not negative).

Secondary suppression is proved rather than guessed: every hidden cell, in the table and in
each of its margins, gets a *witness move* - a change of the table by +1/-1 on the corners of
a box of hidden cells (a 2x2x2 box of a three-way table sums to nothing in every margin; a
smaller box must land on hidden margin cells) that keeps every published cell of every lattice
table the same and no count negative. Where categories go together (children settled long
ago are older), no box may fit, and a longer cycle does: a path of cells two municipalities
trade, or a box whose third category changes with one of its sides. Two different tables then
explain everything published, and differ in that cell, so it cannot be derived, not even with
integer or bound reasoning.

Each table of the lattice is protected on its own data and on the suppression of the tables
below it, smallest first, and knows itself by its dimensions alone (a county table is the
same table whether a municipality table asks for it or a query by county does). So the margin
shown beside a table is the one its own query shows, and the dimensions' order never matters.
When no witness can be found for a cell, the whole table is withheld: what is then published
is only its margins, which their own queries publish anyway.

Limit: margins are protected without knowing the tables above them, so three two-way tables
can together pin a cell of the three-way table they are margins of (a cell of any size) however
that table is suppressed; publishing the three-way table adds nothing to what they give away.
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
# A table of the lattice, known by its dimensions in canonical order (COUNTY for a table of
# municipalities summed into counties).
Node = tuple[Dimension, ...]
# Candidate moves examined per hidden cell before the cheapest valid one found is taken,
# and before giving up when none is valid.
SEARCH_BUDGET = 12
SEARCH_LIMIT = 5_000
# A first, narrow search tries only this many of the most promising categories per side.
NARROW = 6

_ORDER = {dimension: i for i, dimension in enumerate(Dimension)}
_FIXED, _IN_COUNTY, _FREE = "fixed", "in_county", "free"


def is_primary(value: int) -> bool:
    """A count that could single out a child: 1 to 4."""
    return 0 < value < MINIMUM_CELL_SIZE


def canonical_node(dimensions: Sequence[Dimension]) -> Node:
    """A table's dimensions in canonical order, each once."""
    return tuple(sorted(set(dimensions), key=_ORDER.__getitem__))


def is_below(lower: Node, upper: Node) -> bool:
    """Whether `lower` is a margin of `upper`: each of its dimensions kept, or counties summed
    from `upper`'s municipalities."""
    return lower != upper and all(
        d in upper or (d is Dimension.COUNTY and Dimension.MUNICIPALITY in upper) for d in lower
    )


# For each position of a lower table: its index in the upper table's key, and whether to map
# a municipality to its county.
Projector = tuple[tuple[int, bool], ...]


def projector(upper: Node, lower: Node) -> Projector:
    return tuple(
        (upper.index(d), False) if d in upper else (upper.index(Dimension.MUNICIPALITY), True)
        for d in lower
    )


def project(key: Key, by: Projector) -> Key:
    return tuple(county_of(key[i]) if to_county else key[i] for i, to_county in by)


@dataclass
class Table:
    """One table of the lattice: its categories, counts (non-zero only) and hidden cells."""

    dims: Node
    domains: list[list[str]]
    values: dict[Key, int]
    suppressed: set[Key] = field(default_factory=set)
    # Per position: each category's total, to try large categories first.
    totals: list[dict[str, int]] = field(default_factory=list)
    # Per position: the categories that have a hidden cell, to try them first.
    hidden_categories: list[set[str]] = field(default_factory=list)
    _along: list[defaultdict[Key, set[str]]] | None = None
    _counties: defaultdict[str, list[str]] | None = None

    def hide(self, key: Key) -> None:
        self.suppressed.add(key)
        for i, category in enumerate(key):
            self.hidden_categories[i].add(category)

    def cells(self) -> Iterator[Key]:
        return itertools.product(*self.domains)

    def county_members(self, municipality: str) -> list[str]:
        """The municipalities of this table in a municipality's county."""
        if self._counties is None:
            self._counties = defaultdict(list)
            position = self.dims.index(Dimension.MUNICIPALITY)
            for m in self.domains[position]:
                self._counties[county_of(m)].append(m)
        return self._counties[county_of(municipality)]

    def hidden_along(self, position: int, key: Key) -> set[str]:
        """The categories along `position` whose cell, the rest as in `key`, is hidden (for a
        table whose protection is done)."""
        if self._along is None:
            self._along = [defaultdict(set) for _ in self.dims]
            for hidden in self.suppressed:
                for i, along in enumerate(self._along):
                    along[hidden[:i] + hidden[i + 1 :]].add(hidden[i])
        return self._along[position].get(key[:position] + key[position + 1 :], set())


@dataclass(frozen=True)
class Move:
    """Cells changed by +1 or -1: a box of them, or (`box` None) two boxes added up, a box
    whose third category changes with one side, or a path of cells two categories trade.

    `box` holds the positions along which the box has two sides, `sides` the two categories
    on each of them; every other position is the same in all corners.
    """

    corners: tuple[tuple[Key, int], ...]
    box: tuple[int, ...] | None
    sides: tuple[tuple[str, str], ...] = ()


@dataclass
class _Protection:
    """What protecting one table needs: the tables below it and what is witnessed so far."""

    table: Table
    below: list[Table]
    projectors: dict[Node, Projector]
    witnessed: dict[Node, set[Key]]
    # For each table below: the positions of this table it keeps as they are, and the
    # position of the municipality it sums into counties (if it does).
    kept: dict[Node, frozenset[int]]
    to_county: dict[Node, int | None]


class Lattice:
    """A finest count table and every margin of it, protected smallest first."""

    def __init__(self, counts: Mapping[Key, int], dimensions: Sequence[Dimension]) -> None:
        if len(set(dimensions)) != len(dimensions):
            raise ValueError("each dimension may come once")
        order = sorted(range(len(dimensions)), key=lambda i: _ORDER[dimensions[i]])
        self.dimensions: Node = tuple(dimensions[i] for i in order)
        finest = {tuple(key[i] for i in order): value for key, value in counts.items() if value > 0}
        domains = {d: sorted({key[i] for key in finest}) for i, d in enumerate(self.dimensions)}
        if Dimension.MUNICIPALITY in domains:
            domains[Dimension.COUNTY] = sorted(
                {county_of(m) for m in domains[Dimension.MUNICIPALITY]}
            )
        self.tables: dict[Node, Table] = {}
        for node in self._nodes():
            by = projector(self.dimensions, node)
            values: dict[Key, int] = defaultdict(int)
            for key, value in finest.items():
                values[project(key, by)] += value
            totals: list[dict[str, int]] = [defaultdict(int) for _ in node]
            for key, value in values.items():
                for i, category in enumerate(key):
                    totals[i][category] += value
            self.tables[node] = Table(
                node,
                [domains[d] for d in node],
                dict(values),
                totals=totals,
                hidden_categories=[set() for _ in node],
            )
        # Smallest first, and a table by county before the same table by municipality.
        for node in sorted(
            self.tables,
            key=lambda n: (len(n), Dimension.MUNICIPALITY in n, [_ORDER[d] for d in n]),
        ):
            self._protect(self.tables[node])

    # --- the lattice ----------------------------------------------------------------------

    def _nodes(self) -> Iterator[Node]:
        for size in range(len(self.dimensions) + 1):
            for node in itertools.combinations(self.dimensions, size):
                yield node
                if Dimension.MUNICIPALITY in node:
                    yield canonical_node(
                        [Dimension.COUNTY if d is Dimension.MUNICIPALITY else d for d in node]
                    )

    def top(self) -> Node:
        return self.dimensions

    def project(self, node: Node, key: Key) -> Key:
        """The cell of `node` a cell of the finest table (canonical order) adds up into."""
        return project(key, projector(self.dimensions, node))

    def cells(self, node: Node | None = None) -> list[tuple[Key, int, bool]]:
        """Every cell of a table (zeros too), its count, and whether it is hidden."""
        table = self.tables[node if node is not None else self.top()]
        return [(key, table.values.get(key, 0), key in table.suppressed) for key in table.cells()]

    # --- protection -----------------------------------------------------------------------

    def _protect(self, table: Table) -> None:
        node = table.dims
        below = [
            self.tables[other]
            for other in sorted(
                (n for n in self.tables if is_below(n, node)),
                key=lambda n: (-len(n), [_ORDER[d] for d in n]),
            )
        ]
        municipality = (
            node.index(Dimension.MUNICIPALITY) if Dimension.MUNICIPALITY in node else None
        )
        protection = _Protection(
            table,
            below,
            {b.dims: projector(node, b.dims) for b in below},
            {b.dims: set() for b in [*below, table]},
            {b.dims: frozenset(node.index(d) for d in b.dims if d in node) for b in below},
            {
                b.dims: municipality
                if Dimension.COUNTY in b.dims and municipality is not None
                else None
                for b in below
            },
        )
        primaries = sorted(
            (key for key, value in table.values.items() if is_primary(value)),
            key=lambda k: (table.values[k], k),
        )
        for key in primaries:
            table.hide(key)
        targets: list[tuple[Table, Key]] = [(b, key) for b in below for key in sorted(b.suppressed)]
        targets += [(table, key) for key in primaries]
        for target_table, target in targets:
            if target in protection.witnessed[target_table.dims]:
                continue
            move = (
                self._path_move(protection, target_table, target)
                or self._cheapest_move(protection, target_table, target)
                or self._skewed_move(protection, target_table, target)
                or self._composed_move(protection, target_table, target)
            )
            if move is None:
                # No witness for this cell: withhold the whole table, so that only its
                # margins are published (their own queries publish them anyway).
                logger.warning("no witness move for %s in %s; table withheld", target, node)
                for key in table.cells():
                    table.hide(key)
                return
            self._apply(protection, move)

    def _apply(self, protection: _Protection, move: Move) -> None:
        for key, _ in move.corners:
            protection.table.hide(key)
            protection.witnessed[protection.table.dims].add(key)
        for b in protection.below:
            if self._touches(protection, move, b):
                for key, weight in self._projection(protection, move, b).items():
                    if weight:
                        protection.witnessed[b.dims].add(key)

    @staticmethod
    def _touches(protection: _Protection, move: Move, below: Table) -> bool:
        """Whether a move can change a table below: not if the table sums over one of the
        box's sides (the +1 and -1 cancel), nor over municipalities of one county."""
        if move.box is None:
            return True
        kept = protection.kept[below.dims]
        to_county = protection.to_county[below.dims]
        for position, (first, second) in zip(move.box, move.sides, strict=True):
            if position in kept:
                continue
            if position == to_county and county_of(first) != county_of(second):
                continue
            return False
        return True

    @staticmethod
    def _projection(protection: _Protection, move: Move, below: Table) -> dict[Key, int]:
        by = protection.projectors[below.dims]
        projected: dict[Key, int] = defaultdict(int)
        for key, sign in move.corners:
            projected[project(key, by)] += sign
        return projected

    def _valid(self, protection: _Protection, move: Move) -> bool:
        """Whether every margin cell the move changes is hidden in its own table."""
        for b in protection.below:
            if not self._touches(protection, move, b):
                continue
            hidden = b.suppressed
            if move.box is not None:
                # A box's corners land on distinct cells of a table that keeps its sides.
                by = protection.projectors[b.dims]
                if any(project(key, by) not in hidden for key, _ in move.corners):
                    return False
                continue
            for key, weight in self._projection(protection, move, b).items():
                if weight and key not in hidden:
                    return False
        return True

    @staticmethod
    def _direction(table: Table, move: Move) -> int | None:
        """+1 or -1 if the move (or its opposite) leaves no count negative, else None."""
        for direction in (1, -1):
            if all(table.values.get(k, 0) + direction * d >= 0 for k, d in move.corners):
                return direction
        return None

    def _cost(self, protection: _Protection, move: Move) -> tuple[int, int] | None:
        """What a move costs in newly hidden cells (count, then total), or None if invalid."""
        table = protection.table
        if self._direction(table, move) is None or not self._valid(protection, move):
            return None
        new = [k for k, _ in move.corners if k not in table.suppressed]
        return len(new), sum(table.values.get(k, 0) for k in new)

    def _cheapest_move(
        self, protection: _Protection, target_table: Table, target: Key
    ) -> Move | None:
        best: Move | None = None
        best_cost: tuple[int, int] | None = None
        for narrow in (True, False):
            moves = self._candidate_moves(protection, target_table, target, narrow=narrow)
            for examined, move in enumerate(moves, 1):
                if (best is not None and examined > SEARCH_BUDGET) or examined > SEARCH_LIMIT:
                    break
                cost = self._cost(protection, move)
                if cost is not None and (best_cost is None or cost < best_cost):
                    best, best_cost = move, cost
                    if cost[0] == 0:
                        return best
            if best is not None:
                return best
        return best

    def _composed_move(
        self, protection: _Protection, target_table: Table, target: Key
    ) -> Move | None:
        """Two valid boxes whose sum leaves no count negative, where no single box does.

        A box that would take one empty cell below zero is mended by a second box that
        raises that cell; together they form a longer cycle of +1 and -1.
        """
        table = protection.table
        to_target = None if target_table is table else protection.projectors[target_table.dims]
        examined = 0
        for first in self._candidate_moves(protection, target_table, target):
            examined += 1
            if examined > SEARCH_BUDGET * 10:
                return None
            if not self._valid(protection, first):
                continue
            for direction in (1, -1):
                oriented = {k: direction * d for k, d in first.corners}
                negative = [k for k, d in oriented.items() if table.values.get(k, 0) + d < 0]
                if len(negative) != 1:
                    continue
                for second in itertools.islice(
                    self._candidate_moves(protection, table, negative[0]), SEARCH_BUDGET * 10
                ):
                    if not self._valid(protection, second):
                        continue
                    sign = dict(second.corners)[negative[0]]
                    combined = dict(oriented)
                    for k, d in second.corners:
                        combined[k] = combined.get(k, 0) + sign * d
                    move = Move(tuple((k, d) for k, d in combined.items() if d), None)
                    if self._direction(table, move) != 1:
                        continue
                    if to_target is None:
                        changed = any(k == target for k, _ in move.corners)
                    else:
                        changed = bool(
                            sum(d for k, d in move.corners if project(k, to_target) == target)
                        )
                    if changed:
                        return move
        return None

    def _skewed_move(
        self, protection: _Protection, target_table: Table, target: Key
    ) -> Move | None:
        """A box along two sides whose third category changes with one of them.

        (m, y, a)+ (m', y, a)- (m, y', a')- (m', y', a')+ sums to nothing by year and age
        band, and to boxes by municipality and year and by municipality and age band: where
        no slice of one age band holds a box of children (a small municipality has children
        in few of them), two slices can.
        """
        table = protection.table
        width = len(table.dims)
        if width < 3:
            return None
        kinds = self._kinds(protection, target_table, target)
        filter_by = (
            None
            if target_table is table
            else (target_table, target, protection.projectors[target_table.dims])
        )
        boxable = [i for i, (kind, _) in enumerate(kinds) if kind != _FREE]
        examined = 0
        for p, q in itertools.permutations(boxable, 2):
            j = next(i for i in range(width) if i not in (p, q))
            for base in itertools.product(*self._bases(table, kinds, NARROW)):
                sides_p = self._prefer(table, kinds, base, p, NARROW, filter_by)
                sides_q = self._prefer(table, kinds, base, q, NARROW, filter_by)
                for first, second in itertools.product(sides_p, sides_q):
                    for other in table.domains[j]:
                        if other == base[j]:
                            continue
                        examined += 1
                        if examined > SEARCH_LIMIT:
                            return None
                        move = self._skewed(base, p, first, q, second, j, other)
                        if self._direction(table, move) is not None and self._valid(
                            protection, move
                        ):
                            return move
        return None

    def _path_move(self, protection: _Protection, target_table: Table, target: Key) -> Move | None:
        """Two categories (say two municipalities of one county) trading an alternating path
        of cells, for a cell of a two-way margin of a three-way table.

        For a cell (m, y) by municipality and year: m gets +1 at (y, a1), -1 at (y1, a1),
        +1 at (y1, a2), ... -1 at (yk, ak), and m' the opposite. Every age band's and every
        intermediate year's sum stays the same for both, and so does every cell by year and
        age band and by county; only (m, y) and (m, yk) change, and their partners (m', y)
        and (m', yk), all four hidden. Where the years and age bands go together (children
        settled long ago are older), no one age band holds a box, but such a path does.
        """
        table = protection.table
        if len(table.dims) != 3 or len(target_table.dims) != 2:
            return None
        kinds = self._kinds(protection, target_table, target)
        fixed = [i for i, (kind, _) in enumerate(kinds) if kind == _FIXED]
        free = [i for i, (kind, _) in enumerate(kinds) if kind == _FREE]
        if len(fixed) != 2 or len(free) != 1:
            return None
        column = free[0]
        examined = 0
        for pair, row in (fixed, fixed[::-1]):
            lower_pair = target_table.dims.index(table.dims[pair])
            lower_row = target_table.dims.index(table.dims[row])
            first, start = kinds[pair][1], kinds[row][1]
            assert first is not None and start is not None
            municipal = table.dims[pair] is Dimension.MUNICIPALITY
            ends_first = target_table.hidden_along(lower_row, target)
            for second in sorted(target_table.hidden_along(lower_pair, target)):
                if second == first or (municipal and county_of(second) != county_of(first)):
                    continue
                other = list(target)
                other[lower_pair] = second
                ends = (ends_first & target_table.hidden_along(lower_row, tuple(other))) - {start}
                if not ends:
                    continue
                for raising, lowering in ((second, first), (first, second)):
                    examined += 1
                    if examined > SEARCH_BUDGET * 10:
                        return None
                    path = self._alternating_path(
                        table, pair, row, column, raising, lowering, start, ends
                    )
                    if path is None:
                        continue
                    corners = []
                    for (r, c), sign in path:
                        for category, weight in ((first, sign), (second, -sign)):
                            key = [""] * 3
                            key[pair], key[row], key[column] = category, r, c
                            corners.append((tuple(key), weight))
                    move = Move(tuple(corners), None)
                    if self._direction(table, move) is not None and self._valid(protection, move):
                        return move
        return None

    @staticmethod
    def _alternating_path(
        table: Table,
        pair: int,
        row: int,
        column: int,
        raising: str,
        lowering: str,
        start: str,
        ends: set[str],
    ) -> list[tuple[tuple[str, str], int]] | None:
        """The shortest path of cells (row, column), +1 and -1 in turn, from `start`'s row to
        one of `ends`, down a column then along a row; a +1 cell must hold a child of
        `raising` (who gives it up), a -1 cell one of `lowering`."""

        def holds(category: str, r: str, c: str) -> bool:
            key = [""] * 3
            key[pair], key[row], key[column] = category, r, c
            return table.values.get(tuple(key), 0) > 0

        rows, columns = table.domains[row], table.domains[column]
        parent: dict[tuple[str, str], tuple[str, str] | None] = {}
        frontier = [(start, c) for c in columns if holds(raising, start, c)]
        for first in frontier:
            parent[first] = None
        while frontier:
            following = []
            for r, c in frontier:
                # Down the column to a -1 cell.
                for r2 in rows:
                    if r2 == r or (r2, c) in parent or not holds(lowering, r2, c):
                        continue
                    parent[(r2, c)] = (r, c)
                    if r2 in ends:
                        path: list[tuple[tuple[str, str], int]] = []
                        step: tuple[str, str] | None = (r2, c)
                        sign = -1
                        while step is not None:
                            path.append((step, sign))
                            step, sign = parent[step], -sign
                        return path
                    # Along its row to a +1 cell.
                    for c2 in columns:
                        if c2 == c or (r2, c2) in parent or not holds(raising, r2, c2):
                            continue
                        parent[(r2, c2)] = (r2, c)
                        following.append((r2, c2))
            frontier = following
        return None

    @staticmethod
    def _skewed(base: Key, p: int, first: str, q: int, second: str, j: int, other: str) -> Move:
        """The box along `p` and `q` from `base`, whose `j` is `other` on `q`'s second side."""
        corners = []
        for flip_p, flip_q in itertools.product((False, True), repeat=2):
            key = list(base)
            if flip_p:
                key[p] = first
            if flip_q:
                key[q] = second
                key[j] = other
            corners.append((tuple(key), -1 if flip_p != flip_q else 1))
        return Move(tuple(corners), None)

    def _kinds(
        self, protection: _Protection, target_table: Table, target: Key
    ) -> list[tuple[str, str | None]]:
        """For each position of this table: fixed by the target, a municipality within the
        target's county, or free (a dimension the target's table sums over)."""
        kinds: list[tuple[str, str | None]] = []
        for d in protection.table.dims:
            if d in target_table.dims:
                kinds.append((_FIXED, target[target_table.dims.index(d)]))
            elif d is Dimension.MUNICIPALITY and Dimension.COUNTY in target_table.dims:
                kinds.append((_IN_COUNTY, target[target_table.dims.index(Dimension.COUNTY)]))
            else:
                kinds.append((_FREE, None))
        return kinds

    def _candidate_moves(
        self, protection: _Protection, target_table: Table, target: Key, *, narrow: bool = False
    ) -> Iterator[Move]:
        """Boxes that change the target cell, the largest boxes (fewest margins touched) first;
        `narrow`: only the most promising few categories on each side."""
        kinds = self._kinds(protection, target_table, target)
        boxable = [i for i, (kind, _) in enumerate(kinds) if kind != _FREE]
        filter_by = (
            None
            if target_table is protection.table
            else (target_table, target, protection.projectors[target_table.dims])
        )
        for size in range(len(boxable), -1, -1):
            for box in itertools.combinations(boxable, size):
                yield from self._boxes(protection, kinds, box, narrow, filter_by)

    def _boxes(
        self,
        protection: _Protection,
        kinds: list[tuple[str, str | None]],
        box: tuple[int, ...],
        narrow: bool,
        filter_by: tuple[Table, Key, Projector] | None,
    ) -> Iterator[Move]:
        table = protection.table
        width = NARROW if narrow else None
        base_options = self._bases(table, kinds, width)
        if any(not options for options in base_options):
            return
        for base in itertools.product(*base_options):
            ordered = [
                self._prefer(table, kinds, base, i, width, filter_by) if i in box else [""]
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
                sides = tuple((base[i], chosen[i]) for i in box)
                yield Move(tuple(corners), box, sides)

    @staticmethod
    def _bases(
        table: Table, kinds: list[tuple[str, str | None]], width: int | None
    ) -> list[list[str]]:
        """Per position, the categories a move's first corner may take: the target's, a
        municipality of the target's county, or any; those with hidden cells, then the
        largest first (`width`: only that many)."""

        def promising(i: int, options: list[str]) -> list[str]:
            def rank(c: str) -> tuple[bool, int, str]:
                return c not in table.hidden_categories[i], -table.totals[i].get(c, 0), c

            if width is None:
                return sorted(options, key=rank)
            return heapq.nsmallest(width, options, key=rank)

        options: list[list[str]] = []
        for i, (kind, value) in enumerate(kinds):
            if kind == _FIXED:
                assert value is not None
                options.append([value])
            elif kind == _IN_COUNTY:
                options.append(promising(i, [m for m in table.domains[i] if county_of(m) == value]))
            else:
                options.append(promising(i, list(table.domains[i])))
        return options

    @staticmethod
    def _prefer(
        table: Table,
        kinds: list[tuple[str, str | None]],
        base: tuple[str, ...],
        i: int,
        width: int | None,
        filter_by: tuple[Table, Key, Projector] | None,
    ) -> list[str]:
        """The categories a box's second side may take along position `i`: another one, or
        a municipality of another county (so that the target's county cell changes).

        Only those whose cell in the target's table is hidden (a box along a side that table
        keeps lands on hidden cells of it); in the same county first (the county totals stay
        as they are; the narrow search takes only those, where there are any), then those
        whose cell is already hidden, then small non-zero cells.
        """
        kind, value = kinds[i]
        municipal = table.dims[i] is Dimension.MUNICIPALITY
        here = base[i]
        if kind == _IN_COUNTY:
            options = [m for m in table.domains[i] if county_of(m) != value]
        elif municipal and width is not None and len(table.county_members(here)) > 1:
            options = [m for m in table.county_members(here) if m != here]
        else:
            options = [c for c in table.domains[i] if c != here]
        if filter_by is not None:
            # The base corner is the target's cell: only the category along `i` changes.
            target_table, target, by = filter_by
            lower, to_county = next((j, c) for j, (k, c) in enumerate(by) if k == i)
            hidden = target_table.hidden_along(lower, target)
            options = [o for o in options if (county_of(o) if to_county else o) in hidden]
        prefix, suffix = base[:i], base[i + 1 :]
        county = county_of(here) if municipal else ""
        values, suppressed = table.values, table.suppressed

        def rank(option: str) -> tuple[bool, bool, bool, int]:
            key = (*prefix, option, *suffix)
            value = values.get(key, 0)
            return municipal and option[:2] != county, key not in suppressed, value == 0, value

        if width is None:
            return sorted(options, key=rank)
        return heapq.nsmallest(width, options, key=rank)


def suppress_counts(
    counts: Mapping[Key, int],
    dimensions: Sequence[Dimension],
    *,
    own: Mapping[Key, int] | None = None,
) -> list[tuple[Key, int, bool]]:
    """Every cell of a count table by `dimensions`, and whether it is hidden.

    `own` is the part of each cell the caller already knows (a municipality admin's own
    children). The table is protected against that knowledge: what is hidden is decided on
    the rest of the country, so subtracting its own children from a published cell never
    leaves a small count, and its own municipality's cells (nothing of the rest) are shown.
    """
    own = own or {}
    others = {k: v - own.get(k, 0) for k, v in counts.items() if v - own.get(k, 0) > 0}
    lattice = Lattice(others, dimensions)
    hidden = lattice.tables[lattice.top()].suppressed
    # The lattice keeps its keys in canonical order; answer in the order asked.
    order = sorted(range(len(dimensions)), key=lambda i: _ORDER[dimensions[i]])
    domains = [
        sorted({key[i] for key, v in counts.items() if v > 0}) for i in range(len(dimensions))
    ]
    return [
        (key, counts.get(key, 0), tuple(key[i] for i in order) in hidden)
        for key in itertools.product(*domains)
    ]


def suppress_by_size(size: int, *, own: int = 0) -> bool:
    """A median or rate is hidden when one to four children (beyond the caller's own) are behind it.

    Medians and rates do not add up to their totals, so nothing can be solved for from the
    other cells; the count behind each one is never published.
    """
    return is_primary(size - own)
