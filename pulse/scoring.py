"""Pulse metrics as pure functions: person-first mean on 0–10, pillars, eNPS, favourable %."""

from __future__ import annotations

from pulse.model import Scale


def to_ten(scale: Scale, value: int) -> float:
    """An answer on its native scale mapped to 0–10 (1–5 agreement: 1→0, 5→10)."""
    if scale is Scale.AGREE5:
        return (value - 1) * 2.5
    return float(value)
