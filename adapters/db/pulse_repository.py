"""Question bank, rounds, invitations, answers and comments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, insert_ignore, to_db
from adapters.db.tables import (
    AnswerRow,
    CommentRow,
    InvitationRow,
    QuestionRow,
    RoundRow,
)
from pulse.surveys.model import (
    Answer,
    Comment,
    Invitation,
    Pillar,
    PulseRound,
    Question,
    Scale,
    Scored,
)


def _question(row: QuestionRow) -> Question:
    return Question(
        id=row.id,
        pillar=Pillar(row.pillar),
        scale=Scale(row.scale),
        text_fr=row.text_fr,
        text_en=row.text_en,
        moments=tuple(row.moments.split()) if row.moments else (),
        active=row.active,
    )


def _round(row: RoundRow) -> PulseRound:
    return PulseRound(
        id=row.id,
        tenant_id=row.tenant_id,
        team_id=row.team_id,
        opens_at=from_db(row.opens_at),
        closes_at=from_db(row.closes_at),
        kind=row.kind,
    )


def _scored(a: AnswerRow, q: QuestionRow) -> Scored:
    return Scored(person_id=a.person_id, question_id=a.question_id, pillar=Pillar(q.pillar),
                  scale=Scale(q.scale), value=a.value, answered_at=from_db(a.answered_at),
                  team_id=a.team_id)


def _comment(row: CommentRow) -> Comment:
    return Comment(
        id=row.id, tenant_id=row.tenant_id, person_id=row.person_id, team_id=row.team_id,
        text=row.text, source=row.source, created_at=from_db(row.created_at),
        round_id=row.round_id, pulse_score=row.pulse_score,
    )


class PulseRepository(Repository):
    def list_questions(self, tenant_id: str) -> list[Question]:
        with self.session() as s:
            rows = s.exec(
                select(QuestionRow)
                .where(
                    col(QuestionRow.tenant_id).is_(None) | (QuestionRow.tenant_id == tenant_id)
                )
                .order_by(QuestionRow.id)
            )
            return [_question(r) for r in rows]

    def get_question(self, question_id: str) -> Question | None:
        with self.session() as s:
            row = s.get(QuestionRow, question_id)
            return _question(row) if row else None

    def questions(self, question_ids: Sequence[str]) -> list[Question]:
        """Several questions in one query, in the order of `question_ids` (unknown ids left out)."""
        if not question_ids:
            return []
        with self.session() as s:
            rows = {r.id: r for r in s.exec(
                select(QuestionRow).where(col(QuestionRow.id).in_(list(question_ids))))}
        return [_question(rows[q]) for q in question_ids if q in rows]

    def add_question(self, question: Question, tenant_id: str | None = None) -> None:
        with self.session() as s:
            s.merge(QuestionRow(id=question.id, tenant_id=tenant_id, pillar=str(question.pillar),
                                scale=str(question.scale), text_fr=question.text_fr,
                                text_en=question.text_en, moments=" ".join(question.moments),
                                active=question.active))

    def add_round(self, pulse_round: PulseRound) -> None:
        with self.session() as s:
            insert_ignore(s, RoundRow, dict(
                id=pulse_round.id, tenant_id=pulse_round.tenant_id, team_id=pulse_round.team_id,
                opens_at=to_db(pulse_round.opens_at), closes_at=to_db(pulse_round.closes_at),
                kind=pulse_round.kind))

    def get_round(self, round_id: str) -> PulseRound | None:
        with self.session() as s:
            row = s.get(RoundRow, round_id)
            return _round(row) if row else None

    def add_invitation(self, invitation: Invitation) -> bool:
        with self.session() as s:
            return insert_ignore(s, InvitationRow, dict(
                round_id=invitation.round_id, person_id=invitation.person_id,
                question_ids=" ".join(invitation.question_ids),
                created_at=to_db(datetime.now().astimezone())))

    def get_invitation(self, round_id: str, person_id: str) -> Invitation | None:
        with self.session() as s:
            row = s.get(InvitationRow, (round_id, person_id))
            if row is None:
                return None
            return Invitation(row.round_id, row.person_id, tuple(row.question_ids.split()))

    def record_answer(self, answer: Answer) -> bool:
        with self.session() as s:
            return insert_ignore(s, AnswerRow, dict(
                round_id=answer.round_id, person_id=answer.person_id,
                question_id=answer.question_id, team_id=answer.team_id, value=answer.value,
                answered_at=to_db(answer.answered_at)))

    def answered_questions(self, round_id: str, person_id: str) -> set[str]:
        with self.session() as s:
            rows = s.exec(select(AnswerRow.question_id).where(
                AnswerRow.round_id == round_id, AnswerRow.person_id == person_id))
            return set(rows)

    def round_answers(self, round_id: str, person_id: str) -> list[Scored]:
        with self.session() as s:
            rows = s.exec(
                select(AnswerRow, QuestionRow)
                .join(QuestionRow, col(QuestionRow.id) == AnswerRow.question_id)
                .where(AnswerRow.round_id == round_id, AnswerRow.person_id == person_id)
            )
            return [_scored(a, q) for a, q in rows]

    def scored_answers(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[Scored]:
        teams = list(team_ids)
        with self.session() as s:
            rows = s.exec(
                select(AnswerRow, QuestionRow)
                .join(QuestionRow, col(QuestionRow.id) == AnswerRow.question_id)
                .where(
                    col(AnswerRow.team_id).in_(teams),
                    AnswerRow.answered_at >= to_db(start),
                    AnswerRow.answered_at < to_db(end),
                )
            )
            return [_scored(a, q) for a, q in rows]

    def invited_people(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> dict[str, set[str]]:
        teams = list(team_ids)
        out: dict[str, set[str]] = defaultdict(set)
        with self.session() as s:
            rows = s.exec(
                select(InvitationRow.person_id, RoundRow.opens_at)
                .join(RoundRow, col(RoundRow.id) == InvitationRow.round_id)
                .where(
                    col(RoundRow.team_id).in_(teams),
                    RoundRow.opens_at >= to_db(start),
                    RoundRow.opens_at < to_db(end),
                )
            )
            for person_id, opens_at in rows:
                out[from_db(opens_at).isoformat()].add(person_id)
        return dict(out)

    def add_comment(self, comment: Comment) -> None:
        with self.session() as s:
            s.add(CommentRow(id=comment.id, tenant_id=comment.tenant_id,
                             person_id=comment.person_id, team_id=comment.team_id,
                             round_id=comment.round_id, text=comment.text, source=comment.source,
                             pulse_score=comment.pulse_score, created_at=to_db(comment.created_at)))

    def list_comments(self, tenant_id: str, since: datetime | None = None) -> list[Comment]:
        with self.session() as s:
            query = select(CommentRow).where(CommentRow.tenant_id == tenant_id)
            if since is not None:
                query = query.where(CommentRow.created_at >= to_db(since))
            return [_comment(r) for r in s.exec(query.order_by(col(CommentRow.created_at)))]
