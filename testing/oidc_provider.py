"""A loopback OpenID Connect provider for tests: discovery, authorize, token (PKCE), JWKS.

It signs real RS256 id tokens with a key it publishes in its JWKS. `mode` makes it misbehave
the ways a relying party must refuse: a token signed by another key, meant for another
audience, already expired, or vouching for an e-mail the roster does not know.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, HTTPException
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "miroir-dashboard"
CLIENT_SECRET = "fake-provider-client-secret"
MODES = ("ok", "bad_signature", "wrong_audience", "expired", "unknown_email", "unverified")


@dataclass
class FakeProvider:
    """The provider's state: its keys, who signs in next, pending codes, the mode."""

    email: str = "ada@example.com"
    mode: str = "ok"
    base: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    rogue: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.base, "sub": "user-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
            "nonce": nonce, "email": self.email, "email_verified": True}
        if self.mode == "wrong_audience":
            claims["aud"] = "someone-else"
        if self.mode == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        if self.mode == "unknown_email":
            claims["email"] = "stranger@example.com"
        if self.mode == "unverified":
            claims["email_verified"] = False
        key = self.rogue if self.mode == "bad_signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)


def build(provider: FakeProvider) -> FastAPI:
    """The provider's HTTP endpoints."""
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {"issuer": provider.base, "authorization_endpoint": f"{provider.base}/authorize",
                "token_endpoint": f"{provider.base}/token", "jwks_uri": f"{provider.base}/jwks",
                "response_types_supported": ["code"], "id_token_signing_alg_values_supported":
                ["RS256"], "code_challenge_methods_supported": ["S256"]}

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return {"keys": [provider.key.as_dict(private=False)]}

    @app.get("/authorize")
    def authorize(client_id: str, redirect_uri: str, state: str, nonce: str,
                  code_challenge: str, code_challenge_method: str,
                  response_type: str = "code") -> RedirectResponse:
        if client_id != CLIENT_ID or response_type != "code" or code_challenge_method != "S256":
            raise HTTPException(400, "bad authorization request")
        code = secrets.token_urlsafe(12)
        provider.codes[code] = {"nonce": nonce, "challenge": code_challenge,
                                "redirect_uri": redirect_uri}
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}",
                                302)

    @app.post("/token")
    def token(grant_type: str = Form(), code: str = Form(), redirect_uri: str = Form(),
              code_verifier: str = Form(), client_id: str = Form(CLIENT_ID),
              client_secret: str = Form("")) -> dict[str, Any]:
        pending = provider.codes.pop(code, None)
        digest = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest())
        if (pending is None or grant_type != "authorization_code"
                or redirect_uri != pending["redirect_uri"]
                or digest.rstrip(b"=").decode() != pending["challenge"]):
            raise HTTPException(400, "invalid_grant")
        return {"access_token": secrets.token_urlsafe(12), "token_type": "Bearer",
                "expires_in": 300, "id_token": provider.id_token(pending["nonce"])}

    return app


@contextmanager
def serve(provider: FakeProvider) -> Iterator[str]:
    """Run the provider under uvicorn on 127.0.0.1; yields its base URL (its issuer)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(build(provider), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake OpenID provider did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    provider.base = f"http://127.0.0.1:{port}"
    try:
        yield provider.base
    finally:
        server.should_exit = True
        thread.join(10)
