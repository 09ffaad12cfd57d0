"""A Slack-like chat.postMessage on loopback: per-workspace and per-channel limits, injected 429s.

Runs in a daemon thread of the test (or bench) process; worker processes POST to it through
`HttpChatGateway`, a test-side ChatGateway that maps 429 + Retry-After to RetryLater (the real
SlackGateway does the same mapping with slack_sdk).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from bot.ports import MessageRef, Recipient
from bot.replies import Notice, Reply, SurveyPrompt
from pulse.core.errors import PermanentFailure, RetryLater


@dataclass
class Delivered:
    workspace: str
    channel: str
    text: str
    worker: str
    at: float


@dataclass
class RateLimitedSlack:
    """`rate` messages/s per workspace (a bucket of `burst` seconds), `channel_gap` s per channel,
    and a 429 injected on every `inject_every`-th request (0: never)."""

    rate: float = 10.0
    burst_seconds: float = 2.0
    channel_gap: float = 1.0
    inject_every: int = 0
    retry_after: int = 1
    delivered: list[Delivered] = field(default_factory=list)
    rejected: dict[str, int] = field(default_factory=lambda: {"injected": 0, "workspace": 0,
                                                             "channel": 0})
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _last: dict[tuple[str, str], float] = field(default_factory=dict)
    _requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> RateLimitedSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: one connection per client slot

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, payload, headers = fake.handle(body, self.headers.get("X-Worker", "?"))
                data = json.dumps(payload).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # the default backlog of 5 refuses concurrent clients

            def handle_error(self, request: Any, client_address: Any) -> None:
                return None  # clients closing keep-alive connections at exit: not our concern

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(
        self, body: dict[str, Any], worker: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        ws, channel, text = body["workspace"], body["channel"], body["text"]
        limited = {"ok": False, "error": "ratelimited"}
        retry = {"Retry-After": str(self.retry_after)}
        with self._lock:
            now = time.monotonic()
            self._requests += 1
            if self.inject_every and self._requests % self.inject_every == 0:
                self.rejected["injected"] += 1
                return 429, limited, retry
            tokens, last = self._buckets.get(ws, (self.rate * self.burst_seconds, now))
            tokens = min(self.rate * self.burst_seconds, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[ws] = (tokens, now)
                self.rejected["workspace"] += 1
                return 429, limited, retry
            if now - self._last.get((ws, channel), -1e9) < self.channel_gap:
                self._buckets[ws] = (tokens, now)
                self.rejected["channel"] += 1
                return 429, limited, retry
            self._buckets[ws] = (tokens - 1, now)
            self._last[(ws, channel)] = now
            self.delivered.append(Delivered(ws, channel, text, worker, now))
        return 200, {"ok": True, "channel": channel, "ts": f"{now:.6f}"}, {}


def render(replies: list[Reply]) -> str:
    """A stable text per message: the same message twice would show up as a duplicate."""
    parts = []
    for r in replies:
        if isinstance(r, SurveyPrompt):
            parts.append(f"{r.round_id}/{r.question_id}")
        elif isinstance(r, Notice):
            parts.append(f"notice:{r.text[:20]}")
    return " ".join(parts)


class HttpChatGateway:
    """A ChatGateway posting to RateLimitedSlack: 429 → RetryLater, ok=false → PermanentFailure."""

    def __init__(self, base_url: str, worker: str, platform: str = "slack",
                 hang_after: int = -1) -> None:
        self.platform = platform
        self.client = httpx.AsyncClient(base_url=base_url, timeout=10,
                                        headers={"X-Worker": worker},
                                        limits=httpx.Limits(max_connections=64))
        self.hang_after = hang_after
        self.sent = 0

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        if 0 <= self.hang_after <= self.sent:
            import asyncio

            await asyncio.Event().wait()  # a worker stuck mid-send, about to be killed
        self.sent += 1
        response = await self.client.post("/api/chat.postMessage", json={
            "workspace": to.workspace, "channel": to.external_id, "text": render(replies)})
        if response.status_code == 429:
            raise RetryLater(float(response.headers.get("Retry-After", "1")))
        response.raise_for_status()
        body = response.json()
        if not body.get("ok"):
            raise PermanentFailure(str(body.get("error")))
        return MessageRef(self.platform, to.workspace, to.external_id, body["ts"])

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        return None
