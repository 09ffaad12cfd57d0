"""OpenID Connect sign-in: one generic client (authlib), id tokens checked with joserfc.

Authorization code flow with PKCE. The state, nonce and code verifier travel in a signed,
short-lived, HttpOnly cookie, so any instance can finish the flow. The id token must be signed
by a key of the provider's JWKS (an allowed algorithm), name our client in `aud`, come from the
configured issuer, be unexpired, carry our nonce, and give a verified e-mail that matches
exactly one person of the tenant's roster. Anything else is refused with a reason.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import errors, jwt
from joserfc.jwk import KeySet

from adapters.dashboard.settings import OidcSettings
from pulse.core.signin import Signer

COOKIE = "miroir_oidc"
FLOW_SECONDS = 600
_PURPOSE = "miroir.oidc-flow"


class OidcRefused(Exception):
    """The provider's answer is not good enough to sign anyone in; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # state | provider | bad_signature | wrong_audience | wrong_issuer
        #                       expired | nonce | unverified_email | unknown_email


@dataclass(frozen=True)
class Flow:
    state: str
    nonce: str
    verifier: str
    started: int


class OidcClient:
    """Talks to one provider: discovery, authorization URL, code exchange, id token checks."""

    def __init__(self, settings: OidcSettings, signer: Signer) -> None:
        self.settings = settings
        self.signer = signer
        self._meta: dict[str, Any] | None = None

    async def _get(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(url)
                response.raise_for_status()
                data = response.json()
        except (httpx.HTTPError, ValueError):
            raise OidcRefused("provider") from None
        if not isinstance(data, dict):
            raise OidcRefused("provider")
        return data

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (cached once read)."""
        if self._meta is None:
            base = self.settings.issuer.rstrip("/")
            self._meta = await self._get(f"{base}/.well-known/openid-configuration")
        return self._meta

    def _oauth(self, redirect_uri: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret.get_secret_value() or None,
            scope=self.settings.scopes, redirect_uri=redirect_uri,
            code_challenge_method="S256", timeout=10)

    async def start(self, redirect_uri: str) -> tuple[str, str]:
        """(URL to send the browser to, sealed flow cookie)."""
        meta = await self.metadata()
        flow = Flow(secrets.token_urlsafe(16), secrets.token_urlsafe(16),
                    secrets.token_urlsafe(48), int(time.time()))
        async with self._oauth(redirect_uri) as oauth:
            url, _state = oauth.create_authorization_url(
                meta["authorization_endpoint"], state=flow.state, code_verifier=flow.verifier,
                nonce=flow.nonce)
        return url, self.signer.seal(json.dumps(flow.__dict__), _PURPOSE)

    def _flow(self, cookie: str | None, state: str | None) -> Flow:
        raw = self.signer.unseal(cookie or "", _PURPOSE)
        try:
            flow = Flow(**json.loads(raw)) if raw else None
        except (TypeError, ValueError):
            flow = None
        if (flow is None or not state or not secrets.compare_digest(flow.state, state)
                or time.time() - flow.started > FLOW_SECONDS):
            raise OidcRefused("state")
        return flow

    async def finish(self, redirect_uri: str, code: str | None, state: str | None,
                     cookie: str | None) -> str:
        """The verified e-mail of the person the provider signed in; OidcRefused otherwise."""
        flow = self._flow(cookie, state)
        if not code:
            raise OidcRefused("provider")
        meta = await self.metadata()
        try:
            async with self._oauth(redirect_uri) as oauth:
                token = await oauth.fetch_token(meta["token_endpoint"], code=code,
                                                code_verifier=flow.verifier)
        except Exception:  # authlib raises its own errors and httpx's; all mean the same here
            raise OidcRefused("provider") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused("provider")
        claims = await self.verify(id_token, flow.nonce)
        email = claims.get("email")
        if not isinstance(email, str) or claims.get("email_verified") is not True:
            raise OidcRefused("unverified_email")
        return email.strip().lower()

    async def verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        """Signature, issuer, audience, expiry and nonce of an id token."""
        jwks = await self._get((await self.metadata())["jwks_uri"])
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]  # checked by joserfc
        try:
            token = jwt.decode(id_token, keys, algorithms=list(self.settings.algorithms))
        except errors.JoseError:  # a bad signature, an unknown key or algorithm, a torn token
            raise OidcRefused("bad_signature") from None
        registry = jwt.JWTClaimsRegistry(
            leeway=self.settings.leeway_seconds,
            iss={"essential": True, "value": (await self.metadata()).get("issuer",
                                                                         self.settings.issuer)},
            aud={"essential": True, "value": self.settings.client_id},
            exp={"essential": True}, nonce={"essential": True, "value": nonce})
        try:
            registry.validate(token.claims)
        except errors.ExpiredTokenError:
            raise OidcRefused("expired") from None
        except errors.ClaimError as exc:
            claim = getattr(exc, "claim", "")
            reason = {"aud": "wrong_audience", "iss": "wrong_issuer", "nonce": "nonce",
                      "exp": "expired"}.get(claim, "provider")
            raise OidcRefused(reason) from None
        return dict(token.claims)
