"""Ack latency of Slack interactions: signed answers and kudos against Miroir on uvicorn.

    python bench/slack_ack.py [--requests 2000] [--concurrency 50] [--db-url URL]

Three processes on loopback: the fake Slack Web API, Miroir on uvicorn (the real app, SQLite by
default), and this client sending signed block_actions (pulse answers) and /kudos commands.
Prints p50/p95/p99 of the HTTP round trip (what Slack's 3-second rule measures) and writes JSON
to bench/results/. Afterwards it checks that every answer was stored exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from adapters.slack import render
from pulse.core.clock import SystemClock
from pulse.core.model import Membership, Person
from pulse.surveys import service as services
from pulse.surveys.model import Pillar, Question, Scale
from testing import slack_harness as harness

RESULTS = Path(__file__).parent / "results"
QUESTIONS = [Question(f"q-bench-{i}", Pillar.BELONGING, Scale.AGREE5, f"Question {i} ?",
                      f"Question {i}?") for i in range(5)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_fake(port_queue: Any, workspaces: dict[str, str], users: list[tuple[str, str]]) -> None:
    from testing.slack_api import FakeSlackWebApi

    fake = FakeSlackWebApi()
    fake.record = False  # a long run: keep memory flat
    for team, token in workspaces.items():
        fake.add_workspace(team, token)
    for team, user in users:
        fake.add_user(team, user, None)
    fake.start()
    port_queue.put(fake.url)
    while True:
        time.sleep(3600)


def run_app(db_url: str, fake_url: str, port: int) -> None:
    import logging

    import uvicorn

    from app import build_app
    from settings import Settings

    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    settings = Settings(demo=True, database_url=db_url, migrate_on_start=False)
    app = build_app(settings, slack=harness.slack_settings(fake_url + "/api/"))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                timeout_keep_alive=60)


def seed(db_url: str, advisers: int) -> tuple[SqlStore, list[str]]:
    """The harness's two workspaces, plus `advisers` people in acme each invited to 5 questions."""
    upgrade(db_url)
    store = SqlStore(make_engine(db_url))
    harness.populate(store)
    for question in QUESTIONS:
        store.add_question(question)
    ids = [f"adv{i:04d}" for i in range(advisers)]
    for pid in ids:
        store.add_person(Person(pid, "acme", pid.title(), email=f"{pid}@acme.test"))
        store.add_membership(Membership(pid, "team-a", date(2026, 1, 1)))
        store.link_identity("slack", "TAAA", "U" + pid.upper(), pid)
    services.start_round(store, SystemClock(), "acme", "team-a", {p: QUESTIONS for p in ids},
                         duration=timedelta(days=3), round_id="r-bench")
    from adapters.slack.oauth import DbInstallationStore
    from adapters.slack.tokens import TokenCipher
    from settings import Settings

    keys = Settings(demo=True, database_url=db_url).secret_keys  # the keys run_app reads with
    installations = DbInstallationStore(harness.CLIENT_ID, store.engine, cipher=TokenCipher(keys))
    for team in harness.WORKSPACES:
        installations.sync.save(harness.installation(team))
    return store, ids


def answer_payload(pid: str, question: Question, value: int, fake_url: str, n: int) -> str:
    choice = {"round_id": "r-bench", "question_id": question.id, "value": value}
    action = {"type": "button", "action_id": f"{render.ANSWER_ACTION}_{value - 1}",
              "block_id": f"answer:{question.id}", "action_ts": "1.1",
              "value": json.dumps(choice), "text": {"type": "plain_text", "text": str(value)}}
    user = "U" + pid.upper()
    body = harness.block_action("TAAA", user, "D" + user, f"1700000000.{n:06d}", action,
                                f"{fake_url}/response/a{n}")
    return urlencode(harness.interaction(body))


def kudos_payload(sender: str, recipient: str, fake_url: str, n: int) -> str:
    text = f"<@U{recipient.upper()}|{recipient}> thanks for the cover #teamwork"
    fields = harness.command("/kudos", text, "TAAA", "U" + sender.upper(),
                             f"{fake_url}/response/k{n}")
    return urlencode(fields)


def workload(ids: list[str], total: int, fake_url: str) -> list[tuple[str, str]]:
    """(kind, raw body): three answers for one kudos, answers distinct until they run out."""
    rng = random.Random(7)
    answers = [(p, q) for p in ids for q in QUESTIONS]
    rng.shuffle(answers)
    jobs = []
    for n in range(total):
        if n % 4 == 3 or not answers:
            sender, recipient = rng.sample(ids, 2)
            jobs.append(("kudos", kudos_payload(sender, recipient, fake_url, n)))
        else:
            pid, question = answers.pop()
            jobs.append(("answer", answer_payload(pid, question, rng.randint(1, 5), fake_url, n)))
    return jobs


