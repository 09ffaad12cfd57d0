"""Ports the core needs, as typing.Protocol; adapters/db and the fakes in tests implement them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from pulse.cx import CxBatch, CxRating, Normalised
from pulse.model import (
    Answer,
    Classification,
    Comment,
    Invitation,
    Irritant,
    IrritantCategory,
    IrritantFilter,
    Kudos,
    Locale,
    Membership,
    Person,
    PulseRound,
    Question,
    Scored,
    Team,
    Tenant,
)

if TYPE_CHECKING:
    from pulse.roster import RosterChanges


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class OrgRepository(Protocol):
    """Tenants, teams, people, identities and effective-dated memberships."""

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def list_tenants(self) -> list[Tenant]: ...
    def add_tenant(self, tenant: Tenant) -> None: ...
    def list_teams(self, tenant_id: str) -> list[Team]: ...
    def get_team(self, tenant_id: str, team_id: str) -> Team | None: ...
    def add_team(self, team: Team) -> None: ...
    def get_person(self, person_id: str) -> Person | None: ...
    def list_people(self, tenant_id: str) -> list[Person]: ...
    def add_person(self, person: Person) -> None: ...
    def set_locale(self, person_id: str, locale: Locale) -> None: ...
    def link_identity(
        self, platform: str, workspace: str, external_id: str, person_id: str
    ) -> None: ...
    def person_by_identity(
        self, platform: str, workspace: str, external_id: str
    ) -> Person | None: ...
    def identities_of(self, person_id: str) -> list[tuple[str, str, str]]:
        """(platform, workspace, external_id) for each linked chat account."""
        ...
    def find_people(self, tenant_id: str, handle: str) -> list[Person]:
        """People matching a handle: an id, an email or a display name (case-insensitive)."""
        ...
    def add_membership(self, membership: Membership) -> None: ...
    def memberships(self, tenant_id: str) -> list[Membership]: ...
    def team_of(self, person_id: str, day: date) -> str | None: ...


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


class KudosRepository(Protocol):
    def add_kudos(self, kudos: Kudos, recipient_teams: dict[str, str | None]) -> None: ...
    def kudos_between(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, str, str | None]]:
        """(created_at, recipient id, value tag) for kudos received by these teams' members."""
        ...
    def kudos_received(self, person_id: str, limit: int = 10) -> list[Kudos]: ...


class ApiKeyRepository(Protocol):
    def add_api_key(
        self, key_id: str, tenant_id: str, name: str, secret_hash: str, scopes: Sequence[str]
    ) -> None: ...
    def api_key_by_hash(self, secret_hash: str) -> tuple[str, str, frozenset[str]] | None:
        """(key id, tenant id, scopes) for an active key."""
        ...


class CommentClassifier(Protocol):
    """Sentiment, score, irritant categories and language of free-text comments."""

    model_version: str

    def classify(self, texts: Sequence[str], tenant_id: str | None = None) -> list[Classification]:
        """One Classification per text, in order; tenant heads are used when the tenant has some."""
        ...


class IrritantRepository(Protocol):
    """Classifications, irritants and per-tenant classifier heads."""

    def pending_comments(self, limit: int) -> list[Comment]:
        """Comments not classified yet, oldest first."""
        ...
    def save_classification(self, comment_id: str, result: Classification,
                            irritant: Irritant | None) -> bool:
        """Store a comment's classification (and its irritant) once; False if already there."""
        ...
    def classification_of(self, comment_id: str) -> Classification | None: ...
    def get_irritant(self, tenant_id: str, irritant_id: str) -> Irritant | None: ...
    def list_irritants(self, tenant_id: str, filters: IrritantFilter) -> list[Irritant]: ...
    def count_reporters(self, tenant_id: str, filters: IrritantFilter) -> dict[str | None, int]:
        """Distinct reporters per team among matching irritants (anonymity thresholds)."""
        ...
    def update_irritant(self, irritant: Irritant) -> None: ...
    def reporter_of(self, irritant_id: str) -> str | None:
        """The reporter's person id: only to send them 'you said, we did', never shown."""
        ...
    def labelled_comments(self, tenant_id: str) -> list[tuple[Comment, IrritantCategory | None]]:
        """Comments with a pulse score or a corrected category, for tenant recalibration."""
        ...
    def save_head(self, tenant_id: str, kind: str, version: str, blob: bytes, note: str) -> None:
        """Store a new head version and make it the active one (older versions are kept)."""
        ...
    def active_head(self, tenant_id: str, kind: str) -> tuple[str, bytes] | None: ...
    def head_versions(self, tenant_id: str, kind: str) -> list[str]: ...


class Store(OrgRepository, PulseRepository, KudosRepository, ApiKeyRepository,
            IrritantRepository, Protocol):
    """Everything the core persists; one adapter (adapters/db) implements all of it."""


class RosterRepository(Protocol):
    """Writes a validated roster import; everything in one transaction, or nothing."""

    def apply_roster(self, changes: RosterChanges) -> None:
        """Apply all changes atomically; raise pulse.errors.Invalid on an id owned elsewhere."""
        ...


class TenantRepository(Protocol):
    def delete_tenant(self, tenant_id: str) -> None:
        """Erase a tenant and every row that belongs to it (people, answers, keys…), at once."""
        ...


class Batch(Protocol):
    def batch(self) -> AbstractContextManager[None]:
        """Make every store call inside one transaction: all of them are kept, or none."""
        ...


class CxRepository(Protocol):
    """Customer ratings, ingest batches and the CX identity map (ANALYTICS.md §1)."""

    def upsert_ratings(
        self, ratings: Sequence[CxRating], dry_run: bool = False, batch_id: str | None = None
    ) -> list[str]:
        """Per rating: inserted | updated | duplicate | stale; dry_run writes nothing."""
        ...
    def cx_ratings(
        self, tenant_id: str, start: datetime, end: datetime,
        team_ids: Iterable[str] | None = None, metric: str | None = None,
    ) -> list[CxRating]:
        """Ratings answered in [start, end), optionally for some teams and one metric."""
        ...
    def cx_scores(
        self, tenant_id: str, start: datetime, end: datetime, team_ids: Iterable[str],
        metric: str,
    ) -> list[tuple[str, datetime, Normalised]]:
        """(team id, responded_at, normalised score) of one metric's team-mapped ratings."""
        ...
    def cx_resolution_counts(self, tenant_id: str) -> dict[str, int]:
        """Stored ratings by team resolution (roster, profile_team, unmapped …)."""
        ...
    def link_cx_identity(
        self, tenant_id: str, source: str, source_agent_id: str, person_id: str
    ) -> None: ...
    def cx_person(self, tenant_id: str, source: str, source_agent_id: str) -> str | None: ...
    def cx_batch(self, tenant_id: str, channel: str, request_key: str) -> CxBatch | None: ...
    def start_cx_batch(self, batch: CxBatch) -> bool:
        """Insert once; False when (tenant, channel, request_key) already exists."""
        ...
    def finish_cx_batch(self, batch_id: str, status: str, report: str) -> None: ...


class CxStore(OrgRepository, CxRepository, Protocol):
    """What CX ingest and the barometer need from the store."""
