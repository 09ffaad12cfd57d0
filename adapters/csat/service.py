"""The three ingest paths as translations: bytes in (CSV, JSON, a signed webhook), parsed records
to pulse.cx.batches.ingest_once, an HTTP-like outcome out.

The API reaches this module through Runtime.cx_feeds (adapters never import each other); the
CLI imports it directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from adapters.csat.dates import AmbiguousDates
from adapters.csat.profiles import Options
from adapters.csat.reader import CsvSource, FileRejected
from adapters.csat.records import MAX_BATCH, load_json, parse_records, parse_zendesk, verify_zendesk
from pulse.core.errors import Invalid
from pulse.cx.batches import BatchResult, Refusal, ingest_once
from pulse.cx.model import CxMetric
from pulse.cx.ports import CxStore
from pulse.cx.service import RawRating, RowError


@dataclass
class Outcome:
    """What to answer: an HTTP-like status and a JSON body (the report or an error)."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(data: BinaryIO) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    data.seek(0)
    digest = hashlib.sha256()
    while block := data.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


# The API answers a refusal with 409 (a conflict to resolve by the caller) or 422 (bad data).
_STATUS = {None: 200, Refusal.KEY_REUSED: 409, Refusal.IN_PROGRESS: 409, Refusal.FAILED: 422}


def _answer(result: BatchResult) -> Outcome:
    return Outcome(_STATUS[result.refusal], result.body)


def upload(store: CxStore, tenant_id: str, data: BinaryIO, now: datetime, *, profile: str,
           date_format: str | None = None, timezone: str | None = None, dry_run: bool = False,
           create_teams: bool = False, source_instance: str = "default",
           metric: str | None = None, score_column: str | None = None,
           channel: str = "upload", progress: Callable[[int], None] | None = None,
           restart: bool = False) -> Outcome:
    """A CSV file through a mapping profile; a re-upload of the same file replays the report
    (or resumes an import whose process died; `restart` runs it again at once)."""
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        return Outcome(404, {"error": "unknown_tenant", "detail": tenant_id})
    tz = timezone or tenant.timezone
    try:
        options = Options(source_instance, CxMetric(metric) if metric else None, score_column)
    except ValueError:
        return Outcome(422, {"error": "bad_metric", "detail": f"unknown metric {metric!r}"})
    sha = file_sha256(data)
    key = _sha("|".join(map(str, (sha, profile, date_format, tz, create_teams, source_instance,
                                  metric, score_column))).encode())
    try:
        source = CsvSource(data, profile, date_format=date_format, timezone=tz, options=options,
                           progress=progress)
    except FileRejected as exc:
        return Outcome(422, {"error": exc.code, "detail": str(exc)})
    except AmbiguousDates as exc:
        return Outcome(422, {"error": "ambiguous_dates", "detail": str(exc)})
    except Invalid as exc:
        return Outcome(422, {"error": "bad_option", "detail": str(exc)})
    outcome = _answer(ingest_once(store, tenant_id, channel, key, sha, now, lambda: iter(source),
                                  dry_run=dry_run, create_teams=create_teams,
                                  notes=source.notes, restart=restart))
    outcome.body.setdefault("file_sha256", sha)
    return outcome


def batch(store: CxStore, tenant_id: str, body: bytes, idempotency_key: str | None,
          now: datetime) -> Outcome:
    """A JSON {"records": [...]} request; same key + same body replays, other body → 409."""
    try:
        payload = load_json(body)
    except ValueError as exc:
        return Outcome(422, {"error": "not_json", "detail": str(exc)})
    records = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(records, list):
        return Outcome(422, {"error": "bad_body", "detail": 'expected {"records": [...]}'})
    if len(records) > MAX_BATCH:
        return Outcome(413, {"error": "too_many_records",
                             "detail": f"{len(records)} records; at most {MAX_BATCH} per request"})
    key = idempotency_key.strip() if idempotency_key else None
    if key is not None and not 1 <= len(key) <= 255:
        return Outcome(422, {"error": "bad_idempotency_key", "detail": "1 to 255 characters"})
    items: list[RawRating | RowError] = parse_records(records)
    return _answer(ingest_once(store, tenant_id, "batch", key, _sha(body), now, lambda: items))


def zendesk_webhook(store: CxStore, tenant_id: str, body: bytes, *, secret: str,
                    timestamp: str, signature: str, now: datetime,
                    default_instance: str = "zendesk") -> Outcome:
    """One HMAC-verified delivery; retries dedupe on the rating's idempotency key."""
    refused = verify_zendesk(secret, timestamp, body, signature, now)
    if refused is not None:
        return Outcome(401, {"error": "bad_signature", "detail": refused})
    item = parse_zendesk(body, default_instance)
    return _answer(ingest_once(store, tenant_id, "webhook", None, _sha(body), now,
                               lambda: [item]))
