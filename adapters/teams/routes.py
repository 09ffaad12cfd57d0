"""POST /api/messages, and the one function that wires the Teams edge together."""

from __future__ import annotations

import json
from dataclasses import dataclass
from logging import getLogger

from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import BotFrameworkAuthentication
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from msrest.serialization import Model

from adapters.teams.auth import build_auth
from adapters.teams.gateway import TeamsGateway, message_activity
from adapters.teams.identity import Identities
from adapters.teams.listeners import MiroirTeamsBot, apology
from adapters.teams.perform import Conversation
from adapters.teams.references import ReferenceStore
from adapters.teams.settings import TeamsSettings
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
    identities: Identities


def make_router(adapter: CloudAdapterBase, bot: MiroirTeamsBot) -> APIRouter:
    """The Bot Framework messaging endpoint."""
    router = APIRouter(tags=["teams"], include_in_schema=False)

    @router.post("/api/messages")
    async def messages(request: Request) -> Response:
        if "application/json" not in request.headers.get("content-type", ""):
            return Response(status_code=415)
        raw = await request.body()
        try:
            body = json.loads(raw) if len(raw) <= MAX_BODY else None
            activity = Activity().deserialize(body) if isinstance(body, dict) else None
        except Exception:  # bad JSON, RecursionError, msrest's DeserializationError
            activity = None
        if activity is None or not activity.type:
            return Response(status_code=400)
        # The header must be a str ("" when absent): process_activity takes anything else for
        # an AuthenticateRequestResult. Several token failures escape as AttributeError,
        # jwt.InvalidSignatureError, jwt.ExpiredSignatureError or a bare Exception rather than
        # PermissionError, so every failure here is a 401 and no bot code runs.
        header = request.headers.get("Authorization", "")
        try:
            auth = await adapter.bot_framework_authentication.authenticate_request(activity,
                                                                                   header)
        except Exception as exc:
            log.info("Teams request refused (%s)", type(exc).__name__)
            return Response(status_code=401)
        try:
            invoke = await adapter.process_activity(auth, activity, bot.on_turn)
        except Exception:  # outside the turn (connector client): Teams retries a 503
            log.exception("Teams activity %s could not be processed", activity.id)
            return Response(status_code=503)
        if invoke is None:
            return Response(status_code=201)
        content = invoke.body
        if isinstance(content, Model):
            # botbuilder's own error paths put an unserialized AdaptiveCardInvokeResponse (its
            # value an Exception) in the body: turn it into the error JSON Teams expects.
            content = {"statusCode": getattr(content, "status_code", 400),
                       "type": "application/vnd.microsoft.error",
                       "value": {"code": "BadRequest",
                                 "message": str(getattr(content, "value", ""))}}
        return JSONResponse(content=content, status_code=invoke.status)

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

    identities = Identities(runtime.store, tenant_of)
    conversation = Conversation(runtime, gateway, settings.channels, settings.universal_actions)
    bot = MiroirTeamsBot(conversation, identities, references)
    return TeamsEdge(make_router(adapter, bot), gateway, adapter, bot, identities)
