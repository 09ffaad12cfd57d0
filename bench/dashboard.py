"""Benchmark: server-side render time of the dashboard's Overview, Team and Barometer pages.

Run: python bench/dashboard.py [--db-url URL --tenant T --person ADMIN_ID] [--repeat 20]
Without --db-url it seeds the demo tenant (3 teams, ~45 people, 12 weeks, CSAT) in a temporary
SQLite file. With --db-url it reads an existing database (e.g. the 1M-answer tenant of
bench/analytics_scale.py) as the given admin or CX lead. Each page is requested in-process
(routing, data, template, no network) `repeat` times after one warm-up; p50, p95 and max are
in milliseconds. Writes bench/results/dashboard.json and prints a summary with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from app import build_app
from pulse.core.signin import SESSION_COOKIE, open_session
from settings import Settings

RESULTS = ROOT / "bench" / "results" / "dashboard.json"
TARGET_P95_MS = 150.0


def _demo_db() -> tuple[str, str, str]:
    """A temporary SQLite database with the demo tenant; (url, tenant, admin id)."""
    from demo.cx import seed_demo_csat
    from demo.seed import TENANT, seed_demo
    from pulse.core.clock import SystemClock
    from pulse.core.model import Role

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench-dashboard.db'}"
    upgrade(url)
    store = SqlStore(make_engine(url))
    summary = seed_demo(store, SystemClock())
    assert summary is not None
    seed_demo_csat(store, TENANT.id, SystemClock())
    admin = next(p for p in store.list_people(TENANT.id) if p.role is Role.ADMIN)
    return url, TENANT.id, admin.id


def _timings(client: TestClient, path: str, repeat: int) -> dict[str, Any]:
    first = client.get(path)  # warm-up: imports, template compilation, caches
    if first.status_code != 200:
        raise SystemExit(f"{path} answered {first.status_code}: {first.text[:300]}")
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"path": path, "n": repeat, "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(p95, 1), "max_ms": round(samples[-1], 1),
            "bytes": len(first.content)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default="")
    parser.add_argument("--tenant", default="")
    parser.add_argument("--person", default="", help="an admin or CX lead of the tenant")
    parser.add_argument("--team", default="", help="the team page to time (default: first)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.db_url:
        url, tenant, person_id = args.db_url, args.tenant, args.person
        if not (tenant and person_id):
            raise SystemExit("--db-url needs --tenant and --person")
    else:
        url, tenant, person_id = _demo_db()
    store = SqlStore(make_engine(url))
    settings = Settings(demo=True, database_url=url, migrate_on_start=False,
                        default_tenant=tenant)
    app = build_app(settings, store=store, ticker=False)
    runtime = app.state.runtime
    person = store.get_person(person_id)
    if person is None:
        raise SystemExit(f"no person {person_id!r}")
    _session, cookie = open_session(store, runtime.signin_links.signer, runtime.clock,
                                    person, "demo")
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, cookie)
    teams = sorted(store.list_teams(tenant), key=lambda t: (t.parent_id is None, t.id))
    team = args.team or teams[0].id
    pages = {"overview": "/dashboard/overview", "team": f"/dashboard/teams/{team}",
             "barometer": "/dashboard/barometer"}
    load = os.getloadavg()
    results = {name: _timings(client, path, args.repeat) for name, path in pages.items()}
    report = {"database": url.split("://")[0], "tenant": tenant,
              "teams": len(teams), "people": len(store.list_people(tenant)),
              "load_average": [round(x, 2) for x in load], "cpus": os.cpu_count(),
              "target_p95_ms": TARGET_P95_MS, "pages": results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(f"dashboard render, {report['teams']} teams, {report['people']} people, "
          f"load {load[0]:.2f} on {os.cpu_count()} CPUs, {args.repeat} requests each")
    for name, r in results.items():
        verdict = "ok" if r["p95_ms"] < TARGET_P95_MS else f"over {TARGET_P95_MS:.0f} ms"
        print(f"  {name:<10} p50 {r['p50_ms']:>8.1f} ms  p95 {r['p95_ms']:>8.1f} ms  "
              f"max {r['max_ms']:>8.1f} ms  ({verdict})")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
