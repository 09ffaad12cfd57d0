"""Settings for administrators: cadence per team, question bank, API keys, roster and CSAT uploads.

Every form carries the session's CSRF token; every write goes through a pulse use case (or the
CSAT ingest service app.py wires in runtime.cx_feeds, as the API reaches it).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Annotated, Any, cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from adapters.dashboard.render import page
from adapters.dashboard.session import Reader, Refused, Viewer, runtime_of
from bot.runtime import Runtime
from pulse.core.apikeys import SCOPES, create_api_key, list_keys, revoke_key
from pulse.core.errors import Invalid, NotFound
from pulse.cx.ports import CxStore
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
from pulse.delivery.ports import ScheduleRepository
from pulse.roster.rows import RosterFileError
from pulse.roster.service import RosterStore, import_roster
from pulse.surveys.model import Pillar
from pulse.surveys.question_bank import add_tenant_question, set_active

router = APIRouter(prefix="/dashboard/settings", include_in_schema=False)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_UPLOAD = 10 * 1024 * 1024
CSAT_PROFILES = ("generic", "zendesk", "qualtrics")


def _admin(who: Viewer) -> None:
    if not who.reach.settings:
        raise Refused(404, who.words("There is nothing here, or it is outside what you can "
                                     "see."))


def _schedules(runtime: Runtime) -> ScheduleRepository:
    return cast(ScheduleRepository, runtime.store)


def _settings_page(request: Request, who: Viewer, status: int = 200, **extra: Any) -> Response:
    runtime = runtime_of(request)
    tenant_id = who.person.tenant_id
    teams = sorted(runtime.store.list_teams(tenant_id), key=lambda t: t.name.lower())
    schedules = {t.id: _schedules(runtime).get_schedule(t.id) for t in teams}
    return page(request, "settings.html", who.words, who, status=status, teams=teams,
                schedules=schedules, days=DAYS, cadences=[str(c) for c in Cadence],
                questions=runtime.store.list_questions(tenant_id),
                pillars=[str(p) for p in Pillar if p is not Pillar.ENPS],
                keys=list_keys(runtime.store, tenant_id), scopes=sorted(SCOPES),
                profiles=CSAT_PROFILES, saved=request.query_params.get("saved"), **extra)


@router.get("")
def settings(request: Request, who: Reader) -> Response:
    """Everything an administrator sets for the tenant."""
    _admin(who)
    return _settings_page(request, who)


@router.post("/cadence")
def cadence(request: Request, who: Reader, team: Annotated[str, Form()] = "",
            every: Annotated[str, Form()] = "", day: Annotated[str, Form()] = "",
            at: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    """Set one team's pulse cadence (weekly, fortnightly, monthly; day; local time)."""
    _admin(who)
    who.check_csrf(csrf)
    runtime = runtime_of(request)
    words = who.words
    if runtime.store.get_team(who.person.tenant_id, team) is None:
        raise Refused(404, words("There is nothing here, or it is outside what you can see."))
    if every not in {str(c) for c in Cadence} or day not in DAYS:
        raise Refused(422, words("Choose a cadence and a day from the lists."))
    try:
        wall = time.fromisoformat(at)
    except ValueError:
        raise Refused(422, words("The time looks like 10:00.")) from None
    repo = _schedules(runtime)
    existing = repo.get_schedule(team)
    now = datetime.now(UTC)
    base = existing or TeamSchedule(team, who.person.tenant_id, window=DeliveryWindow(),
                                    materialized_until=now)
    repo.set_schedule(replace(base, cadence=Cadence(every), weekday=DAYS.index(day),
                              hour=wall.hour, minute=wall.minute, anchor=now.date()))
    return RedirectResponse("/dashboard/settings?saved=cadence#cadence", 303)


