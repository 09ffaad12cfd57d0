"""The publication use case: which closed weeks are due, freeze them, publish, store, derive months.

A week is due once it is closed and its grace period is over, in the tenant's timezone: by
default the Monday after at 06:00 (``grace_hours`` after the week's end), so answers given late
on Sunday evening are in. Every unpublished due week is published, oldest first (the first run
catches up on the whole history), starting with the first week of the month that holds the
tenant's first round or kudos, so that every week of each month is published and the month
can be derived.

Late answers: an answer given after its week was published is kept (the person's own history
shows it) but never enters a published cell: the week's cells are written once and never
updated, and the answer's own instant places it in the week it was given, not the round's.

Each publication loads one week of one tenant only (lean rows: the answers' scoring columns, the
invited people, the kudos receipts), freezes the tree and home teams at the week's end
(pulse.analytics.cells.take_snapshot), runs pulse.analytics.publish.publish_week (k, tree
complement, auditor rounds) and stores the snapshot with its cells in one unit of work. The
auditor's findings have already withheld cells; they are logged here. A month is derived from
its published weeks (publish.derive_month) as soon as they are all published.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pulse.analytics.anonymity import K_SCORES
from pulse.analytics.audit import Finding, audit
from pulse.analytics.cells import Cell, Reason, month_of_week, take_snapshot, weeks_of_month
from pulse.analytics.families import week_families
from pulse.analytics.ports import PublicationStore
from pulse.analytics.publish import (
    WeekInput,
    WeekPublication,
    derive_month,
    publish_week,
    week_audit_cells,
)
from pulse.core import buckets
from pulse.core.errors import NotFound
from pulse.core.model import Bucket

log = logging.getLogger("miroir.publication")
GRACE_HOURS = 6  # the Monday after the week, at 06:00 in the tenant's timezone


@dataclass
class PublicationReport:
    """What one run published, and what the auditor withheld on the way."""

    tenant_id: str
    weeks: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    cells: int = 0
    findings: int = 0
    withheld: int = 0


def week_due_at(week: str, tz: str, grace_hours: int = GRACE_HOURS) -> datetime:
    """The instant a week may be published: its end in the tenant's timezone plus the grace."""
    return buckets.bounds(week, tz)[1] + timedelta(hours=grace_hours)


def due_weeks(store: PublicationStore, tenant_id: str, now: datetime,
              grace_hours: int = GRACE_HOURS) -> list[str]:
    """Closed weeks past their grace period and not yet published, oldest first."""
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        raise NotFound(f"tenant {tenant_id!r}")
    first = store.first_activity(tenant_id)
    if first is None:
        return []
    tz = tenant.timezone
    # Start at the first week of that month so that every month can be derived in full.
    # (the month of the first week, by the ISO rule, not the calendar month of the instant).
    month = month_of_week(buckets.bucket_key(first, Bucket.WEEK, tz))
    start_week = weeks_of_month(month)[0]
    start_day = buckets.parse_key(start_week)[1]
    today = buckets.local_day(now, tz)
    done = store.published_buckets(tenant_id, Bucket.WEEK)
    out = []
    for week in buckets.keys_between(start_day, today, Bucket.WEEK):
        if week not in done and week_due_at(week, tz, grace_hours) <= now:
            out.append(week)
    return out


def publish_one_week(store: PublicationStore, tenant_id: str, week: str, now: datetime,
                     k: int = K_SCORES) -> WeekPublication:
    """Freeze, compute and store one closed week of one tenant (its cells are written once)."""
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        raise NotFound(f"tenant {tenant_id!r}")
    parents = {t.id: t.parent_id for t in store.list_teams(tenant_id)}
    snapshot = take_snapshot(tenant_id, week, tenant.timezone, parents,
                             store.memberships(tenant_id))
    start, end = snapshot.bounds()
    week_input = WeekInput(snapshot, store.week_answers(tenant_id, start, end),
                           store.week_invited(tenant_id, start, end),
                           store.week_receipts(tenant_id, start, end))
    pub = publish_week(week_input, published_at=now, k=k)
    store.save_publication(snapshot, pub.cells)
    for finding in pub.findings:
        # Counts and cells only: the log must not name the people a withheld cell protected.
        log.warning("publication %s %s: auditor finding (%s of %d) withheld from cells %s",
                    tenant_id, week, finding.kind, len(finding.people), finding.cells)
    return pub


def _stored_week(store: PublicationStore, tenant_id: str, week: str) -> WeekPublication | None:
    snapshot = store.snapshot(tenant_id, week)
    if snapshot is None:
        return None
    metrics = [f.metric for f in week_families()]
    cells = store.cells(tenant_id, list(snapshot.parents), Bucket.WEEK, metrics, week, week)
    return WeekPublication(snapshot, tuple(cells), (), 0)


def derive_months(store: PublicationStore, tenant_id: str, months: Iterable[str],
                  now: datetime) -> list[str]:
    """Derive and store each month whose weeks are all published and that is not yet stored."""
    done = store.published_buckets(tenant_id, Bucket.MONTH)
    weeks_done = store.published_buckets(tenant_id, Bucket.WEEK)
    out = []
    for month in sorted(set(months) - done):
        needed = weeks_of_month(month)
        if not set(needed) <= weeks_done:
            continue
        pubs = [p for p in (_stored_week(store, tenant_id, w) for w in needed) if p is not None]
        cells: tuple[Cell, ...] = derive_month(month, pubs, published_at=now)
        store.save_publication(None, cells)
        out.append(month)
    return out


def publish_due(store: PublicationStore, tenant_id: str, now: datetime, *, k: int = K_SCORES,
                grace_hours: int = GRACE_HOURS) -> PublicationReport:
    """Publish every due week of the tenant, then every month they complete."""
    report = PublicationReport(tenant_id)
    months: dict[str, list[str]] = defaultdict(list)
    for week in due_weeks(store, tenant_id, now, grace_hours):
        pub = publish_one_week(store, tenant_id, week, now, k)
        report.weeks.append(week)
        report.cells += len(pub.cells)
        report.findings += len(pub.findings)
        report.withheld += sum(1 for c in pub.cells if c.reason is Reason.AUDIT)
        months[month_of_week(week)].append(week)
    report.months = derive_months(store, tenant_id, months, now)
    if report.weeks:
        log.info("published %s: weeks %s, months %s, %d cells, %d audit findings",
                 tenant_id, ",".join(report.weeks), ",".join(report.months) or "-",
                 report.cells, report.findings)
    return report


def reaudit(store: PublicationStore, tenant_id: str, k: int = K_SCORES
            ) -> list[tuple[str, Finding]]:
    """Audit every published week again from its stored snapshot, cells and answers."""
    out = []
    for week in sorted(store.published_buckets(tenant_id, Bucket.WEEK)):
        pub = _stored_week(store, tenant_id, week)
        if pub is None:
            continue
        start, end = pub.snapshot.bounds()
        week_input = WeekInput(pub.snapshot, store.week_answers(tenant_id, start, end),
                               store.week_invited(tenant_id, start, end),
                               store.week_receipts(tenant_id, start, end))
        out += [(week, f) for f in audit(week_audit_cells(week_input, pub), k)]
    return out
