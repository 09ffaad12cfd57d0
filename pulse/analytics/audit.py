"""The differencing auditor: can any combination of published cells single someone out?

Model. Every published cell is one or more linear equations over per-person atoms (see
pulse.analytics.families): the reader is assumed to be the worst one, who knows the roster, who
answered which item and how many times, so every coefficient is known and only the atoms are
secret. Subtracting cells (parent minus children, overall minus pillar, a month minus its weeks,
two reads of an open week, old minus new after a move) is taking linear combinations, so what
the reader can learn exactly is the row space R of the published equations.

Decisions, exact over GF(2^61 − 1) (pulse.analytics.echelon states the failure probability):

- a person p is isolatable iff some nonzero combination of p's atoms lies in R, i.e. iff
  rank(A) > rank(A without p's columns), i.e. iff the projection of A's null space onto p's
  columns has rank below their number. The reduced echelon form is computed once; each person
  is then a small independence test on the rows of the pivots among their columns. This test
  is exhaustive: every person owning an atom in a published cell is tested.
- a group G of fewer than k people is determined iff the same test fails for G's columns
  together (some nonzero combination of their atoms is fixed, e.g. the sum of two people's
  answers). Groups cannot all be tested, so the auditor tests exactly these: (1) the respondents
  of each withheld cell that has 1..k−1 respondents (any determined subset makes the whole set
  fail, so this covers every subset of it); (2) for each published cell C, C's respondents minus
  the union of the published cells of the same metric whose respondents lie inside C (its
  published sub-cells), and (3) the same difference over the published cells of every metric in
  C's block, whenever the difference has 1..k−1 people; (4) in each local system (a published
  cell with the published cells inside it, and each whole block) of at most LOCAL_ROWS rows,
  every union of indistinguishable people ("types") holding 2..k−1 people when there are at
  most BUDGET of them, else the minimal group found by the greedy search of
  pulse.analytics.support. Item 4 catches overall minus the sum of a team's pillars, which
  leaves exactly the people who answered several pillars. Since any determined combination is
  supported on a union of types, the search is exact for a block within both limits (a small
  tenant, every test tenant). Larger local systems are left to the smaller ones inside them
  and to items 1 to 3.

Out of scope, by design: facts that are not linear, e.g. a published eNPS of +100 says that
every respondent is a promoter (homogeneity, as in k-anonymity); the k threshold limits it.

The system splits into independent blocks (connected components of shared atoms: scores,
favourable indicators, eNPS indicators, kudos), each reduced on its own, rows added sparsest
first so that children are reduced before the parents that sum them. Closed weeks share no
answers and months are derived from published weeks, so a publication is audited week by week.

Interface: ``audit(cells, k)`` takes AuditCells (a key naming the cell, its metric, its
respondents, its rows when published) and returns Findings naming the people or group and the
published cells whose combination reveals them: what the publisher withholds from, and what
the logs and ``miroir privacy audit`` print.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass

from pulse.analytics.anonymity import K_SCORES
from pulse.analytics.echelon import Echelon, to_field
from pulse.analytics.families import Row
from pulse.analytics.support import (
    count_unions,
    minimal_support,
    person_constraints,
    small_unions,
    types_of,
)


@dataclass(frozen=True)
class AuditCell:
    """One candidate cell as the auditor sees it: who is in it and what it reveals."""

    key: Hashable
    metric: str
    respondents: frozenset[str]
    rows: tuple[Row, ...] = ()
    published: bool = True

    @property
    def n(self) -> int:
        return len(self.respondents)


@dataclass(frozen=True)
class Finding:
    """People (one, or a group below k) whose answers the listed published cells determine."""

    kind: str  # "person" or "group"
    people: tuple[str, ...]
    cells: tuple[Hashable, ...]

    def describe(self) -> str:
        """A line for the log and the CLI."""
        who = ", ".join(self.people)
        return f"{self.kind} {who} determined by {len(self.cells)} cells: " + "; ".join(
            str(c) for c in self.cells)


class System:
    """The published equations, split into blocks and reduced."""

    def __init__(self, cells: Sequence[AuditCell]) -> None:
        self.cells = cells
        self.col_of: dict[tuple[str, str, str], int] = {}
        self.owner: list[str] = []
        rows: list[tuple[int, dict[int, int]]] = []  # (cell index, row over columns)
        for index, cell in enumerate(cells):
            if not cell.published:
                continue
            for row in cell.rows:
                vec = {self._col(atom): to_field(coef) for atom, coef in row.items()}
                if vec:
                    rows.append((index, vec))
        parent = list(range(len(self.owner)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for _, vec in rows:
            cols = iter(vec)
            first = find(next(cols))
            for col in cols:
                root = find(col)
                if root != first:
                    parent[root] = first
        self.block_of_col = [find(c) for c in range(len(self.owner))]
        self.row_cell = [index for index, _ in rows]
        self.cell_block: dict[int, int] = {}
        self.cell_rows: dict[int, list[dict[int, int]]] = defaultdict(list)
        by_block: dict[int, list[int]] = defaultdict(list)
        for label, (index, vec) in enumerate(rows):
            block = self.block_of_col[next(iter(vec))]
            by_block[block].append(label)
            self.cell_block[index] = block
            self.cell_rows[index].append(vec)
        self.block_rows = {b: [rows[label][1] for label in labels]
                           for b, labels in by_block.items()}
        self.blocks: dict[int, Echelon] = {}
        for block, labels in by_block.items():
            ech = Echelon()
            for label in sorted(labels, key=lambda lb: (len(rows[lb][1]), lb)):
                ech.add(rows[label][1], label)
            self.blocks[block] = ech
        self.person_cols: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        for col, person in enumerate(self.owner):
            self.person_cols[person][self.block_of_col[col]].add(col)

    def _col(self, atom: tuple[str, str, str]) -> int:
        col = self.col_of.get(atom)
        if col is None:
            col = self.col_of[atom] = len(self.owner)
            self.owner.append(atom[0])
        return col

    def determined(self, people: Sequence[str]) -> tuple[Hashable, ...] | None:
        """The cells revealing a combination of these people's atoms, or None when none is."""
        cols: dict[int, set[int]] = defaultdict(set)
        for person in people:
            for block, own in self.person_cols.get(person, {}).items():
                cols[block] |= own
        for block, own in sorted(cols.items()):
            ech = self.blocks.get(block)
            weights = None if ech is None else ech.dependency(own)
            if ech is not None and weights is not None:
                _, prov = ech.combine(weights)
                used = sorted({self.row_cell[label] for label in prov})
                return tuple(self.cells[i].key for i in used)
        return None


