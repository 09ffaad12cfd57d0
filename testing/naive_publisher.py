"""A deliberately naive publisher: what Miroir did before closed, jointly suppressed weeks.

Read-time computation, as the old analytics service and App Home did: at each read, every
week and calendar month that has data so far (the open ones included) is recomputed from raw
answers over the tree and memberships of that moment, and each metric and granularity is
suppressed on its own with k only (``complement=True`` adds the per-metric tree rule that
pulse.analytics.anonymity applied, which does not save it either). Kudos count private ones
too and have no threshold. The tests audit the union of several reads and must find leaks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from pulse.analytics.anonymity import K_SCORES, descendants, suppress_tree
from pulse.analytics.audit import AuditCell
from pulse.analytics.cells import Receipt
from pulse.analytics.families import (
    Detail,
    EnpsFamily,
    Family,
    FavourableFamily,
    Observations,
    PillarFamily,
    PulseFamily,
    Row,
)
from pulse.core import buckets
from pulse.core.model import Bucket
from pulse.surveys.model import Pillar, Scored
from testing.pulse_world import TZ, World


@dataclass(frozen=True)
class AllKudos:
    """Kudos as the old count did them: private ones included, no threshold."""

    metric: str = "kudos"
    summed: bool = True

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(r.recipient_id for r in obs.receipts)

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        return ({(r.recipient_id, "kudos", r.kudos_id): Fraction(1) for r in obs.receipts},)

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        return float(len(obs.receipts)), ()


@dataclass(frozen=True)
class NaiveCell:
    """One value as read at one instant."""

    read_at: datetime
    team: str
    bucket: str
    metric: str
    respondents: frozenset[str]
    published: bool
    rows: tuple[Row, ...]


def naive_read(world: World, at: datetime, *, k: int = K_SCORES,
               complement: bool = False) -> list[NaiveCell]:
    """Every cell the naive publisher shows at instant `at`."""
    current = [w for w in world.weeks if w.snapshot.bounds()[0] <= at] or [world.weeks[0]]
    snap = current[-1].snapshot  # today's tree and memberships rewrite every past bucket
    answers = [a for w in world.weeks for a in w.answers if a.answered_at <= at]
    receipts = [r for w in world.weeks for r in w.receipts if r.at <= at]
    pillars = sorted({a.pillar for a in answers if a.pillar is not Pillar.ENPS}, key=str)
    families: tuple[Family, ...] = (PulseFamily(), *(PillarFamily(p) for p in pillars),
                FavourableFamily(), EnpsFamily(), AllKudos())
    under = descendants(snap.parents)
    out = []
    for bucket in _buckets(answers, receipts):
        kind = buckets.parse_key(bucket)[0]
        by_team_a: dict[str, list[Scored]] = defaultdict(list)
        by_team_r: dict[str, list[Receipt]] = defaultdict(list)
        for a in answers:
            if a.person_id in snap.home and buckets.bucket_key(a.answered_at, kind, TZ) == bucket:
                by_team_a[snap.home[a.person_id]].append(a)
        for r in receipts:
            if r.recipient_id in snap.home and buckets.bucket_key(r.at, kind, TZ) == bucket:
                by_team_r[snap.home[r.recipient_id]].append(r)
        obs = {t: Observations(tuple(a for s in (t, *under[t]) for a in by_team_a[s]),
                               tuple(r for s in (t, *under[t]) for r in by_team_r[s]))
               for t in snap.parents}
        for family in families:
            people = {t: family.respondents(obs[t]) for t in snap.parents}
            if isinstance(family, AllKudos):
                shown = {t: bool(people[t]) for t in people}
            elif complement:
                shown = {t: v.shown for t, v in suppress_tree(people, snap.parents, k).items()}
            else:
                shown = {t: len(people[t]) >= k for t in people}
            for t in snap.parents:
                rows = family.rows(obs[t]) if shown[t] else ()
                out.append(NaiveCell(at, t, bucket, family.metric, people[t], shown[t], rows))
    return out


def _buckets(answers: Iterable[Scored], receipts: Iterable[Receipt]) -> list[str]:
    instants = [a.answered_at for a in answers] + [r.at for r in receipts]
    keys = {buckets.bucket_key(at, kind, TZ) for at in instants
            for kind in (Bucket.WEEK, Bucket.MONTH)}
    return sorted(keys)


def read_times(world: World) -> list[datetime]:
    """When the curious manager reads: mid-week (the open week) and at each week's end."""
    out = []
    for w in world.weeks:
        start, end = w.snapshot.bounds()
        out += [start + (end - start) / 2, end - timedelta(seconds=1)]
    return out


def naive_publication(world: World, *, k: int = K_SCORES,
                      complement: bool = False) -> list[AuditCell]:
    """Everything the naive publisher showed over all reads, as the auditor sees it."""
    seen: dict[object, AuditCell] = {}
    for at in read_times(world):
        for cell in naive_read(world, at, k=k, complement=complement):
            # The same numbers read twice are one cell: keep the first read.
            content = tuple(frozenset(r.items()) for r in cell.rows)
            signature = (cell.metric, cell.published, cell.respondents, content)
            if signature not in seen:
                key = (cell.read_at.isoformat(), cell.team, cell.bucket, cell.metric)
                seen[signature] = AuditCell(key, cell.metric, cell.respondents, cell.rows,
                                            cell.published)
    return list(seen.values())
