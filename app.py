"""Composition root: Settings → adapters → services → FastAPI app. No logic here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from adapters.api import health, irritants
from adapters.api import teams as api_teams
from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from adapters.slack.settings import SlackSettings
from adapters.web import routes as web_chat
from adapters.web.gateway import WebGateway
from bot.ports import ChatGateway
from bot.runtime import Runtime
from pulse.clock import SystemClock
from pulse.ports import Clock, Store
from pulse.question_bank import ensure_question_bank
from sentiment.loader import LazyClassifier
from settings import Settings

log = logging.getLogger("miroir")


def build_runtime(
    settings: Settings,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    gateways: dict[str, ChatGateway] | None = None,
) -> Runtime:
    """Wire the store, clock and gateways from settings; tests pass fakes instead."""
    if store is None:
        if settings.migrate_on_start:
            upgrade(settings.database_url)
        store = SqlStore(make_engine(settings.database_url))
        ensure_question_bank(store)  # an injected store (tests) keeps exactly what it holds
    runtime = Runtime(store=store, clock=clock or SystemClock(), gateways=dict(gateways or {}),
                      k_scores=settings.k_scores, k_comments=settings.k_comments)
    runtime.extras["classifier"] = LazyClassifier(
        settings.classifier_backend, settings.classifier_model,
        Path(settings.classifier_heads_dir) if settings.classifier_heads_dir else None,
        tenant_heads=store.active_head)
    return runtime


def build_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    gateways: dict[str, ChatGateway] | None = None,
    slack: SlackSettings | None = None,
) -> FastAPI:
    """The whole application: API, web chat, chat platforms, background ticker."""
    settings = settings or Settings()
    runtime = build_runtime(settings, store=store, clock=clock, gateways=gateways)
    slack = slack or SlackSettings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        runtime.extras["classifier"].load()  # says DEGRADED MODE now if the engine cannot run
        log.info("Miroir ready on %s", settings.url)
        if slack.enabled:
            log.info("Slack on: events at %s/slack/events, install at %s/slack/install",
                     settings.url, settings.url)
        else:
            log.info("Slack off: set %s to serve Slack", ", ".join(slack.missing()))
        yield
        if slack.enabled:
            await app.state.slack.gateway.close()

    app = FastAPI(title="Miroir", version="0.1.0", lifespan=lifespan,
                  description="Pulse, irritants, kudos and the EX↔CX barometer.")
    app.state.runtime = runtime
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(irritants.router)
    app.include_router(api_teams.router)
    runtime.gateways.setdefault("web", WebGateway())
    app.include_router(web_chat.router)
    if slack.enabled:
        from adapters.slack.routes import build_slack  # the slack extra is only needed then

        engine = getattr(runtime.store, "engine", None) or make_engine(settings.database_url)
        edge = build_slack(slack, runtime, engine, settings.default_tenant)
        app.include_router(edge.router)
        runtime.gateways["slack"] = edge.gateway
        app.state.slack = edge
    return app
