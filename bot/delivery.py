"""Drain the outbox: lease due messages, build them, send through the right gateway, settle."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from bot.delivery_messages import build_message
from bot.ports import ChatGateway, Recipient
from bot.replies import Reply
from bot.runtime import Runtime
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.delivery.model import Limit, OutboxItem
from pulse.delivery.ports import DeliveryStore
from pulse.ports import Store

log = logging.getLogger("miroir.delivery")


@dataclass(frozen=True)
class DrainPolicy:
    worker: str
    batch: int = 200
    lease_seconds: float = 120.0  # long lease, short sends: a duplicate needs a crash in between
    max_attempts: int = 6
    backoff_base: float = 30.0
    backoff_cap: float = 3600.0
    concurrency: int = 32
    limit_of: Callable[[str], Limit | None] = field(default=lambda _: None)
    wall: Callable[[], float] = time.time
    platforms: tuple[str, ...] = ("slack", "teams", "web")
    # Overlapping passes in one process claim one at a time: on SQLite (no row locks) this is
    # what keeps a token bucket from being spent twice; PostgreSQL's row locks do it across
    # processes.
    claim_lock: threading.Lock = field(default_factory=threading.Lock, compare=False)


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    rate_limited: int = 0
    dead: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.rate_limited + self.dead + self.cancelled


@dataclass(frozen=True)
class _Plan:
    item: OutboxItem
    recipient: Recipient | None = None
    gateway: ChatGateway | None = None
    replies: tuple[Reply, ...] = ()
    dead: str = ""  # why it can never be sent
    cancel: str = ""  # why there is nothing left to send


@dataclass(frozen=True)
class _Result:
    item: OutboxItem
    outcome: str  # sent | retry | rate | dead | cancelled
    error: str = ""
    delay: float = 0.0


def delivery_store(runtime: Runtime) -> DeliveryStore:
    """The runtime's store seen through the delivery ports (adapters/db.SqlStore has them)."""
    return cast(DeliveryStore, runtime.store)


async def drain_outbox(runtime: Runtime, policy: DrainPolicy) -> DrainReport:
    """One pass: lease what is due (within rate limits), send it, record the outcome."""
    store = delivery_store(runtime)
    def claim() -> list[OutboxItem]:
        with policy.claim_lock:
            return store.claim(policy.worker, runtime.clock.now(), policy.lease_seconds,
                               policy.batch, policy.limit_of, policy.wall())

    items = await asyncio.to_thread(claim)
    report = DrainReport()
    if not items:
        return report
    # Past half the lease, stop starting sends: the row may be reaped and sent by someone else.
    send_by = time.monotonic() + policy.lease_seconds / 2
    def plan_all() -> list[_Plan]:
        cached = replace(runtime, store=cast(Store, _PassCache(runtime.store, items)))
        return [_plan(cached, policy, i) for i in items]

    plans = await asyncio.to_thread(plan_all)
    # Settle each message as soon as its send returns (the send→mark window is the only way to
    # send twice), batching whatever finished meanwhile into one statement.
    gate = asyncio.Semaphore(policy.concurrency)
    settled = asyncio.Lock()
    finished: list[_Result] = []

    async def deliver(plan: _Plan) -> None:
        async with gate:
            finished.append(await _send(plan, send_by))
        async with settled:
            batch = finished[:]
            del finished[:]
            if batch:
                await asyncio.to_thread(_settle, runtime, policy, batch, report)

    await asyncio.gather(*(deliver(plan) for plan in plans))
    return report


class _PassCache:
    """The store for one drain pass: what building the batch needs is fetched in bulk up front,
    and lookups that do not change within a pass (questions, rounds, people) are memoised."""

    _MEMO = ("get_question", "get_round", "get_person", "get_tenant")

    def __init__(self, store: Store, items: list[OutboxItem]) -> None:
        self._store = store
        self._memo: dict[tuple[str, str], Any] = {}
        pairs = [(str(i.payload["round_id"]), i.person_id) for i in items
                 if isinstance(i.payload.get("round_id"), str)]
        bulk = getattr(store, "delivery_context", None)
        self._invitations, self._answered, self._identities = (
            bulk(pairs) if bulk is not None else ({}, {}, {}))

    def get_invitation(self, round_id: str, person_id: str) -> Any:
        found = self._invitations.get((round_id, person_id))
        return found if found is not None else self._store.get_invitation(round_id, person_id)

    def answered_questions(self, round_id: str, person_id: str) -> set[str]:
        found = self._answered.get((round_id, person_id))
        return set(found) if found is not None else self._store.answered_questions(round_id,
                                                                                   person_id)

    def identities_of(self, person_id: str) -> list[tuple[str, str, str]]:
        found = self._identities.get(person_id)
        return list(found) if found else self._store.identities_of(person_id)

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if name not in self._MEMO:
            return target

        def memoised(key: str) -> Any:
            if (name, key) not in self._memo:
                self._memo[(name, key)] = target(key)
            return self._memo[(name, key)]

        return memoised


