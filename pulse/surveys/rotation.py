"""Which questions a person gets: 1–3 items, all seen before a repeat, eNPS once a quarter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from pulse.surveys.model import Pillar, Question

MAX_ITEMS = 3


def quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


def enps_due(enps_asked: Sequence[datetime], at: datetime) -> bool:
    """eNPS at most once per calendar quarter (the unit eNPS is reported in)."""
    return all(quarter(asked.date()) != quarter(at.date()) for asked in enps_asked)


def choose_questions(
    bank: Sequence[Question],
    asked: Sequence[str],
    enps_asked: Sequence[datetime],
    at: datetime,
    n: int = MAX_ITEMS,
    salt: str = "",
) -> list[Question]:
    """Pick `n` (1–3) items for one person's cadence pulse.

    `asked` is every question id this person was ever asked, in any order. Items asked the fewest
    times come first, so each active item is seen once before any is seen twice; ties break on a
    stable per-person order (`salt`) so a team does not answer the same item the same week.
    eNPS takes one of the slots when it is due this quarter.
    """
    n = max(1, min(MAX_ITEMS, n))
    active = [q for q in bank if q.active and not q.moments]
    enps = [q for q in active if q.pillar is Pillar.ENPS]
    regular = [q for q in active if q.pillar is not Pillar.ENPS]
    counts = Counter(asked)
    chosen: list[Question] = []
    if enps and enps_due(enps_asked, at):
        chosen.append(min(enps, key=lambda q: (counts[q.id], _tiebreak(salt, q.id))))
    ranked = sorted(regular, key=lambda q: (counts[q.id], _tiebreak(salt, q.id)))
    chosen.extend(ranked[: n - len(chosen)])
    return chosen


def choose_moment_questions(
    bank: Sequence[Question], moment: str, asked: Sequence[str], n: int = MAX_ITEMS
) -> list[Question]:
    """The items tagged for a moment of truth, least asked first."""
    tagged = [q for q in bank if q.active and moment in q.moments]
    counts = Counter(asked)
    return sorted(tagged, key=lambda q: (counts[q.id], q.id))[: max(1, min(MAX_ITEMS, n))]


def _tiebreak(salt: str, question_id: str) -> int:
    # FNV-1a: stable across processes (hash() is salted per interpreter).
    h = 0xCBF29CE484222325
    for byte in f"{salt}|{question_id}".encode():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h
