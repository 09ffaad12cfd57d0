"""Team pulse analytics over the AnalyticsStore port: series per bucket, pillars, eNPS, kudos.

Every number is an aggregate over a (team + descendant teams, bucket) cell and goes through the
anonymity rules of pulse.anonymity, applied over the whole team tree so that no two published
cells can be subtracted to isolate fewer than k people. Nothing here returns one person's answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pulse.analytics import scoring
from pulse.analytics.anonymity import K_SCORES, Visibility, suppress_tree
from pulse.analytics.ports import AnalyticsStore
from pulse.core import buckets
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket, Team
from pulse.surveys.model import Pillar, Scored

PILLARS = tuple(p for p in Pillar if p is not Pillar.ENPS)


@dataclass(frozen=True)
class Cell:
    """One published aggregate: value (null when hidden), n as shown, and why it is hidden."""

    value: float | None
    n: int | str | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class BucketValue:
    """The team's pulse in one bucket: person-first mean on 0–10 plus 1–5 item shares."""

    bucket: str
    start: datetime
    end: datetime
    value: float | None
    n: int | str | None
    participation: float | None
    suppressed: bool
    reason: str | None
    favourable_pct: float | None = None
    neutral_pct: float | None = None
    unfavourable_pct: float | None = None
    mean_100: float | None = None


@dataclass(frozen=True)
class PillarBucket:
    bucket: str
    start: datetime
    end: datetime
    pillars: dict[Pillar, Cell]


@dataclass(frozen=True)
class EnpsBucket:
    bucket: str
    start: datetime
    end: datetime
    value: float | None
    se: float | None
    n: int | str | None
    suppressed: bool
    reason: str | None
    promoters_pct: float | None = None
    passives_pct: float | None = None
    detractors_pct: float | None = None


@dataclass(frozen=True)
class KudosBucket:
    """Kudos received by the team's members: counts only, nobody named."""

    bucket: str
    start: datetime
    end: datetime
    received: int  # one per (kudos, recipient)
    recipients: int  # distinct people who received at least one
    values: dict[str, int]  # received kudos per #value tag


@dataclass(frozen=True)
class Period:
    """Bucket keys with their UTC bounds, in the tenant's timezone."""

    bucket: Bucket
    tz: str
    keys: tuple[str, ...]
    bounds: tuple[tuple[datetime, datetime], ...]

    @property
    def start(self) -> datetime:
        return self.bounds[0][0]

    @property
    def end(self) -> datetime:
        return self.bounds[-1][1]


def resolve_dates(
    bucket: Bucket | str, start_date: date | None, end_date: date | None, today: date,
    count: int = 12,
) -> tuple[date, date]:
    """(first day, last day): a missing end is today, a missing start is `count` buckets back
    from the end (so by default the last 12 buckets, the current one included)."""
    kind = buckets.parse_bucket(bucket)
    end = end_date or today
    start = start_date or buckets.last_buckets(end, kind, count)[0]
    if start > end:
        raise Invalid("'from' is after 'to'")
    return start, end


def make_period(bucket: Bucket | str, start_date: date, end_date: date, tz: str) -> Period:
    """The buckets holding at least one day of [start_date, end_date], in timezone `tz`."""
    kind = buckets.parse_bucket(bucket)
    keys = buckets.keys_between(start_date, end_date, kind)
    return Period(kind, tz, tuple(keys), tuple(buckets.bounds(key, tz) for key in keys))


def tenant_timezone(store: AnalyticsStore, tenant_id: str, fallback: str = "Europe/Paris") -> str:
    """The tenant's IANA timezone; NotFound for an unknown tenant."""
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        raise NotFound(f"tenant {tenant_id!r}")
    return tenant.timezone or fallback


def get_team(store: AnalyticsStore, tenant_id: str, team_id: str) -> Team:
    """The team, or NotFound (also for another tenant's team)."""
    team = store.get_team(tenant_id, team_id)
    if team is None:
        raise NotFound(f"team {team_id!r}")
    return team


def subtree(teams: Sequence[Team], team_id: str) -> set[str]:
    """The team and all its descendant teams (by parent_id)."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for t in teams:
        children[t.parent_id].append(t.id)
    out, todo = set(), [team_id]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo.extend(children[current])
    return out


class _Cells:
    """Answers of one period grouped by (bucket, team) with tree-wide suppression per metric."""

    def __init__(self, store: AnalyticsStore, tenant_id: str, period: Period, k: int) -> None:
        self.teams = store.list_teams(tenant_id)
        self.parents = {t.id: t.parent_id for t in self.teams}
        self.within = {t.id: subtree(self.teams, t.id) for t in self.teams}
        self.k = k
        self.by_cell: dict[tuple[str, str], list[Scored]] = defaultdict(list)
        answers = store.scored_answers(tenant_id, list(self.parents), period.start, period.end)
        for a in answers:
            key = buckets.bucket_key(a.answered_at, period.bucket, period.tz)
            self.by_cell[(key, a.team_id)].append(a)

    def answers(self, key: str, team_id: str, keep: Callable[[Scored], bool]) -> list[Scored]:
        """Answers of the team and its descendants in one bucket that `keep` selects."""
        return [a for t in self.within[team_id] for a in self.by_cell.get((key, t), ()) if keep(a)]

    def visibility(self, key: str, team_id: str, keep: Callable[[Scored], bool]) -> Visibility:
        """The team's visibility for one metric, decided over the whole tree."""
        respondents = {t: {a.person_id for a in self.answers(key, t, keep)} for t in self.parents}
        return suppress_tree(respondents, self.parents, self.k)[team_id]


