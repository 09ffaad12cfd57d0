"""The signed-in reader of a page: session cookie → person → reach, language, CSRF checks."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Request, Response

from adapters.dashboard.text import Words
from bot.runtime import Runtime
from pulse.core.model import Person, Session
from pulse.core.reach import Reach, reach_of
from pulse.core.signin import (
    SESSION_COOKIE,
    Signer,
    SigninStore,
    anonymous_form_token,
    csrf_ok,
    current_session,
)

LANG_COOKIE = "miroir_lang"
FORM_COOKIE = "miroir_form"  # per-browser secret for forms shown before sign-in


class SignInRequired(Exception):
    """No live session: the page answers with the sign-in page (401)."""


class Refused(Exception):
    """A request the reader may not make: a clear page with this status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def runtime_of(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


def signer_of(request: Request) -> Signer:
    links = runtime_of(request).signin_links
    if links is None:
        raise RuntimeError("app.py must set runtime.signin_links (a LinkMaker)")
    return links.signer


def secure(request: Request) -> bool:
    """Cookies are Secure behind https (the public URL, or the request itself)."""
    public = str(getattr(request.app.state.settings, "public_url", "") or "")
    return request.url.scheme == "https" or public.startswith("https://")


def locale_of(request: Request, person: Person | None) -> str:
    """?lang= wins (and is remembered), then the remembered choice, then the person's own."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in ("fr", "en"):
        return asked
    return str(person.locale) if person else "en"


def remember_locale(request: Request, response: Response) -> None:
    """Keep a ?lang= choice in a cookie so following links stay in that language."""
    asked = request.query_params.get("lang")
    if asked in ("fr", "en"):
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 86400, httponly=True,
                            samesite="lax", secure=secure(request), path="/")


@dataclass(frozen=True)
class Viewer:
    """Who is reading, what they may see, and in which language."""

    session: Session
    person: Person
    reach: Reach
    words: Words

    def check_csrf(self, sent: str | None) -> None:
        """403 for a form that did not send back this session's token."""
        if not csrf_ok(self.session.csrf, sent):
            raise Refused(403, self.words("This form has expired or did not come from Miroir. "
                                          "Reload the page and try again."))


def viewer(request: Request) -> Viewer:
    """FastAPI dependency: the signed-in reader, or SignInRequired."""
    runtime = runtime_of(request)
    found = current_session(cast(SigninStore, runtime.store), signer_of(request), runtime.clock,
                            request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise SignInRequired()
    session, person = found
    words = Words(locale_of(request, person), runtime.k_scores)
    return Viewer(session, person, reach_of(runtime.store, person, runtime.clock.now().date()),
                  words)


Reader = Annotated[Viewer, Depends(viewer)]


def set_session_cookie(request: Request, response: Response, cookie: str, max_age: int) -> None:
    """The session cookie: signed, HttpOnly, SameSite=Lax, Secure behind https, expiring."""
    response.set_cookie(SESSION_COOKIE, cookie, max_age=max_age, httponly=True, samesite="lax",
                        secure=secure(request), path="/")


def form_secret(request: Request) -> tuple[str, str, bool]:
    """(CSRF token, browser secret, is new) for a form shown before sign-in."""
    secret = request.cookies.get(FORM_COOKIE)
    fresh = not secret
    secret = secret or secrets.token_urlsafe(24)
    return anonymous_form_token(signer_of(request), secret), secret, fresh


def keep_form_secret(request: Request, response: Response, secret: str) -> None:
    """Set the per-browser secret the pre-sign-in forms are bound to."""
    response.set_cookie(FORM_COOKIE, secret, httponly=True, samesite="lax",
                        secure=secure(request), path="/dashboard")
