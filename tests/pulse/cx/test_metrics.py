"""ANALYTICS.md §4.5 metric formulas, §1.2 normalisation and §1.3 idempotency keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pulse.core.errors import Invalid
from pulse.cx.model import CxAggregateKind, CxMetric, aggregate, idempotency_key, normalise


@pytest.fixture
def expected(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "data/analytics_examples/expected_outputs.json").read_text())


@pytest.fixture
def misc(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "data/analytics_examples/misc_outputs.json").read_text())


def test_example_e_cx_formulas(expected: dict) -> None:
    e = expected["E"]
    values = [5, 4, 3, 5, 2, 4, 5, 1, 4, 5, 3, 4]
    csat = aggregate(CxAggregateKind.CSAT_PCT, [normalise(CxMetric.CSAT, str(v)) for v in values])
    assert csat.value == pytest.approx(e["csat_pct"], abs=1e-9)
    assert csat.ci95 == pytest.approx([100 * x for x in e["csat_wilson95"]], abs=1e-9)
    assert csat.n_ratings == 12 and not csat.eligible
    nps = aggregate(CxAggregateKind.NPS, [normalise(CxMetric.NPS, str(v))
                                          for v in [10, 9, 8, 6, 10, 7, 3, 9, 9, 5, 8, 10]])
    assert nps.value == pytest.approx(e["nps"], abs=1e-9)
    ces = [normalise(CxMetric.CES, str(v)) for v in [7, 6, 5, 4, 7, 2, 6, 6]]
    assert aggregate(CxAggregateKind.CES, ces).value == pytest.approx(e["ces_mean"], abs=1e-9)
    assert aggregate(CxAggregateKind.CES_EASY_PCT, ces).value == pytest.approx(e["ces_easy_pct"])
    zd = [normalise(CxMetric.BINARY, v) for v in
          ["good", "good", "bad", "good", "offered", "good", "bad", "unoffered", "good"]]
    binary = aggregate(CxAggregateKind.BINARY_PCT, zd)
    assert binary.value == pytest.approx(e["zendesk_csat_pct"], abs=1e-9)
    assert binary.n_ratings == 7  # offered / unoffered excluded
    fd = [normalise(CxMetric.FRESHDESK, str(v)) for v in [103, 102, 100, -101, 103, 101]]
    assert aggregate(CxAggregateKind.FRESHDESK_PCT, fd).value == pytest.approx(
        e["freshdesk_positive_pct"], abs=1e-9)
    for code, norm in e["freshdesk_norm"].items():
        assert normalise(CxMetric.FRESHDESK, code).score_norm == pytest.approx(norm, abs=1e-12)


def test_enps_formula_on_the_nps_aggregate(expected: dict) -> None:
    e = expected["E"]
    agg = aggregate(CxAggregateKind.NPS, [normalise(CxMetric.NPS, str(v))
                                          for v in [10, 9, 9, 8, 7, 7, 6, 5, 9, 3]])
    assert agg.value == pytest.approx(e["enps"])
    assert agg.ci95 is not None
    half = (agg.ci95[1] - agg.ci95[0]) / 2
    assert half / 1.959963984540054 == pytest.approx(e["enps_se_points"], abs=1e-9)


def test_normalisation_rules() -> None:
    assert normalise(CxMetric.NPS, "7").score_norm == pytest.approx(0.7)
    assert normalise(CxMetric.CES, "4").score_norm == pytest.approx(0.5)
    assert normalise(CxMetric.CSAT, "4").is_positive and normalise(CxMetric.CSAT, "2").is_negative
    assert not normalise(CxMetric.BINARY, "offered").rated
    for metric, raw in [(CxMetric.CSAT, "6"), (CxMetric.CSAT, "0"), (CxMetric.NPS, "11"),
                        (CxMetric.CES, "8"), (CxMetric.CSAT, "4.5"), (CxMetric.CSAT, "abc"),
                        (CxMetric.BINARY, "great"), (CxMetric.FRESHDESK, "104")]:
        with pytest.raises(Invalid):
            normalise(metric, raw)


def test_aggregates_never_mix_metrics() -> None:
    from pulse.cx.model import CxRating

    def rating(metric: CxMetric, raw: str) -> CxRating:
        n = normalise(metric, raw)
        return CxRating("t", "api", "i", raw, "", metric, raw, n.score, n.score_norm,
                        n.is_positive, n.is_negative, n.rated, datetime(2025, 1, 1, tzinfo=UTC))

    mixed = [rating(CxMetric.CSAT, "5"), rating(CxMetric.CSAT, "1"), rating(CxMetric.NPS, "10")]
    assert aggregate(CxAggregateKind.CSAT_MEAN, mixed).value == 3.0
    assert aggregate(CxAggregateKind.NPS, mixed).n_ratings == 1


def test_worked_idempotency_keys(misc: dict) -> None:
    assert idempotency_key("zendesk", "acme.zendesk.com", "35436",
                           "2011-07-20T22:55:29Z") == misc["idem_zendesk_35436"]
    assert idempotency_key("freshdesk", "acme.freshdesk.com", "102",
                           "2015-08-28T09:08:16Z") == misc["idem_freshdesk_102"]
    assert idempotency_key("csv", "tenant-42", "upload-7f3a:row-17", "") == misc["idem_csv_row"]
