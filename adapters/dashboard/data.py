"""Every number the dashboard shows comes through here, as plain view models (views.py).

TODO(publication layer): today these functions call pulse/analytics/service.py's series
functions, pulse/analytics/trend.py and pulse/linkage/service.py, which compute from answers at
read time (the same numbers as /api/v1 answers today). Once the publication layer lands, every
function here MUST read the published cells instead (closed buckets, frozen tree, joint
suppression), and nothing else in adapters/dashboard needs to change: pages and charts only
see the view models below, never where their numbers come from. Two things change with it: the
open week then shows participation only (today it shows a value, as /api/v1 does), and the
trend's band needs its own published metric (today pulse/analytics/trend.py computes it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any, Protocol, cast

from adapters.dashboard import views as v
from bot.runtime import Runtime
from pulse.analytics import irritant_trends as trend_cells
from pulse.analytics import service as analytics
from pulse.analytics.trend import team_trend
from pulse.core import buckets
from pulse.core.errors import NotFound
from pulse.core.model import Bucket, Person, Team
from pulse.core.ports import SigninRepository
from pulse.core.reach import Reach
from pulse.cx.model import CxAggregateKind
from pulse.cx.ports import CxRepository
from pulse.irritants.model import IrritantFilter, IrritantStatus
from pulse.irritants.service import TRANSITIONS
from pulse.linkage import service as linkage
from pulse.linkage.barometer import Aligned
from pulse.linkage.stats import critical_r, methodology
from pulse.linkage.symmetry import CX_THRESHOLD, EX_THRESHOLD
from pulse.ports import Store
from pulse.surveys.model import Scale

WEEKS = 12
MONTHS = 3
CSAT = CxAggregateKind.CSAT_PCT  # the barometer's CX side, as /api/v1/link defaults to


class DashboardStore(Store, CxRepository, SigninRepository, Protocol):
    """What the dashboard reads and writes through the pulse use cases."""


def store_of(runtime: Runtime) -> DashboardStore:
    """The runtime's store, seen through the ports the dashboard uses."""
    return cast(DashboardStore, runtime.store)


def tenant_tz(runtime: Runtime, tenant_id: str) -> str:
    """The tenant's IANA timezone."""
    return analytics.tenant_timezone(runtime.store, tenant_id, runtime.timezone)


def today(runtime: Runtime, tenant_id: str) -> date:
    """Today in the tenant's timezone (buckets are cut there)."""
    return buckets.local_day(runtime.clock.now(), tenant_tz(runtime, tenant_id))


def tree(teams: list[Team], reach: Reach) -> tuple[v.TeamRef, ...]:
    """The teams in reach, parents before children, depth from the reader's top teams."""
    by_id = {t.id: t for t in teams if reach.sees(t.id)}
    children: dict[str | None, list[Team]] = defaultdict(list)
    for team in by_id.values():
        parent = team.parent_id if team.parent_id in by_id else None
        children[parent].append(team)
    out: list[v.TeamRef] = []

    def walk(parent: str | None, depth: int) -> None:
        for team in sorted(children[parent], key=lambda t: t.name.lower()):
            out.append(v.TeamRef(team.id, team.name, depth, team.parent_id))
            walk(team.id, depth + 1)

    walk(None, 0)
    return tuple(out)


def _cell(value: float | None, n: int | str | None, reason: str | None) -> v.Cell:
    return v.Cell(value if reason is None else None, n, reason)


