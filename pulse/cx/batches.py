"""Idempotent ingest requests: a key and a body's hash name one request; it runs once.

The same key with the same body replays the stored report; with another body, or while the
first run is still going (its lease is fresh), the request is refused. A failed run, or one
whose lease ran out (the process died), is run again under the same batch; `restart` forces
that. Every path that carries a key (JSON batch with Idempotency-Key, CSV upload keyed by file
and options) goes through `ingest_once`; the webhook passes no key (ratings dedupe per record).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pulse.core.errors import Invalid
from pulse.cx.model import CxBatch
from pulse.cx.ports import CxStore
from pulse.cx.service import Ingestor, RawRating, RowError

# A running batch whose heartbeat is older than this is taken to be dead (a killed process).
LEASE = timedelta(seconds=60)


class Refusal(StrEnum):
    """Why a request was not (or not fully) ingested; the values are the API's error codes."""

    KEY_REUSED = "idempotency_key_reused"
    IN_PROGRESS = "in_progress"
    FAILED = "ingest_failed"


@dataclass(frozen=True)
class BatchResult:
    """The JSON-ready report (fresh or replayed), or {"error", "detail"} with the refusal."""

    body: dict[str, Any]
    refusal: Refusal | None = None


def _refused(refusal: Refusal, detail: str) -> BatchResult:
    return BatchResult({"error": str(refusal), "detail": detail}, refusal)


def _replay(batch: CxBatch) -> BatchResult:
    body = json.loads(batch.report)
    body["replayed"] = True
    body["batch_id"] = batch.id
    return BatchResult(body)


def _fresh(batch: CxBatch, now: datetime, lease: timedelta) -> bool:
    """True while the attempt running `batch` has proved alive within the lease."""
    return (batch.heartbeat_at or batch.created_at) > now - lease


class _Heartbeat:
    """Renews an attempt's lease as records go by; stops the run if another attempt took over."""

    def __init__(self, store: CxStore, batch_id: str, owner: str,
                 clock: Callable[[], datetime], lease: timedelta) -> None:
        self.store, self.batch_id, self.owner, self.clock = store, batch_id, owner, clock
        self.every = lease / 6  # several beats per lease: one slow chunk does not lose it
        self.last = clock()

    def __call__(self) -> None:
        now = self.clock()
        if now - self.last < self.every:
            return
        if not self.store.heartbeat_cx_batch(self.batch_id, self.owner, now):
            raise Superseded(self.batch_id)
        self.last = now


class Superseded(Exception):
    """Another attempt took this batch over (this one looked dead): stop without reporting."""


def _claim(store: CxStore, tenant_id: str, channel: str, request_key: str, body_sha: str,
           now: datetime, owner: str, restart: bool, lease: timedelta,
           ) -> tuple[str, list[str]] | BatchResult:
    """(batch id, notes) this attempt now holds, or the answer to give instead of running."""
    known = store.cx_batch(tenant_id, channel, request_key)
    if known is None:
        batch_id = uuid.uuid4().hex
        if store.start_cx_batch(CxBatch(batch_id, tenant_id, channel, request_key, body_sha,
                                        now, lease_owner=owner, heartbeat_at=now)):
            return batch_id, []
        return _refused(Refusal.IN_PROGRESS, "the same request is being processed")
    if known.body_sha256 != body_sha:
        return _refused(Refusal.KEY_REUSED, "this Idempotency-Key was used with another body")
    notes: list[str] = []
    if known.status == "done" and not restart:
        return _replay(known)
    if known.status == "running":
        if _fresh(known, now, lease) and not restart:
            return _refused(Refusal.IN_PROGRESS, "the same request is still being processed "
                            f"(its lease runs {int(lease.total_seconds())} s from its last "
                            "heartbeat; send it again later, or restart it explicitly)")
        notes.append("restarted" if restart else "resumed_after_lost_lease")
    elif restart:
        notes.append("restarted")
    # A failed, stale or explicitly restarted batch runs again under the same id; the
    # compare-and-set on its owner lets exactly one of two simultaneous re-sends through.
    if not store.take_over_cx_batch(known.id, known.lease_owner, owner, now):
        return _refused(Refusal.IN_PROGRESS, "another attempt has just taken this request over")
    return known.id, notes


def ingest_once(store: CxStore, tenant_id: str, channel: str, request_key: str | None,
                body_sha: str, now: datetime, items: Callable[[], Iterable[RawRating | RowError]],
                *, dry_run: bool = False, create_teams: bool = False,
                notes: Callable[[], dict[str, Any]] | None = None, restart: bool = False,
                clock: Callable[[], datetime] | None = None,
                lease: timedelta = LEASE) -> BatchResult:
    """Ingest `items()` once per (channel, request key); a dry run neither stores nor replays.

    A batch whose attempt stopped renewing its lease (a killed process) is taken over by the
    next re-send, and `restart` takes it over at once (or runs a finished one again). Ratings
    are idempotent, so rows the lost attempt stored are counted as duplicates, never twice.
    Invalid data ends the run as FAILED (recorded, so a retry runs again); any other error is
    recorded the same way and raised.
    """
    batch_id = uuid.uuid4().hex
    owner = uuid.uuid4().hex
    keyed = request_key is not None and not dry_run
    taken: list[str] = []
    tick: Callable[[], None] | None = None
    if request_key is not None and not dry_run:
        claimed = _claim(store, tenant_id, channel, request_key, body_sha, now, owner, restart,
                         lease)
        if isinstance(claimed, BatchResult):
            return claimed
        batch_id, taken = claimed
        tick = _Heartbeat(store, batch_id, owner, clock or (lambda: datetime.now(UTC)), lease)
    try:
        ingestor = Ingestor(store, tenant_id, dry_run=dry_run, create_teams=create_teams,
                            batch_id=batch_id, tick=tick)
        for item in items():
            ingestor.add(item)
        report = ingestor.finish()
    except Superseded:
        return _refused(Refusal.IN_PROGRESS, "another attempt took this request over")
    except Exception as exc:
        failed = {"error": str(Refusal.FAILED), "detail": f"{type(exc).__name__}: {exc}",
                  "batch_id": batch_id}
        if keyed:
            store.finish_cx_batch(batch_id, "failed", json.dumps(failed), owner)
        if isinstance(exc, Invalid):
            return BatchResult(failed, Refusal.FAILED)
        raise
    if notes is not None:
        report.notes.update(notes())
    if taken:
        report.notes["attempt"] = taken[0]
        report.notes["duplicates_include_rows_of_the_earlier_attempt"] = True
    body = report.as_dict()
    body["batch_id"] = batch_id if not dry_run else None
    if keyed and not store.finish_cx_batch(batch_id, "done", json.dumps(body), owner):
        return _refused(Refusal.IN_PROGRESS, "another attempt took this request over")
    return BatchResult(body)
