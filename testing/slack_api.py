"""A fake of the Slack Web API (and response_url webhooks) on loopback, several workspaces.

A stdlib ThreadingHTTPServer in a daemon thread, independent of the app's event loop (PLATFORMS.md
§8). Each bot token belongs to one workspace; users live in a per-workspace directory. It records
every call, can inject HTTP 429 + Retry-After, and answers what Miroir calls.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    path: str
    method: str  # Web API method ("chat.postMessage"), "" for response_url posts
    params: dict[str, Any]
    headers: dict[str, str]
    status: int
    at: float = field(default_factory=time.monotonic)

    @property
    def token(self) -> str:
        return self.headers.get("authorization", "").removeprefix("Bearer ")


class FakeSlackWebApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self.inject: dict[str, list[tuple[int, dict[str, Any]]]] = {}  # method → [(status, body)]
        self.tokens: dict[str, str] = {}  # bot token → team id
        self.users: dict[tuple[str, str], dict[str, Any]] = {}  # (team, user id) → profile
        self.oauth_codes: dict[str, dict[str, Any]] = {}  # code → oauth.v2.access answer
        self.record = True
        self._ts = 1_700_000_000.000100
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # -- set-up --------------------------------------------------------------
    def start(self) -> FakeSlackWebApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_workspace(self, team_id: str, token: str) -> None:
        self.tokens[token] = team_id

    def add_user(self, team_id: str, user_id: str, email: str | None, name: str = "") -> None:
        self.users[(team_id, user_id)] = {"id": user_id, "team_id": team_id,
                                          "name": name or user_id.lower(),
                                          "profile": {"email": email} if email else {}}

    # -- assertions ----------------------------------------------------------
    def calls_to(self, method: str, ok: bool = True) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method and (c.status == 200 or not ok)]

    def posts_to(self, path: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.path == path]

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Await (never block: bolt's post-ack work runs on the test's loop) `count` calls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.calls_to(method)
            if len(got) >= count:
                return got
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} {method} calls, got {self.calls_to(method)}")

    async def wait_path(self, path: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.posts_to(path)
            if len(got) >= count:
                return got
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} posts to {path}, got {self.posts_to(path)}")

    # -- answers ---------------------------------------------------------------
    def _next_ts(self) -> str:
        with self.lock:
            self._ts += 1
            return f"{self._ts:.6f}"

    def _respond(self, method: str, params: dict[str, Any],
                 headers: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self.lock:
            queue = self.inject.get(method)
            injected = queue.pop(0) if queue else None
        if injected:
            status, body = injected
            extra = {"Retry-After": str(body.pop("retry_after"))} if "retry_after" in body else {}
            return status, extra, body
        if method == "oauth.v2.access":
            answer = self.oauth_codes.get(params.get("code", ""))
            return 200, {}, answer or {"ok": False, "error": "invalid_code"}
        token = headers.get("authorization", "").removeprefix("Bearer ")
        team = self.tokens.get(token)
        if team is None:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        return 200, {}, self._method(method, params, team)

    def _method(self, method: str, params: dict[str, Any], team: str) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": team, "user_id": "UBOT" + team, "bot_id": "B" + team}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            channel = params.get("channel")
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            if not params.get("text") and not params.get("blocks"):
                return {"ok": False, "error": "no_text"}
            ts = params.get("ts") or self._next_ts()
            return {"ok": True, "channel": channel, "ts": ts, "message_ts": ts}
        if method == "conversations.open":
            users = params.get("users", "")
            if (team, users) not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "channel": {"id": "D" + users}}
        if method in ("views.open", "views.publish", "views.update"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": "V" + self._next_ts(), **(view or {})}}
        if method == "users.info":
            user = self.users.get((team, params.get("user", "")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.lookupByEmail":
            email = (params.get("email") or "").lower()
            for (t, _), user in self.users.items():
                if t == team and user["profile"].get("email", "").lower() == email:
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        return {"ok": False, "error": "unknown_method"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if "application/json" in self.headers.get("Content-Type", "") and raw:
                    params = json.loads(raw)
                else:
                    params = {k: v[0] for k, v in parse_qs(raw or parsed.query).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                if parsed.path.startswith("/api/"):
                    method = parsed.path[len("/api/"):]
                    status, extra, body = fake._respond(method, params, headers)
                    payload = json.dumps(body).encode()
                else:  # a response_url
                    method, status, extra, payload = "", 200, {}, b"ok"
                if fake.record:
                    with fake.lock:
                        fake.calls.append(Call(parsed.path, method, params, headers, status))
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

        return Handler
