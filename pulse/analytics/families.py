"""Metric families: what a cell publishes, as a value and as linear equations over people.

A family is one metric. For the cell of a group it gives three things:

- ``respondents``: the people the k threshold counts (who answered the metric's items; for
  kudos, the distinct recipients);
- ``value``: the published number, computed with pulse.analytics.scoring's functions;
- ``rows``: the linear functionals the cell reveals, over per-person *atoms*. The auditor
  assumes the worst reader, who knows the roster, who answered which item and how many times,
  so every coefficient is known and only the atoms are secret. A cell's rows are sums over its
  respondents of per-person contributions, up to a known scale (1/n is dropped).

Atoms are per observation, owned by one person: ``(person, kind, observation id)``. For one
answer that is its 0–10 value ("score"), its favourable and neutral indicators ("fav", "neu"),
or, for an eNPS answer, its promoter and detractor indicators; for a kudos receipt, the receipt
itself. Per-observation atoms let cells of any span (a closed week, a month recomputed from raw
answers, an open week read twice) be audited in one system: cells that share answers share
atoms. Within one week a person's answers to one pillar always enter every cell with the same
coefficient, so this is no finer than a per-pillar sum.

Contributions: pulse gives a respondent's answers 1/m_p each (m_p: their non-eNPS answers in the
cell), so the row is Σ_p mean_p, the person-first mean times n; pillar q does the same over the
pillar's answers (1/m_pq); favourable counts favourable and neutral 1–5 answers (two rows: the
unfavourable share is 100 minus the others); eNPS counts promoters and detractors among each
person's latest eNPS answer (two rows, which also fix the SE); kudos counts public receipts.
Participation is counts only, which the worst reader knows already: it has no rows.

A reporter-count family (irritant trends, theme counts) fits the same shape: respondents are the
reporters, atoms one per (report, category), one row per category shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from pulse.analytics import scoring
from pulse.analytics.band import band
from pulse.analytics.cells import Receipt
from pulse.surveys.model import Pillar, Scale, Scored

Atom = tuple[str, str, str]  # (person, kind, observation id)
Row = dict[Atom, Fraction]
Detail = tuple[tuple[str, float], ...]
PILLARS = tuple(p for p in Pillar if p is not Pillar.ENPS)


@dataclass(frozen=True)
class Observations:
    """What one cell reads: its people's answers, kudos receipts and invitations in its bucket."""

    answers: Sequence[Scored] = ()
    receipts: Sequence[Receipt] = ()
    invited: Collection[str] = ()


class Family(Protocol):
    """One metric: who counts for k, the published value, and the equations it reveals."""

    @property
    def metric(self) -> str:
        """The cell's metric name: "pulse", "pillar:<pillar>", "enps", "kudos"..."""

    @property
    def summed(self) -> bool:
        """True when months add the weekly values (counts) instead of averaging them."""

    def respondents(self, obs: Observations) -> frozenset[str]:
        """The people the k threshold counts."""

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        """The linear functionals the published value reveals, over per-person atoms."""

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        """The published value, and its details (other shares, SE)."""


def answer_id(a: Scored) -> str:
    """A stable id for one answer: its item and instant (a person answers an item once then)."""
    return f"{a.question_id}@{a.answered_at.isoformat()}"


def _weighted(answers: Iterable[Scored], kind: str) -> Row:
    """Σ over people of their mean: each answer weighs 1/(that person's answers here)."""
    per_person: dict[str, list[Scored]] = defaultdict(list)
    for a in answers:
        per_person[a.person_id].append(a)
    row: Row = {}
    for person, own in per_person.items():
        weight = Fraction(1, len(own))
        for a in own:
            row[(person, kind, answer_id(a))] = weight
    return row


def _pulse_answers(obs: Observations) -> list[Scored]:
    return [a for a in obs.answers if a.pillar is not Pillar.ENPS]


