"""Idempotent ingest requests (pulse.cx.batches) on SQLite and PostgreSQL: replay, conflicts,
a failed run retried under the same batch, dry runs that leave nothing behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from adapters.db.store import SqlStore
from pulse.core.errors import Invalid
from pulse.core.model import Team, Tenant
from pulse.cx.batches import Refusal, ingest_once
from pulse.cx.model import CxBatch, CxMetric
from pulse.cx.service import RawRating

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def _ratings(count: int) -> Callable[[], Iterator[RawRating]]:
    """`count` CSAT ratings for team t1, record ids r1, r2…"""
    return lambda: iter([RawRating(i, "api", "acme", f"r{i}", CxMetric.CSAT, "5", NOW, team="t1")
                         for i in range(1, count + 1)])


@pytest.fixture
def tenant(store: SqlStore) -> SqlStore:
    store.add_tenant(Tenant("acme", "Acme"))
    store.add_team(Team("t1", "acme", "Support"))
    return store


def test_same_key_same_body_replays_and_another_body_is_refused(tenant: SqlStore) -> None:
    first = ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, _ratings(2))
    assert first.refusal is None and first.body["inserted"] == 2
    again = ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, _ratings(3))
    assert again.refusal is None and again.body["replayed"] is True
    assert again.body["inserted"] == 2 and again.body["batch_id"] == first.body["batch_id"]
    other = ingest_once(tenant, "acme", "batch", "k", "sha-2", NOW, _ratings(1))
    assert other.refusal is Refusal.KEY_REUSED
    assert other.body == {"error": "idempotency_key_reused",
                          "detail": "this Idempotency-Key was used with another body"}
    elsewhere = ingest_once(tenant, "acme", "upload", "k", "sha-2", NOW, _ratings(1))
    assert elsewhere.refusal is None  # keys are per channel


def test_a_request_still_running_is_refused(tenant: SqlStore) -> None:
    assert tenant.start_cx_batch(CxBatch("b-1", "acme", "batch", "k", "sha-1", NOW))
    busy = ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, _ratings(1))
    assert busy.refusal is Refusal.IN_PROGRESS and busy.body["error"] == "in_progress"


def test_a_failed_run_is_recorded_and_retried_under_the_same_batch(tenant: SqlStore) -> None:
    def broken() -> Iterator[RawRating]:
        raise Invalid("unreadable")

    failed = ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, broken)
    assert failed.refusal is Refusal.FAILED
    assert failed.body["error"] == "ingest_failed" and "unreadable" in failed.body["detail"]
    stored = tenant.cx_batch("acme", "batch", "k")
    assert stored is not None and stored.status == "failed"
    retried = ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, _ratings(1))
    assert retried.refusal is None and retried.body["inserted"] == 1
    assert retried.body["batch_id"] == failed.body["batch_id"] == stored.id


def test_an_unexpected_error_is_recorded_then_raised(tenant: SqlStore) -> None:
    def crash() -> Iterator[RawRating]:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, crash)
    stored = tenant.cx_batch("acme", "batch", "k")
    assert stored is not None and stored.status == "failed"


def test_a_dry_run_stores_nothing_and_never_replays(tenant: SqlStore) -> None:
    dry = ingest_once(tenant, "acme", "batch", "k", "sha-1", NOW, _ratings(1), dry_run=True)
    assert dry.refusal is None and dry.body["batch_id"] is None and dry.body["inserted"] == 1
    assert tenant.cx_batch("acme", "batch", "k") is None
    assert tenant.cx_resolution_counts("acme") == {}
    notes = ingest_once(tenant, "acme", "batch", None, "sha-1", NOW, _ratings(1),
                        notes=lambda: {"profile": "test"})
    assert notes.body["notes"] == {"profile": "test"} and notes.body["inserted"] == 1
