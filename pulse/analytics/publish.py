"""Publication of closed weeks, and months derived from them: joint suppression by construction.

Rules, and why each closes a class of attack:

1. Only closed buckets are published. The unit is one closed ISO week of one tenant, computed
   from its frozen Snapshot (pulse.analytics.cells): the tree and home teams at the week's end.
   An open week changes with each answer, so two reads of it isolate whoever answered in
   between; a closed week never changes. Answers and receipts outside the week (in the tenant's
   timezone) are dropped here, so a late answer can never alter a published cell, and a past
   week is never recomputed over today's tree (old minus new after a move or re-org).
2. Each team's cell covers its whole subtree, and every person counts in exactly one team
   (their home team in the snapshot), so a parent's n is the sum of its children's plus its
   direct members'.
3. A week's suppression is decided jointly, in three passes: (a) k per metric: a cell with
   1..k−1 respondents of that metric is withheld ("below_k"; kudos count distinct
   recipients); (b) the complementary rule over the tree, per metric (anonymity.suppress_tree:
   a shown team whose hidden remainder has 1..k−1 people loses its next-smallest shown
   descendant, "complement"); (c) the auditor (pulse.analytics.audit) over all the week's
   candidate cells together, every metric and the whole tree: while it finds a person or a
   group below k determined by the published cells, the published cell with the smallest n
   among the cells of each finding is withheld ("audit"), and it runs again. Withholding only
   shrinks the row space, so this ends, at the latest when nothing is published.
4. Months are never computed from raw answers: a month's cell is derived from the published
   week cells of the same team for the weeks that belong to the month (a week belongs to the
   month holding its Thursday): the mean of the published weekly values (kudos: their sum),
   with the number of weeks used and n the sum of their n (respondent-weeks), or the reason
   "no_published_week". A month is thus a fixed linear function of published cells, whose
   coefficients the reader knows, so it reveals nothing they do not: week/month differencing
   is closed by construction, and the auditor needs to look at weeks only.

Interface for the wiring: build a WeekInput (snapshot, the week's answers, the people invited
to rounds opened in the week, the kudos receipts) once the week is closed and its grace period
over, call publish_week, store its cells with their snapshot id and log its findings; once every
week of a month is published, call derive_month with those publications.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from statistics import fmean

from pulse.analytics.anonymity import K_SCORES, below, descendants, suppress_tree
from pulse.analytics.anonymity import Reason as Rule
from pulse.analytics.audit import AuditCell, Finding, audit
from pulse.analytics.cells import Cell, Reason, Receipt, Snapshot, weeks_of_month
from pulse.analytics.families import Family, Observations, week_families
from pulse.core.model import Bucket
from pulse.surveys.model import Scored

_RULES = {Rule.NO_RESPONSES: Reason.NO_RESPONSES, Rule.BELOW_THRESHOLD: Reason.BELOW_K,
          Rule.COMPLEMENT: Reason.COMPLEMENT}


@dataclass(frozen=True)
class WeekInput:
    """Everything one closed week's cells are computed from."""

    snapshot: Snapshot
    answers: Sequence[Scored]
    invited: Collection[str] = ()
    receipts: Sequence[Receipt] = ()


@dataclass(frozen=True)
class WeekPublication:
    """The week's cells (every team × metric), and what the auditor found on the way."""

    snapshot: Snapshot
    cells: tuple[Cell, ...]
    findings: tuple[Finding, ...]
    audit_rounds: int


def team_observations(week: WeekInput) -> dict[str, Observations]:
    """Each team's observations in the week, its whole subtree included, by home team."""
    snap = week.snapshot
    start, end = snap.bounds()
    answers: dict[str, list[Scored]] = defaultdict(list)
    receipts: dict[str, list[Receipt]] = defaultdict(list)
    invited: dict[str, list[str]] = defaultdict(list)
    for a in week.answers:
        if start <= a.answered_at < end and a.person_id in snap.home:
            answers[snap.home[a.person_id]].append(a)
    for r in week.receipts:
        if start <= r.at < end and r.public and r.recipient_id in snap.home:
            receipts[snap.home[r.recipient_id]].append(r)
    for person in set(week.invited):
        if person in snap.home:
            invited[snap.home[person]].append(person)
    out = {}
    for team, below_team in descendants(snap.parents).items():
        scope = (team, *sorted(below_team))
        out[team] = Observations(tuple(a for t in scope for a in answers.get(t, ())),
                                 tuple(r for t in scope for r in receipts.get(t, ())),
                                 frozenset(p for t in scope for p in invited.get(t, ())))
    return out


