"""On the real PostgreSQL: worker processes drain one outbox to a rate-limited fake Slack.

Every message is delivered exactly once despite injected 429s, the fake's own limits, and a worker
killed with SIGKILL while it held leases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time as clock
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
from testing.delivery import delivery_team
from testing.rate_limited_slack import RateLimitedSlack

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.postgres, pytest.mark.processes]
ALWAYS = DeliveryWindow(work_start=time(0), work_end=time(23, 59, 59, 999999),
                        quiet_start=time(0), quiet_end=time(0), weekend=(), country="")
FAST = {"materialise_seconds": 0.5, "drain_seconds": 0.1, "reap_seconds": 0.5,
        "reminders_seconds": 3600, "nudges_seconds": 3600, "cooldown_hours": 0,
        "slack_workspace_rate": 10, "burst_seconds": 1.0, "lease_seconds": 8.0}


@pytest.fixture
def pg(pg_url: str) -> tuple[str, SqlStore]:
    return pg_url, SqlStore(make_engine(pg_url))


def three_rounds_per_team(store: SqlStore, teams: dict[str, str], people: int) -> None:
    """Each team catches up on three weekly rounds right away (today, -7 d, -14 d)."""
    now = datetime.now(UTC) - timedelta(minutes=1)
    for team, workspace in teams.items():
        delivery_team(store, people, team=team, manager=False, tz="UTC", platform="slack",
                      workspace=workspace)
        store.set_schedule(TeamSchedule(team, "acme", Cadence.WEEKLY, now.weekday(), now.hour,
                                        now.minute, window=ALWAYS, round_hours=24 * 30,
                                        materialized_until=now - timedelta(days=15)))


def worker(url: str, fake: RateLimitedSlack, name: str, hang_after: int = -1,
           seconds: float = 40) -> subprocess.Popen[str]:
    # Output goes to files: an unread pipe fills up and stalls the worker (then leases expire).
    fd, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".log")
    with os.fdopen(fd, "w") as log:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [sys.executable, "-m", "testing.outbox_worker", url, fake.url, name, str(seconds),
             str(hang_after), json.dumps(FAST)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
    LOGS[proc.pid] = path
    return proc


LOGS: dict[int, str] = {}


def output(proc: subprocess.Popen[str]) -> str:
    return Path(LOGS[proc.pid]).read_text()[-2000:]


def assert_exactly_once(store: SqlStore, fake: RateLimitedSlack, expected: int) -> list:
    rows = store.list_deliveries(None, limit=10_000)
    assert len(rows) == expected
    assert Counter(r.status for r in rows) == {"sent": expected}
    keys = [(d.channel, d.text) for d in fake.delivered]
    twice = [(k, [(d.worker, round(d.at, 2)) for d in fake.delivered if (d.channel, d.text) == k])
             for k, n in Counter(keys).items() if n > 1]
    assert len(keys) == len(set(keys)) == expected, twice[:3]  # no duplicate, nothing lost
    return rows


def test_two_processes_deliver_every_message_exactly_once_despite_429s(
    pg: tuple[str, SqlStore]
) -> None:
    url, store = pg
    three_rounds_per_team(store, {"ta": "TA", "tb": "TB"}, people=15)
    fake = RateLimitedSlack(rate=10, inject_every=7).start()
    procs = [worker(url, fake, "w1"), worker(url, fake, "w2")]
    for p in procs:
        p.wait(timeout=90)
    assert [p.returncode for p in procs] == [0, 0], [output(p) for p in procs]
    fake.stop()
    rows = assert_exactly_once(store, fake, 2 * 15 * 3)
    assert len({r.payload["round_id"] for r in rows}) == 6  # 3 rounds per team, created once
    assert fake.rejected["injected"] > 0
    assert all(n > 0 for n in Counter(r.sent_by for r in rows).values())
    assert set(Counter(r.sent_by for r in rows)) == {"w1", "w2"}
    # Our shared buckets keep the fake's workspace limit; the per-channel gap is kept too.
    assert fake.rejected["workspace"] <= 3 and fake.rejected["channel"] <= 3, fake.rejected


def test_killed_worker_leases_are_reaped_and_delivered_by_the_other(
    pg: tuple[str, SqlStore]
) -> None:
    url, store = pg
    three_rounds_per_team(store, {"ta": "TA"}, people=10)
    fake = RateLimitedSlack(rate=10).start()
    doomed = worker(url, fake, "doomed", hang_after=3)
    deadline = clock.monotonic() + 40
    held: list[int] = []
    # Wait until its three sends are recorded and it hangs on the rest of its leased batch.
    # (Killed between a send and its mark, a message would go out twice: the outbox is
    # at-least-once in that window, which long leases and short sends keep narrow.)
    marked = 0
    while clock.monotonic() < deadline and (not held or marked < 3):
        clock.sleep(0.2)
        rows = store.list_deliveries(None, None, 1000)
        held = [i.id for i in rows if i.status == "sending" and i.locked_by == "doomed"]
        marked = sum(i.sent_by == "doomed" for i in rows)
    assert held, output(doomed) if doomed.poll() is not None else "no lease taken"
    doomed.kill()  # SIGKILL: no cleanup, its leases stay behind
    doomed.wait(10)
    assert sum(d.worker == "doomed" for d in fake.delivered) == 3
    survivor = worker(url, fake, "survivor")
    survivor.wait(timeout=90)
    assert survivor.returncode == 0, output(survivor)
    fake.stop()
    rows = assert_exactly_once(store, fake, 30)
    by_id = {r.id: r for r in rows}
    assert held and all(by_id[i].sent_by == "survivor" for i in held)
    assert all(by_id[i].last_error is None for i in held)
