"""Put the dashboard on an app: sign-in links for the chat, routes, error pages, OIDC."""

from __future__ import annotations

from fastapi import FastAPI

from adapters.dashboard import routes, settings_routes, signin_routes
from adapters.dashboard.oidc import OidcClient
from adapters.dashboard.settings import OidcSettings
from bot.runtime import Runtime
from pulse.core.signin import LinkMaker, Signer


def mount(app: FastAPI, runtime: Runtime, secret: str, public_url: str,
          oidc: OidcSettings | None = None) -> None:
    """Wire the dashboard: `/miroir dashboard` links, pages under /dashboard, sign-in."""
    signer = Signer(secret)
    runtime.signin_links = LinkMaker(signer, f"{public_url.rstrip('/')}/dashboard/signin")
    oidc = oidc or OidcSettings()
    app.state.dashboard_oidc = OidcClient(oidc, signer) if oidc.enabled else None
    app.include_router(signin_routes.router)
    app.include_router(routes.router)
    app.include_router(settings_routes.router)
    routes.install_handlers(app)
