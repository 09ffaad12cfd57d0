"""Calendar buckets (ISO week, Monday start, or calendar month) in the tenant's timezone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pulse.errors import Invalid
from pulse.model import Bucket

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def zone(name: str) -> ZoneInfo:
    """A timezone by IANA name; Invalid for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown timezone {name!r}") from exc


def bucket_key(at: datetime, tz: str, bucket: Bucket) -> str:
    """'2025-W14' or '2025-03' for an instant, read in timezone `tz` (naive means UTC)."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    local = aware.astimezone(zone(tz))
    if bucket is Bucket.WEEK:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def bucket_start(key: str) -> date:
    """First local day of a bucket key."""
    if m := _WEEK.match(key):
        return date.fromisocalendar(int(m[1]), int(m[2]), 1)
    if m := _MONTH.match(key):
        return date(int(m[1]), int(m[2]), 1)
    raise Invalid(f"not a bucket key: {key!r} (expected 2025-W14 or 2025-03)")


def next_key(key: str) -> str:
    """The bucket right after `key`."""
    start = bucket_start(key)
    if _WEEK.match(key):
        year, week, _ = (start + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year + start.month // 12}-{start.month % 12 + 1:02d}"


def bucket_bounds(key: str, tz: str) -> tuple[datetime, datetime]:
    """[start, end) of a bucket as aware UTC instants (local midnights in `tz`)."""
    tzinfo = zone(tz)
    start = bucket_start(key)
    end = bucket_start(next_key(key))
    return (datetime.combine(start, datetime.min.time(), tzinfo).astimezone(UTC),
            datetime.combine(end, datetime.min.time(), tzinfo).astimezone(UTC))


def keys_between(first: str, last: str, limit: int = 520) -> list[str]:
    """Consecutive bucket keys from first to last inclusive (gaps matter for lags)."""
    out = [first]
    while out[-1] != last:
        if len(out) > limit:
            raise Invalid(f"more than {limit} buckets between {first} and {last}")
        out.append(next_key(out[-1]))
    return out
