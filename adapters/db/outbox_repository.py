"""The outbox: idempotent enqueue, leased claims under shared token buckets, reaping.

On PostgreSQL claims use FOR UPDATE SKIP LOCKED, so any number of workers drain one table without
waiting on each other; the bucket rows are locked FOR UPDATE (in key order, so no deadlock) for
the length of one short claim transaction, which makes the rate limit global across processes.
On SQLite the same statements run without row locks (SQLite has none); the conditional
`status = 'pending'` UPDATE still stops a row from being claimed twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, insert_ignore, to_db
from adapters.db.tables import (
    AnswerRow,
    IdentityRow,
    InvitationRow,
    OutboxRow,
    RateBucketRow,
    RoundRow,
)
from pulse.delivery.model import Limit, NewMessage, OutboxItem
from pulse.surveys.model import Invitation, PulseRound

_MAX_ERROR = 1000


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id, key=row.key, tenant_id=row.tenant_id, person_id=row.person_id, kind=row.kind,
        payload=json.loads(row.payload), status=row.status, attempts=row.attempts,
        available_at=from_db(row.available_at), scheduled_at=from_db(row.scheduled_at),
        bucket=row.bucket, last_error=row.last_error,
        sent_at=from_db(row.sent_at) if row.sent_at else None, sent_by=row.sent_by,
        locked_by=row.locked_by)


def _values(message: NewMessage, now: datetime) -> dict[str, Any]:
    round_id = message.payload.get("round_id")
    return dict(key=message.key, tenant_id=message.tenant_id, person_id=message.person_id,
                kind=str(message.kind), round_id=round_id if isinstance(round_id, str) else None,
                payload=json.dumps(message.payload, sort_keys=True), status="pending", attempts=0,
                bucket=message.bucket, available_at=to_db(message.available_at),
                scheduled_at=to_db(message.available_at), created_at=to_db(now))


class OutboxRepository(Repository):
    def create_round(
        self, pulse_round: PulseRound, invitations: Sequence[Invitation],
        messages: Sequence[NewMessage],
    ) -> bool:
        now = datetime.now(UTC)
        with self.session() as s:
            if not insert_ignore(s, RoundRow, dict(
                    id=pulse_round.id, tenant_id=pulse_round.tenant_id,
                    team_id=pulse_round.team_id, opens_at=to_db(pulse_round.opens_at),
                    closes_at=to_db(pulse_round.closes_at), kind=pulse_round.kind)):
                return False
            _insert_many(s, InvitationRow, [dict(
                round_id=inv.round_id, person_id=inv.person_id,
                question_ids=" ".join(inv.question_ids), created_at=to_db(now))
                for inv in invitations])
            _insert_many(s, OutboxRow, [_values(m, now) for m in messages])
            return True

    def enqueue(self, messages: Sequence[NewMessage]) -> int:
        now = datetime.now(UTC)
        with self.session() as s:
            return sum(insert_ignore(s, OutboxRow, _values(m, now)) for m in messages)

    def has_message(self, key: str) -> bool:
        with self.session() as s:
            return s.exec(select(OutboxRow.id).where(OutboxRow.key == key)).first() is not None

    def claim(
        self, worker: str, now: datetime, lease_seconds: float, batch: int,
        limit_of: Callable[[str], Limit | None], wall: float,
    ) -> list[OutboxItem]:
        due_at = to_db(now)
        claimed: list[OutboxItem] = []
        with self.session() as s:
            buckets = sorted(s.exec(select(OutboxRow.bucket).distinct().where(
                OutboxRow.status == "pending", OutboxRow.available_at <= due_at)))
            for bucket in buckets:
                want = batch - len(claimed)
                if want <= 0:
                    break
                limit = limit_of(bucket)
                tokens = None
                if limit is not None:
                    tokens = _refill(s, bucket, limit, wall)
                    want = min(want, int(tokens.tokens))
                    if want <= 0:
                        continue
                ids = _pick(s, bucket, due_at, want, limit, now)
                got = _lease(s, ids, worker, due_at, to_db(now + timedelta(seconds=lease_seconds)))
                if tokens is not None:
                    tokens.tokens -= len(got)
                    s.add(tokens)
                claimed.extend(got)
        return claimed

    def mark_sent(self, item_id: int, worker: str, now: datetime) -> bool:
        return self._settle(item_id, worker, status="sent", sent_at=to_db(now), sent_by=worker,
                            last_error=None)

    def mark_sent_many(self, item_ids: Sequence[int], worker: str, now: datetime) -> int:
        if not item_ids:
            return 0
        with self.session() as s:
            stmt = (update(OutboxRow)
                    .where(col(OutboxRow.id).in_(list(item_ids)),
                           col(OutboxRow.locked_by) == worker, col(OutboxRow.status) == "sending")
                    .values(status="sent", sent_at=to_db(now), sent_by=worker, locked_by=None,
                            locked_until=None, last_error=None)
                    .returning(col(OutboxRow.id)))
            return len(s.execute(stmt).all())

    def requeue(self, item_id: int, worker: str, at: datetime, error: str, count: bool) -> bool:
        values: dict[str, Any] = dict(status="pending", available_at=to_db(at),
                                      last_error=error[:_MAX_ERROR])
        if not count:
            values["attempts"] = col(OutboxRow.attempts) - 1
        return self._settle(item_id, worker, **values)

    def finish(self, item_id: int, worker: str, status: str, error: str) -> bool:
        return self._settle(item_id, worker, status=status, last_error=error[:_MAX_ERROR])

    def _settle(self, item_id: int, worker: str, **values: Any) -> bool:
        # Only the current lease holder may settle: a reaped-and-reclaimed row is someone else's.
        with self.session() as s:
            stmt = (update(OutboxRow)
                    .where(col(OutboxRow.id) == item_id, col(OutboxRow.locked_by) == worker,
                           col(OutboxRow.status) == "sending")
                    .values(locked_by=None, locked_until=None, **values)
                    .returning(col(OutboxRow.id)))
            return s.execute(stmt).first() is not None

    def reap(self, now: datetime, max_attempts: int) -> int:
        expired = and_(col(OutboxRow.status) == "sending", col(OutboxRow.locked_until) < to_db(now))
        with self.session() as s:
            dead = s.execute(update(OutboxRow)
                             .where(expired, col(OutboxRow.attempts) >= max_attempts)
                             .values(status="dead", locked_by=None, locked_until=None,
                                     last_error="lease expired on every attempt")
                             .returning(col(OutboxRow.id))).all()
            back = s.execute(update(OutboxRow).where(expired)
                             .values(status="pending", locked_by=None, locked_until=None,
                                     last_error="lease expired (worker gone?)")
                             .returning(col(OutboxRow.id))).all()
            return len(dead) + len(back)

    def list_deliveries(
        self, tenant_id: str | None, status: str | None = None, limit: int = 100
    ) -> list[OutboxItem]:
        with self.session() as s:
            query = select(OutboxRow)
            if tenant_id is not None:
                query = query.where(OutboxRow.tenant_id == tenant_id)
            if status is not None:
                query = query.where(OutboxRow.status == status)
            rows = s.exec(query.order_by(col(OutboxRow.id).desc()).limit(limit))
            return [_item(r) for r in rows]

    def delivery_context(
        self, pairs: Sequence[tuple[str, str]]
    ) -> tuple[dict[tuple[str, str], Invitation], dict[tuple[str, str], set[str]],
               dict[str, list[tuple[str, str, str]]]]:
        """For (round, person) pairs, in three queries: invitations, answered questions, and
        each person's chat identities (what building a batch of messages needs)."""
        rounds = sorted({r for r, _ in pairs})
        people = sorted({p for _, p in pairs})
        wanted = set(pairs)
        invitations: dict[tuple[str, str], Invitation] = {}
        answered: dict[tuple[str, str], set[str]] = {pair: set() for pair in wanted}
        identities: dict[str, list[tuple[str, str, str]]] = {p: [] for p in people}
        with self.session() as s:
            for row in s.exec(select(InvitationRow).where(col(InvitationRow.round_id).in_(rounds),
                                                          col(InvitationRow.person_id).in_(people))):
                if (row.round_id, row.person_id) in wanted:
                    invitations[(row.round_id, row.person_id)] = Invitation(
                        row.round_id, row.person_id, tuple(row.question_ids.split()))
            for rid, pid, qid in s.exec(select(AnswerRow.round_id, AnswerRow.person_id,
                                               AnswerRow.question_id)
                                        .where(col(AnswerRow.round_id).in_(rounds),
                                               col(AnswerRow.person_id).in_(people))):
                if (rid, pid) in answered:
                    answered[(rid, pid)].add(qid)
            for ident in s.exec(select(IdentityRow).where(col(IdentityRow.person_id).in_(people))):
                identities[ident.person_id].append(
                    (ident.platform, ident.workspace, ident.external_id))
        return invitations, answered, identities

    def reminder_candidates(self, sent_before: datetime, now: datetime) -> list[OutboxItem]:
        reminder = aliased(OutboxRow)
        with self.session() as s:
            rows = s.exec(
                select(OutboxRow)
                .join(RoundRow, col(RoundRow.id) == OutboxRow.round_id)
                .where(OutboxRow.kind == "pulse", OutboxRow.status == "sent",
                       col(OutboxRow.sent_at) <= to_db(sent_before),
                       RoundRow.closes_at > to_db(now),
                       ~exists().where(col(AnswerRow.round_id) == OutboxRow.round_id,
                                       col(AnswerRow.person_id) == OutboxRow.person_id),
                       ~exists().where(col(reminder.kind) == "reminder",
                                       col(reminder.round_id) == OutboxRow.round_id,
                                       col(reminder.person_id) == OutboxRow.person_id))
                .order_by(col(OutboxRow.id)))
            return [_item(r) for r in rows]