def overview(runtime: Runtime, reach: Reach, month: str | None = None) -> v.Overview:
    """Teams × weeks (pulse, participation) and teams × pillars for one month."""
    tenant_id = reach.person.tenant_id
    tz, day = tenant_tz(runtime, tenant_id), today(runtime, tenant_id)
    refs = tree(runtime.store.list_teams(tenant_id), reach)
    start, end = analytics.resolve_dates(Bucket.WEEK, None, None, day, WEEKS)
    month = month or closed_months(day)[0]
    m_start, m_end = _month_days(month)
    pulse_rows, part_rows, pillar_rows = [], [], []
    weeks: tuple[str, ...] = ()
    for ref in refs:
        series = analytics.team_series(runtime.store, tenant_id, ref.id, Bucket.WEEK, start, end,
                                       k=runtime.k_scores, tz=tz)
        weeks = tuple(b.bucket for b in series)
        pulse_rows.append(v.HeatRow(ref, tuple(_cell(b.value, b.n, b.reason) for b in series)))
        part_rows.append(v.HeatRow(ref, tuple(_cell(b.participation, b.n, b.reason)
                                              for b in series)))
        [pillars] = analytics.pillar_series(runtime.store, tenant_id, ref.id, Bucket.MONTH,
                                            m_start, m_end, k=runtime.k_scores, tz=tz)
        pillar_rows.append(v.HeatRow(ref, tuple(_cell(c.value, c.n, c.reason)
                                                for c in pillars.pillars.values())))
    codes = tuple(str(p) for p in analytics.PILLARS)
    return v.Overview(weeks, v.Heatmap(weeks, tuple(pulse_rows), "ten"),
                      v.Heatmap(weeks, tuple(part_rows), "pct"),
                      v.Heatmap(codes, tuple(pillar_rows), "ten"), month, refs)


def closed_months(day: date, count: int = MONTHS) -> list[str]:
    """The `count` calendar months before the one holding `day`, latest first."""
    out, first = [], day.replace(day=1)
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(f"{first:%Y-%m}")
    return out


def _month_days(key: str) -> tuple[date, date]:
    _kind, first, after = buckets.parse_key(key)
    return first, after - timedelta(days=1)


def team_page(runtime: Runtime, reach: Reach, team_id: str) -> v.TeamPage:
    """Trend with its band, pillars by month, eNPS, participation, kudos, irritant categories."""
    if not reach.sees(team_id):
        raise NotFound("team")  # outside the reach a team does not exist: 404, never 403
    store, tenant_id = runtime.store, reach.person.tenant_id
    tz, day = tenant_tz(runtime, tenant_id), today(runtime, tenant_id)
    refs = tree(store.list_teams(tenant_id), reach)
    ref = next(r for r in refs if r.id == team_id)
    start, end = analytics.resolve_dates(Bucket.WEEK, None, None, day, WEEKS)
    trend = tuple(
        v.TrendPoint(p.value.bucket, p.value.value, p.low, p.high, p.value.n, p.value.reason,
                     p.value.participation)
        for p in team_trend(store, tenant_id, team_id, Bucket.WEEK, start, end,
                            k=runtime.k_scores, tz=tz))
    months = sorted(closed_months(day))
    m_start, m_end = _month_days(months[0])[0], _month_days(months[-1])[1]
    pillar_rows = tuple(
        v.HeatRow(v.TeamRef(p.bucket, p.bucket), tuple(_cell(c.value, c.n, c.reason)
                                                      for c in p.pillars.values()))
        for p in analytics.pillar_series(store, tenant_id, team_id, Bucket.MONTH, m_start,
                                         m_end, k=runtime.k_scores, tz=tz))
    e_start = _month_days(closed_months(day, 6)[-1])[0]
    enps = tuple(v.EnpsPoint(e.bucket, e.value, e.se, e.n, e.reason)
                 for e in analytics.enps_series(store, tenant_id, team_id, Bucket.MONTH,
                                                e_start, m_end, k=runtime.k_scores, tz=tz))
    kudos = analytics.kudos_series(store, tenant_id, team_id, Bucket.WEEK, start, end, tz=tz)
    values: Counter[str] = Counter()
    for k in kudos:
        values.update(k.values)
    categories, hidden = _irritant_categories(runtime, tenant_id, team_id, start, tz)
    return v.TeamPage(
        ref, tuple(r for r in refs if r.parent_id == team_id), trend,
        v.Heatmap(tuple(str(p) for p in analytics.PILLARS), pillar_rows, "ten"), enps,
        tuple(v.KudosPoint(k.bucket, k.received, k.recipients) for k in kudos
              if k.received is not None),
        tuple(values.most_common(5)), categories, hidden, runtime.k_scores, runtime.k_comments)


