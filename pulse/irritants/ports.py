"""Irritant ports: the comment classifier, the irritant repository and the use cases' store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from pulse.core.model import Person, Team
from pulse.irritants.model import (
    Classification,
    Irritant,
    IrritantCategory,
    IrritantFilter,
)
from pulse.surveys.model import (
    Comment,
)


class CommentClassifier(Protocol):
    """Sentiment, score, irritant categories and language of free-text comments."""

    @property
    def model_version(self) -> str:
        """Names the model and heads that classified (stored with each classification)."""
        ...

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


class IrritantStore(IrritantRepository, Protocol):
    """What the irritant use cases need: the irritants, plus the tenant's teams and people."""

    def get_team(self, tenant_id: str, team_id: str) -> Team | None: ...
    def list_people(self, tenant_id: str) -> list[Person]: ...


class IrritantRelease(Protocol):
    """The release state of anonymous irritant texts (who chose to send theirs named, who has
    been told theirs is visible). Needs two nullable columns on the irritants table, which no
    migration adds yet: ``named_at`` (timestamp: the reporter chose to send it with their name)
    and ``announced_at`` (timestamp: the reporter was told their text became visible)."""

    def named(self, tenant_id: str) -> set[str]:
        """Ids of the tenant's irritants whose reporter chose to send them named."""
        ...
    def mark_named(self, irritant_id: str, at: datetime) -> None: ...
    def announced(self, tenant_id: str) -> set[str]:
        """Ids of the tenant's irritants whose reporter was told their text is visible."""
        ...
    def mark_announced(self, irritant_ids: Iterable[str], at: datetime) -> None: ...
