"""CX ingest use case: parsed records → team resolution → idempotent upsert → a report.

Every path (CSV upload, JSON batch, webhook, CLI) feeds an Ingestor, so they all answer the same
inserted / updated / duplicate / rejected counts, and unmapped ratings are counted, never dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pulse.core.buckets import zone
from pulse.core.errors import Invalid
from pulse.core.model import Team
from pulse.cx.model import CxMetric, CxRating, normalise, normalise_revision, plausible
from pulse.cx.ports import CxStore

MAX_LISTED = 200  # rejected rows listed one by one; the rest are counted by reason
CHUNK = 2000  # ratings per transaction
TICK = 1000  # records between two calls of the ingestor's `tick` (an import's heartbeat)


@dataclass(frozen=True)
class RawRating:
    """One rating as a source gave it, before normalisation and team resolution."""

    row: int  # data row (CSV, 1 = first data row) or record index (JSON)
    source: str
    source_instance: str
    source_record_id: str
    metric: CxMetric
    value: str  # on the metric's canonical scale (a profile may have mapped it)
    responded_at: datetime
    raw_value: str | None = None  # exactly as received, when the profile mapped `value`
    source_revision: str = ""
    interaction_at: datetime | None = None
    interaction_id: str | None = None
    agent_id: str | None = None
    agent_email: str | None = None
    group_id: str | None = None
    team: str | None = None  # a team id or name given by the source or the profile


@dataclass(frozen=True)
class RowError:
    row: int
    code: str  # machine-readable: off_scale, bad_date, missing_value, not_a_rating …
    error: str  # for people


@dataclass
class IngestReport:
    dry_run: bool = False
    received: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    stale: int = 0
    rejected_count: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    unmapped: int = 0
    unmapped_by_reason: Counter[str] = field(default_factory=Counter)
    teams_created: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def reject(self, err: RowError) -> None:
        self.rejected_count += 1
        self.rejected_by_reason[err.code] += 1
        if len(self.rejected) < MAX_LISTED:
            self.rejected.append({"row": err.row, "code": err.code, "error": err.error})

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready report."""
        return {
            "dry_run": self.dry_run, "received": self.received, "inserted": self.inserted,
            "updated": self.updated, "duplicates": self.duplicates, "stale": self.stale,
            "rejected_count": self.rejected_count, "rejected": self.rejected,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "rejected_listed": len(self.rejected),
            "unmapped": self.unmapped, "unmapped_by_reason": dict(self.unmapped_by_reason),
            "teams_created": self.teams_created, "notes": self.notes,
        }


