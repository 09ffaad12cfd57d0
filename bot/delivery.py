"""Drain the outbox: lease due messages, build them, send through the right gateway, settle."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import cast

from bot.delivery_messages import build_message
from bot.ports import ChatGateway, Recipient
from bot.replies import Reply
from bot.runtime import Runtime
from pulse.delivery_model import Limit, OutboxItem
from pulse.delivery_ports import DeliveryStore
from pulse.errors import PermanentFailure, RetryLater

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
    items = await asyncio.to_thread(store.claim, policy.worker, runtime.clock.now(),
                                    policy.lease_seconds, policy.batch, policy.limit_of,
                                    policy.wall())
    if not items:
        return DrainReport()
    # Past half the lease, stop starting sends: the row may be reaped and sent by someone else.
    send_by = time.monotonic() + policy.lease_seconds / 2
    plans = await asyncio.to_thread(lambda: [_plan(runtime, policy, i) for i in items])
    gate = asyncio.Semaphore(policy.concurrency)
    store_lock = asyncio.Lock()  # one settle at a time keeps SQLite writers from contending
    report = DrainReport()

    async def deliver(plan: _Plan) -> None:
        result = await _send(plan, gate, send_by)
        async with store_lock:  # settle each message as soon as it is out: keeps leases short
            await asyncio.to_thread(_settle, runtime, policy, result, report)

    await asyncio.gather(*(deliver(plan) for plan in plans))
    return report


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


async def _send(plan: _Plan, gate: asyncio.Semaphore, send_by: float) -> _Result:
    if plan.dead:
        return _Result(plan.item, "dead", plan.dead)
    if plan.cancel:
        return _Result(plan.item, "cancelled", plan.cancel)
    assert plan.gateway is not None and plan.recipient is not None
    async with gate:
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


def _settle(runtime: Runtime, policy: DrainPolicy, r: _Result, report: DrainReport) -> None:
    store = delivery_store(runtime)
    now = runtime.clock.now()
    item, worker = r.item, policy.worker
    if r.outcome == "sent":
        report.sent += store.mark_sent(item.id, worker, now)
    elif r.outcome == "rate":
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
