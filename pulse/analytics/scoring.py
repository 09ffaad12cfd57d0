"""Pulse metrics as pure functions: person-first mean on 0–10, pillars, eNPS, favourable %."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from math import sqrt
from statistics import fmean

# to_ten lives with the scales (surveys, a lower layer, uses it too); named here for readers.
from pulse.surveys.model import Pillar, Scored, to_ten

PROMOTERS = (9, 10)
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class Enps:
    """eNPS on −100..100 with its multinomial standard error, in points."""

    score: float
    se: float
    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors


@dataclass(frozen=True)
class Favourability:
    """Shares of 1–5 agreement answers, in percent: 4–5 favourable, 3 neutral, 1–2 unfavourable."""

    favourable: float
    neutral: float
    unfavourable: float


def person_first_mean(values: Iterable[tuple[str, float]]) -> float | None:
    """Mean of the persons' own means: heavy responders weigh no more (ANALYTICS §2.2)."""
    per_person: dict[str, list[float]] = defaultdict(list)
    for person_id, value in values:
        per_person[person_id].append(value)
    if not per_person:
        return None
    return fmean(fmean(v) for v in per_person.values())


def pulse_mean(answers: Iterable[Scored]) -> float | None:
    """Person-first mean on 0–10 over the pulse items (the eNPS item has its own metric)."""
    return person_first_mean(
        (a.person_id, to_ten(a.scale, a.value)) for a in answers if a.pillar is not Pillar.ENPS
    )


def pillar_means(answers: Iterable[Scored]) -> dict[Pillar, float]:
    """Person-first mean on 0–10 for each pillar that has answers (eNPS excluded)."""
    by_pillar: dict[Pillar, list[tuple[str, float]]] = defaultdict(list)
    for a in answers:
        if a.pillar is not Pillar.ENPS:
            by_pillar[a.pillar].append((a.person_id, to_ten(a.scale, a.value)))
    return {p: m for p, v in by_pillar.items() if (m := person_first_mean(v)) is not None}


def enps(values: Sequence[int]) -> Enps | None:
    """eNPS = 100·(%9–10 − %0–6); SE = 100·√((pP + pD − (pP − pD)²)/N) (ANALYTICS §2.2)."""
    if not values:
        return None
    if any(not 0 <= v <= 10 for v in values):
        raise ValueError("eNPS answers are on 0..10")
    n = len(values)
    promoters = sum(v in PROMOTERS for v in values)
    detractors = sum(v <= DETRACTOR_MAX for v in values)
    p_p, p_d = promoters / n, detractors / n
    variance = max(p_p + p_d - (p_p - p_d) ** 2, 0.0)
    return Enps(100 * (promoters - detractors) / n, 100 * sqrt(variance / n), promoters,
                n - promoters - detractors, detractors)


def latest_per_person(answers: Iterable[Scored]) -> dict[str, Scored]:
    """Each person's most recent answer (ties broken by question id, for a stable result)."""
    latest: dict[str, Scored] = {}
    for a in answers:
        kept = latest.get(a.person_id)
        if kept is None or (a.answered_at, a.question_id) > (kept.answered_at, kept.question_id):
            latest[a.person_id] = a
    return latest


def enps_of(answers: Iterable[Scored]) -> Enps | None:
    """eNPS over each person's latest eNPS answer among `answers`."""
    latest = latest_per_person(a for a in answers if a.pillar is Pillar.ENPS)
    return enps([a.value for a in latest.values()])


def favourability(values: Sequence[int]) -> Favourability | None:
    """Favourable / neutral / unfavourable percentages of 1–5 answers."""
    if not values:
        return None
    if any(not 1 <= v <= 5 for v in values):
        raise ValueError("agreement answers are on 1..5")
    n = len(values)
    return Favourability(100 * sum(v >= 4 for v in values) / n,
                         100 * sum(v == 3 for v in values) / n,
                         100 * sum(v <= 2 for v in values) / n)


def mean_100(values: Sequence[int]) -> float | None:
    """Mean of 1–5 answers on 0–100: 100·(mean − 1)/4 (Glint / Friday Pulse style)."""
    return 100 * (fmean(values) - 1) / 4 if values else None


def participation(respondents: Collection[str], invited: Collection[str]) -> float | None:
    """Distinct respondents / distinct invited people (respondents count as invited)."""
    # A reply can land in the bucket after the one its round opened in, so the respondent is
    # added to the invited population rather than letting the rate exceed 1.
    population = set(invited) | set(respondents)
    return len(set(respondents)) / len(population) if population else None