async def fire(base: str, jobs: list[tuple[str, str]],
               concurrency: int) -> list[tuple[str, float, int]]:
    """Closed loop: `concurrency` workers, each sends its next request once answered.

    aiohttp rather than httpx on this side: the client shares the two cores with the server,
    and httpx's per-request cost was the bottleneck of the first runs.
    """
    import aiohttp

    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    results: list[tuple[str, float, int]] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=30)) as client:

        async def worker() -> None:
            while not queue.empty():
                kind, raw = queue.get_nowait()
                headers = {"Content-Type": "application/x-www-form-urlencoded",
                           **harness.sign(raw)}
                started = time.perf_counter()
                try:
                    async with client.post("/slack/events", data=raw.encode(),
                                           headers=headers) as response:
                        await response.read()
                        status = response.status
                except (TimeoutError, aiohttp.ClientError) as exc:  # counted, not hidden
                    print(f"{kind}: {type(exc).__name__} {exc}", file=sys.stderr)
                    status = 0
                results.append((kind, time.perf_counter() - started, status))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"Miroir did not start at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--advisers", type=int, default=300)
    parser.add_argument("--db-url", default="")
    parser.add_argument("--settle", type=float, default=180.0, help="max seconds for post-ack work")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="miroir-bench-")
    db_url = args.db_url or f"sqlite:///{tmp}/bench.db"
    store, ids = seed(db_url, args.advisers)
    users = [("TAAA", "U" + p.upper()) for p in ids]

    ctx = mp.get_context("spawn")
    urls = ctx.Queue()
    fake = ctx.Process(target=run_fake, args=(urls, {t: tok for t, (_, tok) in
                                                      harness.WORKSPACES.items()}, users),
                       daemon=True)
    fake.start()
    fake_url = urls.get(timeout=30)
    port = free_port()
    server = ctx.Process(target=run_app, args=(db_url, fake_url, port), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base)
        jobs = workload(ids, args.requests, fake_url)
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()
        results = asyncio.run(fire(base, jobs, args.concurrency))
        wall = time.perf_counter() - started
        expected = sum(1 for kind, _ in jobs if kind == "answer")
        stored = settle(store, expected, args.settle)
        drained = time.perf_counter() - started
        cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        fake.terminate()
        server.join(5)
        fake.join(5)
    report(args, db_url, results, wall, expected, stored, drained, cpu)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process (Linux /proc), to compare runs on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def settle(store: SqlStore, expected: int, limit: float) -> int:
    """Wait for post-ack work to finish writing; the count must reach `expected`, not exceed it."""
    now = datetime.now(UTC)
    deadline = time.monotonic() + limit
    count = 0
    while time.monotonic() < deadline:
        count = len(store.scored_answers("acme", ["team-a"], now - timedelta(days=1),
                                         now + timedelta(days=1)))
        if count >= expected:
            break
        time.sleep(0.2)
    return count


def report(args: argparse.Namespace, db_url: str, results: list[tuple[str, float, int]],
           wall: float, expected: int, stored: int, drained: float, cpu: float) -> None:
    latencies = [t for _, t, _ in results]
    by_kind = {kind: [t * 1000 for k, t, _ in results if k == kind] for kind in ("answer", "kudos")}
    failures = sum(1 for _, _, status in results if status != 200)
    summary = {
        "benchmark": "slack_ack",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "requests": len(results), "concurrency": args.concurrency,
        "database": db_url.split(":", 1)[0], "cpus": os.cpu_count(),
        "wall_seconds": round(wall, 3), "throughput_rps": round(len(results) / wall, 1),
        "non_200": failures,
        "ack_ms": {"p50": round(pct(latencies, 50) * 1000, 1),
                   "p95": round(pct(latencies, 95) * 1000, 1),
                   "p99": round(pct(latencies, 99) * 1000, 1),
                   "max": round(max(latencies) * 1000, 1),
                   "mean": round(statistics.fmean(latencies) * 1000, 1)},
        "ack_ms_by_kind": {k: {"n": len(v), "p50": round(pct(v, 50), 1),
                               "p99": round(pct(v, 99), 1)} for k, v in by_kind.items() if v},
        "answers_expected": expected, "answers_stored": stored,
        "all_work_done_seconds": round(drained, 3),
        "server_cpu_ms_per_interaction": round(cpu * 1000 / max(1, len(results)), 2),
        "load_average": os.getloadavg(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"slack_ack-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(summary, indent=2))
    ack = summary["ack_ms"]
    print(f"{len(results)} signed interactions at {args.concurrency} concurrent in {wall:.1f} s "
          f"({summary['throughput_rps']} req/s), {failures} non-200")
    print(f"ack latency ms: p50 {ack['p50']}  p95 {ack['p95']}  p99 {ack['p99']}  "
          f"max {ack['max']}")
    print(f"answers stored {stored} / expected {expected}, all post-ack work done after "
          f"{drained:.1f} s; server CPU {summary['server_cpu_ms_per_interaction']} ms per "
          f"interaction; load average {os.getloadavg()[0]:.1f}")
    print(f"results in {out}")
    if failures or stored != expected:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
