"""The barometer's windows (pulse.linkage.service): defaults, limits and the symmetry history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pulse.core.errors import Invalid
from pulse.core.model import Bucket
from pulse.linkage.service import MAX_SPAN, symmetry_window, window

TODAY = date(2026, 3, 4)


def test_window_defaults_to_26_weeks_or_a_year_up_to_today() -> None:
    assert window(TODAY, None, None, Bucket.WEEK) == (TODAY - timedelta(weeks=26), TODAY)
    assert window(TODAY, None, None, Bucket.MONTH) == (TODAY - timedelta(days=365), TODAY)
    end = date(2025, 6, 30)
    assert window(TODAY, None, end, Bucket.WEEK) == (end - timedelta(weeks=26), end)
    assert window(TODAY, date(2025, 1, 1), None, Bucket.MONTH) == (date(2025, 1, 1), TODAY)


def test_window_refuses_reversed_and_over_long_periods() -> None:
    with pytest.raises(Invalid, match="'to' is before 'from'"):
        window(TODAY, TODAY, TODAY - timedelta(days=1), Bucket.WEEK)
    start = TODAY - MAX_SPAN
    assert window(TODAY, start, TODAY, Bucket.WEEK) == (start, TODAY)
    with pytest.raises(Invalid, match="at most 5 years"):
        window(TODAY, start - timedelta(days=1), TODAY, Bucket.WEEK)


def test_symmetry_window_covers_the_bucket_and_its_trailing_history() -> None:
    assert symmetry_window("2026-W10") == (Bucket.WEEK, date(2025, 12, 8), date(2026, 3, 8))
    assert symmetry_window("2026-02") == (Bucket.MONTH, date(2025, 8, 2), date(2026, 2, 28))
    with pytest.raises(Invalid):
        symmetry_window("2026-W99")
