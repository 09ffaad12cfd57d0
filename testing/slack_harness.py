"""Signed Slack requests, a two-workspace Miroir and the wired app, for tests and the benchmark."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from slack_sdk.oauth.installation_store import Installation

from adapters.db.store import SqlStore
from adapters.slack.settings import SlackSettings
from pulse.core.clock import FixedClock
from pulse.core.model import Locale, Role
from pulse.core.ports import Clock
from pulse.ports import Store
from pulse.surveys import service as services
from pulse.surveys.model import Pillar, Question, Scale
from testing import factories
from testing.slack_api import FakeSlackWebApi

SECRET = "test-signing-secret"
CLIENT_ID = "111.222"
WORKSPACES = {"TAAA": ("acme", "xoxb-aaa"), "TBBB": ("globex", "xoxb-bbb")}
KUDOS_CHANNEL = "CKUDOSA"
QUESTION = Question("q-belong", Pillar.BELONGING, Scale.AGREE5,
                    "Je me sens à ma place dans l'équipe.", "I feel I belong in my team.")


def sign(body: str, ts: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Slack v0 signature headers for a raw body."""
    stamp = int(time.time()) if ts is None else ts
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": f"v0={digest}"}


def form(fields: dict[str, Any], **sign_kw: Any) -> tuple[str, dict[str, str]]:
    raw = urlencode(fields)
    return raw, {"Content-Type": "application/x-www-form-urlencoded", **sign(raw, **sign_kw)}


def command(name: str, text: str, team: str, user: str, response_url: str,
            channel: str = "CGENERAL") -> dict[str, Any]:
    return {"token": "legacy", "team_id": team, "team_domain": team.lower(), "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": user.lower(),
            "command": name, "text": text, "api_app_id": "A111", "response_url": response_url,
            "trigger_id": "1.2.3"}


def interaction(payload: dict[str, Any]) -> dict[str, Any]:
    return {"payload": json.dumps(payload)}


def block_action(team: str, user: str, channel: str, ts: str, action: dict[str, Any],
                 response_url: str) -> dict[str, Any]:
    return {"type": "block_actions", "api_app_id": "A111", "token": "legacy",
            "team": {"id": team, "domain": team.lower()},
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "container": {"type": "message", "message_ts": ts, "channel_id": channel,
                          "is_ephemeral": False},
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "channel": {"id": channel, "name": "directmessage"},
            "message": {"type": "message", "ts": ts, "text": "pulse"},
            "response_url": response_url, "actions": [action]}


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """The element of a rendered message with this action id, as Slack would send it back."""
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return {**element, "block_id": block["block_id"], "action_ts": "1700000001.1"}
    raise KeyError(action_id)


def event(team: str, event_id: str, inner: dict[str, Any]) -> dict[str, Any]:
    return {"token": "legacy", "team_id": team, "api_app_id": "A111", "type": "event_callback",
            "event_id": event_id, "event_time": 1_700_000_000,
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
            "event": inner}


def slack_settings(api_url: str) -> SlackSettings:
    return SlackSettings(signing_secret=SecretStr(SECRET), client_id=CLIENT_ID,
                         client_secret=SecretStr("client-secret"), api_url=api_url,
                         tenants={team: tenant for team, (tenant, _) in WORKSPACES.items()},
                         channels={"team-a": KUDOS_CHANNEL})


def installation(team: str) -> Installation:
    token = WORKSPACES[team][1]
    return Installation(app_id="A111", team_id=team, team_name=team, user_id="UINSTALLER",
                        bot_token=token, bot_id="B" + team, bot_user_id="UBOT" + team,
                        bot_scopes=["chat:write", "commands"], installed_at=time.time())


PEOPLE = {  # person id: tenant, team, name, role, locale, workspace, Slack id, email, linked
    "ada": ("acme", "team-a", "Ada", Role.ADVISER, Locale.EN, "TAAA", "UADA", True),
    "bob": ("acme", "team-a", "Bob", Role.ADVISER, Locale.FR, "TAAA", "UBOB", True),
    "mia": ("acme", "team-a", "Mia", Role.MANAGER, Locale.FR, "TAAA", "UMIA", False),
    "gus": ("globex", "team-g", "Gus", Role.ADVISER, Locale.FR, "TBBB", "UGUS", True),
}


def populate(store: Store, fake: Any | None = None) -> None:
    """Two tenants, one team each, four people; three linked by Slack id, Mia only by email."""
    for tenant, team in (("acme", "team-a"), ("globex", "team-g")):
        factories.tenant(store, tenant, locale=Locale.FR)
        factories.team(store, team, tenant, f"Team {tenant}")
    factories.questions(store, [QUESTION])
    for pid, (tenant, team, name, role, locale, ws, uid, linked) in PEOPLE.items():
        email = f"{pid}@{tenant}.test"
        factories.person(store, pid, tenant, name, role=role, locale=locale, email=email,
                         team=team, since=date(2026, 1, 1),
                         link=("slack", ws) if linked else None, external_id=uid)
        if fake is not None:
            fake.add_user(ws, uid, email, name.lower())
    if fake is not None:
        fake.add_user("TAAA", "UZED", "zed@elsewhere.test", "zed")  # in Slack, not in Miroir
        for team, (_, token) in WORKSPACES.items():
            fake.add_workspace(team, token)


def open_round(store: Store, clock: Clock, tenant: str, team: str, people: list[str],
               round_id: str) -> None:
    """A round of one question for these people, open for three days from now."""
    services.start_round(store, clock, tenant, team, {p: [QUESTION] for p in people},
                         duration=timedelta(days=3), round_id=round_id)


@dataclass
class Wired:
    """The real app wired to the fake Slack Web API (the `wired` fixture), and its client."""

    app: FastAPI
    http: httpx.AsyncClient
    fake: FakeSlackWebApi
    store: SqlStore
    clock: FixedClock

    async def post(self, fields: dict[str, Any], ts: int | None = None,
                   **headers: str) -> httpx.Response:
        """A signed form post to /slack/events (commands and interactions); `ts` signs it at
        another time (a replay test sends the same signature and timestamp twice)."""
        raw, signed = form(fields, ts=ts)
        return await self.http.post("/slack/events", content=raw, headers={**signed, **headers})

    @property
    def slack(self) -> Any:
        return self.app.state.slack
