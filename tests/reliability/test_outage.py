"""PostgreSQL stopped and restarted under traffic: 503 + Retry-After while it is down, never a
500, every acknowledged rating kept, and the same server process answers again afterwards.

The database is a private cluster this test starts and stops itself, never the shared one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from pulse.core.apikeys import create_api_key
from pulse.core.model import Team, Tenant
from tests.reliability.pg_cluster import PrivateCluster, pg_bin
from tests.reliability.server import Server, free_port

pytestmark = pytest.mark.skipif(pg_bin() is None, reason="no PostgreSQL server installed")


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    pg = PrivateCluster(free_port())
    try:
        pg.start()
        pg.create_database()
        yield pg
    finally:
        pg.remove()


@dataclass
class Traffic:
    """CSAT ratings posted one by one, and reads, while the test plays with the database."""

    server: Server
    token: str
    statuses: list[tuple[float, str, int, str | None]] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        auth = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.server.url, headers=auth, timeout=30) as http:
            i = 0
            while not self.stop.is_set():
                i += 1
                record = {"source": "intercom", "source_instance": "acme",
                          "source_record_id": f"r{i}", "metric": "csat", "value": 5,
                          "responded_at": "2026-02-10T10:00:00+01:00", "team": "t1"}
                r = http.post("/api/v1/cx/ratings:batch", json={"records": [record]})
                self._note("write", r)
                if r.status_code == 200 and r.json().get("inserted") == 1:
                    self.acknowledged.append(f"r{i}")
                self._note("read", http.get("/api/v1/teams"))
                time.sleep(0.05)

    def _note(self, kind: str, r: httpx.Response) -> None:
        self.statuses.append((time.monotonic(), kind, r.status_code,
                              r.headers.get("retry-after")))

    def count(self, status: int, since: float = 0.0) -> int:
        return sum(1 for at, _, s, _ in self.statuses if s == status and at >= since)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_postgres_down_then_up_under_traffic(
    cluster: PrivateCluster, serve: Callable[..., Server]
) -> None:
    upgrade(cluster.url)
    engine = make_engine(cluster.url)
    store = SqlStore(engine)
    store.add_tenant(Tenant("acme", "Acme"))
    store.add_team(Team("t1", "acme", "Support"))
    _, token = create_api_key(store, "acme", "outage", ["cx:write", "analytics:read"])
    server = serve(MIROIR_DATABASE_URL=cluster.url, MIROIR_SECRET_KEY="k" * 40,
                   MIROIR_HTTP_RETRY_AFTER_SECONDS="3")
    traffic = Traffic(server, token)
    worker = threading.Thread(target=traffic.run, daemon=True)
    worker.start()
    try:
        wait_for(lambda: len(traffic.acknowledged) >= 10, 60, "10 ratings before the outage")
        cluster.stop()
        down = time.monotonic()
        wait_for(lambda: traffic.count(503, down) >= 10, 60, "503s while PostgreSQL is down")
        cluster.start()
        up = time.monotonic()
        before = len(traffic.acknowledged)
        wait_for(lambda: len(traffic.acknowledged) >= before + 10, 60, "ratings after restart")
        recovered = time.monotonic() - up
    finally:
        traffic.stop.set()
        worker.join(60)
    assert traffic.count(500) == 0, [s for s in traffic.statuses if s[2] >= 500]
    refused = [s for s in traffic.statuses if s[2] == 503]
    assert refused and all(retry == "3" for *_, retry in refused), refused[:3]
    assert {kind for _, kind, *_ in refused} == {"write", "read"}
    others = {s[2] for s in traffic.statuses} - {200, 503}
    assert not others, others
    assert server.process.poll() is None, "the same server process kept answering"
    assert recovered < 30, f"{recovered:.1f} s to answer again after PostgreSQL came back"
    with engine.connect() as conn:
        stored = set(conn.execute(text(
            "SELECT source_record_id FROM cx_rating WHERE tenant_id = 'acme'")).scalars())
    lost = set(traffic.acknowledged) - stored
    assert not lost, f"acknowledged then lost: {sorted(lost)[:10]}"
    engine.dispose()
