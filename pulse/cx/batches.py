"""Idempotent ingest requests: a key and a body's hash name one request; it runs once.

The same key with the same body replays the stored report; with another body, or while the
first run is still going, the request is refused. A failed run can be retried under the same
batch. Every path that carries a key (JSON batch with Idempotency-Key, CSV upload keyed by file
and options) goes through `ingest_once`; the webhook passes no key (ratings dedupe per record).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pulse.core.errors import Invalid
from pulse.cx.model import CxBatch
from pulse.cx.ports import CxStore
from pulse.cx.service import Ingestor, RawRating, RowError


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


def ingest_once(store: CxStore, tenant_id: str, channel: str, request_key: str | None,
                body_sha: str, now: datetime, items: Callable[[], Iterable[RawRating | RowError]],
                *, dry_run: bool = False, create_teams: bool = False,
                notes: Callable[[], dict[str, Any]] | None = None) -> BatchResult:
    """Ingest `items()` once per (channel, request key); a dry run neither stores nor replays.

    Invalid data ends the run as FAILED (recorded, so a retry runs again); any other error is
    recorded the same way and raised.
    """
    batch_id = uuid.uuid4().hex
    keyed = request_key is not None and not dry_run
    if request_key is not None and not dry_run:
        known = store.cx_batch(tenant_id, channel, request_key)
        if known is not None:
            if known.body_sha256 != body_sha:
                return _refused(Refusal.KEY_REUSED,
                                "this Idempotency-Key was used with another body")
            if known.status == "running":
                return _refused(Refusal.IN_PROGRESS, "the same request is still being processed")
            if known.status == "done":
                return _replay(known)
            batch_id = known.id  # a failed attempt is retried under the same batch
        elif not store.start_cx_batch(CxBatch(batch_id, tenant_id, channel, request_key,
                                              body_sha, now)):
            return _refused(Refusal.IN_PROGRESS, "the same request is being processed")
    try:
        ingestor = Ingestor(store, tenant_id, dry_run=dry_run, create_teams=create_teams,
                            batch_id=batch_id)
        for item in items():
            ingestor.add(item)
        report = ingestor.finish()
    except Exception as exc:
        failed = {"error": str(Refusal.FAILED), "detail": f"{type(exc).__name__}: {exc}",
                  "batch_id": batch_id}
        if keyed:
            store.finish_cx_batch(batch_id, "failed", json.dumps(failed))
        if isinstance(exc, Invalid):
            return BatchResult(failed, Refusal.FAILED)
        raise
    if notes is not None:
        report.notes.update(notes())
    body = report.as_dict()
    body["batch_id"] = batch_id if not dry_run else None
    if keyed:
        store.finish_cx_batch(batch_id, "done", json.dumps(body))
    return BatchResult(body)
