"""Analytics at scale on PostgreSQL: build a large tenant, publish it, time every read endpoint.

Shape (issue 10): ~1,000 teams in a 3-level tree (root, departments, leaf teams), ~12,000
people, one year of weekly pulses (~1M answers). Rows go in with COPY. The last closed week is
published for real and timed (the target is < 60 s for the whole tenant); the year's other
weeks are published too (``--publish all``, slow) or, by default, their cells are cloned from
the timed week's cells with the bucket key changed (``--publish one``): a read costs the same
whatever the values, and this keeps the build phase to a few minutes. Months are then derived
from the stored weeks as the job does. A real uvicorn server then answers every analytics read
endpoint (leaf team, department, org root; week and month; pulse, pillars, eNPS, kudos; link
series and correlations) to 10 concurrent clients: p50/p95 per endpoint (target p95 < 50 ms),
the server's peak RSS (target < 500 MB) and the machine's load are written to
bench/results/analytics_scale.json and printed.

    /tmp/miroir-ci-venv/bin/python bench/analytics_scale.py [--teams 1000] [--people 12000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from pulse.analytics.cells import month_of_week
from pulse.analytics.publication import derive_months, publish_one_week
from pulse.core import buckets
from pulse.core.apikeys import create_api_key
from pulse.core.model import Bucket, Tenant
from pulse.surveys.question_bank import ensure_question_bank

TENANT, TZ = "bench", "Europe/Paris"
ADMIN = os.environ.get("MIROIR_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def create_database() -> tuple[str, str]:
    """A fresh database: (psycopg conninfo, SQLAlchemy URL)."""
    name = f"miroir_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    conninfo = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    return conninfo, conninfo.replace("postgresql://", "postgresql+psycopg://")


def drop_database(conninfo: str) -> None:
    name = conninfo.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(conninfo: str, store: SqlStore, args: argparse.Namespace, weeks: list[str]
          ) -> dict[str, object]:
    """Tree, people, memberships, rounds, invitations and answers, mostly by COPY."""
    rng = random.Random(args.seed)
    store.add_tenant(Tenant(TENANT, "Bench", TZ))
    ensure_question_bank(store)
    bank = [q for q in store.list_questions(TENANT) if not q.moments]
    enps = [q for q in bank if q.pillar.value == "enps"]
    items = [q for q in bank if q.pillar.value != "enps"]
    depts = max(1, round(args.teams ** 0.5))
    leaves_per = max(1, (args.teams - 1 - depts) // depts)
    teams = [("root", None)] + [(f"d{d}", "root") for d in range(depts)]
    leaves = [f"d{d}l{i}" for d in range(depts) for i in range(leaves_per)]
    teams += [(leaf, leaf.split("l")[0]) for leaf in leaves]
    home = {f"p{i}": (rng.choice([f"d{d}" for d in range(depts)]) if rng.random() < 0.025
                      else rng.choice(leaves)) for i in range(args.people)}
    start = date(2024, 1, 1)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        with cur.copy("COPY team (id, tenant_id, name, parent_id) FROM STDIN") as cp:
            for team, parent in teams:
                cp.write_row((team, TENANT, team.upper(), parent))
        with cur.copy("COPY person (id, tenant_id, display_name, role, locale, timezone) "
                      "FROM STDIN") as cp:
            for person in home:
                cp.write_row((person, TENANT, person, "adviser", "fr", TZ))
        with cur.copy("COPY membership (person_id, team_id, valid_from) FROM STDIN") as cp:
            for person, team in home.items():
                cp.write_row((person, team, start))
        by_team: dict[str, list[str]] = {}
        for person, team in home.items():
            by_team.setdefault(team, []).append(person)
        answers = 0
        with cur.copy("COPY pulse_round (id, tenant_id, team_id, opens_at, closes_at, kind) "
                      "FROM STDIN") as cp:
            for week in weeks:
                opens = buckets.bounds(week, TZ)[0] + timedelta(hours=9)
                for team in by_team:
                    cp.write_row((f"{team}-{week}", TENANT, team, opens,
                                  opens + timedelta(days=3), "cadence"))
        conn.commit()  # the rounds, before a second connection writes answers that cite them
        with psycopg.connect(conninfo) as conn2, cur.copy(
                "COPY invitation (round_id, person_id, question_ids, created_at) FROM STDIN"
        ) as inv, conn2.cursor().copy(
                "COPY answer (round_id, person_id, question_id, team_id, value, answered_at) "
                "FROM STDIN") as ans:
            for w, week in enumerate(weeks):
                opens = buckets.bounds(week, TZ)[0] + timedelta(hours=9)
                asked = rng.sample(items, 3) if w % 13 else [*rng.sample(items, 2), enps[0]]
                for team, people in by_team.items():
                    for person in people:
                        inv.write_row((f"{team}-{week}", person, " ".join(q.id for q in asked),
                                       opens))
                        if rng.random() > args.respond:
                            continue
                        at = opens + timedelta(minutes=rng.randrange(3 * 24 * 60))
                        for q in asked:
                            low, high = q.scale.bounds
                            ans.write_row((f"{team}-{week}", person, q.id, team,
                                           rng.randint(low, high), at))
                            answers += 1
        conn.commit()
        cur.execute("ANALYZE")
    return {"teams": len(teams), "departments": depts, "leaves": len(leaves),
            "people": len(home), "answers": answers, "weeks": len(weeks)}


def publish(store: SqlStore, weeks: list[str], mode: str, now: datetime) -> dict[str, object]:
    """Publish the last week for real (timed); the others for real or cloned (module doc)."""
    started = time.perf_counter()
    timed = publish_one_week(store, TENANT, weeks[-1], now)
    one_week_s = time.perf_counter() - started
    started = time.perf_counter()
    for week in weeks[:-1]:
        if mode == "all":
            publish_one_week(store, TENANT, week, now)
            continue
        snap = replace(timed.snapshot, week=week)
        store.save_publication(snap, [replace(c, bucket=week, snapshot=snap.id)
                                      for c in timed.cells])
    months = derive_months(store, TENANT, {month_of_week(w) for w in weeks}, now)
    return {"publish_one_week_s": round(one_week_s, 2), "cells_per_week": len(timed.cells),
            "audit_rounds": timed.audit_rounds, "audit_findings": len(timed.findings),
            "shown_cells": sum(c.shown for c in timed.cells), "other_weeks": mode,
            "other_weeks_s": round(time.perf_counter() - started, 2), "months": len(months)}


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    """A real uvicorn server on the database, ticker off."""
    code = ("import uvicorn; from app import build_app; from settings import Settings; "
            f"uvicorn.run(build_app(Settings(demo=True, database_url={url!r}, "
            "migrate_on_start=False, scheduler_enabled=False)), host='127.0.0.1', "
            f"port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def endpoints(last_week: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Every analytics read, for a leaf team, a department and the org root."""
    monday = buckets.parse_key(last_week)[1]
    year = {"from": (monday - timedelta(weeks=51)).isoformat(), "to": monday.isoformat()}
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for label, team in (("leaf", "d0l0"), ("dept", "d0"), ("root", "root")):
        out[f"{label} pulse week"] = (f"/api/v1/teams/{team}/pulse", {"bucket": "week"})
        out[f"{label} pulse month"] = (f"/api/v1/teams/{team}/pulse",
                                       {"bucket": "month", **year})
        out[f"{label} pillars week"] = (f"/api/v1/teams/{team}/pillars", {"bucket": "week"})
        out[f"{label} pillars month"] = (f"/api/v1/teams/{team}/pillars",
                                         {"bucket": "month", **year})
        out[f"{label} enps month"] = (f"/api/v1/teams/{team}/enps", {"bucket": "month", **year})
        out[f"{label} kudos week"] = (f"/api/v1/teams/{team}/kudos", {"bucket": "week"})
        out[f"{label} link series"] = ("/api/v1/link/series", {"team_id": team})
        out[f"{label} link correlation"] = ("/api/v1/link/correlation",
                                            {"scope": f"team:{team}"})
    out["org link correlation"] = ("/api/v1/link/correlation", {"scope": "org"})
    return out


