"""Fan-out benchmark: 10,000 advisers in 20 fake Slack workspaces, 2 worker processes, PostgreSQL.

Each workspace gets its own rate limit in the fake (raised from Slack's real cap so the run takes
a minute or two; what matters is the achieved fraction of the limit). Prints the achieved rate as
a fraction of the configured limits, duplicates and losses, and writes JSON to bench/results/.

    /work/venv/bin/python bench/fanout.py [--people 10000] [--workspaces 20] [--rate 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from adapters.db.tables import IdentityRow, MembershipRow, PersonRow, TeamRow
from pulse.core.clock import SystemClock
from pulse.core.model import Tenant
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
from pulse.delivery.rounds import DeliveryPolicy, materialise_rounds
from scheduler.calendar import TriggerCalendar
from testing.delivery import BANK
from testing.rate_limited_slack import RateLimitedSlack

ADMIN_URL = os.environ.get("MIROIR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ALWAYS = DeliveryWindow(work_start=wall_time(0), work_end=wall_time(23, 59, 59, 999999),
                        quiet_start=wall_time(0), quiet_end=wall_time(0), weekend=(), country="")


def create_database() -> tuple[str, str]:
    name = f"miroir_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return name, url


def drop_database(name: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(store: SqlStore, people: int, workspaces: int) -> None:
    """One tenant, one team per workspace, advisers spread evenly; bulk inserts."""
    store.add_tenant(Tenant("bench", "Bench", timezone="UTC"))
    for q in BANK:
        store.add_question(q)
    now = datetime.now(UTC) - timedelta(minutes=1)
    with store.engine.begin() as conn:
        conn.execute(insert(TeamRow), [dict(id=f"team{w:02d}", tenant_id="bench", name=f"T{w}",
                                            parent_id=None) for w in range(workspaces)])
        persons, members, idents = [], [], []
        for i in range(people):
            w = i % workspaces
            pid = f"adv{i:05d}"
            persons.append(dict(id=pid, tenant_id="bench", display_name=f"Adviser {i}",
                                email=None, role="adviser", locale="fr", timezone="UTC"))
            members.append(dict(person_id=pid, team_id=f"team{w:02d}",
                                valid_from=date(2025, 1, 1), valid_to=None))
            idents.append(dict(platform="slack", workspace=f"W{w:02d}", external_id=f"U{i:05d}",
                               person_id=pid))
        conn.execute(insert(PersonRow), persons)
        conn.execute(insert(MembershipRow), members)
        conn.execute(insert(IdentityRow), idents)
    for w in range(workspaces):
        store.set_schedule(TeamSchedule(f"team{w:02d}", "bench", Cadence.WEEKLY, now.weekday(),
                                        now.hour, now.minute, window=ALWAYS,
                                        materialized_until=now - timedelta(minutes=5)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--workspaces", type=int, default=20)
    parser.add_argument("--rate", type=float, default=5.0, help="messages/s per workspace")
    parser.add_argument("--burst", type=float, default=1.0,
                        help="our bucket depth in seconds of rate (the fake allows 2)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--inject-every", type=int, default=200, help="a 429 every N requests")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    name, url = create_database()
    try:
        result = run(url, args)
    finally:
        drop_database(name)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"fanout-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "per_workspace"}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


def run(url: str, args: argparse.Namespace) -> dict[str, object]:
    store = SqlStore(make_engine(url))
    t0 = time.monotonic()
    seed(store, args.people, args.workspaces)
    seeded = time.monotonic() - t0
    t0 = time.monotonic()
    rounds = materialise_rounds(store, SystemClock(), TriggerCalendar(),
                                DeliveryPolicy(cooldown=timedelta(0)))
    materialised = time.monotonic() - t0

    fake = RateLimitedSlack(rate=args.rate, burst_seconds=2.0, channel_gap=1.0,
                            inject_every=args.inject_every).start()
    overrides = {"materialise_seconds": 3600, "reminders_seconds": 3600, "nudges_seconds": 3600,
                 "drain_seconds": 0.1, "reap_seconds": 5, "lease_seconds": 60, "batch": 200,
                 "slack_workspace_rate": args.rate, "burst_seconds": args.burst, "concurrency": 64}
    t0 = time.monotonic()
    logs = ROOT / "bench" / "results"
    logs.mkdir(parents=True, exist_ok=True)
    procs = [subprocess.Popen(
        [sys.executable, "-m", "testing.outbox_worker", url, fake.url, f"w{i}",
         str(args.timeout), "-1", json.dumps(overrides)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=(logs / f"worker-w{i}.log").open("w"), text=True)
        for i in range(args.workers)]
    for i, p in enumerate(procs):
        p.communicate()
        if p.returncode:
            print(f"worker w{i} exited {p.returncode}: see bench/results/worker-w{i}.log",
                  file=sys.stderr)
    wall = time.monotonic() - t0
    fake.stop()
    return summarise(store, fake, args, rounds, seeded, materialised, wall)


def summarise(store: SqlStore, fake: RateLimitedSlack, args: argparse.Namespace, rounds: int,
              seeded: float, materialised: float, wall: float) -> dict[str, object]:
    rows = store.list_deliveries(None, limit=args.people * 2)
    keys = Counter((d.channel, d.text) for d in fake.delivered)
    by_ws: dict[str, list[float]] = defaultdict(list)
    for d in fake.delivered:
        by_ws[d.workspace].append(d.at)
    per_ws = {}
    for ws, times in sorted(by_ws.items()):
        span = max(times) - min(times)
        # n messages over the span, plus one inter-arrival gap for the first message.
        achieved = len(times) / (span + 1 / args.rate) if span else float("nan")
        per_ws[ws] = {"messages": len(times), "seconds": round(span, 2),
                      "rate": round(achieved, 3), "fraction": round(achieved / args.rate, 3)}
    fractions = [v["fraction"] for v in per_ws.values()]
    all_times = [d.at for d in fake.delivered]
    span = max(all_times) - min(all_times)
    return {
        "people": args.people, "workspaces": args.workspaces, "workers": args.workers,
        "limit_per_workspace": args.rate, "limit_total": args.rate * args.workspaces,
        "our_burst_seconds": args.burst, "fake_burst_seconds": 2.0,
        "rounds": rounds, "outbox_rows": len(rows),
        "status": dict(Counter(r.status for r in rows)),
        "delivered": len(fake.delivered), "unique_delivered": len(keys),
        "duplicates": sum(n - 1 for n in keys.values()),
        "lost": args.people - len(keys),
        "sent_by": dict(Counter(r.sent_by for r in rows)),
        "rejections_429": fake.rejected,
        "achieved_total_rate": round(len(fake.delivered) / span, 2),
        "fraction_of_limit_total": round(
            len(fake.delivered) / span / (args.rate * args.workspaces), 3),
        "fraction_per_workspace": {"min": min(fractions), "median": statistics.median(fractions),
                                   "mean": round(statistics.mean(fractions), 3)},
        "seconds": {"seed": round(seeded, 1), "materialise": round(materialised, 1),
                    "drain_wall": round(wall, 1), "delivery_span": round(span, 1)},
        "per_workspace": per_ws,
    }


if __name__ == "__main__":
    main()
