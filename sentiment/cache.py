"""On-disk cache of embeddings keyed by encoder and text, so re-training does not re-embed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sentiment.encoders import Encoder


def default_cache_dir() -> Path:
    """MIROIR_CACHE_DIR, else ~/.cache/miroir/embeddings."""
    env = os.environ.get("MIROIR_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "miroir" / "embeddings"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed_cached(encoder: Encoder, texts: Sequence[str], cache_dir: Path | None,
                 batch: int = 64) -> np.ndarray:
    """Embeddings of `texts`, computing only the ones missing from the cache."""
    if cache_dir is None:
        return _embed(encoder, list(texts), batch)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{encoder.name}.npz"
    known: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            known = dict(zip((str(k) for k in z["keys"]), z["X"], strict=True))
    keys = [_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if missing:
        X = _embed(encoder, [t for _, t in missing], batch)
        known.update({k: x for (k, _), x in zip(missing, X, strict=True)})
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(known)), X=np.stack(list(known.values())))
        tmp.replace(path)
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)


def _embed(encoder: Encoder, texts: list[str], batch: int) -> np.ndarray:
    parts = [encoder.encode(texts[i : i + batch]) for i in range(0, len(texts), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)