LOCAL_ROWS = 200  # the greedy search looks at local systems of at most this many rows
BUDGET = 2000  # unions of types a local system may test one by one


def candidate_groups(
    cells: Sequence[AuditCell], k: int, system: System, exposed: Set[str] = frozenset()
) -> list[frozenset[str]]:
    """The groups below k the auditor tests (module docstring, items 1 to 4)."""
    groups: set[frozenset[str]] = set()
    for cell in cells:
        if not cell.published and 1 < cell.n < k:
            groups.add(cell.respondents)
    block_of = system.cell_block
    shown = [i for i, c in enumerate(cells) if c.published and i in block_of]
    holding: dict[str, list[int]] = defaultdict(list)
    for i in shown:
        for person in cells[i].respondents:
            holding[person].append(i)
    for i in shown:
        cell = cells[i]
        hits: Counter[int] = Counter()
        for person in cell.respondents:
            hits.update(holding[person])
        inside = [j for j, h in hits.items()
                  if j != i and h == cells[j].n and block_of[j] == block_of[i]]
        same = [j for j in inside if cells[j].metric == cell.metric]
        for subcells in (same, inside):
            rest = cell.respondents.difference(*(cells[j].respondents for j in subcells))
            if 1 < len(rest) < k:
                groups.add(frozenset(rest))
        local = [row for j in (i, *inside) for row in system.cell_rows[j]]
        if inside and len(local) <= LOCAL_ROWS:
            groups |= _search(local, k, system, exposed)
    for rows in system.block_rows.values():
        if len(rows) <= LOCAL_ROWS:  # a large block is covered by its cells' local systems
            groups |= _search(rows, k, system, exposed)
    return sorted(groups, key=lambda g: (len(g), sorted(g)))


def _search(rows: Sequence[dict[int, int]], k: int, system: System, exposed: Set[str]
            ) -> set[frozenset[str]]:
    """Small groups of one local system: every union of types if few, else the greedy one."""
    constraints = person_constraints(rows, system.owner)
    for person in exposed:
        constraints.pop(person, None)  # already reported; any group holding them is moot
    types = types_of(constraints)
    if count_unions([len(t) for t in types], k) <= BUDGET:
        found: list[frozenset[str]] = []
        for people in small_unions(types, k):
            if not any(f <= people for f in found) and system.determined(sorted(people)):
                found.append(people)
        return set(found)
    support = minimal_support(constraints)
    return {support} if support is not None and 1 < len(support) < k else set()


def audit(cells: Sequence[AuditCell], k: int = K_SCORES) -> list[Finding]:
    """Every isolatable person, and every tested group below k that is determined."""
    system = System(cells)
    findings: list[Finding] = []
    exposed: set[str] = set()
    for person in sorted(system.person_cols):
        revealing = system.determined([person])
        if revealing is not None:
            findings.append(Finding("person", (person,), revealing))
            exposed.add(person)
    for group in candidate_groups(cells, k, system, exposed):
        if group & exposed:
            continue  # already reported through one of its members
        members = sorted(group)
        revealing = system.determined(members)
        if revealing is not None:
            findings.append(Finding("group", tuple(members), revealing))
    return findings
