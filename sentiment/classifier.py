"""The CommentClassifier over an encoder and two heads, with per-tenant heads when they exist."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from pulse.irritants.model import CategoryScore, Classification, IrritantCategory, Polarity
from sentiment.encoders import Encoder, normalise
from sentiment.heads import PrototypeHead, SoftmaxHead, load_head, load_head_file
from sentiment.lang import detect_language

log = logging.getLogger("miroir.sentiment")
HEADS = Path(__file__).parent / "heads"
SENTIMENT = "sentiment"
CATEGORIES = "categories"
TOP_K = 2
THRESHOLD = 0.2  # a second category is kept only above this confidence

Head = SoftmaxHead | PrototypeHead
HeadSource = Callable[[str, str], tuple[str, bytes] | None]  # (tenant, kind) → (version, blob)


class EmbeddingClassifier:
    """Encoder → sentiment softmax head + category head; heads may be overridden per tenant."""

    def __init__(self, encoder: Encoder, sentiment: SoftmaxHead, categories: Head,
                 tenant_heads: HeadSource | None = None) -> None:
        self.encoder = encoder
        self.sentiment = sentiment
        self.categories = categories
        self.tenant_heads = tenant_heads
        self._cache: dict[tuple[str, str], tuple[str, Head]] = {}
        self.model_version = f"{encoder.name}/{sentiment.version}/{categories.version}"

    def classify(self, texts: Sequence[str], tenant_id: str | None = None) -> list[Classification]:
        """Classify a batch in one encoder call."""
        if not texts:
            return []
        X = normalise(self.encoder.encode(list(texts)))
        return self.classify_embeddings(X, texts, tenant_id)

    def classify_embeddings(self, X: np.ndarray, texts: Sequence[str],
                            tenant_id: str | None = None) -> list[Classification]:
        """Classify already-embedded texts (the benchmark and recalibration reuse embeddings)."""
        sent = self.head_for(tenant_id, SENTIMENT, self.sentiment)
        cats = self.head_for(tenant_id, CATEGORIES, self.categories)
        assert isinstance(sent, SoftmaxHead)
        version = f"{self.encoder.name}/{sent.version}/{cats.version}"
        p = sent.proba(X)
        cls = list(sent.classes)
        score = p[:, cls.index("positive")] - p[:, cls.index("negative")]
        pc = cats.proba(X)
        out = []
        for i, text in enumerate(texts):
            polarity = Polarity(cls[int(np.argmax(p[i]))])
            out.append(Classification(polarity, float(np.clip(score[i], -1, 1)),
                                      top_categories(pc[i], cats.classes), detect_language(text),
                                      version))
        return out

    def head_for(self, tenant_id: str | None, kind: str, default: Head) -> Head:
        if tenant_id is None or self.tenant_heads is None:
            return default
        found = self.tenant_heads(tenant_id, kind)
        if found is None:
            return default
        version, blob = found
        cached = self._cache.get((tenant_id, kind))
        if cached is None or cached[0] != version:
            cached = (version, load_head(blob))
            self._cache[(tenant_id, kind)] = cached
        return cached[1]


def top_categories(p: np.ndarray, classes: Sequence[str]) -> tuple[CategoryScore, ...]:
    """The best category always, the next ones only above THRESHOLD."""
    order = np.argsort(-p, kind="stable")[:TOP_K]
    kept = [i for rank, i in enumerate(order) if rank == 0 or p[i] >= THRESHOLD]
    return tuple(CategoryScore(IrritantCategory(classes[i]), round(float(p[i]), 4)) for i in kept)


def shipped_heads(encoder_name: str = "e5-small-q4") -> tuple[SoftmaxHead, Head]:
    """The heads shipped in sentiment/heads/ for this encoder."""
    sent = load_head_file(HEADS / f"sentiment_{encoder_name}.npz")
    cats = load_head_file(HEADS / f"categories_{encoder_name}.npz")
    assert isinstance(sent, SoftmaxHead)
    return sent, cats
