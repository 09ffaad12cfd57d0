"""The HTTP edge in process: security headers on every answer, bounded 422s, docs from the
package (or off), a database that does not answer gets 503 + Retry-After, Slack timestamps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from adapters.http.outage import database_unavailable
from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.model import Tenant
from settings import Settings
from testing.slack_harness import slack_settings

HEADERS = {"content-security-policy", "x-content-type-options", "x-frame-options",
           "referrer-policy"}


def make_app(store: SqlStore, **settings: object) -> FastAPI:
    base: dict[str, object] = {"demo": True, "database_url": "sqlite://",
                               "migrate_on_start": False, "scheduler_enabled": False,
                               "classifier_backend": "lexicon"}
    return build_app(Settings(**{**base, **settings}), store=store)  # type: ignore[arg-type]


@pytest.fixture
def client(store: SqlStore) -> Iterator[tuple[TestClient, str]]:
    """The app on the SQLite / PostgreSQL store, with an admin key for tenant acme."""
    store.add_tenant(Tenant("acme", "Acme"))
    _, token = create_api_key(store, "acme", "edge", ["admin"])
    app = make_app(store)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as http:
        yield http, token


def test_every_kind_of_answer_carries_the_security_headers(
    client: tuple[TestClient, str],
) -> None:
    http, token = client
    auth = {"Authorization": f"Bearer {token}"}
    answers = {
        "200 json": http.get("/api/v1/teams", headers=auth),
        "200 page": http.get("/chat"),
        "200 docs": http.get("/docs"),
        "401": http.get("/api/v1/teams"),
        "404": http.get("/nowhere"),
        "405": http.put("/healthz"),
        "413": http.post("/api/v1/events", content=b"{" * (5 * 1024 * 1024)),
        "422": http.post("/api/v1/cx/identities", json={"source": [1]}, headers=auth),
        "500": http.get("/boom"),
    }
    for what, r in answers.items():
        assert r.status_code == int(what[:3]), (what, r.status_code, r.text[:200])
        missing = HEADERS - set(r.headers)
        assert not missing, f"{what} lacks {missing}"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "strict-transport-security" not in r.headers, "no HSTS over plain http"
    csp = answers["200 page"].headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1][:30]


def test_hsts_only_behind_https(store: SqlStore) -> None:
    with TestClient(make_app(store, public_url="https://miroir.example.com")) as http:
        assert http.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(make_app(store, public_url="http://10.0.0.5:8000")) as http:
        assert "strict-transport-security" not in http.get("/healthz").headers


def test_a_422_quotes_only_an_excerpt_of_the_input(client: tuple[TestClient, str]) -> None:
    http, token = client
    huge = "x" * 1_500_000  # two of them stay under the 4 MiB body limit
    for path, body in [("/api/v1/cx/identities", {"source": [huge]}),
                       ("/api/v1/events", {"person": huge, "type": {"nested": [huge]}})]:
        r = http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 422, (path, r.text[:300])
        assert len(r.content) < 4000, f"{path}: a {len(r.content)}-byte 422"
        detail = r.json()["detail"]
        assert detail and all("loc" in d and "msg" in d for d in detail)
        assert any(str(d.get("input", "")).endswith("…") for d in detail)


def test_docs_come_from_the_package_with_no_outside_url(client: tuple[TestClient, str]) -> None:
    http, _ = client
    page = http.get("/docs")
    assert page.status_code == 200 and 'id="swagger-ui"' in page.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls and all(u.startswith("/docs/assets/") for u in urls), urls
    assert "<script>" not in page.text, "no inline script (the CSP would block it)"
    sizes = {u: len(http.get(u).content) for u in urls}
    assert sizes["/docs/assets/swagger-ui-bundle.js"] > 500_000, sizes
    assert all(sizes.values()), sizes
    assert http.get("/docs/assets/index.html").status_code == 404  # only the listed files
    assert http.get("/docs/assets/..%2F..%2Fsettings.py").status_code == 404
    assert http.get("/redoc").status_code == 404  # ReDoc loaded its script from a CDN
    assert http.get(page.text.split('data-openapi="')[1].split('"')[0]).status_code == 200


def test_docs_can_be_turned_off(store: SqlStore) -> None:
    with TestClient(make_app(store, http={"docs": False})) as http:
        for path in ("/docs", "/docs/assets/swagger-ui-bundle.js", "/openapi.json"):
            assert http.get(path).status_code == 404, path
        assert http.get("/healthz").status_code == 200


def test_a_database_that_does_not_answer_gets_503_with_retry_after() -> None:
    dead = SqlStore(make_engine("postgresql+psycopg://miroir@127.0.0.1:9/none"))
    app = make_app(dead, http={"retry_after_seconds": 7})
    with TestClient(app, raise_server_exceptions=False) as http:
        for method, path, kw in [
            ("GET", "/api/v1/teams", {"headers": {"Authorization": "Bearer mk_x_y"}}),
            ("POST", "/api/v1/events", {"headers": {"Authorization": "Bearer mk_x_y"},
                                        "json": {"person": "p", "type": "job_change"}}),
            ("GET", "/chat/api/people", {}),
            ("GET", "/readyz", {}),
        ]:
            r = http.request(method, path, **kw)
            if path == "/readyz":  # its own answer, already a 503
                assert r.status_code == 503
                continue
            assert r.status_code == 503, (path, r.status_code, r.text[:200])
            assert r.headers["retry-after"] == "7"
            assert r.json()["error"] == "database_unavailable"
            assert not HEADERS - set(r.headers)
        assert http.get("/healthz").status_code == 200  # no database involved


def test_only_outages_count_as_outages() -> None:
    import sqlite3

    from sqlalchemy import exc

    locked = exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    missing = exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: x"))
    wrapped = RuntimeError("while answering")
    wrapped.__cause__ = locked
    assert database_unavailable(locked) and database_unavailable(wrapped)
    assert not database_unavailable(missing), "a missing table is a bug, not an outage"
    assert not database_unavailable(ValueError("x"))
    assert not database_unavailable(exc.IntegrityError("INSERT", {}, ValueError("dup")))


@pytest.mark.parametrize("stamp", ["abc", "", "1e9", "-5", "1" * 5000, "12.5", "١٢٣".encode()])
async def test_a_non_numeric_slack_timestamp_is_a_401(stamp: str | bytes, tmp_path: Path) -> None:
    app = build_app(Settings(demo=True, database_url=f"sqlite:///{tmp_path / 's.db'}",
                             scheduler_enabled=False, classifier_backend="lexicon"),
                    slack=slack_settings("http://127.0.0.1:9/api/"))
    body = "command=%2Fmiroir&text=help&team_id=TAAA&user_id=U1"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="https://miroir.test") as http:
        r = await http.post("/slack/events", content=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + "0" * 64})
    assert r.status_code == 401, (stamp, r.status_code, r.text[:200])
    await app.state.slack.gateway.close()


def test_excerpts_keep_short_values_whole() -> None:
    from adapters.http.validation import excerpt

    assert excerpt("short") == "short" and excerpt(5) == 5 and excerpt({"a": 1}) == {"a": 1}
    assert excerpt("y" * 500) == "y" * 120 + "…"
    long = excerpt({"k": ["v" * 500]})
    assert isinstance(long, str) and len(long) == 121 and long.startswith('{"k": ["vvv')


async def test_limits_match_routes_behind_a_root_path() -> None:
    from adapters.http.limits import BodyLimitMiddleware, BodyLimits

    seen: list[int] = []

    async def app(scope: dict, receive: object, send: object) -> None:
        body = b""
        while True:
            message = await receive()  # type: ignore[operator]
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen.append(len(body))
        await send({"type": "http.response.start", "status": 204, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b""})  # type: ignore[operator]

    edge = BodyLimitMiddleware(app, BodyLimits(10, {"/upload": 100}))  # type: ignore[arg-type]
    for path, size, status in [("/miroir/upload", 50, 204), ("/miroir/other", 50, 413)]:
        chunks = [{"type": "http.request", "body": b"x" * 10, "more_body": True}] * (size // 10)
        chunks.append({"type": "http.request", "body": b"", "more_body": False})
        sent: list[dict] = []

        async def receive(chunks: list[dict] = chunks) -> dict:
            return chunks.pop(0)

        async def send(message: dict, sent: list[dict] = sent) -> None:
            sent.append(message)

        scope = {"type": "http", "path": path, "root_path": "/miroir", "headers": []}
        await edge(scope, receive, send)
        assert sent[0]["status"] == status, (path, sent[0])
    assert seen == [50]
