"""The manifest matches what the app serves; without settings the Slack routes are off."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from fastapi.routing import APIRoute

from adapters.slack.routes import make_router
from adapters.slack.settings import BOT_SCOPES, SlackSettings
from app import build_app
from settings import Settings
from testing.slack_harness import Wired

MANIFEST = Path(__file__).resolve().parents[3] / "docs" / "slack-manifest.yml"


async def test_manifest_matches_the_app(wired: Wired) -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/kudos", "/irritant", "/miroir"}  # each has a listener (test_flows)
    assert all(c["should_escape"] for c in manifest["features"]["slash_commands"])
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    paths = {r.path for r in make_router(wired.slack.bolt).routes if isinstance(r, APIRoute)}
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [manifest["settings"]["event_subscriptions"]["request_url"],
             manifest["settings"]["interactivity"]["request_url"],
             *manifest["oauth_config"]["redirect_urls"]]
    assert {"/" + u.split("/", 3)[3] for u in urls} <= paths
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert manifest["settings"]["socket_mode_enabled"] is False  # HTTP mode, Marketplace-ready


async def test_without_slack_settings_the_routes_are_off_and_the_log_says_so(
        db_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SIGNING_SECRET", "CLIENT_ID", "CLIENT_SECRET"):
        monkeypatch.delenv(f"MIROIR_SLACK_{name}", raising=False)
    app = build_app(Settings(demo=True, database_url=db_url, migrate_on_start=False))
    assert not [r for r in app.routes if getattr(r, "path", "").startswith("/slack")]
    assert "slack" not in app.state.runtime.gateways
    with caplog.at_level(logging.INFO, logger="miroir"):
        async with app.router.lifespan_context(app):
            pass
    assert "Slack off: set MIROIR_SLACK_SIGNING_SECRET, MIROIR_SLACK_CLIENT_ID, " \
           "MIROIR_SLACK_CLIENT_SECRET to serve Slack" in caplog.text


def test_slack_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIROIR_SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("MIROIR_SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("MIROIR_SLACK_CLIENT_SECRET", "c")
    monkeypatch.setenv("MIROIR_SLACK_TENANTS", '{"T0123": "acme"}')
    settings = SlackSettings()
    assert settings.enabled and settings.tenants == {"T0123": "acme"}
    assert "s3cret" not in repr(settings)  # secrets stay hidden in logs
