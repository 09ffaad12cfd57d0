"""ISO-week and month buckets in the tenant's timezone: edge cases and properties."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulse.core import buckets
from pulse.core.errors import Invalid
from pulse.core.model import Bucket

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
         "Asia/Kathmandu", "Pacific/Apia", "America/St_Johns", "Africa/Casablanca"]
# hypothesis takes naive bounds and attaches the zones itself
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31),  # noqa: DTZ001
                        timezones=st.just(UTC))
kinds = st.sampled_from(list(Bucket))


def test_iso_week_at_year_boundary() -> None:
    assert buckets.key_of_day(date(2025, 12, 29), Bucket.WEEK) == "2026-W01"
    assert buckets.key_of_day(date(2025, 12, 28), Bucket.WEEK) == "2025-W52"


def test_dst_night_falls_in_the_next_week_in_paris() -> None:
    at = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # ANALYTICS §3.3-A
    assert buckets.bucket_key(at, Bucket.WEEK, "UTC") == "2025-W13"
    assert buckets.bucket_key(at, Bucket.WEEK, "Europe/Paris") == "2025-W14"


def test_shared_examples_agree(shared_dir: Path) -> None:
    misc = json.loads((shared_dir / "data/analytics_examples/misc_outputs.json").read_text())
    at = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)
    assert buckets.bucket_key(at, Bucket.WEEK, "UTC") == misc["utc_week"]
    assert buckets.bucket_key(at, Bucket.WEEK, "Europe/Paris") == misc["paris_week"]
    assert buckets.key_of_day(date(2025, 12, 29), Bucket.WEEK) == misc["iso_week_2025-12-29"]


def test_bounds_are_local_midnights_in_utc() -> None:
    start, end = buckets.bounds("2025-W14", "Europe/Paris")
    assert start == datetime(2025, 3, 30, 22, tzinfo=UTC)  # Monday 00:00 CEST
    assert end == datetime(2025, 4, 6, 22, tzinfo=UTC)
    start, end = buckets.bounds("2025-03", "Europe/Paris")
    assert start == datetime(2025, 2, 28, 23, tzinfo=UTC)  # CET
    assert end == datetime(2025, 3, 31, 22, tzinfo=UTC)  # CEST: the month lasts 743 hours
    assert end - start == timedelta(days=31, hours=-1)


def test_keys_between_and_last_buckets() -> None:
    weeks = buckets.keys_between(date(2025, 12, 24), date(2026, 1, 5), Bucket.WEEK)
    assert weeks == ["2025-W52", "2026-W01", "2026-W02"]
    months = buckets.keys_between(date(2025, 11, 30), date(2026, 2, 1), Bucket.MONTH)
    assert months == ["2025-11", "2025-12", "2026-01", "2026-02"]
    first, last = buckets.last_buckets(date(2026, 3, 4), Bucket.WEEK, 12)
    assert len(buckets.keys_between(first, last, Bucket.WEEK)) == 12
    assert buckets.key_of_day(last, Bucket.WEEK) == "2026-W10"
    with pytest.raises(Invalid, match="after"):
        buckets.keys_between(date(2026, 2, 1), date(2026, 1, 1), Bucket.WEEK)


@pytest.mark.parametrize("bad", ["2026-W54", "2026-13", "2026-00", "2026-w01", "26-W01", "",
                                 "2026-W1", "2026-03-01", "9999-12", "2021-W53"])
def test_malformed_keys_are_refused_clearly(bad: str) -> None:
    with pytest.raises(Invalid, match=r"2026|9999|2021|malformed|out of range|week|month"):
        buckets.parse_key(bad)


def test_bad_bucket_kind_and_zone_and_naive_instant() -> None:
    with pytest.raises(Invalid, match="week' or 'month"):
        buckets.parse_bucket("day")
    with pytest.raises(Invalid, match="timezone"):
        buckets.zone("Mars/Olympus")
    with pytest.raises(Invalid, match="aware"):
        buckets.local_day(datetime(2026, 1, 1), "UTC")  # noqa: DTZ001  (naive on purpose)


@given(at=instants, kind=kinds, tz=st.sampled_from(ZONES))
def test_every_instant_lies_in_the_bounds_of_its_bucket(
    at: datetime, kind: Bucket, tz: str
) -> None:
    key = buckets.bucket_key(at, kind, tz)
    start, end = buckets.bounds(key, tz)
    assert start <= at < end
    # Exactly one bucket: the neighbours' bounds do not contain it.
    _, first, after = buckets.parse_key(key)
    before = buckets.key_of_day(first - timedelta(days=1), kind)
    following = buckets.key_of_day(after, kind)
    for other in (before, following):
        lo, hi = buckets.bounds(other, tz)
        assert not lo <= at < hi


@given(at=instants, kind=kinds, tz=st.sampled_from(ZONES))
def test_consecutive_buckets_tile_time(at: datetime, kind: Bucket, tz: str) -> None:
    key = buckets.bucket_key(at, kind, tz)
    _, _, after = buckets.parse_key(key)
    nxt = buckets.key_of_day(after, kind)
    assert buckets.bounds(key, tz)[1] == buckets.bounds(nxt, tz)[0]


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), kind=kinds)
def test_keys_round_trip(day: date, kind: Bucket) -> None:
    key = buckets.key_of_day(day, kind)
    parsed_kind, first, after = buckets.parse_key(key)
    assert parsed_kind is kind
    assert first <= day < after
    assert buckets.key_of_day(first, kind) == key
    assert buckets.key_of_day(after - timedelta(days=1), kind) == key
    assert buckets.key_of_day(after, kind) != key
    if kind is Bucket.WEEK:
        assert first.isoweekday() == 1 and (after - first).days == 7


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
       span=st.integers(0, 400), kind=kinds)
def test_keys_between_covers_every_day_once(start: date, span: int, kind: Bucket) -> None:
    end = start + timedelta(days=span)
    keys = buckets.keys_between(start, end, kind)
    assert len(keys) == len(set(keys))
    days = {buckets.key_of_day(start + timedelta(days=i), kind) for i in range(span + 1)}
    assert set(keys) == days
    assert keys == sorted(keys, key=lambda k: buckets.parse_key(k)[1])
