"""Train the shipped heads from licence-clean data: NHS patient comments (MIT) and our examples.

The NHS comments are read from ../shared at training time and never copied into the repository.
A deterministic fifth of them (by comment id) is held out and never trained on.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sentiment.cache import embed_cached
from sentiment.classifier import HEADS
from sentiment.encoders import Encoder, normalise
from sentiment.examples import CATEGORIES, POLARITIES, descriptions, examples
from sentiment.heads import PrototypeHead, SoftmaxHead, fit_prototypes, fit_softmax

NHS_FILE = Path("data/pxtextmining/datasets_v6framework_230831.csv")
# NHS "Comment sentiment": 1 very positive … 5 very negative; 3 marks mixed comments.
NHS_POLARITY = {1: "positive", 2: "positive", 3: "neutral", 4: "negative", 5: "negative"}
EXAMPLE_SHARE = 0.85  # share of the total weight given to our own contact-centre examples
L2 = 4.0  # picked on the tweets val splits and a Glassdoor train sample, never trained on
SENTIMENT_VERSION = "sent-1"
CATEGORY_VERSION = "cat-1"


@dataclass(frozen=True)
class NhsComment:
    comment_id: str
    text: str
    label: int  # 1 very positive … 5 very negative
    held_out: bool


def held_out(comment_id: str) -> bool:
    """One comment in five, chosen by a hash of its id: stable across runs and machines."""
    return int(hashlib.sha1(comment_id.encode()).hexdigest(), 16) % 5 == 0


def nhs_comments(shared: Path) -> list[NhsComment]:
    """Labelled NHS comments, in file order."""
    out = []
    with (shared / NHS_FILE).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = (row.get("FFT answer") or "").strip()
            label = (row.get("Comment sentiment") or "").strip()
            if not text or not label:
                continue
            cid = row["Comment ID"].strip()
            out.append(NhsComment(cid, text, int(float(label)), held_out(cid)))
    return out


def _balanced(y: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(y, minlength=k).astype(np.float64)
    return (len(y) / (k * np.maximum(counts, 1)))[y]


def fingerprint(texts: list[str], labels: list[str]) -> str:
    """SHA-256 of the training texts and labels, recorded in the head."""
    h = hashlib.sha256()
    for t, y in zip(texts, labels, strict=True):
        h.update(t.encode())
        h.update(b"\x1f")
        h.update(y.encode())
        h.update(b"\x1e")
    return h.hexdigest()


def train_sentiment(encoder: Encoder, shared: Path, cache_dir: Path | None) -> SoftmaxHead:
    """The sentiment head: NHS training split + our examples, balanced, examples at 85 %."""
    nhs = [c for c in nhs_comments(shared) if not c.held_out]
    ours = examples()
    texts = [c.text for c in nhs] + [e.text for e in ours]
    labels = [NHS_POLARITY[c.label] for c in nhs] + [e.polarity for e in ours]
    X = normalise(embed_cached(encoder, texts, cache_dir))
    y = np.array([POLARITIES.index(lab) for lab in labels])
    n = len(nhs)
    w = np.concatenate([
        _balanced(y[:n], 3) * (1 - EXAMPLE_SHARE) / n,
        _balanced(y[n:], 3) * EXAMPLE_SHARE / (len(y) - n),
    ])
    meta = {"encoder": encoder.name, "nhs_train": n, "examples": len(y) - n, "l2": L2,
            "example_share": EXAMPLE_SHARE, "data_sha256": fingerprint(texts, labels)}
    return fit_softmax(X, y, POLARITIES, weights=w, l2=L2, version=SENTIMENT_VERSION, meta=meta)


def train_categories(encoder: Encoder, cache_dir: Path | None) -> PrototypeHead:
    """Category prototypes from our bilingual descriptions and example comments.

    Not centred: on the Glassdoor category train split, centring over our examples lost
    ~10 points of top-2 hits.
    """
    desc = descriptions()
    ours = [e for e in examples() if e.category]
    texts = [d for _, _, d in desc] + [e.text for e in ours]
    labels = [c for c, _, _ in desc] + [e.category for e in ours]
    X = normalise(embed_cached(encoder, texts, cache_dir))
    y = np.array([CATEGORIES.index(c) for c in labels])
    meta = {"encoder": encoder.name, "texts": len(texts),
            "data_sha256": fingerprint(texts, labels)}
    return fit_prototypes(X, y, CATEGORIES, reference=None, version=CATEGORY_VERSION,
                          meta=meta)


def train_all(encoder: Encoder, shared: Path, out_dir: Path = HEADS,
              cache_dir: Path | None = None) -> dict[str, str]:
    """Train both heads and write them as sentiment_<encoder>.npz and categories_<encoder>.npz."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sent = train_sentiment(encoder, shared, cache_dir)
    cats = train_categories(encoder, cache_dir)
    paths = {"sentiment": out_dir / f"sentiment_{encoder.name}.npz",
             "categories": out_dir / f"categories_{encoder.name}.npz"}
    paths["sentiment"].write_bytes(sent.to_bytes())
    paths["categories"].write_bytes(cats.to_bytes())
    summary = {k: str(v) for k, v in paths.items()}
    summary["meta"] = json.dumps(sent.meta, sort_keys=True)
    return summary
