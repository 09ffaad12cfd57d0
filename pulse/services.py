"""Use cases: each takes the ports it needs and plain values, and returns a plain outcome."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from pulse.errors import Invalid, NotFound
from pulse.model import (
    Answer,
    Comment,
    Invitation,
    Kudos,
    Person,
    PulseRound,
    Question,
    Role,
)
from pulse.ports import Clock, Store
from pulse.scoring import to_ten

MAX_COMMENT = 2000


class AnswerOutcome(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    OUT_OF_SCALE = "out_of_scale"
    NOT_INVITED = "not_invited"


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    remaining: tuple[str, ...] = ()  # question ids of the round still unanswered


def new_id() -> str:
    return uuid.uuid4().hex


def record_answer(
    store: Store, clock: Clock, person: Person, round_id: str, question_id: str, value: int
) -> AnswerResult:
    """Store one answer once; refuse closed rounds, uninvited people and off-scale values."""
    pulse_round = store.get_round(round_id)
    invitation = store.get_invitation(round_id, person.id)
    if pulse_round is None or invitation is None or question_id not in invitation.question_ids:
        return AnswerResult(AnswerOutcome.NOT_INVITED)
    question = store.get_question(question_id)
    if question is None:
        return AnswerResult(AnswerOutcome.NOT_INVITED)
    low, high = question.scale.bounds
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return AnswerResult(AnswerOutcome.OUT_OF_SCALE)
    now = clock.now()
    if not pulse_round.is_open(now):
        return AnswerResult(AnswerOutcome.CLOSED)
    answer = Answer(round_id, person.id, question_id, pulse_round.team_id, value, now)
    inserted = store.record_answer(answer)
    done = store.answered_questions(round_id, person.id)
    remaining = tuple(q for q in invitation.question_ids if q not in done)
    outcome = AnswerOutcome.RECORDED if inserted else AnswerOutcome.DUPLICATE
    return AnswerResult(outcome, remaining)


def add_comment(
    store: Store, clock: Clock, person: Person, round_id: str | None, text: str, source: str
) -> Comment:
    """Store a free-text comment first; classification happens later, in a job."""
    cleaned = text.strip()
    if not cleaned:
        raise Invalid("empty comment")
    if len(cleaned) > MAX_COMMENT:
        raise Invalid(f"comment longer than {MAX_COMMENT} characters")
    now = clock.now()
    team_id = None
    pulse_score = None
    if round_id is not None:
        pulse_round = store.get_round(round_id)
        if pulse_round is None or store.get_invitation(round_id, person.id) is None:
            raise NotFound("round")
        team_id = pulse_round.team_id
        pulse_score = _round_score(store, round_id, person.id)
    if team_id is None:
        team_id = store.team_of(person.id, now.date())
    comment = Comment(new_id(), person.tenant_id, person.id, team_id, cleaned, source, now,
                      round_id, pulse_score)
    store.add_comment(comment)
    return comment


def _round_score(store: Store, round_id: str, person_id: str) -> float | None:
    """The 0–10 mean the person gave in this round, kept with the comment for calibration."""
    values = [to_ten(a.scale, a.value) for a in store.round_answers(round_id, person_id)]
    return sum(values) / len(values) if values else None


def send_kudos(
    store: Store,
    clock: Clock,
    sender: Person,
    recipients: Sequence[Person],
    message: str,
    value_tag: str | None = None,
    public: bool = True,
) -> Kudos:
    """Record kudos; refuse self-kudos, empty messages and an empty recipient list."""
    if not recipients:
        raise Invalid("no recipient")
    if any(r.id == sender.id for r in recipients):
        raise Invalid("self-kudos")
    if not message.strip():
        raise Invalid("empty message")
    if len(message.strip()) > MAX_COMMENT:
        raise Invalid(f"kudos message longer than {MAX_COMMENT} characters")
    now = clock.now()
    unique = {r.id: r for r in recipients}
    kudos = Kudos(new_id(), sender.tenant_id, sender.id, tuple(unique),
                  message.strip(), now, value_tag, public)
    store.add_kudos(kudos, {pid: store.team_of(pid, now.date()) for pid in unique})
    return kudos


def start_round(
    store: Store,
    clock: Clock,
    tenant_id: str,
    team_id: str,
    questions_for: dict[str, Sequence[Question]],
    duration: timedelta = timedelta(days=3),
    round_id: str | None = None,
    kind: str = "cadence",
) -> PulseRound:
    """Open a round for a team and invite each person to their chosen questions."""
    if store.get_team(tenant_id, team_id) is None:
        raise NotFound("team")
    now = clock.now()
    pulse_round = PulseRound(round_id or new_id(), tenant_id, team_id, now, now + duration, kind)
    store.add_round(pulse_round)
    for person_id, questions in questions_for.items():
        store.add_invitation(Invitation(pulse_round.id, person_id, tuple(q.id for q in questions)))
    return pulse_round


def is_manager(person: Person) -> bool:
    return person.role in (Role.MANAGER, Role.ADMIN)
