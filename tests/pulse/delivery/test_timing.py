"""Delivery windows: working hours, quiet hours, weekends, holidays and DST, in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pulse.delivery.model import DeliveryWindow
from pulse.delivery.timing import allowed, next_allowed, slot
from scheduler.calendar import TriggerCalendar

W = DeliveryWindow()  # 09–18, quiet 20–08, Sat/Sun off, FR holidays
CAL = TriggerCalendar()


def fr(day: date) -> bool:
    return CAL.is_holiday("FR", day)


def local(at: datetime, tz: str = "Europe/Paris") -> datetime:
    return at.astimezone(ZoneInfo(tz))


def test_inside_hours_is_unchanged() -> None:
    at = slot(date(2026, 3, 3), time(10), "Europe/Paris")  # a Tuesday
    assert next_allowed(at, "Europe/Paris", W, fr) == at


def test_evening_moves_to_next_morning_and_friday_to_monday() -> None:
    tuesday_evening = slot(date(2026, 3, 3), time(19, 30), "Europe/Paris")
    assert local(next_allowed(tuesday_evening, "Europe/Paris", W, fr)) == datetime(
        2026, 3, 4, 9, tzinfo=ZoneInfo("Europe/Paris"))
    friday_evening = slot(date(2026, 3, 6), time(18), "Europe/Paris")
    assert local(next_allowed(friday_evening, "Europe/Paris", W, fr)).date() == date(2026, 3, 9)


def test_public_holiday_keeps_the_wall_time_next_working_day() -> None:
    easter_monday = slot(date(2026, 4, 6), time(10), "Europe/Paris")
    got = local(next_allowed(easter_monday, "Europe/Paris", W, fr))
    assert (got.date(), got.time()) == (date(2026, 4, 7), time(10))
    # Without the FR calendar the same instant is fine.
    assert next_allowed(easter_monday, "Europe/Paris", W) == easter_monday


def test_quiet_hours_inside_the_working_day() -> None:
    lunch = DeliveryWindow(quiet_start=time(12), quiet_end=time(13, 30))
    at = slot(date(2026, 3, 3), time(12, 15), "Europe/Paris")
    assert local(next_allowed(at, "Europe/Paris", lunch)).time() == time(13, 30)


def test_dst_change_keeps_local_wall_time() -> None:
    before = slot(date(2026, 3, 27), time(10), "Europe/Paris")  # Friday before the switch
    after = slot(date(2026, 3, 30), time(10), "Europe/Paris")  # Monday after
    assert before.astimezone(UTC).hour == 9 and after.astimezone(UTC).hour == 8
    assert local(next_allowed(after, "Europe/Paris", W, fr)).hour == 10


@settings(max_examples=200, deadline=None)
@given(
    at=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),  # noqa: DTZ001
                    timezones=st.just(UTC)),
    tz=st.sampled_from(["Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]),
    quiet=st.sampled_from([(time(20), time(8)), (time(12), time(14)), (time(0), time(0))]),
)
def test_next_allowed_is_allowed_not_earlier_and_not_skipping_a_slot(
    at: datetime, tz: str, quiet: tuple[time, time]
) -> None:
    window = DeliveryWindow(quiet_start=quiet[0], quiet_end=quiet[1])
    got = next_allowed(at, tz, window, fr)
    assert got >= at
    assert allowed(got, tz, window, fr)
    start, end = local(at, tz), local(got, tz)
    if start.date() == end.date():
        # Same day: nothing allowed was skipped (one minute earlier is before `at` or not allowed).
        earlier = got - timedelta(minutes=1)
        assert earlier < at or not allowed(earlier, tz, window, fr)
    else:
        # Moved to a later day: at the day's opening, or at the same wall time after a day off.
        assert end.time() in (window.work_start, window.quiet_end, start.time())
