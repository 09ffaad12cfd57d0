"""Team analytics read from published cells: series per bucket, pillars, eNPS, kudos.

Nothing here reads an answer. A closed bucket's numbers are the published cells of
pulse.analytics.publication (k, tree complement and the auditor decided once, jointly, when the
week closed); a request is one indexed query over them. The open bucket (the one holding `now`)
shows participation counts only ("12 of 20 have answered"), never a value: an open bucket read
twice would tell whoever answered in between. A closed bucket still in its grace period reads
"not_published" until the publication job has run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from pulse.analytics.anonymity import K_SCORES
from pulse.analytics.cells import Cell as Published
from pulse.analytics.cells import weeks_of_month
from pulse.analytics.families import PILLARS
from pulse.analytics.model import (
    NOT_PUBLISHED,
    PULSE_METRICS,
    REASONS,
    BucketValue,
    Cell,
    EnpsBucket,
    KudosBucket,
    Period,
    PillarBucket,
    Status,
)
from pulse.analytics.ports import AnalyticsStore
from pulse.core import buckets
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket, Team
from pulse.surveys.model import Pillar


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
    return Period(kind, tz, tuple(keys), tuple(span(key, tz) for key in keys))


def span(key: str, tz: str) -> tuple[datetime, datetime]:
    """A bucket's [start, end): a month spans its ISO weeks (those whose Thursday it holds),
    since it is derived from them."""
    if buckets.parse_key(key)[0] is Bucket.MONTH:
        weeks = weeks_of_month(key)
        return buckets.bounds(weeks[0], tz)[0], buckets.bounds(weeks[-1], tz)[1]
    return buckets.bounds(key, tz)


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


class _Read:
    """One period's published cells of some teams (one query), and the open bucket's counts."""

    def __init__(self, store: AnalyticsStore, tenant_id: str, team_ids: Sequence[str],
                 period: Period, metrics: Iterable[str], now: datetime | None) -> None:
        self.period = period
        self.cells: dict[tuple[str, str, str], Published] = {
            (c.team_id, c.bucket, c.metric): c for c in store.cells(
                tenant_id, team_ids, period.bucket, metrics, period.keys[0], period.keys[-1])}
        published = {(team, key) for team, key, _ in self.cells}
        self.status: dict[tuple[str, str], Status] = {}
        tree: list[Team] | None = None
        for team in team_ids:
            for key, (start, end) in zip(period.keys, period.bounds, strict=True):
                if (team, key) in published:
                    continue
                if now is not None and start <= now < end:
                    tree = tree if tree is not None else store.list_teams(tenant_id)
                    answered, invited = store.open_participation(
                        tenant_id, subtree(tree, team), start, end)
                    self.status[(team, key)] = Status(True, answered, invited)
                else:
                    self.status[(team, key)] = Status(pending=True)

    def get(self, team: str, key: str, metric: str) -> Published | None:
        return self.cells.get((team, key, metric))


def _cell(c: Published | None, status: Status | None) -> Cell:
    if c is None:
        return Cell(None, None, True, status.reason if status else NOT_PUBLISHED)
    return Cell(c.value, c.n, not c.shown, None if c.reason is None else REASONS[c.reason])


def _period(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, tz: str | None,
) -> Period:
    """Check the team exists in the tenant, then cut the period in the tenant's timezone."""
    get_team(store, tenant_id, team_id)
    return make_period(bucket, start_date, end_date, tz or tenant_timezone(store, tenant_id))


