"""Published cells and week snapshots (written once, in bulk), and the lean reads publication
needs: one week of one tenant, only the columns scoring uses, as tuples rather than ORM objects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import distinct, func
from sqlalchemy import select as lean
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, to_db
from adapters.db.tables import (
    AnswerRow,
    InvitationRow,
    KudosRecipientRow,
    KudosRow,
    PublishedCellRow,
    QuestionRow,
    RoundRow,
    WeekSnapshotRow,
)
from pulse.analytics.cells import Cell, Reason, Receipt, Snapshot
from pulse.core.model import Bucket
from pulse.surveys.model import Pillar, Scale, Scored

CHUNK = 2000  # rows per INSERT: large enough to be fast, small enough for SQLite's limits


def _n_out(n: int | str | None) -> str | None:
    return None if n is None else str(n)


def _n_in(n: str | None) -> int | str | None:
    return int(n) if n is not None and n.isdigit() else n


def _detail(raw: str) -> tuple[tuple[str, float], ...]:
    return () if raw == "[]" else tuple((str(k), float(v)) for k, v in json.loads(raw))


def _cell_row(c: Cell) -> dict[str, Any]:
    return dict(tenant_id=c.tenant_id, team_id=c.team_id, granularity=str(c.granularity),
                bucket=c.bucket, metric=c.metric, value=c.value, n=_n_out(c.n),
                reason=None if c.reason is None else str(c.reason), snapshot_id=c.snapshot,
                formula_version=c.formula_version, published_at=to_db(c.published_at),
                detail=json.dumps([list(d) for d in c.detail]), weeks_used=c.weeks_used)


class AnalyticsRepository(Repository):
    def save_publication(self, snapshot: Snapshot | None, cells: Sequence[Cell]) -> int:
        """Insert the snapshot and cells once; rows already there are left as they are."""
        with self.session() as s:
            module: Any = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
            if snapshot is not None:
                published = cells[0].published_at if cells else datetime.now().astimezone()
                s.execute(module.insert(WeekSnapshotRow).values(
                    tenant_id=snapshot.tenant_id, week=snapshot.week, snapshot_id=snapshot.id,
                    timezone=snapshot.timezone, parents=json.dumps(dict(snapshot.parents)),
                    homes=json.dumps(dict(snapshot.home)), published_at=to_db(published),
                ).on_conflict_do_nothing())
            inserted = 0
            rows = [_cell_row(c) for c in cells]
            for i in range(0, len(rows), CHUNK):
                # A published number stays: a second publication of the same cell inserts nothing.
                stmt = module.insert(PublishedCellRow).values(rows[i:i + CHUNK])
                result = s.execute(stmt.on_conflict_do_nothing())
                inserted += max(getattr(result, "rowcount", 0) or 0, 0)
            return inserted

    def published_buckets(self, tenant_id: str, granularity: Bucket) -> set[str]:
        with self.session() as s:
            if granularity is Bucket.WEEK:
                query = select(WeekSnapshotRow.week).where(WeekSnapshotRow.tenant_id == tenant_id)
                return set(s.exec(query))
            return set(s.exec(select(PublishedCellRow.bucket).distinct().where(
                PublishedCellRow.tenant_id == tenant_id,
                PublishedCellRow.granularity == str(granularity))))

    def cells(
        self, tenant_id: str, team_ids: Iterable[str], granularity: Bucket, metrics: Iterable[str],
        first: str | None = None, last: str | None = None,
    ) -> list[Cell]:
        c = PublishedCellRow
        # Lean rows, not ORM objects: an org-wide read returns tens of thousands of cells.
        query = lean(col(c.team_id), col(c.bucket), col(c.metric), col(c.value), col(c.n),
                     col(c.reason), col(c.snapshot_id), col(c.formula_version),
                     col(c.published_at), col(c.detail), col(c.weeks_used)).where(
            col(c.tenant_id) == tenant_id, col(c.granularity) == str(granularity),
            col(c.team_id).in_(list(team_ids)), col(c.metric).in_(list(metrics)))
        if first is not None:
            query = query.where(col(c.bucket) >= first)
        if last is not None:
            query = query.where(col(c.bucket) <= last)
        reasons = {r.value: r for r in Reason}
        with self.session() as s:
            return [Cell(tenant_id, team, granularity, bucket, metric, value, _n_in(n),
                         None if reason is None else reasons[reason], snapshot, from_db(at),
                         version, _detail(detail), weeks)
                    for team, bucket, metric, value, n, reason, snapshot, version, at, detail,
                    weeks in s.execute(query.order_by(col(c.bucket)))]

    def snapshot(self, tenant_id: str, week: str) -> Snapshot | None:
        with self.session() as s:
            row = s.get(WeekSnapshotRow, (tenant_id, week))
            if row is None:
                return None
            return Snapshot(row.tenant_id, row.week, row.timezone, json.loads(row.parents),
                            json.loads(row.homes))

    def open_participation(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> tuple[int, int]:
        teams = list(team_ids)
        answered = (lean(func.count(distinct(col(AnswerRow.person_id))))
                    .where(col(AnswerRow.team_id).in_(teams),
                           col(AnswerRow.answered_at) >= to_db(start),
                           col(AnswerRow.answered_at) < to_db(end)).scalar_subquery())
        invited = (lean(func.count(distinct(col(InvitationRow.person_id))))
                   .join(RoundRow, col(RoundRow.id) == InvitationRow.round_id)
                   .where(col(RoundRow.tenant_id) == tenant_id, col(RoundRow.team_id).in_(teams),
                          col(RoundRow.opens_at) >= to_db(start),
                          col(RoundRow.opens_at) < to_db(end)).scalar_subquery())
        with self.session() as s:
            row = s.execute(lean(answered, invited)).one()
            return int(row[0] or 0), int(row[1] or 0)

    def first_activity(self, tenant_id: str) -> datetime | None:
        with self.session() as s:
            rounds = s.exec(select(func.min(RoundRow.opens_at))
                            .where(col(RoundRow.tenant_id) == tenant_id)).one()
            kudos = s.exec(select(func.min(KudosRow.created_at))
                           .where(col(KudosRow.tenant_id) == tenant_id)).one()
            found = [from_db(at) for at in (rounds, kudos) if at is not None]
            return min(found) if found else None

    def week_answers(self, tenant_id: str, start: datetime, end: datetime) -> list[Scored]:
        query = (lean(col(AnswerRow.person_id), col(AnswerRow.question_id),
                      col(QuestionRow.pillar), col(QuestionRow.scale), col(AnswerRow.value),
                      col(AnswerRow.answered_at), col(AnswerRow.team_id))
                 .join(QuestionRow, col(QuestionRow.id) == AnswerRow.question_id)
                 .join(RoundRow, col(RoundRow.id) == AnswerRow.round_id)
                 .where(col(RoundRow.tenant_id) == tenant_id,
                        col(AnswerRow.answered_at) >= to_db(start),
                        col(AnswerRow.answered_at) < to_db(end)))
        pillars = {p.value: p for p in Pillar}
        scales = {s.value: s for s in Scale}
        with self.session() as s:
            return [Scored(person, question, pillars[pillar], scales[scale], value, from_db(at),
                           team)
                    for person, question, pillar, scale, value, at, team in s.execute(query)]

    def week_invited(self, tenant_id: str, start: datetime, end: datetime) -> set[str]:
        query = (select(InvitationRow.person_id).distinct()
                 .join(RoundRow, col(RoundRow.id) == InvitationRow.round_id)
                 .where(col(RoundRow.tenant_id) == tenant_id,
                        col(RoundRow.opens_at) >= to_db(start),
                        col(RoundRow.opens_at) < to_db(end)))
        with self.session() as s:
            return set(s.exec(query))

    def week_receipts(self, tenant_id: str, start: datetime, end: datetime) -> list[Receipt]:
        query = (lean(col(KudosRow.id), col(KudosRecipientRow.person_id),
                      col(KudosRow.created_at), col(KudosRow.public))
                 .join(KudosRecipientRow, col(KudosRecipientRow.kudos_id) == KudosRow.id)
                 .where(col(KudosRow.tenant_id) == tenant_id,
                        col(KudosRow.created_at) >= to_db(start),
                        col(KudosRow.created_at) < to_db(end)))
        with self.session() as s:
            return [Receipt(kudos, person, from_db(at), bool(public))
                    for kudos, person, at, public in s.execute(query)]
