"""Survey use cases: open a round, record an answer, store a comment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Person, new_id
from pulse.core.ports import Clock
from pulse.surveys.model import Answer, Comment, Invitation, PulseRound, Question, Scale, to_ten
from pulse.surveys.ports import AnswerStore, CommentStore, RoundStore

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
    # What the turn needs next, read once here: the remaining questions themselves (to ask
    # them) and the answered question's scale (to explain an off-scale value).
    pending: tuple[Question, ...] = ()
    scale: Scale | None = None


def record_answer(
    store: AnswerStore, clock: Clock, person: Person, round_id: str, question_id: str, value: int
) -> AnswerResult:
    """Store one answer once; refuse closed rounds, uninvited people and off-scale values."""
    with store.batch():
        pulse_round = store.get_round(round_id)
        invitation = store.get_invitation(round_id, person.id)
        if pulse_round is None or invitation is None or question_id not in invitation.question_ids:
            return AnswerResult(AnswerOutcome.NOT_INVITED)
        questions = {q.id: q for q in store.questions(invitation.question_ids)}
        question = questions.get(question_id)
        if question is None:
            return AnswerResult(AnswerOutcome.NOT_INVITED)
        low, high = question.scale.bounds
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return AnswerResult(AnswerOutcome.OUT_OF_SCALE, scale=question.scale)
        now = clock.now()
        if not pulse_round.is_open(now):
            return AnswerResult(AnswerOutcome.CLOSED, scale=question.scale)
        answer = Answer(round_id, person.id, question_id, pulse_round.team_id, value, now)
        inserted = store.record_answer(answer)
        done = store.answered_questions(round_id, person.id)
    remaining = tuple(q for q in invitation.question_ids if q not in done)
    pending = tuple(questions[q] for q in remaining if q in questions)
    outcome = AnswerOutcome.RECORDED if inserted else AnswerOutcome.DUPLICATE
    return AnswerResult(outcome, remaining, pending, question.scale)


def add_comment(
    store: CommentStore, clock: Clock, person: Person, round_id: str | None, text: str,
    source: str,
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
    with store.batch():
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


def _round_score(store: CommentStore, round_id: str, person_id: str) -> float | None:
    """The 0–10 mean the person gave in this round, kept with the comment for calibration."""
    values = [to_ten(a.scale, a.value) for a in store.round_answers(round_id, person_id)]
    return sum(values) / len(values) if values else None


def start_round(
    store: RoundStore,
    clock: Clock,
    tenant_id: str,
    team_id: str,
    questions_for: dict[str, Sequence[Question]],
    duration: timedelta = timedelta(days=3),
    round_id: str | None = None,
    kind: str = "cadence",
) -> PulseRound:
    """Open a round for a team and invite each person to their chosen questions, all at once."""
    with store.batch():
        if store.get_team(tenant_id, team_id) is None:
            raise NotFound("team")
        now = clock.now()
        pulse_round = PulseRound(round_id or new_id(), tenant_id, team_id, now, now + duration,
                                 kind)
        store.add_round(pulse_round)
        for person_id, questions in questions_for.items():
            store.add_invitation(Invitation(pulse_round.id, person_id,
                                            tuple(q.id for q in questions)))
    return pulse_round
