"""Signing in and out: the chat link (confirm, then use once), OpenID Connect, sign-out.

The link's page asks for one click before using the token: chat apps and mail scanners open
links to preview them, and a GET that used the token would burn it before the person clicks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from adapters.dashboard.oidc import COOKIE as OIDC_COOKIE
from adapters.dashboard.oidc import OidcClient, OidcRefused
from adapters.dashboard.render import page
from adapters.dashboard.session import (
    FORM_COOKIE,
    LANG_COOKIE,
    Reader,
    Refused,
    form_secret,
    keep_form_secret,
    runtime_of,
    secure,
    set_session_cookie,
    signer_of,
)
from adapters.dashboard.text import N_, Words
from pulse.core.signin import (
    SESSION_COOKIE,
    SESSION_TTL,
    SigninRefused,
    SigninStore,
    anonymous_form_ok,
    close_session,
    open_session,
    peek_link,
    redeem_link,
)

router = APIRouter(prefix="/dashboard", include_in_schema=False)
STATIC = Path(__file__).parent / "static"
ASSETS = {"dashboard.css": "text/css"}


def guest_words(request: Request) -> Words:
    """Words for a page shown before sign-in: ?lang=, the remembered choice, the browser's."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked not in ("fr", "en"):
        header = request.headers.get("accept-language", "").lower()
        asked = "fr" if header.startswith("fr") else "en"
    return Words(asked, runtime_of(request).k_scores)


def _oidc(request: Request) -> OidcClient | None:
    client = getattr(request.app.state, "dashboard_oidc", None)
    return client if isinstance(client, OidcClient) else None


def signin_page(request: Request, status: int = 200, note: str | None = None) -> Response:
    """How to sign in: the chat command, and the identity provider when one is configured."""
    oidc = _oidc(request)
    label = None
    if oidc is not None:
        label = oidc.settings.label or oidc.settings.issuer.split("//")[-1].split("/")[0]
    return page(request, "signin.html", guest_words(request), status=status, oidc_label=label,
                note=note, demo=bool(request.app.state.settings.demo))


REASONS = {
    "invalid": (N_("This link is not valid: it may have been cut or changed. Type /miroir "
                   "dashboard in chat for a new one."), 400),
    "expired": (N_("This link has expired: links work for 10 minutes. Type /miroir dashboard "
                   "in chat for a new one."), 410),
    "used": (N_("This link has already been used: each link signs in once. Type /miroir "
                "dashboard in chat for a new one."), 410),
    "unknown_person": (N_("This link names someone who is no longer in the roster."), 403),
}


def refused_page(request: Request, status: int, message: str) -> Response:
    """A clear page for anything refused (404s included), in the reader's language."""
    return page(request, "message.html", guest_words(request), status=status, message=message)


def _refused(request: Request, reason: str) -> Response:
    words = guest_words(request)
    text, status = REASONS[reason]
    return refused_page(request, status, words(text))


@router.get("/signin")
def signin(request: Request, t: str | None = None) -> Response:
    """With a link's token: who it signs in, and one button to continue. Without: how to."""
    if not t:
        return signin_page(request)
    runtime = runtime_of(request)
    try:
        person = peek_link(runtime.store, signer_of(request), runtime.clock, t)
    except SigninRefused as exc:
        return _refused(request, exc.reason)
    token, secret, fresh = form_secret(request)
    response = page(request, "confirm.html", guest_words(request), person=person, token=t,
                    csrf=token)
    if fresh:
        keep_form_secret(request, response, secret)
    return response


@router.post("/signin")
def use_link(request: Request, t: Annotated[str, Form()] = "",
             csrf: Annotated[str, Form()] = "") -> Response:
    """Use the link once, open a session, go to the reader's first page."""
    words = guest_words(request)
    if not anonymous_form_ok(signer_of(request), request.cookies.get(FORM_COOKIE), csrf):
        raise Refused(403, words("This form has expired or did not come from Miroir. Reload "
                                 "the page and try again."))
    runtime = runtime_of(request)
    try:
        _session, cookie = redeem_link(cast(SigninStore, runtime.store), signer_of(request),
                                       runtime.clock, t)
    except SigninRefused as exc:
        return _refused(request, exc.reason)
    response = RedirectResponse("/dashboard", 303)
    set_session_cookie(request, response, cookie, int(SESSION_TTL.total_seconds()))
    return response


