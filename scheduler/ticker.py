"""APScheduler 3 as an in-process ticker: every instance runs it, no leader, memory job store.

Correctness lives in the database (idempotent rounds, leased outbox rows, shared token buckets),
so two instances ticking at once only share the work. `max_instances=1` + `coalesce` keep a slow
tick from overlapping itself inside one process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import drain_outbox, reap_leases
from bot.runtime import Runtime
from pulse.analytics.publication import publish_due
from pulse.delivery.followups import enqueue_nudges, enqueue_reminders
from pulse.delivery.ports import Calendar
from pulse.delivery.rounds import materialise_rounds
from pulse.irritants.service import classify_pending
from scheduler.calendar import TriggerCalendar
from scheduler.config import delivery_policy, drain_policy, followup_policy
from settings import DeliverySettings

log = logging.getLogger("miroir.scheduler")


class _QuietOverlap(logging.Filter):
    """Drop APScheduler's "skipped: maximum number of running instances" warning.

    With overlapping drain passes it fires on nearly every 100 ms tick and says nothing useful;
    at that rate it also fills an unread stderr pipe and stalls the process.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_QuietOverlap())


class Jobs:
    """One coroutine per job; each calls exactly one use case (sync ones in a thread)."""

    def __init__(self, runtime: Runtime, settings: DeliverySettings, worker: str | None = None,
                 calendar: Calendar | None = None) -> None:
        self.runtime, self.settings = runtime, settings
        self.calendar = calendar or runtime.calendar or TriggerCalendar()
        self.drain_policy = drain_policy(settings, worker)
        self.delivery = delivery_policy(settings)
        self.followups = followup_policy(settings)
        self.store: Any = runtime.store

    async def materialise(self) -> int:
        return await asyncio.to_thread(materialise_rounds, self.store, self.runtime.clock,
                                       self.calendar, self.delivery)

    async def drain(self) -> int:
        report = await drain_outbox(self.runtime, self.drain_policy)
        if report.total:
            log.debug("drain %s: %s", self.drain_policy.worker, report)
        return report.sent

    async def reap(self) -> int:
        return await asyncio.to_thread(reap_leases, self.runtime, self.settings.max_attempts)

    async def reminders(self) -> int:
        return await asyncio.to_thread(enqueue_reminders, self.store, self.runtime.clock,
                                       self.calendar, self.followups)

    async def nudges(self) -> int:
        return await asyncio.to_thread(enqueue_nudges, self.store, self.runtime.clock,
                                       self.calendar, self.followups, self.delivery)

    async def publish(self) -> int:
        """Publish every tenant's closed weeks past their grace period (weeks published)."""
        return await asyncio.to_thread(self._publish_all)

    def _publish_all(self) -> int:
        published = 0
        now = self.runtime.clock.now()
        for tenant in self.store.list_tenants():
            # One tenant's failure must not hold back the others: logged, retried next tick.
            try:
                report = publish_due(self.store, tenant.id, now, k=self.runtime.k_scores,
                                     grace_hours=self.settings.publish_grace_hours)
            except Exception:
                log.exception("publication of tenant %s failed", tenant.id)
                continue
            published += len(report.weeks)
        return published

    async def classify(self) -> int:
        classifier = self.runtime.classifier
        if classifier is None:
            return 0
        return await asyncio.to_thread(classify_pending, self.store, classifier,
                                       self.runtime.clock, 64)


def build_ticker(runtime: Runtime, settings: DeliverySettings, worker: str | None = None,
                 calendar: Calendar | None = None) -> AsyncIOScheduler:
    """A ticker with every delivery job registered (not started)."""
    jobs = Jobs(runtime, settings, worker, calendar)
    ticker = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
    plan: list[tuple[str, Callable[[], Awaitable[int]], float]] = [
        ("materialise", jobs.materialise, settings.materialise_seconds),
        ("drain", jobs.drain, settings.drain_seconds),
        ("reap", jobs.reap, settings.reap_seconds),
        ("reminders", jobs.reminders, settings.reminders_seconds),
        ("nudges", jobs.nudges, settings.nudges_seconds),
        ("publish", jobs.publish, settings.publish_seconds),
    ]
    if runtime.classifier is not None:
        plan.append(("classify", jobs.classify, settings.classify_seconds))
    for name, job, seconds in plan:
        # Drain passes may overlap (claims are safe against each other through the database),
        # so a slow batch of sends does not leave the rate budget unused meanwhile.
        overlap = settings.drain_overlap if name == "drain" else 1
        ticker.add_job(_quiet_on_shutdown(name, job), IntervalTrigger(seconds=seconds),
                       id=name, name=name,
                       max_instances=overlap, coalesce=True,
                       misfire_grace_time=max(5, int(seconds * 2)),
                       next_run_time=datetime.now(UTC))  # first run now: catch up at start
    return ticker


def _quiet_on_shutdown(name: str, job: Callable[[], Awaitable[int]],
                       ) -> Callable[[], Awaitable[int]]:
    """The job, except that being cancelled (the server stopping, Ctrl+C) is not an error.

    The event loop cancels a job still awaiting its worker thread when the process stops;
    APScheduler would log that as a failed job with a CancelledError traceback.
    """

    async def run() -> int:
        try:
            return await job()
        except asyncio.CancelledError:
            log.debug("%s job cancelled at shutdown", name)
            return 0

    return run


def start_ticker(runtime: Runtime, settings: DeliverySettings) -> AsyncIOScheduler:
    """Build and start the ticker on the running event loop (the FastAPI lifespan)."""
    ticker = build_ticker(runtime, settings)
    ticker.start()
    log.info("ticker started in-process: %s", ", ".join(job.id for job in ticker.get_jobs()))
    return ticker


async def run_ticker(runtime: Runtime, settings: DeliverySettings, stop: asyncio.Event,
                     worker: str | None = None) -> None:
    """Run the ticker until `stop` is set (the `miroir scheduler` process)."""
    ticker = build_ticker(runtime, settings, worker)
    ticker.start()
    log.info("ticker started: %s", ", ".join(job.id for job in ticker.get_jobs()))
    try:
        await stop.wait()
    finally:
        ticker.shutdown(wait=False)  # cancels running jobs: each is cancellation-safe
