"""The manifest an admin pastes matches what the app serves: commands, scopes, URLs, events."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.routing import APIRoute

from adapters.slack.routes import make_router
from adapters.slack.settings import BOT_SCOPES
from tests.slack.conftest import Wired

MANIFEST = Path(__file__).resolve().parents[2] / "docs" / "slack-manifest.yml"


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