@dataclass(frozen=True)
class PulseFamily:
    """Person-first mean on 0–10 of the non-eNPS items."""

    metric: str = "pulse"
    summed: bool = False

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(a.person_id for a in _pulse_answers(obs))

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        return (_weighted(_pulse_answers(obs), "score"),)

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        per_person: dict[str, list[float]] = defaultdict(list)
        for a in _pulse_answers(obs):
            per_person[a.person_id].append(scoring.to_ten(a.scale, a.value))
        found = band([sum(v) / len(v) for v in per_person.values()])
        detail = (("ci_low", found[0]), ("ci_high", found[1])) if found else ()
        return scoring.pulse_mean(obs.answers), detail


@dataclass(frozen=True)
class PillarFamily:
    """Person-first mean on 0–10 of one pillar's items."""

    pillar: Pillar
    summed: bool = False

    @property
    def metric(self) -> str:
        return f"pillar:{self.pillar.value}"

    def _answers(self, obs: Observations) -> list[Scored]:
        return [a for a in obs.answers if a.pillar is self.pillar]

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(a.person_id for a in self._answers(obs))

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        return (_weighted(self._answers(obs), "score"),)

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        return scoring.pillar_means(self._answers(obs)).get(self.pillar), ()


def _agree(obs: Observations) -> list[Scored]:
    return [a for a in _pulse_answers(obs) if a.scale is Scale.AGREE5]


@dataclass(frozen=True)
class FavourableFamily:
    """Shares of favourable (4–5), neutral (3) and unfavourable (1–2) 1–5 answers, in %."""

    metric: str = "favourable"
    summed: bool = False

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(a.person_id for a in _agree(obs))

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        agree = _agree(obs)
        return ({(a.person_id, "fav", answer_id(a)): Fraction(1) for a in agree},
                {(a.person_id, "neu", answer_id(a)): Fraction(1) for a in agree})

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        shares = scoring.favourability([a.value for a in _agree(obs)])
        if shares is None:
            return None, ()
        return shares.favourable, (("neutral", shares.neutral),
                                   ("unfavourable", shares.unfavourable))


def _latest_enps(obs: Observations) -> list[Scored]:
    return list(scoring.latest_per_person(a for a in obs.answers if a.pillar is Pillar.ENPS)
                .values())


@dataclass(frozen=True)
class EnpsFamily:
    """eNPS on −100..100 from each person's latest eNPS answer, with shares and SE."""

    metric: str = "enps"
    summed: bool = False

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(a.person_id for a in obs.answers if a.pillar is Pillar.ENPS)

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        latest = _latest_enps(obs)
        return ({(a.person_id, "promoter", answer_id(a)): Fraction(1) for a in latest},
                {(a.person_id, "detractor", answer_id(a)): Fraction(1) for a in latest})

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        result = scoring.enps_of(obs.answers)
        if result is None:
            return None, ()
        n = result.n
        return result.score, (("se", result.se), ("promoters", 100 * result.promoters / n),
                              ("passives", 100 * result.passives / n),
                              ("detractors", 100 * result.detractors / n))


@dataclass(frozen=True)
class KudosFamily:
    """Public kudos received by the group's members; private kudos never count."""

    metric: str = "kudos"
    summed: bool = True

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(r.recipient_id for r in obs.receipts if r.public)

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        return ({(r.recipient_id, "kudos", r.kudos_id): Fraction(1)
                 for r in obs.receipts if r.public},)

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        return float(sum(r.public for r in obs.receipts)), ()


@dataclass(frozen=True)
class ParticipationFamily:
    """Respondents / invited: counts only, so nothing for the auditor."""

    metric: str = "participation"
    summed: bool = False

    def respondents(self, obs: Observations) -> frozenset[str]:
        return frozenset(a.person_id for a in obs.answers)

    def rows(self, obs: Observations) -> tuple[Row, ...]:
        return ()

    def value(self, obs: Observations) -> tuple[float | None, Detail]:
        return scoring.participation(self.respondents(obs), obs.invited), ()


def week_families() -> tuple[Family, ...]:
    """Every metric published for a team-week, in a stable order."""
    return (PulseFamily(), *(PillarFamily(p) for p in PILLARS), FavourableFamily(),
            EnpsFamily(), ParticipationFamily(), KudosFamily())
