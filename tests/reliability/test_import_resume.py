"""A CSV import whose process dies is not stuck: its lease runs out and a re-send resumes it, or
`--restart` / `restart=true` runs it again at once; every row is stored exactly once.

The kill is real: `miroir import csat` in a subprocess, SIGKILLed after its first chunk is
committed, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.csat import service
from adapters.db.store import SqlStore
from pulse.core.model import Team, Tenant
from pulse.cx.batches import LEASE, Refusal, ingest_once
from pulse.cx.model import CxMetric
from pulse.cx.service import CHUNK, RawRating
from tests.reliability.server import CLI, cli_env, run_cli

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
ROWS = 24_000  # twelve chunks: the kill lands well before the end
SECRET = "s" * 40


def _ratings(count: int, during: Callable[[int], None] | None = None,
             ) -> Callable[[], Iterator[RawRating]]:
    def items() -> Iterator[RawRating]:
        for i in range(1, count + 1):
            if during is not None:
                during(i)
            yield RawRating(i, "api", "acme", f"r{i}", CxMetric.CSAT, "5", NOW, team="t1")
    return items


@pytest.fixture
def tenant(store: SqlStore) -> SqlStore:
    store.add_tenant(Tenant("acme", "Acme"))
    store.add_team(Team("t1", "acme", "Support"))
    return store


def _stored(store: SqlStore) -> tuple[int, int]:
    """(ratings, distinct record ids) of tenant acme."""
    with store.engine.connect() as c:
        row = c.execute(text("SELECT count(*), count(DISTINCT source_record_id) FROM cx_rating "
                             "WHERE tenant_id = 'acme'")).one()
    return int(row[0]), int(row[1])


def _crash_after(store: SqlStore, rows: int) -> Callable[[int], None]:
    def during(i: int) -> None:
        if i == rows:
            raise KeyboardInterrupt  # not an Exception: nothing records the batch as failed
    return during


def _killed_batch(store: SqlStore, rows: int) -> None:
    """A batch left `running` with `rows` records read, as a killed process leaves it."""
    with pytest.raises(KeyboardInterrupt):
        ingest_once(store, "acme", "upload", "k", "sha", NOW,
                    _ratings(rows * 2, _crash_after(store, rows)))
    batch = store.cx_batch("acme", "upload", "k")
    assert batch is not None and batch.status == "running"


def test_a_fresh_lease_refuses_a_stale_one_is_taken_over(tenant: SqlStore) -> None:
    _killed_batch(tenant, CHUNK + 10)
    assert _stored(tenant) == (CHUNK, CHUNK)  # the first chunk was committed
    busy = ingest_once(tenant, "acme", "upload", "k", "sha", NOW + LEASE / 2, _ratings(5000))
    assert busy.refusal is Refusal.IN_PROGRESS and "lease" in busy.body["detail"]
    later = NOW + LEASE + timedelta(seconds=1)
    resumed = ingest_once(tenant, "acme", "upload", "k", "sha", later, _ratings(5000))
    assert resumed.refusal is None
    assert (resumed.body["inserted"], resumed.body["duplicates"]) == (5000 - CHUNK, CHUNK)
    assert resumed.body["notes"]["attempt"] == "resumed_after_lost_lease"
    assert _stored(tenant) == (5000, 5000)
    replay = ingest_once(tenant, "acme", "upload", "k", "sha", later, _ratings(5000))
    assert replay.body["replayed"] is True and replay.body["inserted"] == 5000 - CHUNK


def test_restart_takes_over_at_once_and_reruns_a_finished_batch(tenant: SqlStore) -> None:
    _killed_batch(tenant, 10)
    again = ingest_once(tenant, "acme", "upload", "k", "sha", NOW, _ratings(30), restart=True)
    assert again.refusal is None and again.body["inserted"] == 30
    assert again.body["notes"]["attempt"] == "restarted"
    rerun = ingest_once(tenant, "acme", "upload", "k", "sha", NOW, _ratings(30), restart=True)
    assert rerun.body.get("replayed") is None and rerun.body["duplicates"] == 30
    assert _stored(tenant) == (30, 30)


def test_an_attempt_taken_over_stops_without_reporting(tenant: SqlStore) -> None:
    """The lost attempt was only slow: its next heartbeat sees the new owner and it stops."""
    ticks = itertools.count()

    def clock() -> datetime:  # every heartbeat is due
        return NOW + LEASE * next(ticks)

    def usurp(i: int) -> None:
        if i == 1500:
            batch = tenant.cx_batch("acme", "upload", "k")
            assert batch is not None
            assert tenant.take_over_cx_batch(batch.id, batch.lease_owner, "other", NOW)

    slow = ingest_once(tenant, "acme", "upload", "k", "sha", NOW, _ratings(3000, usurp),
                       clock=clock)
    assert slow.refusal is Refusal.IN_PROGRESS
    batch = tenant.cx_batch("acme", "upload", "k")
    assert batch is not None and (batch.status, batch.lease_owner) == ("running", "other")


def _csv(path: Path, rows: int) -> Path:
    with path.open("w") as out:
        out.write("rating_id,responded_at,score,metric,team\n")
        for i in range(rows):
            out.write(f"r{i},2026-01-{1 + i % 28:02d}T10:00:00Z,{1 + i % 5},csat,Support\n")
    return path


def _kill_mid_import(args: list[str], env: dict[str, str], cwd: Path, store: SqlStore,
                     beyond: int = CHUNK - 1) -> int:
    """Start `miroir ARGS`, SIGKILL it once more than `beyond` ratings are stored and before
    the last chunk; the number stored at the kill."""
    process = subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    try:
        while _stored(store)[0] <= beyond:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the import never committed a chunk"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    stored = _stored(store)[0]
    assert beyond < stored < ROWS, "killed too late: nothing left to resume"
    return stored


def test_a_killed_import_is_resent_and_every_row_lands_once(
        tenant: SqlStore, db_url: str, tmp_path: Path) -> None:
    csv = _csv(tmp_path / "ratings.csv", ROWS)
    env = cli_env(tmp_path, MIROIR_DATABASE_URL=db_url, MIROIR_SECRET_KEY=SECRET,
                  MIROIR_MIGRATE_ON_START="false")
    args = ["import", "csat", str(csv), "--profile", "generic", "--tenant", "acme"]
    first = _kill_mid_import(args, env, tmp_path, tenant)
    # At once, the dead import's lease still looks alive: refused, and the message says why.
    busy = run_cli(args, env, tmp_path)
    assert busy.returncode == 1 and "in_progress" in busy.stderr and "lease" in busy.stderr
    # --restart takes it over at once; that run is killed too, further on.
    _kill_mid_import([*args, "--restart"], env, tmp_path, tenant, beyond=first)
    # Once the lease has run out, a plain re-send resumes it (the server's clock is later).
    with csv.open("rb") as data:
        later = datetime.now(UTC) + LEASE + timedelta(seconds=1)
        resumed = service.upload(tenant, "acme", data, later, profile="generic", channel="cli")
    assert resumed.status == 200, resumed.body
    body = resumed.body
    assert body["inserted"] + body["duplicates"] == ROWS and 0 < body["inserted"] < ROWS
    assert _stored(tenant) == (ROWS, ROWS)
    replay = run_cli(args, env, tmp_path)
    assert replay.returncode == 0 and '"replayed": true' in replay.stdout, replay.stderr
    assert _stored(tenant) == (ROWS, ROWS)
