"""Customer ratings (idempotent upserts by record and revision), ingest batches, identity map."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, String, Table, any_, bindparam, func, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, insert_ignore, to_db
from adapters.db.tables import CxIdentityRow, CxIngestBatchRow, CxRatingRow
from pulse.cx.model import CxBatch, CxMetric, CxRating, Normalised, newer

_T: Table = CxRatingRow.__table__  # type: ignore[attr-defined]
_LOOKUP = 400  # record ids per SELECT … IN (…): well under SQLite's variable limit


def _rating(row: Any) -> CxRating:
    return CxRating(
        tenant_id=row["tenant_id"], source=row["source"], source_instance=row["source_instance"],
        source_record_id=row["source_record_id"], source_revision=row["source_revision"],
        metric=CxMetric(row["metric"]), raw_value=row["raw_value"], score=row["score"],
        score_norm=row["score_norm"], is_positive=row["is_positive"],
        is_negative=row["is_negative"], rated=row["rated"],
        responded_at=from_db(row["responded_at"]),
        interaction_at=from_db(row["interaction_at"]) if row["interaction_at"] else None,
        interaction_id=row["interaction_id"], source_agent_id=row["source_agent_id"],
        source_group_id=row["source_group_id"], person_id=row["person_id"],
        team_id=row["team_id"], team_resolution=row["team_resolution"],
    )


def _values(r: CxRating, batch_id: str | None, now: datetime, key: str) -> dict[str, Any]:
    return dict(
        tenant_id=r.tenant_id, source=r.source, source_instance=r.source_instance,
        source_record_id=r.source_record_id, source_revision=r.source_revision,
        idempotency_key=key, metric=str(r.metric), raw_value=r.raw_value[:32],
        score=r.score, score_norm=r.score_norm, is_positive=r.is_positive,
        is_negative=r.is_negative, rated=r.rated, responded_at=to_db(r.responded_at),
        interaction_at=to_db(r.interaction_at) if r.interaction_at else None,
        interaction_id=r.interaction_id, source_agent_id=r.source_agent_id,
        source_group_id=r.source_group_id, person_id=r.person_id, team_id=r.team_id,
        team_resolution=r.team_resolution, batch_id=batch_id, ingested_at=now,
    )


Ident = tuple[str, str, str, str]  # tenant, source, instance, record id


def _ident(r: CxRating) -> Ident:
    return (r.tenant_id, r.source, r.source_instance, r.source_record_id)


_DATETIMES = ("responded_at", "interaction_at", "ingested_at")


@contextmanager
def _unprepared(s: Session) -> Iterator[None]:
    """No server-side prepared statements while upserting on PostgreSQL: psycopg prepares a
    statement after 5 runs, and a plan cached while cx_rating was small kept scanning the
    table as it grew (each 1,000-row chunk got slower than the last)."""
    raw = s.connection().connection.dbapi_connection
    if s.get_bind().dialect.name != "postgresql" or raw is None:
        yield
        return
    before = getattr(raw, "prepare_threshold", None)
    raw.prepare_threshold = None  # type: ignore[union-attr]
    try:
        yield
    finally:
        raw.prepare_threshold = before  # type: ignore[union-attr]


def _ids_in(s: Session, ids: list[str]) -> ColumnElement[bool]:
    """source_record_id among `ids`; on PostgreSQL as one array parameter (= ANY)."""
    if s.get_bind().dialect.name == "postgresql":
        return _T.c.source_record_id == any_(bindparam("ids", ids, type_=ARRAY(String)))
    return _T.c.source_record_id.in_(ids)


def _bulk_insert(s: Session, rows: list[dict[str, Any]]) -> None:
    """executemany straight on the driver: per-row SQLAlchemy bind processing was the
    main cost of a 100,000-row upload. Values are aware UTC datetimes, str, float, bool or
    None, which both drivers accept; SQLite gets the text form SQLAlchemy's DateTime stores."""
    conn = s.connection()
    columns = list(rows[0])
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    sql = (f"INSERT INTO cx_rating ({', '.join(columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    if not sqlite:
        conn.exec_driver_sql(sql, [tuple(row.values()) for row in rows])
        return
    where = [columns.index(c) for c in _DATETIMES]
    text: dict[datetime, str] = {}  # ratings share timestamps (daily dates, one ingest time)
    params = []
    for row in rows:
        values = list(row.values())
        for i in where:
            at = values[i]
            if at is not None:
                if at not in text:
                    text[at] = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                values[i] = text[at]
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


class CxRepository(Repository):
    def upsert_ratings(
        self, ratings: Sequence[CxRating], dry_run: bool = False, batch_id: str | None = None
    ) -> list[str]:
        """Per rating: inserted | updated | duplicate | stale, in one transaction."""
        now = datetime.now(UTC)
        outcomes: list[str] = []
        with self.session() as s, _unprepared(s):
            state: dict[Ident, tuple[int | None, str, str]] = {}  # ident → (id, key, revision)
            # Grouped by (tenant, source, instance) so each lookup walks the unique index.
            groups: dict[tuple[str, str, str], set[str]] = {}
            for r in ratings:
                groups.setdefault((r.tenant_id, r.source, r.source_instance), set()).add(
                    r.source_record_id)
            for (tenant, source, instance), ids in groups.items():
                id_list = sorted(ids)
                for i in range(0, len(id_list), _LOOKUP):
                    rows = s.execute(
                        sql_select(_T.c.source_record_id, _T.c.id, _T.c.idempotency_key,
                                   _T.c.source_revision)
                        .where(_T.c.tenant_id == tenant, _T.c.source == source,
                               _T.c.source_instance == instance,
                               _ids_in(s, id_list[i:i + _LOOKUP])))
                    for rec, row_id, key, rev in rows:
                        state[(tenant, source, instance, rec)] = (row_id, key, rev)
            inserts: dict[Ident, dict[str, Any]] = {}
            for r in ratings:
                ident = _ident(r)
                known = state.get(ident)
                key = r.idempotency_key
                if known is None:
                    inserts[ident] = _values(r, batch_id, now, key)
                    state[ident] = (None, key, r.source_revision)
                    outcomes.append("inserted")
                elif known[1] == key:
                    outcomes.append("duplicate")
                elif newer(r.source_revision, known[2]):
                    state[ident] = (known[0], key, r.source_revision)
                    if ident in inserts:  # two revisions within one request: keep the newest
                        inserts[ident] = _values(r, batch_id, now, key)
                    elif not dry_run:
                        s.execute(update(CxRatingRow).where(col(CxRatingRow.id) == known[0])
                                  .values(**_values(r, batch_id, now, key)))
                    outcomes.append("updated")
                else:
                    outcomes.append("stale")
            if dry_run:
                s.rollback()
            elif inserts:
                _bulk_insert(s, list(inserts.values()))
        return outcomes

    def cx_ratings(
        self, tenant_id: str, start: datetime, end: datetime,
        team_ids: Iterable[str] | None = None, metric: str | None = None,
    ) -> list[CxRating]:
        # Core rows, not ORM objects: the barometer reads tens of thousands of ratings at once.
        query = sql_select(_T).where(_T.c.tenant_id == tenant_id,
                                     _T.c.responded_at >= to_db(start),
                                     _T.c.responded_at < to_db(end))
        if team_ids is not None:
            query = query.where(_T.c.team_id.in_(list(team_ids)))
        if metric is not None:
            query = query.where(_T.c.metric == metric)
        with self.session() as s:
            rows = s.execute(query.order_by(_T.c.responded_at)).mappings().all()
        return [_rating(r) for r in rows]

    def cx_scores(
        self, tenant_id: str, start: datetime, end: datetime, team_ids: Iterable[str],
        metric: str,
    ) -> list[tuple[str, datetime, Normalised]]:
        # Six columns, no objects per row: aggregating 50,000 ratings stays well under a second.
        query = sql_select(_T.c.team_id, _T.c.responded_at, _T.c.score, _T.c.is_positive,
                           _T.c.is_negative, _T.c.rated).where(
            _T.c.tenant_id == tenant_id, _T.c.metric == metric,
            _T.c.responded_at >= to_db(start), _T.c.responded_at < to_db(end),
            _T.c.team_id.in_(list(team_ids)))
        with self.session() as s:
            rows = s.execute(query).all()
        return [(team, from_db(at), Normalised(score, None, pos, neg, rated))
                for team, at, score, pos, neg, rated in rows]

    def cx_resolution_counts(self, tenant_id: str) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(sql_select(_T.c.team_resolution, func.count())
                             .where(_T.c.tenant_id == tenant_id)
                             .group_by(_T.c.team_resolution))
            return {str(k): int(v) for k, v in rows}

    def link_cx_identity(
        self, tenant_id: str, source: str, source_agent_id: str, person_id: str
    ) -> None:
        with self.session() as s:
            s.merge(CxIdentityRow(tenant_id=tenant_id, source=source,
                                  source_agent_id=source_agent_id, person_id=person_id))

    def cx_person(self, tenant_id: str, source: str, source_agent_id: str) -> str | None:
        with self.session() as s:
            row = s.get(CxIdentityRow, (tenant_id, source, source_agent_id))
            return row.person_id if row else None

    def cx_batch(self, tenant_id: str, channel: str, request_key: str) -> CxBatch | None:
        with self.session() as s:
            row = s.exec(select(CxIngestBatchRow).where(
                CxIngestBatchRow.tenant_id == tenant_id, CxIngestBatchRow.channel == channel,
                CxIngestBatchRow.request_key == request_key)).first()
            if row is None:
                return None
            return CxBatch(row.id, row.tenant_id, row.channel, row.request_key, row.body_sha256,
                           from_db(row.created_at), row.status, row.report,
                           row.lease_owner or "",
                           from_db(row.heartbeat_at) if row.heartbeat_at else None)

    def start_cx_batch(self, batch: CxBatch) -> bool:
        with self.session() as s:
            return insert_ignore(s, CxIngestBatchRow, dict(
                id=batch.id, tenant_id=batch.tenant_id, channel=batch.channel,
                request_key=batch.request_key, body_sha256=batch.body_sha256,
                status=batch.status, report=batch.report, created_at=to_db(batch.created_at),
                lease_owner=batch.lease_owner,
                heartbeat_at=to_db(batch.heartbeat_at) if batch.heartbeat_at else None))

    def take_over_cx_batch(self, batch_id: str, expected_owner: str, owner: str,
                           now: datetime) -> bool:
        held = col(CxIngestBatchRow.lease_owner)
        # Batches written before leases existed have no owner: '' stands for NULL.
        was = held.is_(None) | (held == "") if not expected_owner else held == expected_owner
        with self.session() as s:
            done = s.execute(update(CxIngestBatchRow)
                             .where(col(CxIngestBatchRow.id) == batch_id, was)
                             .values(status="running", lease_owner=owner,
                                     heartbeat_at=to_db(now)))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def heartbeat_cx_batch(self, batch_id: str, owner: str, now: datetime) -> bool:
        with self.session() as s:
            done = s.execute(update(CxIngestBatchRow)
                             .where(col(CxIngestBatchRow.id) == batch_id,
                                    col(CxIngestBatchRow.lease_owner) == owner,
                                    col(CxIngestBatchRow.status) == "running")
                             .values(heartbeat_at=to_db(now)))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def finish_cx_batch(self, batch_id: str, status: str, report: str,
                        owner: str | None = None) -> bool:
        where = [col(CxIngestBatchRow.id) == batch_id]
        if owner is not None:
            where.append(col(CxIngestBatchRow.lease_owner) == owner)
        with self.session() as s:
            done = s.execute(update(CxIngestBatchRow).where(*where)
                             .values(status=status, report=report))
            return bool(done.rowcount)  # type: ignore[attr-defined]