@router.post("/questions/{question_id}")
def question(request: Request, question_id: str, who: Reader,
             active: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    """Switch one item of the question bank on or off."""
    _admin(who)
    who.check_csrf(csrf)
    try:
        set_active(runtime_of(request).store, who.person.tenant_id, question_id, active == "1")
    except NotFound:
        raise Refused(404, who.words("There is nothing here, or it is outside what you can "
                                     "see.")) from None
    except Invalid:  # the only rule: one eNPS item stays on
        raise Refused(422, who.words("Keep at least one eNPS item switched on.")) from None
    return RedirectResponse("/dashboard/settings?saved=questions#questions", 303)


@router.post("/questions")
def new_question(request: Request, who: Reader, pillar: Annotated[str, Form()] = "",
                 text_fr: Annotated[str, Form()] = "", text_en: Annotated[str, Form()] = "",
                 csrf: Annotated[str, Form()] = "") -> Response:
    """Add a tenant question, in French and English."""
    _admin(who)
    who.check_csrf(csrf)
    try:
        add_tenant_question(runtime_of(request).store, who.person.tenant_id, pillar, text_fr,
                            text_en)
    except Invalid:
        raise Refused(422, who.words("Write the question in French and in English (at most 300 "
                                     "characters each), for a pillar from the list.")) from None
    return RedirectResponse("/dashboard/settings?saved=questions#questions", 303)


@router.post("/keys")
async def new_key(request: Request, who: Reader) -> Response:
    """Create an API key; its secret is shown once, on the page that answers."""
    _admin(who)
    form = await request.form()
    who.check_csrf(str(form.get("csrf") or ""))
    name = str(form.get("name") or "").strip()[:80]
    scopes = [str(s) for s in form.getlist("scopes")]
    if not name:
        raise Refused(422, who.words("Give the key a name, so you know later what uses it."))
    try:
        key_id, token = create_api_key(runtime_of(request).store, who.person.tenant_id, name,
                                       scopes)
    except Invalid:
        raise Refused(422, who.words("Choose at least one scope from the list.")) from None
    return _settings_page(request, who, new_token=token, new_key_id=key_id)


@router.post("/keys/{key_id}/revoke")
def revoke(request: Request, key_id: str, who: Reader,
           csrf: Annotated[str, Form()] = "") -> Response:
    """Revoke an API key now."""
    _admin(who)
    who.check_csrf(csrf)
    runtime = runtime_of(request)
    try:
        revoke_key(runtime.store, runtime.clock, who.person.tenant_id, key_id)
    except NotFound:
        raise Refused(404, who.words("There is nothing here, or it is outside what you can "
                                     "see.")) from None
    return RedirectResponse("/dashboard/settings?saved=keys#keys", 303)


async def _upload(request: Request, who: Viewer) -> tuple[bytes, dict[str, str]]:
    form = await request.form()
    who.check_csrf(str(form.get("csrf") or ""))
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Refused(422, who.words("Choose a CSV file to upload."))
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise Refused(413, who.words("The file is larger than 10 MB: split it."))
    return data, {k: str(v) for k, v in form.items() if isinstance(v, str)}


@router.post("/roster")
async def roster(request: Request, who: Reader) -> Response:
    """Import a roster CSV; the page lists every rejected row with its line and reason."""
    _admin(who)
    data, fields = await _upload(request, who)
    try:
        report = import_roster(cast(RosterStore, runtime_of(request).store), data,
                               who.person.tenant_id, dry_run=fields.get("dry_run") == "1")
    except RosterFileError as exc:
        return _settings_page(request, who, 422, roster_error=str(exc))
    return _settings_page(request, who, roster_report=report)


@router.post("/csat")
async def csat(request: Request, who: Reader) -> Response:
    """Upload a CSAT export through a mapping profile; the page shows the ingest report."""
    _admin(who)
    data, fields = await _upload(request, who)
    runtime = runtime_of(request)
    feeds = runtime.cx_feeds
    if feeds is None:
        raise Refused(503, who.words("CSAT ingest is not available on this server."))
    profile = fields.get("profile", "generic")
    if profile not in CSAT_PROFILES:
        raise Refused(422, who.words("Choose a profile from the list."))
    store = cast(CxStore, runtime.store)  # the SQL store implements every port
    outcome = feeds.upload(store, who.person.tenant_id, io.BytesIO(data),
                           runtime.clock.now(), profile=profile)
    return _settings_page(request, who, 200 if outcome.status < 300 else outcome.status,
                          csat_status=outcome.status, csat_report=outcome.body)