def reap_leases(runtime: Runtime, max_attempts: int) -> int:
    """Give expired leases (a worker died mid-send) back to the queue."""
    return delivery_store(runtime).reap(runtime.clock.now(), max_attempts)


def route(runtime: Runtime, person_id: str, bucket: str, platforms: tuple[str, ...]
          ) -> tuple[Recipient, ChatGateway] | None:
    """The person's chat account on a connected platform: the row's bucket first, then by rank."""
    identities = runtime.store.identities_of(person_id)
    rank = {p: i for i, p in enumerate(platforms)}

    def order(ident: tuple[str, str, str]) -> tuple[int, int]:
        return (0 if f"{ident[0]}:{ident[1]}" == bucket else 1, rank.get(ident[0], len(rank)))

    for platform, workspace, external_id in sorted(identities, key=order):
        gateway = runtime.gateways.get(platform)
        if gateway is not None:
            return Recipient(person_id, platform, workspace, external_id), gateway
    return None


def _plan(runtime: Runtime, policy: DrainPolicy, item: OutboxItem) -> _Plan:
    person = runtime.store.get_person(item.person_id)
    if person is None:
        return _Plan(item, dead="the person no longer exists")
    target = route(runtime, person.id, item.bucket, policy.platforms)
    if target is None:
        linked = sorted({p for p, _, _ in runtime.store.identities_of(person.id)})
        return _Plan(item, dead=f"no chat account on a connected platform (linked: {linked}, "
                                f"connected: {sorted(runtime.gateways)})")
    try:
        replies = build_message(runtime, person, item.payload)
    except Exception as exc:  # a broken payload must not block the rest of the batch
        return _Plan(item, dead=f"cannot build message: {exc!r}")
    if not replies:
        return _Plan(item, cancel=f"nothing left to send ({item.kind}: answered, closed or empty)")
    return _Plan(item, target[0], target[1], tuple(replies))


async def _send(plan: _Plan, send_by: float) -> _Result:
    if plan.dead:
        return _Result(plan.item, "dead", plan.dead)
    if plan.cancel:
        return _Result(plan.item, "cancelled", plan.cancel)
    assert plan.gateway is not None and plan.recipient is not None
    if time.monotonic() > send_by:
        return _Result(plan.item, "rate", "lease too old to start a send; requeued")
    try:
        await plan.gateway.send(plan.recipient, list(plan.replies))
    except RetryLater as exc:  # never sleep here: the row comes back when the platform says
        return _Result(plan.item, "rate", str(exc), max(0.0, exc.seconds))
    except PermanentFailure as exc:
        return _Result(plan.item, "dead", f"refused by {plan.recipient.platform}: {exc}")
    except Exception as exc:
        return _Result(plan.item, "retry", f"{type(exc).__name__}: {exc}")
    return _Result(plan.item, "sent")


def _settle(runtime: Runtime, policy: DrainPolicy, results: list[_Result],
            report: DrainReport) -> None:
    store = delivery_store(runtime)
    now = runtime.clock.now()
    sent = [r.item.id for r in results if r.outcome == "sent"]
    report.sent += store.mark_sent_many(sent, policy.worker, now)
    for r in results:
        if r.outcome != "sent":
            _settle_one(store, policy, r, report, now)


def _settle_one(store: DeliveryStore, policy: DrainPolicy, r: _Result, report: DrainReport,
                now: datetime) -> None:
    item, worker = r.item, policy.worker
    if r.outcome == "rate":
        report.rate_limited += store.requeue(item.id, worker, now + timedelta(seconds=r.delay),
                                             r.error, count=False)
    elif r.outcome == "retry" and item.attempts < policy.max_attempts:
        delay = min(policy.backoff_cap, policy.backoff_base * 2 ** (item.attempts - 1))
        report.retried += store.requeue(item.id, worker, now + timedelta(seconds=delay),
                                        r.error, count=True)
    elif r.outcome == "cancelled":
        report.cancelled += store.finish(item.id, worker, "cancelled", r.error)
    else:
        error = r.error if r.outcome == "dead" else f"gave up after {item.attempts}: {r.error}"
        report.dead += store.finish(item.id, worker, "dead", error)
        log.warning("delivery %s to %s is dead: %s", item.key, item.person_id, error)
