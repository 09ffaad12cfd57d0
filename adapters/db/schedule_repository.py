"""Team cadences, and the per-person lookups the round materialiser needs in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time

from sqlalchemy import or_, update
from sqlmodel import col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, to_db
from adapters.db.tables import IdentityRow, InvitationRow, OutboxRow, RoundRow, TeamScheduleRow
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule

_PULSE_KINDS = ("pulse",)
_LIVE = ("pending", "sending", "sent")


def _hm(value: time) -> str:
    return value.strftime("%H:%M")


def _schedule(row: TeamScheduleRow) -> TeamSchedule:
    window = DeliveryWindow(
        work_start=time.fromisoformat(row.work_start), work_end=time.fromisoformat(row.work_end),
        quiet_start=time.fromisoformat(row.quiet_start),
        quiet_end=time.fromisoformat(row.quiet_end),
        weekend=tuple(int(d) for d in row.weekend.split()), country=row.country)
    return TeamSchedule(
        team_id=row.team_id, tenant_id=row.tenant_id, cadence=Cadence(row.cadence),
        weekday=row.weekday, hour=row.hour, minute=row.minute, window=window,
        items_per_pulse=row.items_per_pulse, round_hours=row.round_hours, anchor=row.anchor,
        materialized_until=from_db(row.materialized_until) if row.materialized_until else None,
        active=row.active)


class ScheduleRepository(Repository):
    def set_schedule(self, schedule: TeamSchedule) -> None:
        """Create or replace a team's cadence; keeps the watermark unless one is given."""
        w = schedule.window
        with self.session() as s:
            row = s.get(TeamScheduleRow, schedule.team_id) or TeamScheduleRow(
                team_id=schedule.team_id, tenant_id=schedule.tenant_id)
            row.tenant_id = schedule.tenant_id
            row.cadence, row.weekday = str(schedule.cadence), schedule.weekday
            row.hour, row.minute = schedule.hour, schedule.minute
            row.work_start, row.work_end = _hm(w.work_start), _hm(w.work_end)
            row.quiet_start, row.quiet_end = _hm(w.quiet_start), _hm(w.quiet_end)
            row.weekend, row.country = " ".join(str(d) for d in w.weekend), w.country
            row.items_per_pulse, row.round_hours = schedule.items_per_pulse, schedule.round_hours
            row.anchor, row.active = schedule.anchor, schedule.active
            if schedule.materialized_until is not None:
                row.materialized_until = to_db(schedule.materialized_until)
            s.add(row)

    def get_schedule(self, team_id: str) -> TeamSchedule | None:
        with self.session() as s:
            row = s.get(TeamScheduleRow, team_id)
            return _schedule(row) if row else None

    def list_schedules(self) -> list[TeamSchedule]:
        with self.session() as s:
            return [_schedule(r) for r in s.exec(select(TeamScheduleRow)
                                                 .order_by(TeamScheduleRow.team_id))]

    def advance_watermark(self, team_id: str, at: datetime) -> None:
        # A conditional UPDATE instead of GREATEST(): same effect, works on SQLite too.
        with self.session() as s:
            s.execute(update(TeamScheduleRow)
                      .where(col(TeamScheduleRow.team_id) == team_id,
                             or_(col(TeamScheduleRow.materialized_until).is_(None),
                                 col(TeamScheduleRow.materialized_until) < to_db(at)))
                      .values(materialized_until=to_db(at)))

    def pulsed_between(self, person_ids: Iterable[str], start: datetime, end: datetime) -> set[str]:
        ids = list(person_ids)
        if not ids:
            return set()
        with self.session() as s:
            rows = s.exec(select(OutboxRow.person_id).where(
                col(OutboxRow.person_id).in_(ids), col(OutboxRow.kind).in_(_PULSE_KINDS),
                col(OutboxRow.status).in_(_LIVE),
                OutboxRow.scheduled_at >= to_db(start), OutboxRow.scheduled_at < to_db(end)))
            return set(rows)

    def question_history(
        self, person_ids: Iterable[str], enps_ids: Iterable[str]
    ) -> dict[str, tuple[list[str], list[datetime]]]:
        ids, enps = list(person_ids), set(enps_ids)
        out: dict[str, tuple[list[str], list[datetime]]] = defaultdict(lambda: ([], []))
        if not ids:
            return {}
        with self.session() as s:
            rows = s.exec(
                select(InvitationRow.person_id, InvitationRow.question_ids, RoundRow.opens_at)
                .join(RoundRow, col(RoundRow.id) == InvitationRow.round_id)
                .where(col(InvitationRow.person_id).in_(ids)))
            for person_id, question_ids, opens_at in rows:
                asked, enps_at = out[person_id]
                for qid in question_ids.split():
                    asked.append(qid)
                    if qid in enps:
                        enps_at.append(from_db(opens_at))
        return dict(out)

    def buckets_of(self, person_ids: Iterable[str], platforms: Sequence[str]) -> dict[str, str]:
        ids = list(person_ids)
        if not ids:
            return {}
        rank = {p: i for i, p in enumerate(platforms)}
        best: dict[str, tuple[int, str]] = {}
        with self.session() as s:
            rows = s.exec(select(IdentityRow.person_id, IdentityRow.platform, IdentityRow.workspace)
                          .where(col(IdentityRow.person_id).in_(ids)))
            for person_id, platform, workspace in rows:
                score = rank.get(platform, len(rank))
                if person_id not in best or score < best[person_id][0]:
                    best[person_id] = (score, f"{platform}:{workspace}")
        return {pid: bucket for pid, (_, bucket) in best.items()}
