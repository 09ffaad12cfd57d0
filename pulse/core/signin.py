"""Sign-in without an extra account: one-time links minted in chat, and dashboard sessions.

A link token is signed (itsdangerous, HMAC-SHA1 over MIROIR_SECRET_KEY with its own salt) and
carries the person's id, a random nonce and the instant it was issued, read from our Clock
rather than itsdangerous' own timestamp so tests and the demo can move time. It is refused when
the signature is wrong, once LINK_TTL has passed, or once its nonce has been used: the store
records used nonces, so "single use" holds across processes and restarts.

A session is a random id kept server-side as its SHA-256, so signing out and expiry are real
(a stolen cookie dies with the row). The cookie carries that id signed again, so a forged or
truncated cookie is rejected before any lookup. Each session has its own CSRF token, which
every form of the dashboard sends back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from itsdangerous import BadSignature, URLSafeSerializer

from pulse.core.errors import MiroirError
from pulse.core.model import Person, Session
from pulse.core.ports import Clock, OrgRepository, SigninRepository

SESSION_COOKIE = "miroir_session"  # shared by the dashboard and the web chat
LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=8)
CLOCK_SKEW = timedelta(seconds=30)  # a link minted by another instance a little ahead of us
_LINK_SALT = "miroir.signin-link"
_COOKIE_SALT = "miroir.session-cookie"
_FORM_SALT = "miroir.anonymous-form"


class SigninRefused(MiroirError):
    """A link or sign-in that is refused; `reason` says why, for a clear page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # invalid | expired | used | unknown_person


class SigninStore(OrgRepository, SigninRepository, Protocol):
    """What sign-in needs: people, used nonces, sessions."""


@dataclass(frozen=True)
class Signer:
    """Signs and checks link tokens and session cookies with the deployment's secret key."""

    secret: str

    def _serializer(self, salt: str) -> URLSafeSerializer:
        return URLSafeSerializer(self.secret, salt=salt)

    def link_token(self, person_id: str, nonce: str, issued_at: datetime) -> str:
        """A URL-safe token naming the person, the nonce and when it was minted."""
        payload = {"p": person_id, "n": nonce, "t": int(issued_at.timestamp())}
        return str(self._serializer(_LINK_SALT).dumps(payload))

    def read_link(self, token: str) -> tuple[str, str, int]:
        """(person id, nonce, issued at as epoch seconds); SigninRefused('invalid') otherwise."""
        try:
            data = self._serializer(_LINK_SALT).loads(token)
        except BadSignature:
            raise SigninRefused("invalid") from None
        if not isinstance(data, dict):
            raise SigninRefused("invalid")
        person, nonce, issued = data.get("p"), data.get("n"), data.get("t")
        if not (isinstance(person, str) and isinstance(nonce, str) and isinstance(issued, int)):
            raise SigninRefused("invalid")
        return person, nonce, issued

    def seal(self, value: str, purpose: str = _COOKIE_SALT) -> str:
        """A cookie value: `value` signed, so a forged one never reaches the store."""
        return str(self._serializer(purpose).dumps(value))

    def unseal(self, cookie: str, purpose: str = _COOKIE_SALT) -> str | None:
        """The value inside a sealed cookie, or None when it was not signed by us."""
        try:
            value = self._serializer(purpose).loads(cookie)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None


def hash_id(session_id: str) -> str:
    """The stored form of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def issue_link(signer: Signer, clock: Clock, person: Person) -> str:
    """A one-time sign-in token for `person`, valid LINK_TTL from now."""
    return signer.link_token(person.id, secrets.token_urlsafe(16), clock.now())


def peek_link(store: OrgRepository, signer: Signer, clock: Clock, token: str) -> Person:
    """Who a still-valid link signs in, without using it (the confirmation page)."""
    person_id, _nonce, issued = signer.read_link(token)
    _check_age(clock, issued)
    person = store.get_person(person_id)
    if person is None:
        raise SigninRefused("unknown_person")
    return person


def redeem_link(
    store: SigninStore, signer: Signer, clock: Clock, token: str
) -> tuple[Session, str]:
    """Use a link once and open a session; (session, cookie value) or SigninRefused."""
    person = peek_link(store, signer, clock, token)
    _person_id, nonce, _issued = signer.read_link(token)
    now = clock.now()
    store.purge_signin(now, now - LINK_TTL - CLOCK_SKEW)
    if not store.use_nonce(nonce, person.id, now):
        raise SigninRefused("used")
    return open_session(store, signer, clock, person, "chat_link")


def _check_age(clock: Clock, issued: int) -> None:
    age = clock.now().timestamp() - issued
    if age > LINK_TTL.total_seconds() or age < -CLOCK_SKEW.total_seconds():
        raise SigninRefused("expired")


def open_session(
    store: SigninRepository, signer: Signer, clock: Clock, person: Person, method: str
) -> tuple[Session, str]:
    """A new session for a person already proven (link, identity provider, demo)."""
    session_id = secrets.token_urlsafe(32)
    now = clock.now()
    session = Session(hash_id(session_id), person.id, person.tenant_id,
                      secrets.token_urlsafe(24), now, now + SESSION_TTL, method)
    store.add_session(session)
    return session, signer.seal(session_id)


def current_session(
    store: SigninStore, signer: Signer, clock: Clock, cookie: str | None
) -> tuple[Session, Person] | None:
    """The live session and its person behind a cookie, or None (missing, forged, expired)."""
    session_id = signer.unseal(cookie) if cookie else None
    if session_id is None:
        return None
    session = store.get_session(hash_id(session_id))
    if session is None or session.expires_at <= clock.now():
        return None
    person = store.get_person(session.person_id)
    if person is None or person.tenant_id != session.tenant_id:
        return None
    return session, person


def close_session(store: SigninRepository, signer: Signer, cookie: str | None) -> None:
    """Sign out: the session row goes, so the cookie is worthless even if kept."""
    session_id = signer.unseal(cookie) if cookie else None
    if session_id is not None:
        store.delete_session(hash_id(session_id))


def csrf_ok(expected: str, sent: str | None) -> bool:
    """True when a form sent back the token it was given (constant-time comparison)."""
    return bool(sent) and hmac.compare_digest(expected.encode(), str(sent).encode())


def anonymous_form_token(signer: Signer, cookie_token: str) -> str:
    """The CSRF token of a form shown before sign-in, bound to a random per-browser cookie."""
    return signer.seal(cookie_token, _FORM_SALT)


def anonymous_form_ok(signer: Signer, cookie_token: str | None, sent: str | None) -> bool:
    """Double-submit check for forms shown before sign-in (a login CSRF cannot forge it)."""
    return bool(cookie_token) and signer.unseal(sent or "", _FORM_SALT) == cookie_token


@dataclass(frozen=True)
class LinkMaker:
    """Builds the sign-in URL the chat sends: the dashboard's sign-in page plus a fresh token."""

    signer: Signer
    signin_url: str  # e.g. https://miroir.example.com/dashboard/signin

    def url_for(self, clock: Clock, person: Person) -> str:
        """A one-time link for `person`, valid LINK_TTL."""
        return f"{self.signin_url}?t={issue_link(self.signer, clock, person)}"
