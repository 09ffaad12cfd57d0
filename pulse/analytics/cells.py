"""Published cells and the frozen snapshot each closed week is computed from.

A cell is one number about a group that anyone may read: (tenant, team, granularity, bucket,
metric) → value, n shown, suppression reason, formula version, published_at, plus the id of
the snapshot it was computed from. Every surface (API, exports, App Home, Teams, dashboard)
reads cells; none recomputes from answers (STYLE.md §14).

The snapshot freezes what a week's cells depend on, taken at the week's end in the tenant's
timezone: the team tree (team → parent) and each person's single home team. The home team is
the membership in force on the week's last day; a person whose memberships all ended during the
week counts in the last team they belonged to that week. So a person who moved within the week
counts in exactly one team, and later moves or re-orgs never rewrite a published week: the old
cells keep the snapshot they were computed from (its id is stored with every cell).

Weeks belong to months by the ISO rule: a week belongs to the month that holds its Thursday.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property

from pulse.core import buckets
from pulse.core.model import Bucket, Membership

FORMULA_VERSION = 1


class Reason(StrEnum):
    """Why a cell shows no value."""

    NO_RESPONSES = "no_responses"
    BELOW_K = "below_k"
    COMPLEMENT = "complement"
    AUDIT = "audit"
    NO_PUBLISHED_WEEK = "no_published_week"


@dataclass(frozen=True)
class Receipt:
    """One kudos received by one person (a kudos to three people gives three receipts)."""

    kudos_id: str
    recipient_id: str
    at: datetime
    public: bool = True


@dataclass(frozen=True)
class Snapshot:
    """The team tree and home teams in force at the end of one ISO week, frozen."""

    tenant_id: str
    week: str
    timezone: str
    parents: Mapping[str, str | None]
    home: Mapping[str, str]  # person -> the one team they count in this week

    @cached_property
    def id(self) -> str:
        """A content hash: two snapshots with the same tree and homes share an id."""
        body = json.dumps([self.tenant_id, self.week, self.timezone, sorted(self.parents.items(),
                          key=lambda kv: kv[0]), sorted(self.home.items())], default=str)
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    def bounds(self) -> tuple[datetime, datetime]:
        """The week's [start, end) as aware UTC instants, in the tenant's timezone."""
        return buckets.bounds(self.week, self.timezone)


@dataclass(frozen=True)
class Cell:
    """One published number about a team in one bucket; value None when withheld."""

    tenant_id: str
    team_id: str
    granularity: Bucket
    bucket: str
    metric: str
    value: float | None
    n: int | str | None  # exact when shown, "<k" below the threshold, None when withheld
    reason: Reason | None
    snapshot: str  # the snapshot id (weeks) or the ids of the weeks used (months)
    published_at: datetime
    formula_version: int = FORMULA_VERSION
    detail: tuple[tuple[str, float], ...] = ()  # e.g. neutral/unfavourable shares, eNPS SE
    weeks_used: int | None = None  # months only: how many published weeks the value uses

    @property
    def shown(self) -> bool:
        return self.reason is None


def week_days(week: str) -> tuple[date, date]:
    """(Monday, Sunday) of an ISO week key."""
    kind, first, after = buckets.parse_key(week)
    if kind is not Bucket.WEEK:
        raise ValueError(f"{week!r} is not a week key")
    return first, after - timedelta(days=1)


def month_of_week(week: str) -> str:
    """The month a week belongs to: the one holding its Thursday (ISO rule)."""
    monday, _ = week_days(week)
    return buckets.key_of_day(monday + timedelta(days=3), Bucket.MONTH)


def weeks_of_month(month: str) -> list[str]:
    """The ISO weeks whose Thursday falls in the month, in order."""
    kind, first, after = buckets.parse_key(month)
    if kind is not Bucket.MONTH:
        raise ValueError(f"{month!r} is not a month key")
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    out = []
    while thursday < after:
        out.append(buckets.key_of_day(thursday, Bucket.WEEK))
        thursday += timedelta(days=7)
    return out


def home_teams(memberships: Iterable[Membership], week: str) -> dict[str, str]:
    """Each person's home team for the week: in force on its last day, else their last one."""
    monday, sunday = week_days(week)
    best: dict[str, tuple[date, date, str]] = {}
    for m in memberships:
        end = sunday if m.valid_to is None else min(sunday, m.valid_to - timedelta(days=1))
        if m.valid_from > sunday or end < monday:
            continue  # not a member on any day of the week
        # Latest last day wins (so the team at the week's end), then the latest start, then id.
        rank = (end, m.valid_from, m.team_id)
        if m.person_id not in best or rank > best[m.person_id]:
            best[m.person_id] = rank
    return {person: rank[2] for person, rank in best.items()}


def take_snapshot(
    tenant_id: str, week: str, timezone: str, parents: Mapping[str, str | None],
    memberships: Iterable[Membership],
) -> Snapshot:
    """Freeze the tree and the home teams for one week (people in unknown teams are left out)."""
    homes = {p: t for p, t in home_teams(memberships, week).items() if t in parents}
    return Snapshot(tenant_id, week, timezone, dict(parents), homes)