def _irritant_categories(runtime: Runtime, tenant_id: str, team_id: str, start: date, tz: str
                         ) -> tuple[tuple[v.CategoryCount, ...], bool]:
    """The team's irritant categories over its closed weeks since `start`: the same cells as
    /api/v1/irritants/trends (k distinct reporters, complement over the tree), summed; an open
    week shows nothing, so a new irritant never moves these counts within seconds."""
    now = runtime.clock.now()
    store = runtime.store
    parents = {t.id: t.parent_id for t in store.list_teams(tenant_id)}
    keys = trend_cells.closed_keys(Bucket.WEEK, buckets.key_of_day(start, Bucket.WEEK), None,
                                   now, tz)
    if not keys:
        return (), False
    scope = IrritantFilter(start=buckets.bounds(keys[0], tz)[0],
                           end=buckets.bounds(keys[-1], tz)[1])
    reports = [trend_cells.Report(reporter, i.team_id, i.category, i.created_at)
               for i in store.list_irritants(tenant_id, scope)
               if (reporter := store.reporter_of(i.id)) is not None]
    cells = trend_cells.trend(reports, parents, team_id, Bucket.WEEK, keys, tz,
                              runtime.k_comments, now)
    counts: Counter[str] = Counter()
    for cell in cells:
        counts.update(cell.counts or {})
    within = analytics.subtree(store.list_teams(tenant_id), team_id)
    hidden = not counts and any(r.team_id in within for r in reports)
    return tuple(v.CategoryCount(c, n) for c, n in counts.most_common()), hidden


def board(runtime: Runtime, reach: Reach) -> v.Board:
    """Irritants in reach by status; a team with fewer than k_comments reporters stays hidden."""
    store, tenant_id = runtime.store, reach.person.tenant_id
    tz = tenant_tz(runtime, tenant_id)
    teams = {t.id: t for t in store.list_teams(tenant_id)}
    reporters = store.count_reporters(tenant_id, IrritantFilter())
    by_status: dict[str, list[v.IrritantCard]] = defaultdict(list)
    hidden: set[str] = set()
    for item in store.list_irritants(tenant_id, IrritantFilter()):
        if not (reach.sees(item.team_id or "") or reach.sees(item.owner_team_id or "")):
            continue
        if reporters.get(item.team_id, 0) < runtime.k_comments:
            hidden.add(item.team_id or "")
            continue
        by_status[str(item.status)].append(v.IrritantCard(
            item.id, str(item.category), str(item.status), item.text,
            _ref(teams, item.team_id), _ref(teams, item.owner_team_id), item.owner_note,
            buckets.bucket_key(item.created_at, Bucket.MONTH, tz),
            tuple(str(s) for s in IrritantStatus if s in TRANSITIONS[item.status])))
    for cards in by_status.values():
        cards.sort(key=lambda c: (c.category, c.id))  # never arrival order: it hints at authors
    columns = tuple((str(s), tuple(by_status.get(str(s), ()))) for s in IrritantStatus)
    return v.Board(columns, tuple(r for t in sorted(hidden) if (r := _ref(teams, t))),
                   runtime.k_comments)


def _ref(teams: dict[str, Team], team_id: str | None) -> v.TeamRef | None:
    team = teams.get(team_id or "")
    return v.TeamRef(team.id, team.name, 0, team.parent_id) if team else None


def irritant_in_reach(runtime: Runtime, reach: Reach, irritant_id: str) -> bool:
    """True when the reader may act on this irritant (it is on their board)."""
    item = runtime.store.get_irritant(reach.person.tenant_id, irritant_id)
    if item is None:
        return False
    return reach.sees(item.team_id or "") or reach.sees(item.owner_team_id or "")


def my_answers(runtime: Runtime, person: Person, limit: int = 12) -> tuple[v.MyAnswer, ...]:
    """The person's own recent answers: only they see them."""
    store, now = runtime.store, runtime.clock.now()
    team_id = store.team_of(person.id, now.date())
    if team_id is None:
        return ()
    answers = store.scored_answers(person.tenant_id, [team_id], now - timedelta(weeks=WEEKS), now)
    mine = sorted((a for a in answers if a.person_id == person.id),
                  key=lambda a: a.answered_at, reverse=True)[:limit]
    out = []
    for a in mine:
        question = store.get_question(a.question_id)
        out.append(v.MyAnswer(buckets.local_day(a.answered_at, person.timezone).isoformat(),
                              question.text(person.locale) if question else a.question_id,
                              a.value, 5 if a.scale is Scale.AGREE5 else 10))
    return tuple(out)


