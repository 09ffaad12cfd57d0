"""Survey ports: the question bank, rounds, invitations, answers and comments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from pulse.surveys.model import (
    Answer,
    Comment,
    Invitation,
    PulseRound,
    Question,
    Scored,
)


class PulseRepository(Protocol):
    """Question bank, rounds, invitations, answers and comments."""

    def list_questions(self, tenant_id: str) -> list[Question]: ...
    def get_question(self, question_id: str) -> Question | None: ...
    def add_question(self, question: Question, tenant_id: str | None = None) -> None: ...
    def add_round(self, pulse_round: PulseRound) -> None: ...
    def get_round(self, round_id: str) -> PulseRound | None: ...
    def add_invitation(self, invitation: Invitation) -> bool:
        """Insert once; False when the person was already invited to that round."""
        ...
    def get_invitation(self, round_id: str, person_id: str) -> Invitation | None: ...
    def record_answer(self, answer: Answer) -> bool:
        """Store once per (round, person, question); False when it was already there."""
        ...
    def answered_questions(self, round_id: str, person_id: str) -> set[str]: ...
    def round_answers(self, round_id: str, person_id: str) -> list[Scored]:
        """One person's answers in one round (their own history, calibration labels)."""
        ...
    def scored_answers(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[Scored]:
        """Answers given in [start, end) by members of these teams, reduced for scoring."""
        ...
    def invited_people(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> dict[str, set[str]]:
        """Invited person ids keyed by the round's opening instant (ISO 8601), for participation."""
        ...
    def add_comment(self, comment: Comment) -> None: ...
    def list_comments(self, tenant_id: str, since: datetime | None = None) -> list[Comment]: ...
