"""Fixed calendar buckets (ISO week, calendar month) in the tenant's IANA timezone.

A bucket is identified by a key ("2026-W01", "2026-03") and covers the local days of that week
or month; its bounds are returned as aware UTC instants [start, end) so storage queries stay in
UTC. Local midnight is resolved with zoneinfo, so DST nights give 23- or 25-hour days and an
instant is always attributed to the local calendar day it falls on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pulse.core.errors import Invalid
from pulse.core.model import Bucket

WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")
MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
MAX_BUCKETS = 520  # ten years of weeks: bounds the work one request can ask for


def zone(name: str) -> ZoneInfo:
    """The IANA timezone called `name`; Invalid when it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown timezone {name!r}") from exc


def parse_bucket(kind: str | Bucket) -> Bucket:
    """The Bucket for "week" or "month"; Invalid otherwise."""
    try:
        return Bucket(kind)
    except ValueError as exc:
        raise Invalid(f"bucket must be 'week' or 'month', not {kind!r}") from exc


def local_day(at: datetime, tz: str) -> date:
    """The calendar day an aware instant falls on in timezone `tz`."""
    if at.tzinfo is None:
        raise Invalid("instant must be timezone-aware")
    return at.astimezone(zone(tz)).date()


def key_of_day(day: date, bucket: Bucket) -> str:
    """The bucket key containing a local calendar day."""
    if bucket is Bucket.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return f"{day.year:04d}-{day.month:02d}"


def bucket_key(at: datetime, bucket: Bucket, tz: str) -> str:
    """The key of the bucket an aware instant falls in, in timezone `tz`."""
    return key_of_day(local_day(at, tz), bucket)


def parse_key(key: str) -> tuple[Bucket, date, date]:
    """(kind, first local day, day after the last) for a key; Invalid when malformed."""
    try:
        return _parse_key(key)
    except OverflowError as exc:  # the last bucket of year 9999 has no end date
        raise Invalid(f"{key!r} is out of range") from exc


def _parse_key(key: str) -> tuple[Bucket, date, date]:
    week = WEEK_KEY.match(key)
    if week:
        year, number = int(week.group(1)), int(week.group(2))
        try:
            first = date.fromisocalendar(year, number, 1)
        except (ValueError, OverflowError) as exc:
            raise Invalid(f"{key!r}: year {year} has no ISO week {number}") from exc
        return Bucket.WEEK, first, first + timedelta(days=7)
    month = MONTH_KEY.match(key)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12 or year < 1:
            raise Invalid(f"{key!r}: month must be 01..12")
        first = date(year, number, 1)
        return Bucket.MONTH, first, _next_month(first)
    raise Invalid(f"malformed bucket key {key!r}: expected YYYY-Www or YYYY-MM")


def _next_month(first: date) -> date:
    if first.year == date.max.year and first.month == 12:
        raise OverflowError("no month after 9999-12")
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def local_midnight(day: date, tz: str) -> datetime:
    """The aware UTC instant at which `day` starts in timezone `tz`."""
    return datetime.combine(day, time(0), tzinfo=zone(tz)).astimezone(UTC)


def bounds(key: str, tz: str) -> tuple[datetime, datetime]:
    """The bucket's [start, end) as aware UTC instants."""
    _, first, after = parse_key(key)
    return local_midnight(first, tz), local_midnight(after, tz)


def keys_between(start: date, end: date, bucket: Bucket) -> list[str]:
    """Keys of every bucket holding at least one day of [start, end], in order."""
    if start > end:
        raise Invalid("'from' is after 'to'")
    keys: list[str] = []
    day = start
    while day <= end:
        keys.append(key_of_day(day, bucket))
        if len(keys) > MAX_BUCKETS:
            raise Invalid(f"period longer than {MAX_BUCKETS} buckets")
        day = parse_key(keys[-1])[2]
    return keys


def last_buckets(today: date, bucket: Bucket, count: int = 12) -> tuple[date, date]:
    """(first day, last day) of the `count` buckets ending with the one holding `today`."""
    _, first, after = parse_key(key_of_day(today, bucket))
    for _ in range(count - 1):
        first = parse_key(key_of_day(first - timedelta(days=1), bucket))[1]
    return first, after - timedelta(days=1)
