"""FastAPI routes for Slack, and the one function that wires the Slack edge together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from logging import getLogger

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from sqlalchemy import Engine

from adapters.slack.gateway import SlackGateway
from adapters.slack.listeners import Conversation, build_bolt
from adapters.slack.oauth import DbInstallationStore, DbStateStore
from adapters.slack.parse import PLATFORM
from adapters.slack.settings import SlackSettings
from adapters.slack.tokens import TokenCipher
from bot.identity import Identities
from bot.runtime import Runtime

log = getLogger(__name__)


@dataclass
class SlackEdge:
    """What app.py needs: the router to include and the gateway to register."""

    router: APIRouter
    gateway: SlackGateway
    bolt: AsyncApp
    identities: Identities


def make_router(bolt: AsyncApp) -> APIRouter:
    """POST /slack/events (events, commands, interactivity), GET install and OAuth redirect."""
    handler = AsyncSlackRequestHandler(bolt)
    router = APIRouter(prefix="/slack", tags=["slack"], include_in_schema=False)

    # No Form(...) parameters here: bolt verifies the signature over the raw body.
    @router.post("/events")
    async def events(request: Request) -> Response:
        # slack_sdk's verifier runs int() on the timestamp: anything else there would be a 500.
        stamp = request.headers.get("x-slack-request-timestamp")
        if stamp is not None and not (stamp.isdecimal() and len(stamp) <= 12):
            return Response("invalid X-Slack-Request-Timestamp", status_code=401)
        return await handler.handle(request)

    @router.get("/install")
    async def install(request: Request) -> Response:
        return await handler.handle(request)

    @router.get("/oauth_redirect")
    async def oauth_redirect(request: Request) -> Response:
        return await handler.handle(request)

    return router


def tenant_resolver(tenants: dict[str, str], default_tenant: str,
                    demo: bool) -> Callable[[str], str | None]:
    """Workspace → tenant: MIROIR_SLACK_TENANTS; an unlisted workspace gets the default tenant
    only in demo mode, else none (its people are refused politely, nothing is stored, and no
    e-mail links them to a roster person of a tenant that never invited that workspace)."""

    def tenant_of(workspace: str) -> str | None:
        tenant = tenants.get(workspace) or (default_tenant if demo else None)
        if tenant is None:
            log.warning("Slack workspace %s is not in MIROIR_SLACK_TENANTS: refused", workspace)
        return tenant

    return tenant_of


def build_slack(settings: SlackSettings, runtime: Runtime, engine: Engine,
                default_tenant: str, secret_keys: list[str], demo: bool = False) -> SlackEdge:
    """Stores on our engine, the gateway, identities, the bolt app and its routes.

    `secret_keys`: MIROIR_SECRET_KEY then older keys; bot tokens are encrypted with the first.
    """
    assert settings.client_id is not None
    installations = DbInstallationStore(settings.client_id, engine,
                                        settings.installation_cache_seconds,
                                        cipher=TokenCipher(secret_keys))
    states = DbStateStore(engine, settings.state_expiration_seconds)
    gateway = SlackGateway(installations, settings.api_url)
    identities = Identities(runtime.store, PLATFORM,
                            tenant_resolver(settings.tenants, default_tenant, demo),
                            directory=gateway)
    conversation = Conversation(runtime, gateway, identities, settings.channels,
                                settings.workers)
    bolt = build_bolt(settings, conversation, installations, states)
    return SlackEdge(make_router(bolt), gateway, bolt, identities)
