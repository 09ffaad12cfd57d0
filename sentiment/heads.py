"""Small heads over sentence embeddings: a softmax (logistic) head and a prototype head."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class SoftmaxHead:
    """Multinomial logistic regression: p = softmax(X·Wᵀ + b)."""

    W: np.ndarray
    b: np.ndarray
    classes: tuple[str, ...]
    version: str
    meta: dict[str, Any] = field(default_factory=dict)

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per embedding."""
        return _softmax(X.astype(np.float64) @ self.W.T + self.b)

    def to_bytes(self) -> bytes:
        """npz bytes (arrays + JSON meta); no pickled objects."""
        buf = io.BytesIO()
        np.savez(buf, kind=np.array("softmax"), W=self.W, b=self.b,
                 classes=np.array(self.classes), version=np.array(self.version),
                 meta=np.array(json.dumps(self.meta, sort_keys=True)))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> SoftmaxHead:
        """Inverse of to_bytes."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            return cls(W=z["W"], b=z["b"], classes=tuple(str(c) for c in z["classes"]),
                       version=str(z["version"]), meta=json.loads(str(z["meta"])))


def fit_softmax(
    X: np.ndarray,
    y: np.ndarray,
    classes: tuple[str, ...],
    *,
    weights: np.ndarray | None = None,
    l2: float = 1.0,
    prior: SoftmaxHead | None = None,
    version: str = "",
    meta: dict[str, Any] | None = None,
) -> SoftmaxHead:
    """Fit a softmax head by L-BFGS from zeros (deterministic for the same inputs).

    With `prior`, the L2 penalty pulls towards the prior's weights instead of zero, so a few
    hundred tenant labels adjust the shipped head rather than replace it.
    """
    X = X.astype(np.float64)
    n, d = X.shape
    k = len(classes)
    Y = np.zeros((n, k))
    Y[np.arange(n), y] = 1.0
    w = np.ones(n) if weights is None else weights.astype(np.float64)
    w = w / w.sum()
    W0 = np.zeros((k, d)) if prior is None else prior.W.astype(np.float64)
    b0 = np.zeros(k) if prior is None else prior.b.astype(np.float64)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        z = X @ W.T + b
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float((w[:, None] * Y * logp).sum())
        diff = W - W0
        reg = 0.5 * l2 / n * float((diff * diff).sum())
        G = w[:, None] * (np.exp(logp) - Y)
        gW = G.T @ X + l2 / n * diff
        gb = G.sum(axis=0)
        return nll + reg, np.concatenate([gW.ravel(), gb])

    start = np.concatenate([W0.ravel(), b0])
    res = minimize(loss, start, jac=True, method="L-BFGS-B",
                   options={"maxiter": 500, "gtol": 1e-8})
    W = res.x[: k * d].reshape(k, d)
    b = res.x[k * d :]
    return SoftmaxHead(W=W, b=b, classes=classes, version=version, meta=dict(meta or {}))


@dataclass
class PrototypeHead:
    """Cosine similarity to one prototype per category, centred, then a tempered softmax."""

    P: np.ndarray  # (k, d) unit prototypes
    centre: np.ndarray  # (k,) mean similarity of each prototype over reference comments
    classes: tuple[str, ...]
    version: str
    temperature: float = 0.02
    meta: dict[str, Any] = field(default_factory=dict)

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Category confidences, one row per embedding."""
        sims = X.astype(np.float64) @ self.P.T - self.centre
        return _softmax(sims / self.temperature)

    def to_bytes(self) -> bytes:
        """npz bytes (arrays + JSON meta); no pickled objects."""
        buf = io.BytesIO()
        np.savez(buf, kind=np.array("prototype"), P=self.P, centre=self.centre,
                 classes=np.array(self.classes), version=np.array(self.version),
                 temperature=np.array(self.temperature),
                 meta=np.array(json.dumps(self.meta, sort_keys=True)))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> PrototypeHead:
        """Inverse of to_bytes."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            return cls(P=z["P"], centre=z["centre"], classes=tuple(str(c) for c in z["classes"]),
                       version=str(z["version"]), temperature=float(z["temperature"]),
                       meta=json.loads(str(z["meta"])))


def fit_prototypes(
    X: np.ndarray,
    y: np.ndarray,
    classes: tuple[str, ...],
    *,
    reference: np.ndarray | None,
    version: str,
    temperature: float = 0.02,
    meta: dict[str, Any] | None = None,
) -> PrototypeHead:
    """Mean embedding per class (descriptions and examples), centred over `reference` if given."""
    P = np.stack([X[y == i].mean(axis=0) for i in range(len(classes))]).astype(np.float64)
    P /= np.linalg.norm(P, axis=1, keepdims=True)
    centre = (np.zeros(len(classes)) if reference is None
              else (reference.astype(np.float64) @ P.T).mean(axis=0))
    return PrototypeHead(P=P, centre=centre, classes=classes, version=version,
                         temperature=temperature, meta=dict(meta or {}))


def load_head(blob: bytes) -> SoftmaxHead | PrototypeHead:
    """Either head from its npz bytes."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        kind = str(z["kind"])
    return SoftmaxHead.from_bytes(blob) if kind == "softmax" else PrototypeHead.from_bytes(blob)


def load_head_file(path: Path) -> SoftmaxHead | PrototypeHead:
    """A head shipped in sentiment/heads/."""
    return load_head(path.read_bytes())
