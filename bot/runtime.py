"""What every entrypoint shares at run time: the store, the clock, the chat gateways, thresholds,
and the optional services the composition root wires (None where a deployment has none)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Protocol

from bot.ports import ChatGateway
from pulse.analytics.cells import Cell
from pulse.core.model import Bucket
from pulse.core.ports import Clock
from pulse.core.signin import LinkMaker
from pulse.cx.ports import CxStore
from pulse.delivery.ports import Calendar
from pulse.delivery.rounds import DeliveryPolicy
from pulse.irritants.ports import CommentClassifier, IrritantRelease
from pulse.ports import Store


class FeedAnswer(Protocol):
    """What a CX ingest path answers: an HTTP-like status and a JSON-ready body."""

    @property
    def status(self) -> int: ...
    @property
    def body(self) -> dict[str, Any]: ...


class CxFeeds(Protocol):
    """The CX ingest paths (adapters.csat.service), reached by the API through the runtime
    because adapters never import each other."""

    def upload(
        self, store: CxStore, tenant_id: str, data: BinaryIO, now: datetime, *, profile: str,
        date_format: str | None = ..., timezone: str | None = ..., dry_run: bool = ...,
        create_teams: bool = ..., source_instance: str = ..., metric: str | None = ...,
        score_column: str | None = ..., channel: str = ...,
        progress: Callable[[int], None] | None = ..., restart: bool = ...,
    ) -> FeedAnswer: ...
    def batch(
        self, store: CxStore, tenant_id: str, body: bytes, idempotency_key: str | None,
        now: datetime,
    ) -> FeedAnswer: ...
    def zendesk_webhook(
        self, store: CxStore, tenant_id: str, body: bytes, *, secret: str, timestamp: str,
        signature: str, now: datetime, default_instance: str = ...,
    ) -> FeedAnswer: ...


class CellReader(Protocol):
    """Published cells, read-only: what the chat surfaces show about a group (the same cells
    as the API; pulse.analytics.ports.CellRepository satisfies it)."""

    def cells(
        self, tenant_id: str, team_ids: Iterable[str], granularity: Bucket, metrics: Iterable[str],
        first: str | None = None, last: str | None = None,
    ) -> list[Cell]: ...


@dataclass
class Runtime:
    store: Store
    clock: Clock
    gateways: dict[str, ChatGateway] = field(default_factory=dict)
    k_scores: int = 5
    k_comments: int = 10
    timezone: str = "Europe/Paris"
    classifier: CommentClassifier | None = None  # comments → sentiment and irritants (a job)
    calendar: Calendar | None = None  # cadences and public holidays (moments of truth)
    delivery_policy: DeliveryPolicy | None = None  # None: DeliveryPolicy()'s defaults
    cx_feeds: CxFeeds | None = None  # CSV upload, JSON batch, Zendesk webhook
    signin_links: LinkMaker | None = None  # dashboard sign-in links (None: dashboard off)
    cells: CellReader | None = None  # published cells (App Home, Teams home); None: not wired
    irritant_release: IrritantRelease | None = None  # named/announced state; None: no storage
