"""Comment classifications, irritants and per-tenant classifier heads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, insert_ignore, to_db
from adapters.db.tables import ClassificationRow, ClassifierHeadRow, CommentRow, IrritantRow
from pulse.irritants.model import (
    CategoryScore,
    Classification,
    Irritant,
    IrritantCategory,
    IrritantFilter,
    IrritantStatus,
    Polarity,
)
from pulse.surveys.model import Comment


def _irritant(row: IrritantRow) -> Irritant:
    return Irritant(
        id=row.id, tenant_id=row.tenant_id, comment_id=row.comment_id, team_id=row.team_id,
        category=IrritantCategory(row.category), status=IrritantStatus(row.status), text=row.text,
        created_at=from_db(row.created_at), updated_at=from_db(row.updated_at),
        language=row.language, owner_team_id=row.owner_team_id, owner_note=row.owner_note,
        category_corrected=row.category_corrected,
    )


def _comment(row: CommentRow) -> Comment:
    return Comment(id=row.id, tenant_id=row.tenant_id, person_id=row.person_id,
                   team_id=row.team_id, text=row.text, source=row.source,
                   created_at=from_db(row.created_at), round_id=row.round_id,
                   pulse_score=row.pulse_score)


def _where(query: Any, tenant_id: str, f: IrritantFilter) -> Any:
    query = query.where(IrritantRow.tenant_id == tenant_id)
    if f.team_id is not None:
        query = query.where(IrritantRow.team_id == f.team_id)
    if f.category is not None:
        query = query.where(IrritantRow.category == str(f.category))
    if f.status is not None:
        query = query.where(IrritantRow.status == str(f.status))
    if f.start is not None:
        query = query.where(IrritantRow.created_at >= to_db(f.start))
    if f.end is not None:
        query = query.where(IrritantRow.created_at < to_db(f.end))
    return query


class IrritantRepository(Repository):
    def pending_comments(self, limit: int) -> list[Comment]:
        with self.session() as s:
            rows = s.exec(
                select(CommentRow)
                .outerjoin(ClassificationRow, col(ClassificationRow.comment_id) == CommentRow.id)
                .where(col(ClassificationRow.comment_id).is_(None))
                .order_by(col(CommentRow.created_at), col(CommentRow.id))
                .limit(limit)
            )
            return [_comment(r) for r in rows]

    def save_classification(self, comment_id: str, result: Classification,
                            irritant: Irritant | None) -> bool:
        with self.session() as s:
            comment = s.get(CommentRow, comment_id)
            if comment is None:
                return False
            inserted = insert_ignore(s, ClassificationRow, dict(
                comment_id=comment_id, tenant_id=comment.tenant_id, polarity=str(result.polarity),
                score=result.score, language=result.language, model_version=result.model_version,
                categories=json.dumps([[str(c.category), c.confidence] for c in result.categories]),
                classified_at=to_db(datetime.now(UTC))))
            if inserted and irritant is not None:
                s.add(IrritantRow(
                    id=irritant.id, tenant_id=irritant.tenant_id, comment_id=comment_id,
                    team_id=irritant.team_id, category=str(irritant.category),
                    status=str(irritant.status), text=irritant.text, language=irritant.language,
                    owner_team_id=irritant.owner_team_id, created_at=to_db(irritant.created_at),
                    updated_at=to_db(irritant.updated_at)))
            return inserted

    def classification_of(self, comment_id: str) -> Classification | None:
        with self.session() as s:
            row = s.get(ClassificationRow, comment_id)
            if row is None:
                return None
            cats = tuple(CategoryScore(IrritantCategory(c), float(p))
                         for c, p in json.loads(row.categories))
            return Classification(Polarity(row.polarity), row.score, cats, row.language,
                                  row.model_version)

    def get_irritant(self, tenant_id: str, irritant_id: str) -> Irritant | None:
        with self.session() as s:
            row = s.get(IrritantRow, irritant_id)
            return _irritant(row) if row is not None and row.tenant_id == tenant_id else None

    def list_irritants(self, tenant_id: str, filters: IrritantFilter) -> list[Irritant]:
        with self.session() as s:
            query = _where(select(IrritantRow), tenant_id, filters)
            return [_irritant(r) for r in s.exec(query.order_by(col(IrritantRow.created_at)))]

    def count_reporters(self, tenant_id: str, filters: IrritantFilter) -> dict[str | None, int]:
        """Distinct reporters per team among the irritants matching `filters`."""
        with self.session() as s:
            query = _where(
                select(IrritantRow.team_id, func.count(func.distinct(CommentRow.person_id)))
                .join(CommentRow, col(CommentRow.id) == IrritantRow.comment_id),
                tenant_id, filters).group_by(col(IrritantRow.team_id))
            return {team: int(n) for team, n in s.exec(query)}

    def update_irritant(self, irritant: Irritant) -> None:
        with self.session() as s:
            row = s.get(IrritantRow, irritant.id)
            if row is None or row.tenant_id != irritant.tenant_id:
                return
            row.category = str(irritant.category)
            row.status = str(irritant.status)
            row.owner_team_id = irritant.owner_team_id
            row.owner_note = irritant.owner_note
            row.category_corrected = irritant.category_corrected
            row.updated_at = to_db(irritant.updated_at)
            s.add(row)

    def reporter_of(self, irritant_id: str) -> str | None:
        with self.session() as s:
            found = s.exec(
                select(CommentRow.person_id)
                .join(IrritantRow, col(IrritantRow.comment_id) == CommentRow.id)
                .where(IrritantRow.id == irritant_id)
            ).first()
            return found

    def labelled_comments(self, tenant_id: str) -> list[tuple[Comment, IrritantCategory | None]]:
        with self.session() as s:
            rows = s.exec(
                select(CommentRow, IrritantRow)
                .outerjoin(IrritantRow, col(IrritantRow.comment_id) == CommentRow.id)
                .where(CommentRow.tenant_id == tenant_id)
                .order_by(col(CommentRow.created_at), col(CommentRow.id))
            )
            out = []
            for comment, irritant in rows:
                corrected = (IrritantCategory(irritant.category)
                             if irritant is not None and irritant.category_corrected else None)
                if comment.pulse_score is not None or corrected is not None:
                    out.append((_comment(comment), corrected))
            return out

    def save_head(self, tenant_id: str, kind: str, version: str, blob: bytes, note: str) -> None:
        with self.session() as s:
            s.exec(update(ClassifierHeadRow)  # type: ignore[call-overload]
                   .where(col(ClassifierHeadRow.tenant_id) == tenant_id,
                          col(ClassifierHeadRow.kind) == kind)
                   .values(active=False))
            s.add(ClassifierHeadRow(tenant_id=tenant_id, kind=kind, version=version, blob=blob,
                                    note=note, active=True, created_at=to_db(datetime.now(UTC))))

    def active_head(self, tenant_id: str, kind: str) -> tuple[str, bytes] | None:
        with self.session() as s:
            row = s.exec(select(ClassifierHeadRow).where(
                ClassifierHeadRow.tenant_id == tenant_id, ClassifierHeadRow.kind == kind,
                col(ClassifierHeadRow.active).is_(True))).first()
            return (row.version, bytes(row.blob)) if row is not None else None

    def head_versions(self, tenant_id: str, kind: str) -> list[str]:
        with self.session() as s:
            rows = s.exec(select(ClassifierHeadRow.version).where(
                ClassifierHeadRow.tenant_id == tenant_id, ClassifierHeadRow.kind == kind,
            ).order_by(col(ClassifierHeadRow.id)))
            return list(rows)

