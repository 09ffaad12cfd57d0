"""FastAPI routes of the local web chat: the page, the people, an inbox, actions, a demo pulse."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel

from adapters.web import render
from adapters.web.access import ChatUser, chat_user
from adapters.web.demo import send_pulse_now
from adapters.web.gateway import PLATFORM, WORKSPACE, WebGateway
from adapters.web.parse import BadInput, to_action
from adapters.web.surface import WebSurface
from adapters.web.ui_text import error_text, ui_strings
from bot.dialogs import handle_as
from bot.intents import Actor
from bot.perform import perform
from bot.runtime import Runtime
from pulse.core.errors import NotFound
from pulse.core.model import Person, Role

log = logging.getLogger("miroir.web")
STATIC = Path(__file__).parent / "static"
ASSETS = {"chat.js": "text/javascript", "chat.css": "text/css"}
_ROLE_ORDER = {Role.MANAGER: 0, Role.CX_LEAD: 1, Role.ADMIN: 2, Role.ADVISER: 3}

router = APIRouter(prefix="/chat", tags=["web chat"])


class ChatError(BaseModel):
    """What the page shows when a request fails: a message in the person's language."""

    error: str
    detail: str | None = None


def _documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route can give, so /docs (and schema-based tests) know them."""
    why = {401: "Outside demo mode: no signed-in person (sign in on /dashboard first).",
           404: "No web-chat person with this id.", 409: "No pulse can be sent right now.",
           422: "The body is not a button press, comment or command the page sends."}
    return {code: {"model": ChatError, "description": why[code]} for code in codes}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _gateway(runtime: Runtime) -> WebGateway:
    gateway = runtime.gateways.get(PLATFORM)
    if not isinstance(gateway, WebGateway):
        raise RuntimeError("the web chat gateway is not registered in runtime.gateways['web']")
    return gateway


def _error(status: int, message: str, detail: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


def _person(runtime: Runtime, person_id: str, who: ChatUser) -> Person | None:
    """Only people with a web-chat identity, and outside demo mode only the caller."""
    if not who.may_act_as(person_id):
        return None
    return runtime.store.person_by_identity(PLATFORM, WORKSPACE, person_id)


@router.get("", include_in_schema=False)
def page() -> FileResponse:
    """The single page of the web chat."""
    return FileResponse(STATIC / "chat.html", media_type="text/html")


@router.get("/static/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    """The page's script and style sheet (served by the app: no CDN)."""
    if name not in ASSETS:
        return _error(404, f"no asset named {name!r}")
    return FileResponse(STATIC / name, media_type=ASSETS[name])


@router.get("/api/ui")
def ui(locale: str = "en") -> dict[str, str]:
    """The page's labels in one language (before a person is picked)."""
    return ui_strings(locale)


@router.get("/api/people", responses=_documented(401))
def people(request: Request, who: ChatUser = Depends(chat_user)) -> dict[str, Any]:
    """Demo people who can use the web chat (outside demo mode: only the signed-in person)."""
    runtime = _runtime(request)
    store = runtime.store
    today = runtime.clock.now().date()
    found = []
    for tenant in store.list_tenants():
        teams = {t.id: t.name for t in store.list_teams(tenant.id)}
        for person in store.list_people(tenant.id):
            if not who.may_act_as(person.id) or (
                    PLATFORM, WORKSPACE, person.id) not in store.identities_of(person.id):
                continue
            team_id = store.team_of(person.id, today)
            found.append(render.person_json(person, team_id, teams.get(team_id or "")))
    found.sort(key=lambda p: (p["team_name"] or "~", _ROLE_ORDER.get(Role(p["role"]), 9),
                              p["name"].lower()))
    return {"people": found, "demo": who.demo}


@router.get("/api/people/{person_id}/inbox", responses=_documented(401, 404))
def inbox(request: Request, person_id: str, who: ChatUser = Depends(chat_user)) -> Response:
    """A person's conversation with Miroir, and their team's channel."""
    runtime = _runtime(request)
    person = _person(runtime, person_id, who)
    if person is None:
        return _error(404, error_text(None, "unknown_person"), person_id)
    gateway = _gateway(runtime)
    team_id = runtime.store.team_of(person.id, runtime.clock.now().date())
    team = runtime.store.get_team(person.tenant_id, team_id) if team_id else None
    return JSONResponse({
        "person": render.person_json(person, team_id, team.name if team else None),
        "version": gateway.version(person_id),
        "messages": [render.message_json(m) for m in gateway.inbox(person_id)],
        "channel": [render.message_json(m) for m in gateway.channel(team_id)] if team_id else [],
        "ui": ui_strings(str(person.locale)),
    })


@router.post("/api/people/{person_id}/actions", responses=_documented(401, 404, 422))
async def act(request: Request, person_id: str, who: ChatUser = Depends(chat_user)) -> Response:
    """A button press, a comment or a typed command, handled by the same dialogs as Slack."""
    runtime = _runtime(request)
    person = await asyncio.to_thread(_person, runtime, person_id, who)
    if person is None:
        return _error(404, error_text(None, "unknown_person"), person_id)
    gateway = _gateway(runtime)
    try:
        action = to_action(Actor(PLATFORM, WORKSPACE, person_id), await request.body())
    except BadInput as exc:
        return _error(422, error_text(str(person.locale), "bad_request"), str(exc))
    if action.echo:
        gateway.echo(person_id, action.echo)
    outcome = await handle_as(runtime, action.intent, person)
    await perform(outcome, WebSurface(gateway, person, action.message_id), runtime.gateways,
                  person)
    return JSONResponse({"ok": True, "version": gateway.version(person_id)})


@router.post("/api/people/{person_id}/pulse", status_code=201,
             responses=_documented(401, 404, 409))
async def pulse_now(request: Request, person_id: str,
                    who: ChatUser = Depends(chat_user)) -> Response:
    """Demo shortcut: open a round for the person's team and deliver it now (demo mode only)."""
    runtime = _runtime(request)
    person = await asyncio.to_thread(_person, runtime, person_id, who)
    if person is None or not who.demo:  # outside the demo, rounds belong to the scheduler
        return _error(404, error_text(None, "unknown_person"), person_id)
    try:
        pulse_round = await send_pulse_now(runtime, _gateway(runtime), person)
    except NotFound as exc:
        return _error(409, error_text(str(person.locale), str(exc)))
    return JSONResponse({"round_id": pulse_round.id, "team_id": pulse_round.team_id}, 201)
