"""Per-tenant recalibration on synthetic labelled comments: agreement rises, versions are kept."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta

import numpy as np

from adapters.db.store import SqlStore
from pulse.core.clock import FixedClock
from pulse.irritants.model import IrritantCategory, IrritantFilter
from pulse.irritants.service import change_irritant, classify_pending
from pulse.surveys.model import Comment
from sentiment.calibrate import recalibrate
from sentiment.classifier import CATEGORIES, SENTIMENT, EmbeddingClassifier
from sentiment.examples import CATEGORIES as CATEGORY_NAMES
from sentiment.examples import POLARITIES
from sentiment.heads import PrototypeHead, fit_softmax, load_head
from testing import factories

DIM = 64


class HashingEncoder:
    """Bag of hashed words: fast and deterministic, enough to learn tenant-specific words."""

    name = "hash64"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


MOODS = {"negative": ("rush", 1.0), "neutral": ("routine", 5.0), "positive": ("calm", 9.0)}
FILLER = ["shift", "floor", "queue", "today", "week", "desk", "call", "team"]


def classifier() -> EmbeddingClassifier:
    """A starting head that knows nothing of this tenant's words (trained on noise)."""
    rng = np.random.default_rng(1)
    enc = HashingEncoder()
    X = enc.encode([" ".join(rng.choice(FILLER, 3)) for _ in range(90)])
    sent = fit_softmax(X, np.arange(90) % 3, POLARITIES, l2=1.0, version="sent-test")
    P = rng.normal(size=(len(CATEGORY_NAMES), DIM))
    cats = PrototypeHead(P / np.linalg.norm(P, axis=1, keepdims=True),
                         np.zeros(len(CATEGORY_NAMES)), CATEGORY_NAMES, "cat-test", 0.05)
    return EmbeddingClassifier(enc, sent, cats)


def comment_corpus(store: SqlStore, clock: FixedClock, tenant: str, n: int) -> None:
    """A tenant whose 12 people leave n irritant comments: a mood word, a topic, filler."""
    factories.tenant(store, tenant, tenant)
    factories.team(store, f"{tenant}-t", tenant, "Team")
    people = [factories.person(store, f"{tenant}-p{i}", tenant, f"Person {i}")
              for i in range(min(n, 12))]
    rng = np.random.default_rng(7)
    for i in range(n):
        person = people[i % 12]
        mood = list(MOODS)[i % 3]
        word, score = MOODS[mood]
        topic = "payslip" if i % 2 else "badge"
        text = f"{word} {topic} " + " ".join(rng.choice(FILLER, 2))
        store.add_comment(Comment(f"{tenant}-c{i}", tenant, person.id, f"{tenant}-t", text,
                                  "irritant", clock.now() + timedelta(minutes=i),
                                  pulse_score=score))


def test_recalibration_raises_agreement_and_keeps_versions(
    store: SqlStore, clock: FixedClock
) -> None:
    comment_corpus(store, clock, "acme", 150)
    comment_corpus(store, clock, "globex", 30)
    clf = classifier()
    clf.tenant_heads = store.active_head
    assert classify_pending(store, clf, clock, batch_size=500) == 180
    for irritant in store.list_irritants("acme", IrritantFilter()):
        comment_text = next(c.text for c, _ in store.labelled_comments("acme")
                            if c.id == irritant.comment_id)
        wanted = (IrritantCategory.PAY if "payslip" in comment_text
                  else IrritantCategory.WORKSPACE)
        change_irritant(store, clock, "acme", irritant.id, category=wanted)

    report = recalibrate(store, clf, "acme", min_labels=40)
    sent, cats = report.heads
    assert sent.kind == SENTIMENT and sent.activated and sent.held_out > 10
    assert sent.before is not None and sent.after is not None
    assert sent.after > sent.before + 0.3 and sent.after >= 0.9
    assert cats.kind == CATEGORIES and cats.after is not None and cats.before is not None
    assert cats.after > cats.before and cats.activated
    assert store.head_versions("acme", SENTIMENT) == ["sentiment-t1"]

    # The tenant's comments now go through its own heads; the other tenant's do not.
    (mine,) = clf.classify(["rush badge queue"], tenant_id="acme")
    (theirs,) = clf.classify(["rush badge queue"], tenant_id="globex")
    assert mine.model_version == "hash64/sentiment-t1/categories-t1"
    assert str(mine.polarity) == "negative"
    assert theirs.model_version == "hash64/sent-test/cat-test"
    assert store.head_versions("globex", SENTIMENT) == []
    skipped = recalibrate(store, clf, "globex", min_labels=40)
    assert all(h.before is None and "needed" in h.reason for h in skipped.heads)
    assert store.head_versions("globex", SENTIMENT) == []

    # A second run adds a version and keeps the first one, still loadable.
    again = recalibrate(store, clf, "acme", min_labels=40)
    assert again.heads[0].previous_version == "sentiment-t1"
    versions = store.head_versions("acme", SENTIMENT)
    assert versions[0] == "sentiment-t1" and len(versions) == (2 if again.heads[0].activated
                                                               else 1)
    active = store.active_head("acme", SENTIMENT)
    assert active is not None and active[0] == versions[-1]
    assert load_head(active[1]).version == versions[-1]


def test_weekly_job_covers_every_tenant_and_skips_degraded_mode(
    store: SqlStore, clock: FixedClock
) -> None:
    from sentiment.calibrate import recalibrate_all
    from sentiment.lexicon import LexiconClassifier

    comment_corpus(store, clock, "acme", 60)
    comment_corpus(store, clock, "globex", 10)
    reports = recalibrate_all(store, classifier(), min_labels=40)
    assert [r.tenant_id for r in reports] == ["acme", "globex"]
    assert reports[0].heads[0].before is not None and reports[1].heads[0].before is None
    assert recalibrate_all(store, LexiconClassifier("no AVX2")) == []