def publish_week(
    week: WeekInput, *, published_at: datetime, k: int = K_SCORES,
    families: Sequence[Family] | None = None,
) -> WeekPublication:
    """The week's cells after the k, complementary and audit passes (module docstring)."""
    snap = week.snapshot
    families = tuple(families or week_families())
    obs = team_observations(week)
    teams = sorted(snap.parents)
    reason: dict[Hashable, Reason | None] = {}
    respondents: dict[tuple[str, str], frozenset[str]] = {}
    for family in families:
        people = {t: family.respondents(obs[t]) for t in teams}
        for team, vis in suppress_tree(people, snap.parents, k).items():
            key = (team, family.metric)
            respondents[key] = people[team]
            reason[key] = None if vis.reason is None else _RULES[vis.reason]
    candidates = []
    for family in families:
        for team in teams:
            key = (team, family.metric)
            if reason[key] is None:
                candidates.append(AuditCell(key, family.metric, respondents[key],
                                            family.rows(obs[team])))
            elif reason[key] is Reason.BELOW_K:  # not shown, but tested as a group
                candidates.append(AuditCell(key, family.metric, respondents[key],
                                            published=False))
    findings, rounds = _audit_until_clean(candidates, reason, k)
    cells = []
    for family in families:
        for team in teams:
            key = (team, family.metric)
            cells.append(_cell(snap, family, team, obs[team], respondents[key], reason[key],
                               published_at, k))
    return WeekPublication(snap, tuple(cells), tuple(findings), rounds)


def week_audit_cells(
    week: WeekInput, publication: WeekPublication, families: Sequence[Family] | None = None
) -> list[AuditCell]:
    """A publication as the auditor sees it, rebuilt from its week's input (for re-audits)."""
    obs = team_observations(week)
    by_metric = {f.metric: f for f in (families or week_families())}
    out = []
    for cell in publication.cells:
        family = by_metric.get(cell.metric)
        if family is None or cell.reason not in (None, Reason.BELOW_K):
            continue
        people = family.respondents(obs[cell.team_id])
        rows = family.rows(obs[cell.team_id]) if cell.shown else ()
        out.append(AuditCell((cell.team_id, cell.metric), cell.metric, people, rows, cell.shown))
    return out


def _audit_until_clean(
    candidates: list[AuditCell], reason: dict[Hashable, Reason | None], k: int
) -> tuple[list[Finding], int]:
    """Withhold the smallest published cell of each finding until the auditor finds nothing."""
    found: list[Finding] = []
    rounds = 0
    while True:
        rounds += 1
        findings = audit(candidates, k)
        if not findings:
            return found, rounds
        found.extend(findings)
        by_key = {c.key: c for c in candidates}
        withheld: set[Hashable] = set()
        for finding in findings:
            if withheld & set(finding.cells):
                continue  # an earlier withholding this round may already close it
            victim = min((by_key[key] for key in finding.cells),
                         key=lambda c: (c.n, str(c.key)))
            withheld.add(victim.key)
            reason[victim.key] = Reason.AUDIT
        candidates[:] = [replace(c, published=False, rows=()) if c.key in withheld else c
                         for c in candidates]


def _cell(
    snap: Snapshot, family: Family, team: str, obs: Observations, people: frozenset[str],
    why: Reason | None, published_at: datetime, k: int,
) -> Cell:
    n: int | str | None = len(people)
    value: float | None = None
    detail: tuple[tuple[str, float], ...] = ()
    if why is None:
        value, detail = family.value(obs)
    elif why is Reason.NO_RESPONSES and family.summed:
        why, value = None, 0.0  # a count of nothing is a published zero, not a hidden cell
    elif why is Reason.BELOW_K:
        n = below(k)
    elif why in (Reason.COMPLEMENT, Reason.AUDIT):
        n = None
    return Cell(snap.tenant_id, team, Bucket.WEEK, snap.week, family.metric, value, n, why,
                snap.id, published_at, detail=detail)


def derive_month(
    month: str, weeks: Sequence[WeekPublication], *, published_at: datetime,
    families: Sequence[Family] | None = None,
) -> tuple[Cell, ...]:
    """A month's cells from the published cells of its weeks; ValueError if one is missing."""
    needed = weeks_of_month(month)
    by_week = {w.snapshot.week: w for w in weeks}
    missing = [w for w in needed if w not in by_week]
    if missing:
        raise ValueError(f"month {month} is not closed: weeks {', '.join(missing)} unpublished")
    used = [by_week[w] for w in needed]
    tenant = used[0].snapshot.tenant_id
    summed = {f.metric: f.summed for f in (families or week_families())}
    series: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for pub in used:
        for cell in pub.cells:
            kept = series.setdefault((cell.team_id, cell.metric), [])
            if cell.shown:
                kept.append(cell)
    snapshot = "+".join(pub.snapshot.id for pub in used)
    out = []
    for (team, metric), shown in sorted(series.items()):
        if not shown:
            out.append(Cell(tenant, team, Bucket.MONTH, month, metric, None, None,
                            Reason.NO_PUBLISHED_WEEK, snapshot, published_at, weeks_used=0))
            continue
        values = [c.value for c in shown if c.value is not None]
        value = (math.fsum(values) if summed.get(metric) else fmean(values)) if values else None
        out.append(Cell(tenant, team, Bucket.MONTH, month, metric, value,
                        sum(c.n for c in shown if isinstance(c.n, int)), None, snapshot,
                        published_at, detail=_month_detail(shown), weeks_used=len(shown)))
    return tuple(out)


def _month_detail(shown: Sequence[Cell]) -> tuple[tuple[str, float], ...]:
    """Weekly details averaged; an SE combines as that of a mean of independent estimates."""
    names = [name for name, _ in shown[0].detail]
    out = []
    for name in names:
        values = [dict(c.detail)[name] for c in shown if name in dict(c.detail)]
        if name == "se":
            out.append((name, math.sqrt(math.fsum(v * v for v in values)) / len(values)))
        else:
            out.append((name, fmean(values)))
    return tuple(out)