def _insert_many(s: Session, table: Any, rows: list[dict[str, Any]], chunk: int = 500) -> None:
    """Multi-row INSERT … ON CONFLICT DO NOTHING (a 500-person team is one statement, not 500)."""
    module: Any = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), chunk):
        s.execute(module.insert(table).values(rows[start:start + chunk]).on_conflict_do_nothing())


def _refill(s: Session, key: str, limit: Limit, wall: float) -> RateBucketRow:
    """Lock the bucket row and top it up for the time elapsed since its last refill."""
    query = select(RateBucketRow).where(RateBucketRow.key == key).with_for_update()
    row = s.exec(query).first()
    if row is None:
        insert_ignore(s, RateBucketRow, dict(key=key, tokens=limit.burst, refreshed=wall))
        row = s.exec(query).one()
    row.tokens = min(limit.burst, row.tokens + max(0.0, wall - row.refreshed) * limit.rate)
    row.refreshed = max(row.refreshed, wall)
    return row


def _pick(
    s: Session, bucket: str, due_at: datetime, want: int, limit: Limit | None, now: datetime
) -> list[int]:
    """Due rows of one bucket, skipping rows another worker holds; one per person per claim."""
    query = (select(OutboxRow.id, OutboxRow.person_id)
             .where(OutboxRow.bucket == bucket, OutboxRow.status == "pending",
                    OutboxRow.available_at <= due_at)
             .order_by(col(OutboxRow.available_at), col(OutboxRow.id))
             .limit(want * 2)
             .with_for_update(skip_locked=True, of=OutboxRow))  # type: ignore[arg-type]
    if limit is not None and limit.channel_gap > 0:
        # Slack allows about one message per second per channel: leave a person's next message
        # until their previous one is out and the gap has passed.
        other = aliased(OutboxRow)
        since = to_db(now - timedelta(seconds=limit.channel_gap))
        query = query.where(~exists().where(
            col(other.person_id) == OutboxRow.person_id,
            or_(col(other.status) == "sending", col(other.sent_at) > since)))
    seen: set[str] = set()
    ids: list[int] = []
    for row_id, person_id in s.exec(query):
        if row_id is not None and person_id not in seen and len(ids) < want:
            seen.add(person_id)
            ids.append(row_id)
    return ids


def _lease(
    s: Session, ids: list[int], worker: str, due_at: datetime, until: datetime
) -> list[OutboxItem]:
    if not ids:
        return []
    stmt = (update(OutboxRow)
            .where(col(OutboxRow.id).in_(ids), col(OutboxRow.status) == "pending")
            .values(status="sending", locked_by=worker, locked_until=until,
                    attempts=col(OutboxRow.attempts) + 1)
            .returning(*OutboxRow.__table__.c))  # type: ignore[attr-defined]
    return [_item(r) for r in s.execute(stmt)]
