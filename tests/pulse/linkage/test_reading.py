"""The correlation reading in words: tentative below the documented minimum, leads said."""

from __future__ import annotations

from dataclasses import replace

from pulse.linkage.service import reading_of
from pulse.linkage.stats import MIN_INTERPRET, LagScan, correlate

X = [float(v) for v in (5, 6, 7, 6, 8, 7, 9, 8, 7, 9, 10, 9, 8, 10)]
Y = [v + (0.5 if i % 2 else -0.5) for i, v in enumerate(X)]


def scan(direction: str, flags: tuple[str, ...] = ()) -> LagScan:
    return LagScan((), 0.01, 1 if direction != "none" else None, direction, True, flags)


def test_readings_follow_n_and_the_lag_scan() -> None:
    c = correlate(X, Y)
    assert c.n == len(X) >= MIN_INTERPRET and c.display and c.significant
    assert reading_of(c, scan("none")) == "moves_with"
    assert reading_of(c, scan("ex_leads")) == "pulse_precedes"
    assert reading_of(c, scan("cx_leads")) == "cx_precedes"
    assert reading_of(c, scan("ex_leads", ("insufficient_n",))) == "tentative_pulse_precedes"
    assert reading_of(replace(c, n=MIN_INTERPRET - 1), scan("none")) == "tentative_moves_with"
    assert reading_of(replace(c, significant=False, n=9), scan("none")) == \
        "tentative_no_evidence"
    assert reading_of(replace(c, display=False), scan("ex_leads")) == "too_few_buckets"
