"""The auditor's field arithmetic agrees with exact rational rank, on random published sets.

The oracle here is written independently of pulse.analytics.echelon: plain Gaussian elimination
in fractions.Fraction, and the definition itself (a set of people is determined iff removing
their columns lowers the rank).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulse.analytics.audit import AuditCell, System, audit, candidate_groups
from pulse.analytics.families import Row, week_families
from pulse.analytics.publish import team_observations
from testing.pulse_world import build_world


def rank(rows: Iterable[Row]) -> int:
    """Rank over the rationals, by elimination on dict rows."""
    basis: dict[object, Row] = {}  # pivot atom -> row with 1 there
    for row in rows:
        vec = {a: c for a, c in row.items() if c}
        for pivot, base in basis.items():
            coef = vec.get(pivot)
            if coef:
                for a, c in base.items():
                    vec[a] = vec.get(a, Fraction(0)) - coef * c
                vec = {a: c for a, c in vec.items() if c}
        if vec:
            pivot = min(vec, key=str)
            inv = 1 / vec[pivot]
            new = {a: c * inv for a, c in vec.items()}
            for other, base in basis.items():
                coef = base.get(pivot)
                if coef:
                    for a, c in new.items():
                        base[a] = base.get(a, Fraction(0)) - coef * c
                    basis[other] = {a: c for a, c in base.items() if c}
            basis[pivot] = new
    return len(basis)


def determined(rows: Sequence[Row], group: Iterable[str]) -> bool:
    """Some nonzero combination of the group's atoms is fixed by the rows."""
    group = set(group)
    without = [{a: c for a, c in r.items() if a[0] not in group} for r in rows]
    return rank(rows) > rank(without)


@st.composite
def published_sets(draw: st.DrawFn) -> tuple[list[AuditCell], int]:
    """A random week's cells (every metric, whole tree), each shown or not at random."""
    world = build_world(lambda lo, hi: draw(st.integers(lo, hi)), max_people=8, max_weeks=1)
    k = draw(st.sampled_from([2, 3, 5]))
    obs = team_observations(world.weeks[0].as_input())
    cells = []
    for family in week_families():
        for team in sorted(obs):
            people = family.respondents(obs[team])
            if people and family.rows(obs[team]):
                shown = draw(st.booleans())
                cells.append(AuditCell((team, family.metric), family.metric, people,
                                       family.rows(obs[team]) if shown else (), shown))
    return cells, k


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(published_sets())
def test_person_and_group_decisions_match_exact_rank(case: tuple[list[AuditCell], int]) -> None:
    cells, k = case
    rows = [r for c in cells if c.published for r in c.rows]
    findings = audit(cells, k)
    found_people = {f.people[0] for f in findings if f.kind == "person"}
    everyone = {a[0] for r in rows for a in r}
    assert found_people == {p for p in everyone if determined(rows, [p])}
    system = System(cells)
    for group in candidate_groups(cells, k, system, found_people):
        if not group & found_people:
            reported = any(f.kind == "group" and set(f.people) == group for f in findings)
            assert reported == determined(rows, group)
    by_key = {c.key: c for c in cells}
    for f in findings:  # the cells a finding names are enough on their own
        named = [r for key in f.cells for r in by_key[key].rows]
        assert determined(named, f.people)
        assert all(by_key[key].published for key in f.cells)