def team_slug(tenant_id: str, name: str) -> str:
    """A stable team id for a team created from a CX source (team ids are global)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "team"
    digest = hashlib.sha256(f"{tenant_id}|{name}".encode()).hexdigest()[:6]
    return f"{tenant_id}-{slug}"[:56] + f"-{digest}"


class Ingestor:
    """Accumulates records, resolves teams, upserts in chunks and builds the report."""

    def __init__(self, store: CxStore, tenant_id: str, *, dry_run: bool = False,
                 create_teams: bool = False, batch_id: str | None = None,
                 chunk: int = CHUNK, tick: Callable[[], None] | None = None) -> None:
        tenant = store.get_tenant(tenant_id)
        if tenant is None:
            raise Invalid(f"unknown tenant {tenant_id!r}")
        self.store, self.tenant_id, self.tz = store, tenant_id, zone(tenant.timezone)
        self.dry_run, self.create_teams, self.batch_id, self.chunk = (
            dry_run, create_teams, batch_id, chunk)
        self.tick = tick  # called as records go by, so a long import can prove it is alive
        self.report = IngestReport(dry_run=dry_run)
        self._pending: list[tuple[CxRating, str | None]] = []  # rating, unmapped reason
        self._teams = {t.id: t.id for t in store.list_teams(tenant_id)}
        self._teams.update({t.name.casefold(): t.id for t in store.list_teams(tenant_id)})
        self._people: dict[tuple[str, str], str | None] = {}
        self._team_at: dict[tuple[str, str], str | None] = {}
        self._seen: set[bytes] = set()  # dry run only: duplicates within the same request

    def add(self, item: RawRating | RowError) -> None:
        """One parsed record or one row error."""
        self.report.received += 1
        if self.tick is not None and self.report.received % TICK == 0:
            self.tick()
        if isinstance(item, RowError):
            self.report.reject(item)
            return
        try:
            norm = normalise(item.metric, item.value)
        except Invalid as exc:
            self.report.reject(RowError(item.row, "off_scale", str(exc)))
            return
        if not item.source_record_id.strip():
            self.report.reject(RowError(item.row, "missing_value", "empty record id"))
            return
        for at in (item.responded_at, item.interaction_at):
            # Checked here, for every path: a year 9999 overflows when moved to local time.
            problem = plausible(at) if at is not None else None
            if problem is not None:
                self.report.reject(RowError(item.row, "bad_date", problem))
                return
        team_id, person_id, resolution, reason = self._resolve(item)
        rating = CxRating(
            tenant_id=self.tenant_id, source=item.source, source_instance=item.source_instance,
            source_record_id=item.source_record_id.strip(),
            source_revision=normalise_revision(item.source_revision), metric=item.metric,
            raw_value=item.raw_value if item.raw_value is not None else item.value,
            score=norm.score, score_norm=norm.score_norm, is_positive=norm.is_positive,
            is_negative=norm.is_negative, rated=norm.rated, responded_at=item.responded_at,
            interaction_at=item.interaction_at, interaction_id=item.interaction_id,
            source_agent_id=item.agent_id or item.agent_email, source_group_id=item.group_id,
            person_id=person_id, team_id=team_id, team_resolution=resolution)
        self._pending.append((rating, reason))
        if len(self._pending) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write (or, in a dry run, classify) the pending chunk."""
        if not self._pending:
            return
        ratings = [r for r, _ in self._pending]
        outcomes = self.store.upsert_ratings(ratings, dry_run=self.dry_run,
                                             batch_id=self.batch_id)
        for (rating, reason), outcome in zip(self._pending, outcomes, strict=True):
            if self.dry_run:
                digest = hashlib.blake2b(rating.idempotency_key.encode(), digest_size=12).digest()
                if digest in self._seen:
                    outcome = "duplicate"
                self._seen.add(digest)
            if reason is not None and outcome in ("inserted", "updated"):
                self.report.unmapped += 1  # stored without a team: counted, never dropped
                self.report.unmapped_by_reason[reason] += 1
            if outcome == "inserted":
                self.report.inserted += 1
            elif outcome == "updated":
                self.report.updated += 1
            elif outcome == "stale":
                self.report.stale += 1
                self.report.duplicates += 1
            else:
                self.report.duplicates += 1
        self._pending.clear()

    def finish(self) -> IngestReport:
        """Flush what is left and return the report."""
        self.flush()
        return self.report

    def _resolve(self, item: RawRating) -> tuple[str | None, str | None, str, str | None]:
        """(team, person, resolution, unmapped reason)."""
        if item.team and item.team.strip():
            name = item.team.strip()
            team = self._team_by_name(name)
            if team is not None or (self.dry_run and self.create_teams):
                return team, None, "profile_team", None
            return None, None, "unmapped", "unknown_team"
        person = self._person(item)
        if person is None:
            reason = "unknown_agent" if (item.agent_id or item.agent_email) else "no_team_or_agent"
            return None, None, "unmapped", reason
        at = item.interaction_at or item.responded_at
        day = at.astimezone(self.tz).date()  # roster dates are local days
        key = (person, day.isoformat())
        if key not in self._team_at:
            self._team_at[key] = self.store.team_of(person, day)
        team = self._team_at[key]
        if team is None:
            return None, person, "unmapped", "no_team_at_date"
        return team, person, "roster", None

    def _person(self, item: RawRating) -> str | None:
        for kind, handle in (("id", item.agent_id), ("email", item.agent_email)):
            if not handle:
                continue
            key = (kind, handle)
            if key not in self._people:
                found = self.store.cx_person(self.tenant_id, item.source, handle)
                if found is None and kind == "email":
                    people = self.store.find_people(self.tenant_id, handle)
                    found = people[0].id if len(people) == 1 else None
                self._people[key] = found
            if self._people[key] is not None:
                return self._people[key]
        return None

    def _team_by_name(self, name: str) -> str | None:
        found = self._teams.get(name) or self._teams.get(name.casefold())
        if found is not None:
            return found
        if not self.create_teams:
            return None
        team_id = team_slug(self.tenant_id, name)
        if not self.dry_run:
            self.store.add_team(Team(team_id, self.tenant_id, name))
        self.report.teams_created.append(name)
        self._teams[name.casefold()] = team_id
        return None if self.dry_run else team_id
