"""Sign-in links and sessions, with a fake store: single use, expiry, tampering, sign-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

import pytest

from pulse.core.clock import FixedClock
from pulse.core.model import Person, Role, Session
from pulse.core.signin import (
    LINK_TTL,
    SESSION_TTL,
    LinkMaker,
    Signer,
    SigninRefused,
    SigninStore,
    anonymous_form_ok,
    anonymous_form_token,
    close_session,
    csrf_ok,
    current_session,
    issue_link,
    peek_link,
    redeem_link,
)

ADA = Person("ada", "acme", "Ada Martin", Role.MANAGER)


def tampered(token: str) -> str:
    """The token with one character of its signature changed (not the last one, whose low
    bits are base64 padding and may decode to the same bytes)."""
    i = len(token) - 6
    return token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1:]


class FakeSignin:
    """People, used nonces and sessions in memory: the SigninStore port."""

    def __init__(self, *people: Person) -> None:
        self.people = {p.id: p for p in people}
        self.nonces: dict[str, datetime] = {}
        self.sessions: dict[str, Session] = {}

    def get_person(self, person_id: str) -> Person | None:
        return self.people.get(person_id)

    def use_nonce(self, nonce: str, person_id: str, used_at: datetime) -> bool:
        if nonce in self.nonces:
            return False
        self.nonces[nonce] = used_at
        return True

    def add_session(self, session: Session) -> None:
        self.sessions[session.id_hash] = session

    def get_session(self, id_hash: str) -> Session | None:
        return self.sessions.get(id_hash)

    def delete_session(self, id_hash: str) -> None:
        self.sessions.pop(id_hash, None)

    def purge_signin(self, now: datetime, nonces_before: datetime) -> int:
        gone = [k for k, s in self.sessions.items() if s.expires_at <= now]
        old = [k for k, at in self.nonces.items() if at < nonces_before]
        for k in gone:
            del self.sessions[k]
        for k in old:
            del self.nonces[k]
        return len(gone) + len(old)


@pytest.fixture
def setup() -> tuple[SigninStore, Signer, FixedClock]:
    return (cast(SigninStore, FakeSignin(ADA)), Signer("s3cret-for-tests"),
            FixedClock(datetime(2026, 3, 4, 9, 30, tzinfo=UTC)))


def test_a_link_signs_its_person_in_once(setup: tuple[SigninStore, Signer, FixedClock]) -> None:
    store, signer, clock = setup
    token = issue_link(signer, clock, ADA)
    assert peek_link(store, signer, clock, token) == ADA  # looking does not use it
    session, cookie = redeem_link(store, signer, clock, token)
    assert (session.person_id, session.tenant_id, session.method) == ("ada", "acme", "chat_link")
    assert session.expires_at == clock.now() + SESSION_TTL
    found = current_session(store, signer, clock, cookie)
    assert found is not None and found[1] == ADA and found[0].csrf == session.csrf
    with pytest.raises(SigninRefused) as again:
        redeem_link(store, signer, clock, token)
    assert again.value.reason == "used"


def test_an_expired_link_is_refused(setup: tuple[SigninStore, Signer, FixedClock]) -> None:
    store, signer, clock = setup
    token = issue_link(signer, clock, ADA)
    clock.advance(LINK_TTL + timedelta(seconds=1))
    with pytest.raises(SigninRefused) as refused:
        redeem_link(store, signer, clock, token)
    assert refused.value.reason == "expired"


def test_a_tampered_or_foreign_link_is_refused(setup: tuple[SigninStore, Signer, FixedClock]
                                               ) -> None:
    store, signer, clock = setup
    token = issue_link(signer, clock, ADA)
    forged = Signer("another-deployment").link_token("ada", "n", clock.now())
    for bad in (tampered(token), forged, "", "x.y"):
        with pytest.raises(SigninRefused) as refused:
            redeem_link(store, signer, clock, bad)
        assert refused.value.reason == "invalid"
    other = signer.link_token("ghost", "n2", clock.now())
    with pytest.raises(SigninRefused) as unknown:
        redeem_link(store, signer, clock, other)
    assert unknown.value.reason == "unknown_person"


def test_sessions_expire_and_sign_out_kills_them(setup: tuple[SigninStore, Signer, FixedClock]
                                                ) -> None:
    store, signer, clock = setup
    _session, cookie = redeem_link(store, signer, clock, issue_link(signer, clock, ADA))
    assert current_session(store, signer, clock, tampered(cookie)) is None  # forged cookie
    assert current_session(store, signer, clock, None) is None
    close_session(store, signer, cookie)
    assert current_session(store, signer, clock, cookie) is None
    _session, cookie = redeem_link(store, signer, clock, issue_link(signer, clock, ADA))
    clock.advance(SESSION_TTL)
    assert current_session(store, signer, clock, cookie) is None


def test_form_tokens(setup: tuple[SigninStore, Signer, FixedClock]) -> None:
    _store, signer, _clock = setup
    assert csrf_ok("abc", "abc") and not csrf_ok("abc", "abd") and not csrf_ok("abc", None)
    token = anonymous_form_token(signer, "browser-secret")
    assert anonymous_form_ok(signer, "browser-secret", token)
    assert not anonymous_form_ok(signer, "another-browser", token)
    assert not anonymous_form_ok(signer, None, token)
    assert not anonymous_form_ok(signer, "browser-secret", "browser-secret")


def test_link_maker_builds_the_signin_url(setup: tuple[SigninStore, Signer, FixedClock]) -> None:
    store, signer, clock = setup
    url = LinkMaker(signer, "https://miroir.example/dashboard/signin").url_for(clock, ADA)
    assert url.startswith("https://miroir.example/dashboard/signin?t=")
    assert peek_link(store, signer, clock, url.split("?t=")[1]) == ADA
