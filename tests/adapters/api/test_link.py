"""ANALYTICS.md §4 examples A, B and D through the HTTP API, from stored EX answers and CX ratings.

Each team × week gets 10 pulse answers averaging the example's EX value (so n_ex = 10 ≥ k) and
100 or 200 CSAT ratings with exactly the example's top-2 share (n_cx ≥ 30): the aligned series the
API builds are then the example's series, and the statistics must match expected_outputs.json.
The EX side reads published cells, so each test runs the publication over the closed weeks first.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.db.store import SqlStore
from pulse.analytics.publication import publish_due
from pulse.core.clock import FixedClock
from testing import factories
from testing.cx import csat_records, ex_round, make_client, post_batch, store_csat, week_noon
from testing.linkage_examples import A_CX, A_EX, B_CX, B_EX

CLOSED, P_REL, MODEL = 1e-9, 1e-6, 1e-4
NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # the clock fixture's instant


@pytest.fixture
def expected(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "data/analytics_examples/expected_outputs.json").read_text())


def _series(store: SqlStore, client, headers, team: str, ex: list[float],
            cx: list[float], n_cx: int = 100) -> None:
    people = factories.staffed_team_ids(store, team, 10)
    records = []
    for week, (e, c) in enumerate(zip(ex, cx, strict=True), start=1):
        at = week_noon(2025, week)
        ex_round(store, team, people, at, e)
        records += csat_records(team, at, c, n_cx, "ex")
    post_batch(client, headers, records)
    publish_due(store, "acme", NOW)


def test_example_a_through_api(store: SqlStore, clock: FixedClock, expected: dict) -> None:
    client, headers = make_client(store, clock)
    _series(store, client, headers, "ta", A_EX, A_CX)
    resp = client.get("/api/v1/link/correlation", headers=headers, params={
        "scope": "team:ta", "bucket": "week", "from": "2024-12-30", "to": "2025-02-23"})
    assert resp.status_code == 200, resp.text
    body, e = resp.json(), expected["A"]
    assert body["n"] == 8
    assert body["pearson"]["r"] == pytest.approx(e["pearson_r"], abs=CLOSED)
    assert body["pearson"]["p"] == pytest.approx(e["pearson_p"], rel=P_REL)
    assert body["pearson"]["ci95"] == pytest.approx(e["pearson_ci95_scipy"], abs=CLOSED)
    assert body["spearman"]["rho"] == pytest.approx(e["spearman_rho"], abs=CLOSED)
    assert body["spearman"]["ci95"] == pytest.approx(e["spearman_ci95_bonett_wright"], abs=CLOSED)
    # Eight buckets: shown, but below the documented minimum (12) the reading says it is tentative.
    assert "insufficient_n" in body["flags"]
    assert body["reading"]["code"] == "tentative_moves_with"
    assert body["reading"]["en"].startswith("Tentative reading: fewer than 12")
    assert body["reading"]["fr"].startswith("Lecture provisoire : moins de 12")
    assert "moves with" in body["reading"]["en"] and "évolue avec" in body["reading"]["fr"]
    method = body["methodology"]
    assert method["bucket_timezone"] == "Europe/Paris" and method["thresholds"]["k_scores"] == 5
    series = client.get("/api/v1/link/series", headers=headers, params={
        "team_id": "ta", "bucket": "week", "from": "2024-12-30", "to": "2025-02-23"}).json()
    rows = series["teams"][0]["rows"]
    assert [r["bucket"] for r in rows] == [f"2025-W{w:02d}" for w in range(1, 9)]
    assert all(r["eligible_ex"] and r["eligible_cx"] and r["n_ex"] == 10 for r in rows)


def test_example_b_lags_through_api(store: SqlStore, clock: FixedClock, expected: dict) -> None:
    client, headers = make_client(store, clock)
    _series(store, client, headers, "tb", B_EX, B_CX)
    body = client.get("/api/v1/link/correlation", headers=headers, params={
        "scope": "team:tb", "bucket": "week", "lags": "-3..3", "from": "2024-12-30",
        "to": "2025-03-23"}).json()
    scan = body["lag_scan"]
    assert scan["alpha_bonferroni"] == pytest.approx(expected["B_bonferroni_alpha_7_lags"])
    for lag, e in zip(scan["lags"], expected["B"], strict=True):
        assert (lag["k"], lag["n"]) == (e["k"], e["n"])
        assert lag["r"] == pytest.approx(e["r"], abs=CLOSED)
        assert lag["p"] == pytest.approx(e["p"], rel=P_REL)
    assert (scan["best_lag"], scan["direction"]) == (1, "ex_leads")
    # Same-week r ≈ −0.17, but the confirmed lead is said in words (on 11 pairs: tentative).
    assert body["reading"]["code"] == "tentative_pulse_precedes"
    assert "tends to precede customer satisfaction" in body["reading"]["en"]
    assert "tend à précéder la satisfaction client" in body["reading"]["fr"]
    assert "Tentative" in body["reading"]["en"] and "provisoire" in body["reading"]["fr"]


def test_example_d_panel_through_api(store: SqlStore, clock: FixedClock, shared_dir: Path,
                                     expected: dict) -> None:
    client, headers = make_client(store, clock)
    with (shared_dir / "data/analytics_examples/example_D_panel.csv").open() as f:
        rows = list(csv.DictReader(f))
    for team in sorted({r["team"] for r in rows}):
        people = factories.staffed_team_ids(store, team, 10)
        for week, row in enumerate((r for r in rows if r["team"] == team), start=1):
            at = week_noon(2025, week)
            ex_round(store, team, people, at, float(row["ex"]))
            # 1,000 ratings per bucket so one-decimal CSAT shares (72.3 %) are exact; stored
            # directly because 48,000 posted records would slow the suite for no extra check.
            store_csat(store, "acme", team, at, float(row["cx"]), 1000)
    publish_due(store, "acme", clock.now())
    window = {"bucket": "week", "from": "2024-12-30", "to": "2025-02-23"}
    org = client.get("/api/v1/link/correlation", headers=headers,
                     params={"scope": "org", **window}).json()
    e = expected["D"]
    assert (org["n_obs"], org["n_teams"]) == (48, 6)
    assert org["total"]["r"] == pytest.approx(e["total_r"], abs=CLOSED)
    assert org["between"]["r"] == pytest.approx(e["between_r"], abs=CLOSED)
    assert org["between"]["display"] is False  # fewer than 10 teams
    assert org["pooled_within"]["r"] == pytest.approx(e["pooled_within_r"], abs=CLOSED)
    assert org["pooled_within"]["df"] == 41
    assert org["pooled_within"]["p"] == pytest.approx(e["pooled_within_p"], rel=P_REL)
    model = client.get("/api/v1/link/model", headers=headers, params=window).json()["model"]
    assert model["beta_within"] == pytest.approx(e["mixed_within"], abs=MODEL)
    assert model["se_within"] == pytest.approx(e["mixed_within_se"], abs=MODEL)
    assert model["beta_between"] == pytest.approx(e["mixed_between"], abs=MODEL)
    assert model["tau2"] == pytest.approx(e["mixed_group_var"], abs=MODEL)
    assert model["sigma2"] == pytest.approx(e["mixed_resid_var"], abs=MODEL)
    sym = client.get("/api/v1/link/symmetry", headers=headers,
                     params={"bucket": "2025-W08"}).json()
    assert sym["mode"] == "cross_team" and len(sym["teams"]) == 6
    t6 = next(t for t in sym["teams"] if t["team_id"] == "T6")
    # T6: EX ≥ 7 and CSAT ≥ 85 % in W05–W08 → top quadrant and the persistence label.
    assert t6["quadrant"] == "EQUIPE_HEUREUSE_CLIENTS_HEUREUX" and t6["label"] is True
    t1 = next(t for t in sym["teams"] if t["team_id"] == "T1")
    assert t1["quadrant"] == "DOUBLE_ALERTE" and t1["label"] is False


def test_ex_below_k_is_never_linked(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    people = factories.staffed_team_ids(store, "tiny", 4)
    records = []
    for week in range(1, 9):
        at = week_noon(2025, week)
        ex_round(store, "tiny", people, at, 7.0)
        records += csat_records("tiny", at, 80, 40, "k")
    post_batch(client, headers, records)
    publish_due(store, "acme", clock.now())
    series = client.get("/api/v1/link/series", headers=headers, params={
        "team_id": "tiny", "from": "2024-12-30", "to": "2025-02-23"}).json()
    rows = series["teams"][0]["rows"]
    assert all(r["ex"] is None and r["n_ex"] == "<5" and not r["eligible_ex"] for r in rows)
    corr = client.get("/api/v1/link/correlation", headers=headers, params={
        "scope": "team:tiny", "from": "2024-12-30", "to": "2025-02-23"}).json()
    assert corr["n"] == 0 and corr["pearson"]["r"] is None
    assert corr["reading"]["code"] == "too_few_buckets"
