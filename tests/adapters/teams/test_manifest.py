"""The app manifest matches what the bot understands; without settings the route is off."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from adapters.teams import parse
from adapters.teams.settings import TeamsSettings
from app import build_app
from bot.intents import Actor
from settings import Settings

MANIFEST = Path(__file__).resolve().parents[3] / "docs" / "teams-manifest.json"
GUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def test_manifest_commands_are_understood_by_the_bot() -> None:
    manifest = json.loads(MANIFEST.read_text())
    [bot] = manifest["bots"]
    assert GUID.match(bot["botId"]) and GUID.match(manifest["id"])
    assert {"personal", "team"} <= set(bot["scopes"])  # 1:1 pulses, channel kudos
    commands = [c["title"] for lists in bot["commandLists"] for c in lists["commands"]]
    assert commands == ["kudos", "irritant", "help", "lang", "home"]
    actor = Actor("teams", "t", "aad")
    assert all(parse.text_intent(actor, f"{c} x") is not None for c in commands)
    assert len(manifest["description"]["short"]) <= 80  # Teams' limit


async def test_without_teams_settings_the_route_is_off_and_the_log_says_so(
        db_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APP_ID", "APP_PASSWORD", "TENANT_ID"):
        monkeypatch.delenv(f"MIROIR_TEAMS_{name}", raising=False)
    app = build_app(Settings(demo=True, database_url=db_url, migrate_on_start=False))
    assert "/api/messages" not in {getattr(r, "path", "") for r in app.routes}
    assert "teams" not in app.state.runtime.gateways
    with caplog.at_level(logging.INFO, logger="miroir"):
        async with app.router.lifespan_context(app):
            pass
    assert "Teams off: set MIROIR_TEAMS_APP_ID, MIROIR_TEAMS_APP_PASSWORD, " \
           "MIROIR_TEAMS_TENANT_ID to serve Teams" in caplog.text


def test_teams_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIROIR_TEAMS_APP_ID", "app")
    monkeypatch.setenv("MIROIR_TEAMS_APP_PASSWORD", "s3cret")
    monkeypatch.setenv("MIROIR_TEAMS_TENANT_ID", "t1")
    monkeypatch.setenv("MIROIR_TEAMS_TENANTS", '{"t1": "acme"}')
    settings = TeamsSettings()
    assert settings.enabled and settings.tenants == {"t1": "acme"}
    assert "s3cret" not in repr(settings)
    monkeypatch.delenv("MIROIR_TEAMS_TENANT_ID")
    assert TeamsSettings().missing() == ["MIROIR_TEAMS_TENANT_ID"]  # SingleTenant needs it
    assert TeamsSettings(app_type="MultiTenant").enabled


def test_production_authentication_is_built_without_any_network_call() -> None:
    from botframework.connector.auth import BotFrameworkAuthentication

    from adapters.teams.auth import build_auth

    settings = TeamsSettings(app_id="app", app_password="pw", tenant_id="t1")
    assert isinstance(build_auth(settings), BotFrameworkAuthentication)