@router.get("/demo/{person_id}")
def demo_signin(request: Request, person_id: str) -> Response:
    """Demo mode only: the ready-made links `miroir serve --demo` prints sign in at once."""
    runtime = runtime_of(request)
    person = runtime.store.get_person(person_id) if request.app.state.settings.demo else None
    if person is None:
        words = guest_words(request)
        raise Refused(404, words("There is nothing here, or it is outside what you can see."))
    _session, cookie = open_session(cast(SigninStore, runtime.store), signer_of(request),
                                    runtime.clock, person, "demo")
    response = RedirectResponse("/dashboard", 303)
    set_session_cookie(request, response, cookie, int(SESSION_TTL.total_seconds()))
    return response


@router.post("/signout")
def signout(request: Request, who: Reader, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session here and in the store; the cookie is worthless afterwards."""
    who.check_csrf(csrf)
    close_session(cast(SigninStore, runtime_of(request).store), signer_of(request),
                  request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/dashboard/signin?bye=1", 303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure(request), httponly=True,
                           samesite="lax")
    return response


def _callback_url(request: Request) -> str:
    base = str(request.app.state.settings.url).rstrip("/")
    return f"{base}/dashboard/oidc/callback"


@router.get("/oidc/login")
async def oidc_login(request: Request) -> Response:
    """Send the browser to the identity provider."""
    client = _oidc(request)
    if client is None:
        words = guest_words(request)
        raise Refused(404, words("Sign-in with an identity provider is not set up on this "
                                 "server."))
    try:
        url, flow = await client.start(_callback_url(request))
    except OidcRefused as exc:
        return _oidc_refused(request, exc.reason)
    response = RedirectResponse(url, 303)
    response.set_cookie(OIDC_COOKIE, flow, max_age=600, httponly=True, samesite="lax",
                        secure=secure(request), path="/dashboard/oidc")
    return response


OIDC_REASONS = {
    "state": N_("The sign-in took too long or was started elsewhere. Please start again."),
    "provider": N_("The identity provider did not answer as expected. Please try again later."),
    "bad_signature": N_("The identity provider's answer was not signed by its own key: refused."),
    "wrong_audience": N_("The identity provider's answer was meant for another application: "
                      "refused."),
    "wrong_issuer": N_("The answer did not come from the configured identity provider: refused."),
    "expired": N_("The identity provider's answer has expired. Please sign in again."),
    "nonce": N_("The identity provider's answer does not belong to this sign-in: refused."),
    "unverified_email": N_("Your identity provider does not vouch for your e-mail address, so "
                        "Miroir cannot match it to the roster."),
    "unknown_email": N_("Your e-mail address is not in Miroir's roster. Ask your Miroir "
                     "administrator to add you."),
}


def _oidc_refused(request: Request, reason: str) -> Response:
    words = guest_words(request)
    message = words(OIDC_REASONS.get(reason, OIDC_REASONS["provider"]))
    response = refused_page(request, 401, message)
    response.delete_cookie(OIDC_COOKIE, path="/dashboard/oidc")
    return response


@router.get("/oidc/callback")
async def oidc_callback(request: Request, code: str | None = None,
                        state: str | None = None) -> Response:
    """Check the provider's answer, match the verified e-mail to the roster, open a session."""
    client = _oidc(request)
    if client is None:
        words = guest_words(request)
        raise Refused(404, words("Sign-in with an identity provider is not set up on this "
                                 "server."))
    runtime = runtime_of(request)
    try:
        email = await client.finish(_callback_url(request), code, state,
                                    request.cookies.get(OIDC_COOKIE))
    except OidcRefused as exc:
        return _oidc_refused(request, exc.reason)
    tenant = client.settings.tenant or request.app.state.settings.default_tenant
    people = [p for p in runtime.store.find_people(tenant, email)
              if (p.email or "").strip().lower() == email]
    if len(people) != 1:
        return _oidc_refused(request, "unknown_email")
    _session, cookie = open_session(cast(SigninStore, runtime.store), signer_of(request),
                                    runtime.clock, people[0], "oidc")
    response = RedirectResponse("/dashboard", 303)
    set_session_cookie(request, response, cookie, int(SESSION_TTL.total_seconds()))
    response.delete_cookie(OIDC_COOKIE, path="/dashboard/oidc")
    return response


@router.get("/static/{name}")
def asset(name: str) -> Response:
    """The style sheet (served by the app: no CDN)."""
    if name not in ASSETS:
        return Response(status_code=404)
    return FileResponse(STATIC / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "max-age=3600"})
