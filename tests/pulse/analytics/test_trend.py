"""The trend's confidence band: Student t quantiles, person-first means, nothing when hidden."""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy import stats

from adapters.db.store import SqlStore
from pulse.analytics.band import band, t975
from pulse.analytics.trend import team_trend
from pulse.core.clock import FixedClock
from pulse.core.model import Bucket
from testing.dashboard import TEAM_A, TEAM_B, TENANT, seed_org


@pytest.mark.parametrize("df", [1, 2, 4, 9, 29, 30, 31, 45, 120, 1000])
def test_t975_matches_scipy(df: int) -> None:
    assert t975(df) == pytest.approx(float(stats.t.ppf(0.975, df)), abs=2e-3)


def test_band_is_the_t_interval_of_the_person_means() -> None:
    means = [5.0, 7.5, 6.25, 8.75, 2.5]
    low, high = band(means) or (0.0, 0.0)
    mean, sd = sum(means) / 5, float(stats.tstd(means))
    half = float(stats.t.ppf(0.975, 4)) * sd / math.sqrt(5)
    assert (low, high) == pytest.approx((mean - half, mean + half), abs=1e-2)
    assert band([7.0]) is None
    assert band([0.0, 10.0, 0.0, 10.0]) == (0.0, 10.0)  # clipped to the scale


def test_every_shown_week_has_a_band_around_its_value(store: SqlStore, clock: FixedClock) -> None:
    seed_org(store, clock, weeks=4, ratings=0)
    points = team_trend(store, TENANT, TEAM_A, Bucket.WEEK, date(2026, 2, 2), date(2026, 3, 4))
    shown = [p for p in points if p.value.value is not None]
    assert len(shown) == 4
    for p in shown:
        assert p.low is not None and p.high is not None
        assert p.low < p.value.value < p.high  # type: ignore[operator]
    for p in points:
        if p.value.value is None:
            assert p.low is None and p.high is None
    # The band is the published cell's: a withheld week (or the open one) has none.
    nantes = team_trend(store, TENANT, TEAM_B, Bucket.WEEK, date(2026, 2, 2), date(2026, 3, 4))
    assert all(p.low is None for p in nantes if p.value.value is None)
