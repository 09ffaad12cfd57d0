"""Pulse metrics: ANALYTICS §4.5 examples, person-first means, latest eNPS per person."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pulse.analytics import scoring
from pulse.surveys.model import Pillar, Scale, Scored

ENPS_E = [10, 9, 9, 8, 7, 7, 6, 5, 9, 3]
AGREE_E = [5, 4, 4, 3, 2, 5, 4, 1, 4, 3]
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def scored(person: str, value: int, pillar: Pillar = Pillar.TOOLS, minutes: int = 0,
           question: str = "q") -> Scored:
    scale = Scale.NPS11 if pillar is Pillar.ENPS else Scale.AGREE5
    return Scored(person, question, pillar, scale, value, T0 + timedelta(minutes=minutes))


def test_enps_example_e() -> None:
    result = scoring.enps(ENPS_E)
    assert result is not None
    assert (result.promoters, result.detractors, result.n) == (4, 3, 10)
    assert result.score == pytest.approx(10.0)
    assert result.se == pytest.approx(26.27, abs=0.005)


def test_favourability_and_mean_100_example_e() -> None:
    fav = scoring.favourability(AGREE_E)
    assert fav is not None
    assert (fav.favourable, fav.neutral, fav.unfavourable) == pytest.approx((60, 20, 20))
    assert scoring.mean_100(AGREE_E) == pytest.approx(62.5)


def test_shared_expected_outputs(shared_dir: Path) -> None:
    expected = json.loads(
        (shared_dir / "data/analytics_examples/expected_outputs.json").read_text())["E"]
    result = scoring.enps(ENPS_E)
    fav = scoring.favourability(AGREE_E)
    assert result is not None and fav is not None
    assert result.score == pytest.approx(expected["enps"])
    assert result.promoters == expected["enps_promoters"]
    assert result.detractors == expected["enps_detractors"]
    assert result.se == pytest.approx(expected["enps_se_points"])
    assert fav.favourable == pytest.approx(expected["fav_pct"])
    assert fav.neutral == pytest.approx(expected["neutral_pct"])
    assert fav.unfavourable == pytest.approx(expected["unfav_pct"])
    assert scoring.mean_100(AGREE_E) == pytest.approx(expected["likert_mean_0_100"])


def test_extremes_and_empty() -> None:
    assert scoring.enps([10] * 7).score == 100  # type: ignore[union-attr]
    assert scoring.enps([10] * 7).se == 0  # type: ignore[union-attr]
    assert scoring.enps([0, 6]).score == -100  # type: ignore[union-attr]
    assert scoring.enps([]) is None
    assert scoring.favourability([]) is None
    assert scoring.mean_100([]) is None
    with pytest.raises(ValueError):
        scoring.enps([11])
    with pytest.raises(ValueError):
        scoring.favourability([0])


def test_pulse_mean_is_person_first() -> None:
    # Ada answers three items at 5 (10/10), Bob one item at 1 (0/10): person-first gives 5.0,
    # where a plain mean over answers would give 7.5.
    answers = [scored("ada", 5, question=f"q{i}") for i in range(3)] + [scored("bob", 1)]
    assert scoring.pulse_mean(answers) == pytest.approx(5.0)


def test_pulse_mean_leaves_enps_out_and_pillars_are_separate() -> None:
    answers = [scored("ada", 5, Pillar.TOOLS), scored("ada", 1, Pillar.PAY),
               scored("bob", 3, Pillar.PAY), scored("bob", 0, Pillar.ENPS)]
    # Ada: tools 10, pay 0 → 5; Bob: pay 5 (his eNPS 0 is not a pulse item) → 5.
    assert scoring.pulse_mean(answers) == pytest.approx(5.0)
    assert scoring.pillar_means(answers) == pytest.approx(
        {Pillar.TOOLS: 10.0, Pillar.PAY: 2.5})
    assert scoring.pulse_mean([scored("bob", 0, Pillar.ENPS)]) is None


def test_enps_uses_each_persons_latest_answer() -> None:
    answers = [scored("ada", 0, Pillar.ENPS, minutes=0), scored("ada", 10, Pillar.ENPS, minutes=5),
               scored("bob", 9, Pillar.ENPS, minutes=1), scored("bob", 3, Pillar.ENPS, minutes=9)]
    result = scoring.enps_of(answers)
    assert result is not None
    assert (result.promoters, result.detractors, result.score) == (1, 1, 0.0)


def test_participation() -> None:
    assert scoring.participation({"a", "b"}, {"a", "b", "c", "d"}) == 0.5
    # A late reply to last week's round still counts its author among the invited.
    assert scoring.participation({"a", "z"}, {"a", "b"}) == pytest.approx(2 / 3)
    assert scoring.participation(set(), set()) is None