def barometer(runtime: Runtime, reach: Reach, *, k_cx: int, bucket: Bucket,
              first: date | None, last: date | None, team_id: str | None,
              symmetry_bucket: str | None) -> v.Barometer:
    """The barometer of /api/v1/link/* for one period: correlation, lags, quadrant, method."""
    tenant_id = reach.person.tenant_id
    tz, day = tenant_tz(runtime, tenant_id), today(runtime, tenant_id)
    first, last = (first, last) if first and last else linkage.window(day, None, None, bucket)
    store = store_of(runtime)
    data = linkage.barometer_inputs(store, tenant_id, None, bucket, CSAT, first, last,
                                    k_scores=runtime.k_scores, k_cx=k_cx)
    rows = linkage.aligned(data)
    refs = {r.id: r for r in tree(store.list_teams(tenant_id), reach)}
    linked = tuple(refs[t] for t in refs if data.cx.get(t))
    team = refs.get(team_id or "") or (linked[0] if linked and not team_id else None)
    if team_id and team is None:
        raise NotFound("team")
    eligible = sorted({r.bucket for rs in rows.values() for r in rs if r.eligible})
    chosen = symmetry_bucket or (eligible[-1] if eligible else None)
    org = linkage.org_link(data)
    return v.Barometer(
        bucket=str(bucket), first=first.isoformat(), last=last.isoformat(), team=team,
        teams=linked, link=_team_link(rows[team.id]) if team else None,
        org_total=org.total.r, org_between=org.between.r, org_within=org.pooled_within.r,
        org_n_obs=org.n_obs, org_n_teams=org.n_teams, org_between_shown=org.between.display,
        symmetry_bucket=chosen, **_quadrant(runtime, store, tenant_id, tz, chosen, k_cx, refs),
        ex_threshold=EX_THRESHOLD, cx_threshold=CX_THRESHOLD,
        methodology=methodology(str(bucket), tz, runtime.k_scores, k_cx, cx_metric=str(CSAT),
                                ex_metric="pulse_mean", unmapped_cx_ratings=data.unmapped),
        buckets=tuple(buckets.keys_between(first, last, bucket)))


def _team_link(rows: list[Aligned]) -> v.TeamLink:
    """One team's correlation and lag scan, with the Bonferroni |r| for each lag."""
    link = linkage.team_link(rows, "none", 4)
    c, scan = link.correlation, link.lag_scan
    lags = tuple(v.LagBar(lag.k, lag.n, lag.r, lag.ci95[0] if lag.ci95 else None,
                          lag.ci95[1] if lag.ci95 else None, lag.p, lag.significant,
                          critical_r(lag.n, scan.alpha_bonferroni)) for lag in scan.lags)
    return v.TeamLink(c.n, c.pearson_r, c.pearson_ci95, c.pearson_p, c.spearman_rho, c.display,
                      c.significant, c.strength, c.flags, link.reading, lags,
                      scan.alpha_bonferroni, scan.best_lag, scan.direction)


def _quadrant(runtime: Runtime, store: DashboardStore, tenant_id: str, tz: str,
              key: str | None, k_cx: int, refs: dict[str, v.TeamRef]) -> dict[str, Any]:
    """Quadrant points and the z-score mode of /link/symmetry for one bucket."""
    if key is None:
        return {"quadrant": (), "symmetry_mode": None}
    kind, first, last = linkage.symmetry_window(key)
    data = linkage.barometer_inputs(store, tenant_id, None, kind, CSAT, first, last,
                                    k_scores=runtime.k_scores, k_cx=k_cx)
    mode, rows = linkage.symmetry_view(data, key, None, EX_THRESHOLD, CX_THRESHOLD)
    points = tuple(
        v.QuadrantPoint(refs.get(row.team_id) or v.TeamRef(row.team_id, row.team_id),
                        row.ex, row.cx, row.z_ex, row.z_cx, row.gap, row.symmetry_score,
                        row.quadrant, label.label, label.reason)
        for row, label in rows)
    return {"quadrant": points, "symmetry_mode": mode}
