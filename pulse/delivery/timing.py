"""When a person may be messaged: working hours, quiet hours, weekends, public holidays.

Pure functions over aware datetimes; the holiday calendar is passed in as a predicate so the
core stays free of the `holidays` package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pulse.delivery.model import DeliveryWindow

HolidayCheck = Callable[[date], bool]
_SEARCH_DAYS = 31  # a window that allows nothing for a month is a configuration error


def no_holidays(_: date) -> bool:
    return False


def in_quiet(at: time, window: DeliveryWindow) -> bool:
    """True inside the quiet hours, which may wrap midnight (20:00–08:00)."""
    start, end = window.quiet_start, window.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= at < end
    return at >= start or at < end


def is_workday(day: date, window: DeliveryWindow, is_holiday: HolidayCheck) -> bool:
    return day.weekday() not in window.weekend and not is_holiday(day)


def allowed(at: datetime, tz: str, window: DeliveryWindow, is_holiday: HolidayCheck) -> bool:
    """May this person be messaged at `at` (any aware instant)?"""
    local = at.astimezone(ZoneInfo(tz))
    t = local.time().replace(tzinfo=None)
    return (is_workday(local.date(), window, is_holiday)
            and window.work_start <= t < window.work_end and not in_quiet(t, window))


def next_allowed(
    at: datetime, tz: str, window: DeliveryWindow, is_holiday: HolidayCheck = no_holidays
) -> datetime:
    """The first instant >= `at` when the person may be messaged, in UTC.

    A day off keeps the wall time (a Monday-holiday 10:00 pulse goes out Tuesday 10:00); after
    hours moves to the next morning's start; quiet hours move to their end.
    """
    zone = ZoneInfo(tz)
    local = at.astimezone(zone)
    day, t = local.date(), local.time().replace(tzinfo=None)
    for _ in range(_SEARCH_DAYS * 4):
        if not is_workday(day, window, is_holiday):
            day, t = day + timedelta(days=1), max(t, window.work_start)
            continue
        if t < window.work_start:
            t = window.work_start
        if t >= window.work_end:
            day, t = day + timedelta(days=1), window.work_start
            continue
        if in_quiet(t, window):
            end = window.quiet_end
            if end <= t:  # quiet hours run past midnight: resume tomorrow
                day = day + timedelta(days=1)
            t = end
            continue
        candidate = _localize(day, t, zone)
        # A DST gap shifts nonexistent wall times; re-check the normalised instant.
        if candidate < at.astimezone(UTC):
            t = (datetime.combine(day, t) + timedelta(minutes=1)).time()
            continue
        return candidate
    raise ValueError(f"no allowed delivery time within {_SEARCH_DAYS} days: check the window")


def slot(day: date, at: time, tz: str) -> datetime:
    """The wall time `at` on `day` in `tz`, as a UTC instant."""
    return _localize(day, at, ZoneInfo(tz))


def _localize(day: date, t: time, zone: ZoneInfo) -> datetime:
    # Round-trip through a timestamp so a wall time inside a DST gap becomes a real instant.
    naive = datetime.combine(day, t, tzinfo=zone)
    return datetime.fromtimestamp(naive.timestamp(), UTC)
