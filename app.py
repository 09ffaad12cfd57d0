"""Composition root: Settings → adapters → services → FastAPI app. No logic here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from adapters.api import analytics as api_analytics
from adapters.api import cx as cx_api
from adapters.api import deliveries, events, health, irritants
from adapters.api import link as link_api
from adapters.csat import service as csat_service
from adapters.dashboard.mount import mount as mount_dashboard
from adapters.dashboard.settings import OidcSettings
from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from adapters.http import body_limits
from adapters.http import install as install_edge
from adapters.slack.settings import SlackSettings
from adapters.teams.settings import TeamsSettings
from adapters.web import routes as web_chat
from adapters.web.gateway import WebGateway
from bot.ports import ChatGateway
from bot.runtime import Runtime
from pulse.core.clock import SystemClock
from pulse.core.ports import Clock
from pulse.ports import Store
from pulse.surveys.question_bank import ensure_question_bank
from scheduler.calendar import TriggerCalendar
from scheduler.config import delivery_policy
from scheduler.ticker import start_ticker
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
    classifier = LazyClassifier(
        settings.classifier_backend, settings.classifier_model,
        Path(settings.classifier_heads_dir) if settings.classifier_heads_dir else None,
        tenant_heads=store.active_head)
    return Runtime(store=store, clock=clock or SystemClock(), gateways=dict(gateways or {}),
                   k_scores=settings.k_scores, k_comments=settings.k_comments,
                   classifier=classifier, cells=store)


def build_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    gateways: dict[str, ChatGateway] | None = None,
    slack: SlackSettings | None = None,
    ticker: bool | None = None,
    teams: TeamsSettings | None = None,
    teams_auth: object | None = None,
    oidc: OidcSettings | None = None,
) -> FastAPI:
    """The whole application: API, web chat, chat platforms, background ticker.

    The ticker runs when settings.scheduler_enabled, unless a test injected its own store
    (then pass ticker=True to run it anyway).
    """
    settings = settings or Settings()
    run_ticker = settings.scheduler_enabled and store is None if ticker is None else ticker
    runtime = build_runtime(settings, store=store, clock=clock, gateways=gateways)
    runtime.calendar = TriggerCalendar()
    runtime.delivery_policy = delivery_policy(settings.delivery)
    slack = slack or SlackSettings()
    teams = teams or TeamsSettings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if isinstance(runtime.classifier, LazyClassifier):
            runtime.classifier.load()  # says DEGRADED MODE now if the engine cannot run
        log.info("Miroir ready on %s", settings.url)
        if slack.enabled:
            log.info("Slack on: events at %s/slack/events, install at %s/slack/install",
                     settings.url, settings.url)
        else:
            log.info("Slack off: set %s to serve Slack", ", ".join(slack.missing()))
        background = start_ticker(runtime, settings.delivery) if run_ticker else None
        if teams.enabled:
            log.info("Teams on: messaging endpoint at %s/api/messages", settings.url)
        else:
            log.info("Teams off: set %s to serve Teams", ", ".join(teams.missing()))
        yield
        if background is not None:
            background.shutdown(wait=False)
        if slack.enabled:
            await app.state.slack.gateway.close()

    app = FastAPI(title="Miroir", version="0.1.0", lifespan=lifespan,
                  description="Pulse, irritants, kudos and the EX↔CX barometer.",
                  docs_url=None, redoc_url=None,  # /docs comes from packaged assets
                  openapi_url="/openapi.json" if settings.http.docs else None)
    install_edge(app, limits=body_limits(settings.http.max_body_bytes,
                                         settings.http.max_upload_bytes),
                 https=settings.url.startswith("https://"),
                 retry_after=settings.http.retry_after_seconds, docs=settings.http.docs)
    app.state.runtime = runtime
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(irritants.router)
    app.include_router(api_analytics.router)
    app.include_router(deliveries.router)
    app.include_router(events.router)
    runtime.gateways.setdefault("web", WebGateway())
    app.include_router(web_chat.router)
    mount_dashboard(app, runtime, settings.secret_key.get_secret_value(), settings.url, oidc)
    if slack.enabled:
        from adapters.slack.routes import build_slack  # the slack extra is only needed then

        engine = getattr(runtime.store, "engine", None) or make_engine(settings.database_url)
        edge = build_slack(slack, runtime, engine, settings.default_tenant, settings.secret_keys,
                           demo=settings.demo)
        app.include_router(edge.router)
        runtime.gateways["slack"] = edge.gateway
        app.state.slack = edge
    runtime.cx_feeds = csat_service  # CX ingest, reached by adapters.api.cx
    app.include_router(cx_api.router)
    app.include_router(link_api.router)
    if teams.enabled:
        # The teams extra is only needed then; teams_auth lets tests point it at a fake.
        from adapters.teams.routes import build_teams

        references = runtime.store if isinstance(runtime.store, SqlStore) else SqlStore(
            make_engine(settings.database_url))
        teams_edge = build_teams(teams, runtime, references, settings.default_tenant,
                                 auth=teams_auth)  # type: ignore[arg-type]
        app.include_router(teams_edge.router)
        runtime.gateways["teams"] = teams_edge.gateway
        app.state.teams = teams_edge
    return app
