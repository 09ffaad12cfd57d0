"""Property: nothing publish_week and derive_month emit lets the auditor single anyone out.

Random tenants (1–3 level trees, moves and re-parentings between weeks, pillar mixes, eNPS,
kudos, up to five weeks so February is complete) are published week by week; every published
cell is then rebuilt here from the raw week (independently of the publisher's own bookkeeping),
months are added as the linear functions of weekly cells they are, and the whole multi-week
publication is audited in one system.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from fractions import Fraction
from statistics import fmean

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulse.analytics.audit import AuditCell, audit
from pulse.analytics.cells import Cell, Reason, weeks_of_month
from pulse.analytics.families import Observations, Row, week_families
from pulse.analytics.publish import WeekPublication, derive_month, publish_week
from testing.pulse_world import WeekWorld, World, build_world

NOW = datetime(2026, 4, 1, tzinfo=UTC)
FAMILIES = {f.metric: f for f in week_families()}


@st.composite
def worlds(draw: st.DrawFn) -> tuple[World, int]:
    # At least six people and k = 3 two times in three, so most tenants publish something.
    world = build_world(lambda lo, hi: draw(st.integers(lo, hi)), min_people=6)
    return world, draw(st.sampled_from([3, 3, 5]))


def subtree_observations(week: WeekWorld, team: str) -> Observations:
    """The team's week from scratch: people whose snapshot home is in its subtree."""
    parents = week.snapshot.parents
    inside = {team}
    grew = True
    while grew:
        more = {t for t, p in parents.items() if p in inside} - inside
        inside |= more
        grew = bool(more)
    people = {p for p, t in week.snapshot.home.items() if t in inside}
    start, end = week.snapshot.bounds()
    return Observations(
        tuple(a for a in week.answers if a.person_id in people and start <= a.answered_at < end),
        tuple(r for r in week.receipts if r.recipient_id in people and start <= r.at < end),
        frozenset(p for p in week.invited if p in people))


def week_cells(week: WeekWorld, pub: WeekPublication) -> list[AuditCell]:
    out = []
    for cell in pub.cells:
        family = FAMILIES[cell.metric]
        obs = subtree_observations(week, cell.team_id)
        people = family.respondents(obs)
        if cell.shown:
            out.append(AuditCell((cell.bucket, cell.team_id, cell.metric), cell.metric, people,
                                 family.rows(obs)))
        elif cell.reason is Reason.BELOW_K:
            out.append(AuditCell((cell.bucket, cell.team_id, cell.metric), cell.metric, people,
                                 published=False))
    return out


def month_cells(month: list[Cell], weekly: dict[tuple[str, str], list[AuditCell]]
                ) -> list[AuditCell]:
    """Each shown month cell of a mean metric as Σ_w row_w / (weeks·n_w): its exact functional."""
    out = []
    for cell in month:
        shown = weekly.get((cell.team_id, cell.metric), [])
        if not cell.shown or cell.metric not in ("pulse", *_pillars()) or not shown:
            continue
        row: Row = defaultdict(Fraction)
        for week_cell in shown:
            for atom, coef in week_cell.rows[0].items():
                row[atom] += coef / (len(shown) * week_cell.n)
        people = frozenset().union(*(c.respondents for c in shown))
        out.append(AuditCell((cell.bucket, cell.team_id, cell.metric), cell.metric, people,
                             (dict(row),)))
    return out


def _pillars() -> list[str]:
    return [m for m in FAMILIES if m.startswith("pillar:")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(worlds())
def test_the_auditor_finds_nothing_in_a_publication(case: tuple[World, int]) -> None:
    world, k = case
    pubs = [publish_week(w.as_input(), published_at=NOW, k=k) for w in world.weeks]
    cells: list[AuditCell] = []
    weekly: dict[tuple[str, str], list[AuditCell]] = defaultdict(list)
    for week, pub in zip(world.weeks, pubs, strict=True):
        for audit_cell in week_cells(week, pub):
            cells.append(audit_cell)
            if audit_cell.published and audit_cell.rows:
                weekly[(audit_cell.key[1], audit_cell.metric)].append(audit_cell)  # type: ignore[index]
        for cell in pub.cells:
            if cell.shown and cell.metric != "kudos" and cell.n != 0:
                assert isinstance(cell.n, int) and cell.n >= k
    published = {p.snapshot.week for p in pubs}
    if set(weeks_of_month("2026-02")) <= published:
        month = list(derive_month("2026-02", pubs, published_at=NOW))
        _check_month_values(month, pubs)
        cells += month_cells(month, weekly)
    assert audit(cells, k) == []


def _check_month_values(month: list[Cell], pubs: list[WeekPublication]) -> None:
    """A month's value is the mean (kudos: the sum) of its team's published weekly values."""
    weeks = set(weeks_of_month("2026-02"))
    for cell in month:
        values = [c.value for p in pubs if p.snapshot.week in weeks for c in p.cells
                  if (c.team_id, c.metric) == (cell.team_id, cell.metric) and c.shown]
        if not values:
            assert cell.reason is Reason.NO_PUBLISHED_WEEK and cell.value is None
        elif cell.metric == "kudos":
            assert cell.value == math.fsum(v for v in values if v is not None)
        elif all(v is not None for v in values):
            assert cell.value == fmean(v for v in values if v is not None)
            assert cell.weeks_used == len(values)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(worlds())
def test_a_published_week_never_changes_afterwards(case: tuple[World, int]) -> None:
    world, k = case
    first = world.weeks[0]
    later = [a for w in world.weeks[1:] for a in w.answers]
    receipts = [r for w in world.weeks[1:] for r in w.receipts]
    again = WeekWorld(first.snapshot, first.answers + tuple(later), first.invited,
                      first.receipts + tuple(receipts))
    assert (publish_week(first.as_input(), published_at=NOW, k=k).cells
            == publish_week(again.as_input(), published_at=NOW, k=k).cells)
