"""The Calendar port: APScheduler 3 triggers used purely as calculators, and `holidays`."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger

from pulse.delivery.model import Cadence, TeamSchedule

log = logging.getLogger("miroir.scheduler")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EPOCH = date(2024, 1, 1)  # a Monday: fortnight parity when a team sets no anchor
_TICK = timedelta(microseconds=1)


class TriggerCalendar:
    """Cadence occurrences from APScheduler triggers; public holidays from `holidays`."""

    def next_fire(self, schedule: TeamSchedule, tz: str, after: datetime) -> datetime | None:
        zone = ZoneInfo(tz)
        day = _DAYS[schedule.weekday]
        if schedule.cadence is Cadence.FORTNIGHTLY:
            return _next_fortnight(schedule, zone, after)
        if schedule.cadence is Cadence.MONTHLY:
            trigger = CronTrigger(day=f"1st {day}", hour=schedule.hour, minute=schedule.minute,
                                  timezone=zone)
        else:
            trigger = CronTrigger(day_of_week=day, hour=schedule.hour, minute=schedule.minute,
                                  timezone=zone)
        return trigger.get_next_fire_time(None, after.astimezone(zone) + _TICK)

    def is_holiday(self, country: str, day: date) -> bool:
        calendar = _country(country, day.year)
        return calendar is not None and day in calendar


def valid_country(country: str) -> bool:
    """Is this a country code the `holidays` package knows ("" means no public holidays)?"""
    return not country or _country(country, datetime.now(UTC).year) is not None


def _next_fortnight(schedule: TeamSchedule, zone: ZoneInfo, after: datetime) -> datetime | None:
    anchor = schedule.anchor or _EPOCH
    first = anchor + timedelta(days=(schedule.weekday - anchor.weekday()) % 7)
    # Start a fortnight or two before `after` instead of iterating from the anchor.
    skip = max(0, (after.astimezone(zone).date() - first).days // 14 - 1)
    start = first + timedelta(days=14 * skip)
    trigger = CalendarIntervalTrigger(weeks=2, hour=schedule.hour, minute=schedule.minute,
                                      start_date=start, timezone=zone)
    fire = trigger.get_next_fire_time(None, after)
    while fire is not None and fire <= after:
        fire = trigger.get_next_fire_time(fire, after)
    return fire


@lru_cache(maxsize=256)
def _country(country: str, year: int) -> holidays.HolidayBase | None:
    if not country:
        return None
    try:
        return holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:
        log.warning("unknown holiday country %r: no public holidays applied", country)
        return None
