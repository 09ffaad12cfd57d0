"""A loopback Bot Connector (v3) with fake OpenID metadata and JWKS, in its own thread.

The SDK fetches the JWKS with synchronous `requests` inside async code, so the fake must not
share the app's event loop. Ids are percent-decoded per path segment (msrest encodes a:x).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"


@cache
def signing_key(name: str = "channel") -> rsa.RSAPrivateKey:
    """One RSA key per name for the whole session (generating one costs ~0.1 s)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64u(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(
        b"=").decode()


@dataclass
class Call:
    verb: str
    path: str
    body: Any
    headers: dict[str, str]
    status: int
    at: float = field(default_factory=time.monotonic)


class FakeBotConnector:
    def __init__(self, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        # (status, Retry-After) answered to the next POST/PUT under /v3/conversations
        self.inject: list[tuple[int, int | None]] = []
        self.members: dict[str, dict[str, Any]] = {}  # Teams user id → TeamsChannelAccount JSON
        self._ids = itertools.count(1)
        self.kid = "test-kid-1"
        self.key = signing_key()
        pub = self.key.public_key().public_numbers()
        self.jwks = {"keys": [{"kty": "RSA", "use": "sig", "kid": self.kid, "n": _b64u(pub.n),
                               "e": _b64u(pub.e), "endorsements": list(endorsements)}]}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.service_url = self.url + "/"
        self.openid_url = self.url + "/openid/.well-known/openidconfiguration"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> FakeBotConnector:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mint(self, app_id: str, service_url: str | None = None, *, key: Any = None,
             issuer: str = ISSUER, lifetime: int = 3600, **extra: Any) -> str:
        """A token as the Teams channel would sign it."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": app_id, "serviceurl": service_url or self.service_url,
                  "nbf": now - 5, "exp": now + lifetime, **extra}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def add_member(self, user_id: str, name: str, aad: str, email: str | None) -> None:
        self.members[user_id] = {"id": user_id, "name": name, "aadObjectId": aad,
                                 "email": email, "userPrincipalName": email}

    def conversation_calls(self, verb: str | None = None) -> list[Call]:
        """Successful calls under /v3/conversations (optionally one HTTP verb)."""
        with self.lock:
            return [c for c in self.calls if c.path.startswith("/v3/conversations")
                    and c.status < 300 and (verb is None or c.verb == verb)]

    def posts(self) -> list[Call]:
        """Activities posted (sends and replies)."""
        return [c for c in self.conversation_calls("POST") if "/activities" in c.path]

    def puts(self) -> list[Call]:
        """Activities replaced (update_activity)."""
        return self.conversation_calls("PUT")

    async def wait_posts(self, n: int = 1, timeout: float = 3.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.posts()
            if len(got) >= n:
                return got
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {n} posts, got {self.calls}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self) -> None:
                path = "/".join(unquote(s) for s in urlparse(self.path).path.split("/"))
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n) or b"null") if n else None
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, resp, extra = self._route(path, body)
                with fake.lock:
                    fake.calls.append(Call(self.command, path, body, headers, status))
                self._send(status, resp, extra)

            def _route(self, path: str, body: Any) -> tuple[int, Any, dict[str, str]]:
                if path == "/openid/.well-known/openidconfiguration":
                    return 200, {"issuer": ISSUER, "jwks_uri": fake.url + "/openid/keys",
                                 "id_token_signing_alg_values_supported": ["RS256"]}, {}
                if path == "/openid/keys":
                    return 200, fake.jwks, {}
                if not path.startswith("/v3/conversations"):
                    return 404, {"error": {"code": "NotFound"}}, {}
                parts = path.split("/")  # ['', 'v3', 'conversations', cid, kind, id]
                if fake.inject and self.command in ("POST", "PUT"):
                    status, retry_after = fake.inject.pop(0)
                    extra = {"Retry-After": str(retry_after)} if retry_after is not None else {}
                    return status, {"error": {"code": "Throttled" if status == 429 else "Failed",
                                              "message": "injected"}}, extra
                if self.command == "POST" and len(parts) == 3:
                    return 200, {"id": f"a:new-{next(fake._ids)}",
                                 "activityId": f"act-{next(fake._ids)}",
                                 "serviceUrl": fake.service_url}, {}
                if len(parts) >= 5 and parts[4] == "activities" and self.command == "POST":
                    return 200, {"id": f"act-{next(fake._ids)}"}, {}
                if len(parts) == 6 and parts[4] == "activities" and self.command == "PUT":
                    return 200, {"id": parts[5]}, {}
                if len(parts) == 6 and parts[4] == "members" and self.command == "GET":
                    member = fake.members.get(parts[5])
                    if member is None:
                        return 404, {"error": {"code": "MemberNotFoundInConversation"}}, {}
                    return 200, member, {}
                return 404, {"error": {"code": "NotFound"}}, {}

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        return Handler
