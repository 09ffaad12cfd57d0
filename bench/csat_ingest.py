"""Benchmark: upload a 100,000-row CSAT CSV (drawn from the real NHS FFT file) through the API.

Run: /work/venv/bin/python bench/csat_ingest.py [--rows 25000 100000] [--db sqlite|postgres]
Each size gets a fresh database and its own uvicorn server on loopback; the server's peak RSS
(VmHWM) and CPU seconds are read from /proc, so memory is flat in file size when the two peaks
are close. Wall time depends on the machine's load (printed); CPU seconds much less.
Writes bench/results/csat_ingest.json and prints a summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NHS_CANDIDATES = [ROOT.parent / "shared", ROOT.parents[1] / "shared"]
COLUMNS = ["Comment ID", "Trust", "Respondent ID", "Date", "Service type 1",
           "FFT categorical answer", "FFT question", "FFT answer"]


def nhs_file() -> Path:
    for base in NHS_CANDIDATES:
        path = base / "data/pxtextmining/datasets_v6framework_230831.csv"
        if path.exists():
            return path
    raise SystemExit("shared/data/pxtextmining not found")


def generate(rows: int, out: Path, seed: int = 20250101) -> None:
    """Rows resampled from the real file: its trusts, services, dates, scores and comments."""
    with nhs_file().open(newline="", encoding="utf-8") as f:
        source = [{k: r[k] for k in COLUMNS} for r in csv.DictReader(f)]
    rng = random.Random(seed)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            row = dict(rng.choice(source))
            row["Respondent ID"] = f"{row['Trust']} BENCH {i}"
            row["Comment ID"] = f"{row['Respondent ID']} - Q1"
            writer.writerow(row)


def serve(db_url: str, port: int) -> None:
    """Child process: the app on loopback over a migrated database with a bench tenant."""
    import uvicorn

    from app import build_app
    from settings import Settings

    uvicorn.run(build_app(Settings(demo=True, migrate_on_start=False, database_url=db_url)),
                host="127.0.0.1", port=port, log_level="warning")


def _proc(pid: int) -> tuple[float, float]:
    """(peak RSS in MB, CPU seconds) of a process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return hwm / 1024, (int(fields[11]) + int(fields[12])) / ticks


def one_run(rows: int, db: str) -> dict[str, object]:
    """Generate a file, start uvicorn on loopback, upload once, measure the server process."""
    import socket

    import httpx

    from adapters.db.engine import make_engine
    from adapters.db.migrate import upgrade
    from adapters.db.store import SqlStore
    from pulse.core.apikeys import create_api_key
    from pulse.core.model import Tenant

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "fft.csv"
        generate(rows, csv_path)
        url = f"sqlite:///{tmp}/bench.db" if db == "sqlite" else _pg_database()
        upgrade(url)
        store = SqlStore(make_engine(url))
        store.add_tenant(Tenant("bench", "Bench", timezone="Europe/London"))
        _, token = create_api_key(store, "bench", "bench", ["cx:write", "analytics:read"])
        store.engine.dispose()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen([sys.executable, __file__, "--serve", url, "--port", str(port)],
                                  cwd=ROOT, env={**os.environ, "MIROIR_DEFAULT_TENANT": "bench"})
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            rss_idle, cpu_idle = _proc(server.pid)
            started = time.perf_counter()
            with csv_path.open("rb") as data:
                resp = httpx.post(f"{base}/api/v1/cx/ratings:upload", timeout=600,
                                  headers={"Authorization": f"Bearer {token}"},
                                  data={"profile": "nhs_fft", "create_teams": "true"},
                                  files={"file": ("fft.csv", data, "text/csv")})
            seconds = time.perf_counter() - started
            rss_peak, cpu_done = _proc(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if db == "postgres":
                _drop_pg(url)
        assert resp.status_code == 200, resp.text
        report = resp.json()
        return {"rows": rows, "db": db, "file_mb": round(csv_path.stat().st_size / 2**20, 2),
                "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds),
                "server_cpu_seconds": round(cpu_done - cpu_idle, 3),
                "server_peak_rss_mb": round(rss_peak, 1),
                "server_rss_growth_mb": round(rss_peak - rss_idle, 1),
                "inserted": report["inserted"], "duplicates": report["duplicates"],
                "rejected": report["rejected_count"], "unmapped": report["unmapped"],
                "load_average": os.getloadavg()[0]}


def _pg_database() -> str:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = os.environ.get("MIROIR_TEST_PG_URL",
                               "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    name = f"miroir_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = os.environ.get("MIROIR_TEST_PG_URL",
                               "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    if args.child:
        print(json.dumps(one_run(args.child, args.db)))
        return
    results = []
    for rows in args.rows:
        out = subprocess.run([sys.executable, __file__, "--child", str(rows), "--db", args.db],
                             check=True, capture_output=True, text=True, cwd=ROOT)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"{r['rows']:>7} rows ({r['file_mb']} MB, {r['db']}): {r['seconds']:.2f} s wall, "
              f"{r['rows_per_s']} rows/s, server CPU {r['server_cpu_seconds']} s, server peak "
              f"RSS {r['server_peak_rss_mb']} MB (+{r['server_rss_growth_mb']} MB during the "
              f"upload), load average {r['load_average']:.1f}")
    target = next((r for r in results if r["rows"] == 100_000), None)
    summary = {"results": results, "target_seconds": 10,
               "meets_target": bool(target and float(target["seconds"]) < 10)}
    if len(results) >= 2:
        small, big = results[0], results[-1]
        summary["peak_rss_ratio_big_over_small"] = round(
            float(big["server_peak_rss_mb"]) / float(small["server_peak_rss_mb"]), 3)
        print(f"Server peak RSS {big['rows']} vs {small['rows']} rows: "
              f"×{summary['peak_rss_ratio_big_over_small']}")
    out_dir = ROOT / "bench/results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "csat_ingest.json").write_text(json.dumps(summary, indent=2))
    print(f"Wrote {out_dir / 'csat_ingest.json'}")


if __name__ == "__main__":
    main()