def measure(port: int, token: str, plan: dict[str, tuple[str, dict[str, str]]], rounds: int,
            clients: int) -> dict[str, dict[str, float]]:
    """Each endpoint `rounds` times, `clients` at once; latency percentiles in ms."""
    headers = {"Authorization": f"Bearer {token}"}
    base = f"http://127.0.0.1:{port}"
    jobs = [name for name in plan for _ in range(rounds)]
    random.Random(0).shuffle(jobs)
    local = [httpx.Client(base_url=base, headers=headers, timeout=120) for _ in range(clients)]

    def one(i_name: tuple[int, str]) -> tuple[str, float, int]:
        i, name = i_name
        path, params = plan[name]
        started = time.perf_counter()
        r = local[i % clients].get(path, params=params)
        return name, (time.perf_counter() - started) * 1000, r.status_code

    for name in plan:  # warm-up, and a check that every endpoint answers
        path, params = plan[name]
        r = local[0].get(path, params=params)
        if r.status_code != 200:
            raise SystemExit(f"{name}: {r.status_code} {r.text[:200]}")
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, enumerate(jobs)))
    out = {}
    for name in plan:
        times = sorted(t for n, t, _ in results if n == name)
        out[name] = {"p50_ms": round(times[len(times) // 2], 1),
                     "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
                     "errors": sum(1 for n, _, s in results if n == name and s != 200)}
    return out


def main() -> None:
    """Build, publish, serve, measure, report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--people", type=int, default=12000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--respond", type=float, default=0.55)
    parser.add_argument("--publish", choices=["one", "all"], default="one")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    now = datetime.now(UTC)
    today = buckets.local_day(now, TZ)
    last_closed = buckets.key_of_day(today - timedelta(days=7), Bucket.WEEK)
    first_day = buckets.parse_key(last_closed)[1] - timedelta(weeks=args.weeks - 1)
    weeks = buckets.keys_between(first_day, buckets.parse_key(last_closed)[1], Bucket.WEEK)
    conninfo, url = create_database()
    result: dict[str, object] = {"load_before": os.getloadavg()}
    try:
        upgrade(url)
        engine = make_engine(url)
        store = SqlStore(engine)
        started = time.perf_counter()
        result["shape"] = build(conninfo, store, args, weeks)
        result["build_s"] = round(time.perf_counter() - started, 1)
        result["publication"] = publish(store, weeks, args.publish, now)
        _, token = create_api_key(store, TENANT, "bench", ["analytics:read"])
        engine.dispose()
        server = serve(url, args.port)
        try:
            result["reads"] = measure(args.port, token, endpoints(last_closed), args.rounds,
                                      args.clients)
            result["server_peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(10)
    finally:
        if not args.keep:
            drop_database(conninfo)
    result["load_after"] = os.getloadavg()
    result["uptime"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    out = ROOT / "bench" / "results" / "analytics_scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps(result["shape"]), f"built in {result['build_s']} s")
    print("publication:", json.dumps(result["publication"]))
    reads = result["reads"]
    assert isinstance(reads, dict)
    worst = max(reads.values(), key=lambda r: r["p95_ms"])
    for name, r in reads.items():
        print(f"  {name:<24} p50 {r['p50_ms']:>8.1f} ms  p95 {r['p95_ms']:>8.1f} ms"
              f"{'  errors ' + str(r['errors']) if r['errors'] else ''}")
    print(f"worst p95 {worst['p95_ms']} ms (target < 50); server peak RSS "
          f"{result['server_peak_rss_mb']} MB (target < 500); {result['uptime']}")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