def _period(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, tz: str | None,
) -> Period:
    """Check the team exists in the tenant, then cut the period in the tenant's timezone."""
    get_team(store, tenant_id, team_id)
    return make_period(bucket, start_date, end_date, tz or tenant_timezone(store, tenant_id))


def _is_pulse(a: Scored) -> bool:
    return a.pillar is not Pillar.ENPS


def _is_enps(a: Scored) -> bool:
    return a.pillar is Pillar.ENPS


def _cell(value: float | None, vis: Visibility) -> Cell:
    return Cell(value if vis.shown else None, vis.n, vis.suppressed,
                None if vis.reason is None else str(vis.reason))


def team_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, k: int = K_SCORES, tz: str | None = None,
) -> list[BucketValue]:
    """The team's pulse (descendant teams included) per bucket over [start_date, end_date].

    `value` is the person-first mean on 0–10 (None when hidden), `n` the distinct respondents
    (an int, "<k", or None when withheld by complementary suppression), `participation` the
    share of invited people who answered (None when hidden). Raises NotFound / Invalid."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    cells = _Cells(store, tenant_id, period, k)
    invited = _invited(store, tenant_id, cells.within[team_id], period)
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        answers = cells.answers(key, team_id, _is_pulse)
        vis = cells.visibility(key, team_id, _is_pulse)
        if not vis.shown:
            out.append(BucketValue(key, start, end, None, vis.n, None, vis.suppressed,
                                   None if vis.reason is None else str(vis.reason)))
            continue
        agree = [a.value for a in answers if a.scale.bounds == (1, 5)]
        fav = scoring.favourability(agree)
        respondents = {a.person_id for a in answers}
        out.append(BucketValue(
            key, start, end, scoring.pulse_mean(answers), vis.n,
            scoring.participation(respondents, invited.get(key, set())), False, None,
            fav.favourable if fav else None, fav.neutral if fav else None,
            fav.unfavourable if fav else None, scoring.mean_100(agree)))
    return out


def pillar_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, k: int = K_SCORES, tz: str | None = None,
) -> list[PillarBucket]:
    """Person-first 0–10 score of each pillar per bucket, each pillar with its own threshold."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    cells = _Cells(store, tenant_id, period, k)
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        row: dict[Pillar, Cell] = {}
        for pillar in PILLARS:
            def keep(a: Scored, p: Pillar = pillar) -> bool:
                return a.pillar is p
            vis = cells.visibility(key, team_id, keep)
            answers = cells.answers(key, team_id, keep) if vis.shown else []
            row[pillar] = _cell(scoring.pillar_means(answers).get(pillar), vis)
        out.append(PillarBucket(key, start, end, row))
    return out


def enps_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, k: int = K_SCORES, tz: str | None = None,
) -> list[EnpsBucket]:
    """eNPS per bucket from each person's latest eNPS answer in that bucket, with its SE."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    cells = _Cells(store, tenant_id, period, k)
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        vis = cells.visibility(key, team_id, _is_enps)
        result = scoring.enps_of(cells.answers(key, team_id, _is_enps)) if vis.shown else None
        reason = None if vis.reason is None else str(vis.reason)
        if result is None:
            out.append(EnpsBucket(key, start, end, None, None, vis.n, vis.suppressed, reason))
            continue
        out.append(EnpsBucket(key, start, end, result.score, result.se, vis.n, False, None,
                              100 * result.promoters / result.n, 100 * result.passives / result.n,
                              100 * result.detractors / result.n))
    return out


def kudos_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, tz: str | None = None,
) -> list[KudosBucket]:
    """Kudos received by members of the team and its descendants, counted per bucket."""
    teams = store.list_teams(tenant_id)
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    grouped: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    rows = store.kudos_between(tenant_id, subtree(teams, team_id), period.start, period.end)
    for at, recipient, tag in rows:
        grouped[buckets.bucket_key(at, period.bucket, period.tz)].append((recipient, tag))
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        got = grouped.get(key, [])
        tags = Counter(tag for _, tag in got if tag)
        out.append(KudosBucket(key, start, end, len(got), len({r for r, _ in got}), dict(tags)))
    return out


def _invited(
    store: AnalyticsStore, tenant_id: str, team_ids: Iterable[str], period: Period
) -> dict[str, set[str]]:
    """Invited people per bucket, from rounds opened in that bucket."""
    out: dict[str, set[str]] = defaultdict(set)
    raw = store.invited_people(tenant_id, list(team_ids), period.start, period.end)
    for opened, people in raw.items():
        key = buckets.bucket_key(datetime.fromisoformat(opened), period.bucket, period.tz)
        out[key] |= people
    return out
