"""Sign-in with OpenID Connect against a loopback provider that signs real RS256 id tokens."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from adapters.dashboard.settings import OidcSettings
from adapters.db.store import SqlStore
from app import build_app
from pulse.core.clock import SystemClock
from pulse.core.signin import SESSION_COOKIE
from settings import Settings
from testing.dashboard import MANAGER_A, TEAM_A, seed_org
from testing.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, serve

from .conftest import SECRET


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    fake = FakeProvider(email=MANAGER_A.email or "")
    with serve(fake):
        yield fake


@pytest.fixture
def client(store: SqlStore, provider: FakeProvider) -> TestClient:
    provider.mode, provider.email = "ok", MANAGER_A.email or ""
    org = seed_org(store, SystemClock(), weeks=2, ratings=0)
    oidc = OidcSettings(issuer=provider.base, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                        label="Fake IdP")
    settings = Settings(demo=False, secret_key=SECRET, migrate_on_start=False,
                        default_tenant=org.tenant, public_url="http://testserver")
    return TestClient(build_app(settings, store=store, ticker=False, oidc=oidc))


def round_trip(client: TestClient) -> httpx.Response:
    """Login → the provider's authorize → back to our callback, as a browser would."""
    start = client.get("/dashboard/oidc/login", follow_redirects=False)
    assert start.status_code == 303, start.text
    target = start.headers["location"]
    query = parse_qs(urlsplit(target).query)
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    assert "openid" in query["scope"][0] and query["nonce"][0]
    answer = httpx.get(target, follow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert back.path == "/dashboard/oidc/callback"
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)  # type: ignore[return-value]


def test_the_sign_in_page_offers_the_identity_provider(client: TestClient) -> None:
    page = client.get("/dashboard/signin")
    assert 'href="/dashboard/oidc/login"' in page.text and "Fake IdP" in page.text


def test_a_verified_roster_email_signs_in(client: TestClient) -> None:
    done = round_trip(client)
    assert done.status_code == 303 and done.headers["location"] == "/dashboard"
    assert SESSION_COOKIE in done.headers["set-cookie"]
    assert client.get(f"/dashboard/teams/{TEAM_A}").status_code == 200


@pytest.mark.parametrize(("mode", "words"), [
    ("bad_signature", "not signed by its own key"),
    ("wrong_audience", "meant for another application"),
    ("expired", "has expired"),
    ("unknown_email", "not in Miroir's roster"),
    ("unverified", "does not vouch for your e-mail"),
])
def test_bad_answers_are_refused_with_a_clear_page(client: TestClient, provider: FakeProvider,
                                                   mode: str, words: str) -> None:
    provider.mode = mode
    refused = round_trip(client)
    assert refused.status_code == 401
    assert words in refused.text.replace("&#39;", "'")
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    assert client.get("/dashboard/overview").status_code == 401


def test_a_callback_without_our_state_is_refused(client: TestClient) -> None:
    forged = client.get("/dashboard/oidc/callback?code=abc&state=xyz")
    assert forged.status_code == 401 and "start again" in forged.text


def test_without_a_provider_the_routes_say_so(store: SqlStore) -> None:
    settings = Settings(demo=False, secret_key=SECRET, migrate_on_start=False)
    plain = TestClient(build_app(settings, store=store, ticker=False))
    assert plain.get("/dashboard/oidc/login").status_code == 404
    assert "oidc/login" not in plain.get("/dashboard/signin").text