def _pulse_point(read: _Read, team: str, key: str, start: datetime, end: datetime
                 ) -> BucketValue:
    status = read.status.get((team, key))
    if status is not None:
        return BucketValue(key, start, end, None, None, None, True, status.reason,
                           open=status.open, answered=status.answered, invited=status.invited)
    pulse = _cell(read.get(team, key, "pulse"), None)
    part = read.get(team, key, "participation")
    fav = read.get(team, key, "favourable")
    raw = read.get(team, key, "pulse")
    weeks = raw.weeks_used if raw is not None else None
    if pulse.suppressed:
        return BucketValue(key, start, end, None, pulse.n, None, True, pulse.reason,
                           weeks_used=weeks)
    shares = dict(fav.detail) if fav is not None and fav.shown else {}
    return BucketValue(
        key, start, end, pulse.value, pulse.n,
        part.value if part is not None and part.shown else None, False, None,
        fav.value if fav is not None and fav.shown else None, shares.get("neutral"),
        shares.get("unfavourable"), None, weeks)


def pulse_by_team(
    store: AnalyticsStore, tenant_id: str, team_ids: Sequence[str], bucket: Bucket | str,
    start_date: date, end_date: date, *, tz: str, now: datetime | None = None,
) -> dict[str, list[BucketValue]]:
    """Several teams' pulse series in one query (the barometer's EX side)."""
    period = make_period(bucket, start_date, end_date, tz)
    read = _Read(store, tenant_id, team_ids, period, PULSE_METRICS, now)
    return {team: [_pulse_point(read, team, key, s, e)
                   for key, (s, e) in zip(period.keys, period.bounds, strict=True)]
            for team in team_ids}


def team_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, k: int = K_SCORES, tz: str | None = None,
    now: datetime | None = None,
) -> list[BucketValue]:
    """The team's published pulse (descendant teams included) per bucket; `k` is the one the
    cells were published with. Raises NotFound / Invalid."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    return pulse_by_team(store, tenant_id, [team_id], period.bucket, start_date, end_date,
                         tz=period.tz, now=now)[team_id]


def pillar_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, k: int = K_SCORES, tz: str | None = None,
    now: datetime | None = None,
) -> list[PillarBucket]:
    """Each pillar's published person-first score on 0–10 per bucket."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    metrics: dict[Pillar, str] = {p: f"pillar:{p.value}" for p in PILLARS}
    read = _Read(store, tenant_id, [team_id], period, metrics.values(), now)
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        status = read.status.get((team_id, key)) or Status()
        row = {p: _cell(read.get(team_id, key, m), status) for p, m in metrics.items()}
        out.append(PillarBucket(key, start, end, row, status.open, status.answered,
                                status.invited))
    return out


def enps_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, k: int = K_SCORES, tz: str | None = None,
    now: datetime | None = None,
) -> list[EnpsBucket]:
    """Published eNPS per bucket (each person's latest eNPS answer in the week), with its SE."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    read = _Read(store, tenant_id, [team_id], period, ["enps"], now)
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        status = read.status.get((team_id, key)) or Status()
        raw = read.get(team_id, key, "enps")
        cell = _cell(raw, status)
        d = dict(raw.detail) if raw is not None and raw.shown else {}
        out.append(EnpsBucket(key, start, end, cell.value, d.get("se"), cell.n, cell.suppressed,
                              cell.reason, d.get("promoters"), d.get("passives"),
                              d.get("detractors"), status.open, status.answered, status.invited))
    return out


def kudos_series(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str,
    start_date: date, end_date: date, *, tz: str | None = None, now: datetime | None = None,
) -> list[KudosBucket]:
    """Public kudos received by the team and its descendants per bucket, under the k rule."""
    period = _period(store, tenant_id, team_id, bucket, start_date, end_date, tz)
    read = _Read(store, tenant_id, [team_id], period, ["kudos"], now)
    out = []
    for key, (start, end) in zip(period.keys, period.bounds, strict=True):
        status = read.status.get((team_id, key)) or Status()
        cell = _cell(read.get(team_id, key, "kudos"), status)
        received = None if cell.value is None else int(cell.value)
        out.append(KudosBucket(key, start, end, received, cell.n, {}, cell.suppressed,
                               cell.reason, status.open, status.answered, status.invited))
    return out
