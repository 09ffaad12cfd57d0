"""Searching for small groups that some combination of cells determines.

Differences of respondent sets do not find every determined group: overall minus the sum of
one team's pillars cancels everyone who answered a single pillar and leaves exactly the people
who answered several. Finding the smallest group some combination of cells is supported on is
a minimum-weight codeword problem (hard in general), so the auditor searches each *local
system* (a published cell with the published cells inside it, or a whole block) in one of two
ways, and hands what it finds to its exact test.

Types. Two people who sit in the same cells with the same coefficients are indistinguishable to
every combination λ of the cells: λ cancels both or neither. The support of any combination is
therefore a union of types, computed here from the rows (a person's "constraints" are the
coefficients of each of their atoms across the rows).

- Exhaustive (``small_unions``): when the unions of types holding 2..k−1 people number at most
  ``budget``, every one of them is a candidate. Within that local system nothing is missed.
- Greedy (``minimal_support``): start from every combination and exclude types, largest first,
  then those with fewer atoms (people who answered several pillars go last), as long as some
  combination that is not identically zero survives. A type whose exclusion would leave
  nothing is kept, and then every surviving nonzero combination touches it, so the kept types
  are exactly the support of the surviving combinations: a minimal (not always minimum)
  determined group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from itertools import combinations

from pulse.analytics.echelon import Echelon

FieldRow = Mapping[int, int]  # column -> coefficient in GF(p)


def person_constraints(
    rows: Sequence[FieldRow], owner: Sequence[str]
) -> dict[str, list[dict[int, int]]]:
    """Per person, one constraint per atom: that atom's coefficient in each row (by index)."""
    per_col: dict[int, dict[int, int]] = defaultdict(dict)
    for index, row in enumerate(rows):
        for col, coef in row.items():
            per_col[col][index] = coef
    out: dict[str, list[dict[int, int]]] = defaultdict(list)
    for col, constraint in per_col.items():
        out[owner[col]].append(constraint)
    return out


def types_of(constraints: Mapping[str, list[dict[int, int]]]) -> list[list[str]]:
    """People grouped by identical constraints: largest groups first, then simplest."""
    groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for person, own in constraints.items():
        groups[tuple(sorted(tuple(sorted(c.items())) for c in own))].append(person)
    return sorted((sorted(g) for g in groups.values()),
                  key=lambda g: (-len(g), len(constraints[g[0]]), g))


def count_unions(sizes: Sequence[int], k: int) -> int:
    """How many unions of types hold 2..k−1 people (counted up to a few million)."""
    # ways[s] = number of unions of the types seen so far holding exactly s people
    ways = [1] + [0] * (k - 1)
    for size in sizes:
        for s in range(k - 1, size - 1, -1):
            ways[s] += ways[s - size]
    return sum(ways[2:])


def small_unions(types: Sequence[Sequence[str]], k: int) -> Iterator[frozenset[str]]:
    """Every union of types holding 2..k−1 people, smallest first."""
    usable = [t for t in types if len(t) < k]
    for count in range(1, k):
        for chosen in combinations(usable, count):
            people = frozenset(p for t in chosen for p in t)
            if 1 < len(people) < k:
                yield people


def minimal_support(constraints: Mapping[str, list[dict[int, int]]]) -> frozenset[str] | None:
    """People on which some nonzero combination of the rows is supported (greedy, minimal)."""
    types = types_of(constraints)
    if not types:
        return None
    full = Echelon()  # the rows' rank is the rank of all constraints; one person per type
    for members in types:
        for c in constraints[members[0]]:
            full.add(c, 0)
    target = full.rank
    cancelled = Echelon()
    kept: list[str] = []
    for members in types:
        own = constraints[members[0]]
        if cancelled.rank + len(own) < target or (
                cancelled.rank + cancelled.rank_gain(own) < target):
            for c in own:
                cancelled.add(c, 0)
        else:
            kept.extend(members)
    return frozenset(kept)
