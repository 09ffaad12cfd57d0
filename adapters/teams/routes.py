"""POST /api/messages as two translations (like bolt's), and the function that wires Teams."""

from __future__ import annotations

import json
from dataclasses import dataclass
from logging import getLogger

from botbuilder.core import CloudAdapterBase, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from msrest.serialization import Model

from adapters.teams.auth import build_auth
from adapters.teams.gateway import TeamsGateway, message_activity
from adapters.teams.identity import Members
from adapters.teams.listeners import MiroirTeamsBot, apology
from adapters.teams.parse import PLATFORM
from adapters.teams.references import ReferenceStore
from adapters.teams.settings import TeamsSettings
from bot.identity import Identities
from bot.runtime import Runtime

log = getLogger(__name__)
MAX_BODY = 256_000  # Teams caps a message at about 28 KB; anything far larger is not Teams


@dataclass
class TeamsEdge:
    """What app.py needs: the router to include and the gateway to register."""

    router: APIRouter
    gateway: TeamsGateway
    adapter: CloudAdapterBase
    bot: MiroirTeamsBot
    members: Members


class Refused(Exception):
    """A request that never reaches the bot, and the HTTP status that says why."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def to_activity(request: Request, auth: BotFrameworkAuthentication
                      ) -> tuple[Activity, AuthenticateRequestResult]:
    """The HTTP request as an authenticated Bot Framework activity; Refused(4xx) otherwise."""
    if "application/json" not in request.headers.get("content-type", ""):
        raise Refused(415)
    raw = await request.body()
    try:
        body = json.loads(raw) if len(raw) <= MAX_BODY else None
        activity = Activity().deserialize(body) if isinstance(body, dict) else None
    except Exception:  # bad JSON, RecursionError, msrest's DeserializationError
        activity = None
    if activity is None or not activity.type:
        raise Refused(400)
    # The header must be a str ("" when absent): process_activity takes anything else for an
    # AuthenticateRequestResult. Several token failures escape as AttributeError,
    # jwt.InvalidSignatureError, jwt.ExpiredSignatureError or a bare Exception rather than
    # PermissionError, so every failure here is a 401 and no bot code runs.
    try:
        result = await auth.authenticate_request(activity,
                                                 request.headers.get("Authorization", ""))
    except Exception as exc:
        log.info("Teams request refused (%s)", type(exc).__name__)
        raise Refused(401) from exc
    return activity, result


def to_response(invoke: InvokeResponse | None) -> Response:
    """The bot's answer as HTTP: 201 for a message turn, the invoke's status and body else."""
    if invoke is None:
        return Response(status_code=201)
    content = invoke.body
    if isinstance(content, Model):
        # botbuilder's own error paths put an unserialized AdaptiveCardInvokeResponse (its value
        # an Exception) in the body: turn it into the error JSON Teams expects.
        content = {"statusCode": getattr(content, "status_code", 400),
                   "type": "application/vnd.microsoft.error",
                   "value": {"code": "BadRequest", "message": str(getattr(content, "value", ""))}}
    return JSONResponse(content=content, status_code=invoke.status)


def make_router(adapter: CloudAdapterBase, bot: MiroirTeamsBot) -> APIRouter:
    """The Bot Framework messaging endpoint."""
    router = APIRouter(tags=["teams"], include_in_schema=False)

    @router.post("/api/messages")
    async def messages(request: Request) -> Response:
        try:
            activity, auth = await to_activity(request, adapter.bot_framework_authentication)
        except Refused as refused:
            return Response(status_code=refused.status)
        try:
            invoke = await adapter.process_activity(auth, activity, bot.on_turn)
        except Exception:  # outside the turn (connector client): Teams retries a 503
            log.exception("Teams activity %s could not be processed", activity.id)
            return Response(status_code=503)
        return to_response(invoke)

    return router


def make_adapter(auth: BotFrameworkAuthentication, universal: bool) -> CloudAdapterBase:
    """CloudAdapterBase implements everything; the aiohttp CloudAdapter only adds aiohttp I/O."""
    adapter = CloudAdapterBase(auth)

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        # Without a handler the error leaves process_activity: a 500, then channel retries.
        log.error("Teams turn failed: %r", error, exc_info=error)
        if context.activity.type == ActivityTypes.message and not context.responded:
            try:
                await context.send_activity(message_activity([apology()], universal))
            except Exception as exc:  # the connector itself may be what failed
                log.warning("Teams apology not sent: %s", exc)

    adapter.on_turn_error = on_turn_error
    return adapter


def build_teams(settings: TeamsSettings, runtime: Runtime, references: ReferenceStore,
                default_tenant: str, auth: BotFrameworkAuthentication | None = None) -> TeamsEdge:
    """Authentication, adapter, gateway, identities, the bot and its route."""
    assert settings.app_id is not None
    adapter = make_adapter(auth or build_auth(settings), settings.universal_actions)
    gateway = TeamsGateway(adapter, references, settings.app_id, settings.universal_actions)
    served = set(settings.tenants)
    if settings.tenant_id:
        served.add(settings.tenant_id)

    def tenant_of(ms_tenant: str) -> str | None:
        # A SingleTenant bot serves its own tenant (and any listed); others are strangers.
        if served and ms_tenant not in served:
            return None
        return settings.tenants.get(ms_tenant, default_tenant)

    members = Members(Identities(runtime.store, PLATFORM, tenant_of))
    bot = MiroirTeamsBot(runtime, gateway, members, references, settings.channels,
                         settings.universal_actions)
    return TeamsEdge(make_router(adapter, bot), gateway, adapter, bot, members)
