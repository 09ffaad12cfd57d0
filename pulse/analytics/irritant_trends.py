"""Irritant trends and released texts: reporter-counted cells on fixed, closed buckets,
suppressed jointly across the team tree.

Why each rule (issue 10, attack class 6):

1. Fixed buckets only: ISO weeks in the tenant's timezone, and months made of the weeks whose
   Thursday falls in them (the pulse cells' rule). A free start/end would let a one-day window
   show one reporter's category; the API refuses them.
2. Closed buckets only: an open week changes with each report, so two reads would isolate
   whoever reported in between.
3. k distinct reporters per cell, and the complementary rule over the team tree under a
   virtual org root (pulse.analytics.anonymity.suppress_tree, with reporters as the people):
   the org's counts minus every shown team never leaves 1..k−1 reporters, so "org − team"
   cannot isolate a small hidden team. Each team's cell covers its whole subtree.
4. The listing of texts is part of the same decision: each team's own reports (not its
   subtree) form a virtual leaf "<team>#own" under it, so the texts shown for a team and week
   are one more cell of the same suppress_tree run, and "org trend − listed texts" is covered
   by the complementary rule like any other difference.
5. Months are derived from the shown weekly cells of the same team (their sum, with the number
   of weeks used), never recounted from reports: a month is then a fixed sum of cells the reader
   already has, and "month − its weeks" isolates nobody.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pulse.analytics.anonymity import descendants, suppress_tree
from pulse.analytics.cells import month_of_week, weeks_of_month
from pulse.core import buckets
from pulse.core.errors import Invalid
from pulse.core.model import Bucket
from pulse.irritants.model import Irritant, IrritantCategory
from pulse.irritants.ports import IrritantRepository

ORG = ""  # the virtual root: the whole tenant, and reports whose team is unknown
OWN = "#own"  # suffix of the virtual leaf holding a team's direct reports (the listing's group)


@dataclass(frozen=True)
class Report:
    """One irritant as the trend counts it: who raised it (never shown), where, what, when."""

    reporter: str
    team_id: str | None
    category: IrritantCategory
    created_at: datetime
    irritant_id: str = ""


@dataclass(frozen=True)
class TrendCell:
    """One period of a team's trend: counts per category, or withheld with a reason."""

    period: str
    counts: dict[str, int] | None
    reason: str | None = None  # below_k | complement | no_published_week | open
    weeks_used: int | None = None  # months only

    @property
    def hidden(self) -> bool:
        return self.counts is None


def closed_keys(bucket: Bucket, first: str | None, last: str | None, now: datetime, tz: str,
                default: int = 12) -> list[str]:
    """The closed bucket keys in [first, last]; by default the `default` before the open one."""
    for key in (first, last):
        if key is not None and buckets.parse_key(key)[0] is not bucket:
            raise Invalid(f"{key!r} is not a {bucket} key (2026-W10 or 2026-03)")
    today = buckets.local_day(now, tz)
    open_key = buckets.key_of_day(today, bucket)
    top = min(last, _previous(open_key)) if last else _previous(open_key)
    if first is None:
        keys = [top]
        while len(keys) < default:
            keys.append(_previous(keys[-1]))
        return sorted(keys)
    if first > top:
        return []
    return buckets.keys_between(buckets.parse_key(first)[1], buckets.parse_key(top)[1], bucket)


def _previous(key: str) -> str:
    kind, first, _ = buckets.parse_key(key)
    return buckets.key_of_day(first - timedelta(days=1), kind)


def _tree(parents: Mapping[str, str | None]) -> dict[str, str | None]:
    """The team tree hung under the virtual org root, each team with its own-reports leaf."""
    tree: dict[str, str | None] = {ORG: None, **{t: (p if p in parents else ORG)
                                                for t, p in parents.items()}}
    return {**tree, **{t + OWN: t for t in tree}}


def week_cells(reports: Iterable[Report], parents: Mapping[str, str | None], week: str,
               tz: str, k: int) -> dict[str, TrendCell]:
    """Every team's cell (and the org's, key ORG) for one closed week, suppressed jointly."""
    tree = _tree(parents)
    start, end = buckets.bounds(week, tz)
    own: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        if start <= r.created_at < end:
            own[(r.team_id if r.team_id in parents and r.team_id else ORG) + OWN].append(r)
    under = descendants(tree)
    scoped = {t: [r for u in (t, *under[t]) for r in own.get(u, ())] for t in tree}
    people = {t: {r.reporter for r in rs} for t, rs in scoped.items()}
    out = {}
    for team, vis in suppress_tree(people, tree, k).items():
        if vis.suppressed:
            reason = "complement" if vis.n is None else "below_k"
            out[team] = TrendCell(week, None, reason)
        else:
            out[team] = TrendCell(week, dict(sorted(Counter(str(r.category)
                                                            for r in scoped[team]).items())))
    return out


def trend(reports: Sequence[Report], parents: Mapping[str, str | None], team: str | None,
          bucket: Bucket, keys: Sequence[str], tz: str, k: int, now: datetime
          ) -> list[TrendCell]:
    """The team's (None: the org's) cells for these keys; a bucket not closed shows nothing."""
    if team is not None and team not in parents:
        raise Invalid(f"unknown team {team!r}")
    target = team or ORG
    out = []
    for key in keys:
        if buckets.bounds(key, tz)[1] > now:
            out.append(TrendCell(key, None, "open"))
        elif bucket is Bucket.WEEK:
            out.append(week_cells(reports, parents, key, tz, k)[target])
        else:
            out.append(_month(reports, parents, target, key, tz, k, now))
    return out


def _month(reports: Sequence[Report], parents: Mapping[str, str | None], target: str,
           month: str, tz: str, k: int, now: datetime) -> TrendCell:
    """The sum of the month's shown weekly cells; nothing until its last week has closed."""
    if any(buckets.bounds(w, tz)[1] > now for w in weeks_of_month(month)):
        return TrendCell(month, None, "open")
    weeks = [week_cells(reports, parents, w, tz, k)[target] for w in weeks_of_month(month)
             if month_of_week(w) == month]
    shown = [w for w in weeks if w.counts is not None]
    if not shown:
        return TrendCell(month, None, "no_published_week", 0)
    total: Counter[str] = Counter()
    for w in shown:
        total.update(w.counts or {})
    return TrendCell(month, dict(sorted(total.items())), None, len(shown))


def listed(reports: Sequence[Report], parents: Mapping[str, str | None], tz: str, k: int,
           now: datetime) -> set[str]:
    """Ids of the texts an owner may read: closed weeks whose own-team cell is shown."""
    by_week: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_week[buckets.bucket_key(r.created_at, Bucket.WEEK, tz)].append(r)
    out: set[str] = set()
    for week, items in by_week.items():
        if buckets.bounds(week, tz)[1] > now:
            continue  # the open week: nothing, not even a count
        cells = week_cells(reports, parents, week, tz, k)
        out |= {r.irritant_id for r in items
                if not cells[(r.team_id if r.team_id in parents and r.team_id else ORG)
                             + OWN].hidden}
    return out


def released_ids(repo: IrritantRepository, irritants: Iterable[Irritant],
                 parents: Mapping[str, str | None], tz: str, k: int, now: datetime) -> set[str]:
    """Ids of the anonymous texts owners may read now: closed weeks, own-team cell shown."""
    reports = [Report(reporter, i.team_id, i.category, i.created_at, i.id)
               for i in irritants if (reporter := repo.reporter_of(i.id)) is not None]
    return listed(reports, parents, tz, k, now)
