"""ANALYTICS.md §4 worked examples through the public functions, with the §4 tolerances."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pulse.linkage.mixed import fixed_effects_slope, mixed_model
from pulse.linkage.stats import PanelRow, correlate, decompose, lag_scan
from pulse.linkage.symmetry import LabelBucket, happy_label, symmetry
from testing.linkage_examples import A2_CX, A2_EX, A_CX, A_EX, B_CX, B_EX

CLOSED = 1e-9  # closed-form statistics
P_REL = 1e-6  # p-values
MODEL = 1e-4  # mixed-model output


@pytest.fixture
def expected(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "data/analytics_examples/expected_outputs.json").read_text())


def _panel(path: Path, bucket_col: str) -> list[PanelRow]:
    with path.open() as f:
        return [PanelRow(r["team"], r[bucket_col], float(r["ex"]), float(r["cx"]))
                for r in csv.DictReader(f)]


def test_example_a(expected: dict) -> None:
    e = expected["A"]
    c = correlate(A_EX, A_CX)
    assert c.n == 8
    assert c.pearson_r == pytest.approx(e["pearson_r"], abs=CLOSED)
    assert c.pearson_p == pytest.approx(e["pearson_p"], rel=P_REL)
    assert c.pearson_ci95 == pytest.approx(e["pearson_ci95_scipy"], abs=CLOSED)
    assert c.spearman_rho == pytest.approx(e["spearman_rho"], abs=CLOSED)
    assert c.spearman_p == pytest.approx(e["spearman_p"], rel=P_REL)
    assert c.spearman_ci95 == pytest.approx(e["spearman_ci95_bonett_wright"], abs=CLOSED)
    # n = 8 is shown, significant and strong, but below the interpretation minimum of 12.
    assert c.display and c.significant and c.strength == "strong"
    assert "insufficient_n" in c.flags


def test_example_a2_is_no_evidence(expected: dict) -> None:
    e = expected["A2"]
    c = correlate(A2_EX, A2_CX)
    assert c.pearson_r == pytest.approx(e["pearson_r"], abs=CLOSED)
    assert c.pearson_p == pytest.approx(e["pearson_p"], rel=P_REL)
    assert c.pearson_ci95 == pytest.approx(e["pearson_ci95"], abs=CLOSED)
    assert c.spearman_rho == pytest.approx(e["spearman_rho"], abs=CLOSED)
    assert c.spearman_p == pytest.approx(e["spearman_p"], rel=P_REL)
    assert not c.significant and c.strength is None


def test_minimum_n_flags() -> None:
    assert correlate(A_EX[:5], A_CX[:5]).pearson_r is None
    six = correlate(A_EX[:6], A_CX[:6])
    assert six.pearson_r is not None and not six.display and "insufficient_n" in six.flags
    assert "insufficient_n" not in correlate(B_EX, B_CX).flags


def test_example_b_lag_scan(expected: dict) -> None:
    scan = lag_scan(B_EX, B_CX, max_lag=3)
    assert scan.alpha_bonferroni == pytest.approx(expected["B_bonferroni_alpha_7_lags"], abs=CLOSED)
    for lag, e in zip(scan.lags, expected["B"], strict=True):
        assert (lag.k, lag.n) == (e["k"], e["n"])
        assert lag.r == pytest.approx(e["r"], abs=CLOSED)
        assert lag.p == pytest.approx(e["p"], rel=P_REL)
        assert lag.ci95 == pytest.approx(e["ci95"], abs=CLOSED)
    assert (scan.best_lag, scan.direction, scan.confirmed_by_diff) == (1, "ex_leads", True)
    same_week = next(lag for lag in scan.lags if lag.k == 0)
    assert not same_week.significant
    # The default −4..+4 scan (9 lags, stricter α) reaches the same reading.
    wide = lag_scan(B_EX, B_CX)
    assert len(wide.lags) == 9 and wide.alpha_bonferroni == pytest.approx(0.05 / 9)
    assert (wide.best_lag, wide.direction) == (1, "ex_leads")


def test_lag_scan_swapped_series_reads_cx_leads() -> None:
    scan = lag_scan(B_CX, B_EX, max_lag=3)
    assert (scan.best_lag, scan.direction, scan.confirmed_by_diff) == (-1, "cx_leads", True)


def test_example_c_simpson(shared_dir: Path, expected: dict) -> None:
    e = expected["C"]
    d = decompose(_panel(shared_dir / "data/analytics_examples/example_C_simpson.csv", "month"))
    assert (d.n_obs, d.n_teams) == (e["N"], e["J"])
    assert d.total.r == pytest.approx(e["total_r"], abs=CLOSED)
    assert d.total.p == pytest.approx(e["total_p"], rel=P_REL)
    assert d.between.r == pytest.approx(e["between_r"], abs=CLOSED)
    assert d.between.p == pytest.approx(e["between_p"], rel=P_REL)
    assert not d.between.display and "too_few_teams" in d.between.flags
    assert d.pooled_within.r == pytest.approx(e["pooled_within_r"], abs=CLOSED)
    assert d.pooled_within.df == e["pooled_within_df"] == 11
    assert d.pooled_within.t == pytest.approx(e["pooled_within_t"], abs=1e-7)
    assert d.pooled_within.p == pytest.approx(e["pooled_within_p"], rel=P_REL)


def test_example_d_panel_and_mixed_model(shared_dir: Path, expected: dict) -> None:
    e = expected["D"]
    rows = _panel(shared_dir / "data/analytics_examples/example_D_panel.csv", "week")
    d = decompose(rows)
    assert d.total.r == pytest.approx(e["total_r"], abs=CLOSED)
    assert d.total.p == pytest.approx(e["total_p"], rel=P_REL)
    assert d.between.r == pytest.approx(e["between_r"], abs=CLOSED)
    assert d.between.p == pytest.approx(e["between_p"], rel=P_REL)
    assert d.pooled_within.r == pytest.approx(e["pooled_within_r"], abs=CLOSED)
    assert d.pooled_within.df == 41
    assert d.pooled_within.p == pytest.approx(e["pooled_within_p"], rel=P_REL)
    fe = fixed_effects_slope(rows)
    assert fe.slope == pytest.approx(e["fe_slope_ex"], abs=CLOSED)
    assert fe.se == pytest.approx(e["fe_slope_se"], abs=CLOSED)
    assert fe.p == pytest.approx(e["fe_slope_p"], rel=P_REL)
    m, reason = mixed_model(rows)
    assert reason is None and m is not None
    assert m.beta_within == pytest.approx(e["mixed_within"], abs=MODEL)
    assert m.se_within == pytest.approx(e["mixed_within_se"], abs=MODEL)
    assert m.beta_between == pytest.approx(e["mixed_between"], abs=MODEL)
    assert m.se_between == pytest.approx(e["mixed_between_se"], abs=MODEL)
    assert m.intercept == pytest.approx(e["mixed_intercept"], abs=MODEL)
    assert m.tau2 == pytest.approx(e["mixed_group_var"], abs=MODEL)
    assert m.sigma2 == pytest.approx(e["mixed_resid_var"], abs=MODEL)
    assert (m.n_teams, m.n_obs) == (6, 48)
    # Invariants: βW equals the FE slope; the pooled-within p equals the FE slope p.
    assert m.beta_within == pytest.approx(fe.slope, abs=1e-6)
    assert d.pooled_within.p == pytest.approx(fe.p, rel=P_REL)


def test_mixed_model_refuses_small_panels(shared_dir: Path) -> None:
    rows = _panel(shared_dir / "data/analytics_examples/example_C_simpson.csv", "month")
    result, reason = mixed_model(rows)
    assert result is None and reason and "5 teams" in reason


def test_example_f_symmetry(expected: dict) -> None:
    rows = [(r["team"], r["ex"], r["cx"]) for r in expected["F"]]
    out = symmetry(rows)
    for got, e in zip(out, expected["F"], strict=True):
        assert got.team_id == e["team"]
        assert got.z_ex == pytest.approx(e["z_ex"], abs=1e-6)
        assert got.z_cx == pytest.approx(e["z_cx"], abs=1e-6)
        assert got.gap == pytest.approx(e["gap"], abs=1e-6)
        assert got.symmetry_score == pytest.approx(e["symmetry_0_100"], abs=1e-6)
        assert got.quadrant == e["quadrant"]
    assert symmetry(rows[:2])[0].symmetry_score is None  # fewer than 3 teams


def test_example_f_label_rule(expected: dict) -> None:
    hist = {"A": [(7.8, 90, 9, 40), (8.0, 86, 8, 35), (6.9, 89, 8, 42), (8.2, 91, 9, 38)],
            "E": [(7.1, 86, 6, 30), (7.3, 84, 4, 31), (6.8, 87, 7, 29), (7.0, 88, 6, 33)]}
    for team, rows in hist.items():
        got = happy_label([LabelBucket(*r) for r in rows], k_cx=20)
        e = expected["F_label"][team]
        assert (got.valid_buckets, got.happy_buckets, got.label) == (
            e["valid_buckets"], e["happy_buckets"], e["label"])


def test_label_needs_three_eligible_buckets_and_holds_one_failure() -> None:
    thin = [LabelBucket(8.0, 90, 9, 40), LabelBucket(8.0, 90, 4, 40), LabelBucket(8.0, 90, 9, 10)]
    assert happy_label(thin).label is None and happy_label(thin).reason == "insufficient_data"
    happy = LabelBucket(8.0, 90, 9, 40)
    sad = LabelBucket(6.0, 70, 9, 40)
    once = happy_label([happy, happy, happy, happy, sad])  # window: h h h s → 3 of 4 still
    assert once.label is True and once.reason == "persistent"
    dip = happy_label([happy, happy, happy, sad, sad])  # fails now, held on previous window
    assert (dip.label, dip.reason) == (True, "held_by_hysteresis")
    gone = happy_label([happy, happy, happy, sad, sad, sad])  # second failure in a row
    assert (gone.label, gone.reason) == (False, "not_persistent")
