"""A Miroir tenant with Teams users, activities as the Teams channel sends them, the wired app."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from botframework.connector.auth import (
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from fastapi import FastAPI
from pydantic import SecretStr

from adapters.db.store import SqlStore
from adapters.teams.settings import TeamsSettings
from pulse.core.clock import FixedClock
from pulse.core.model import Locale, Role
from pulse.core.ports import Clock
from pulse.ports import Store
from pulse.surveys import service as services
from pulse.surveys.model import Pillar, Question, Scale
from testing import factories
from testing.teams_connector import FakeBotConnector
from testing.teams_contracts import card_errors

APP_ID = "00000000-0000-0000-0000-00000000b0t1"
TENANT = "11111111-1111-1111-1111-111111111111"  # the Microsoft tenant
OUTBOUND_TOKEN = "fake-outbound-token"
GENERAL = "19:general@thread.tacv2"  # team-a's channel in Teams
QUESTION = Question("q-belong", Pillar.BELONGING, Scale.AGREE5,
                    "Je me sens à ma place dans l'équipe.", "I feel I belong in my team.")
# person id: name, role, locale, linked by the roster as ("teams", workspace, aad) or not at all
PEOPLE = {
    "ada": ("Ada", Role.ADVISER, Locale.EN, TENANT),
    "bob": ("Bob", Role.ADVISER, Locale.FR, TENANT),
    "mia": ("Mia", Role.MANAGER, Locale.FR, None),  # only her email: linked on first contact
    "gus": ("Gus", Role.ADVISER, Locale.FR, "*"),  # roster imported without the tenant
}


class _StaticCredentials(MicrosoftAppCredentials):
    """Outbound credentials that never call Entra/MSAL (unreachable here)."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class StaticCredentialFactory(PasswordServiceClientCredentialFactory):
    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> MicrosoftAppCredentials:
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return _StaticCredentials(app_id, "unused", self.tenant_id, oauth_scope)


def teams_settings(fake: FakeBotConnector, **overrides: Any) -> TeamsSettings:
    values: dict[str, Any] = {
        "app_id": APP_ID, "app_password": SecretStr("app-password"), "tenant_id": TENANT,
        "openid_metadata_url": fake.openid_url, "tenants": {TENANT: "acme"},
        "channels": {"team-a": GENERAL}, **overrides}
    return TeamsSettings(**values)


def populate(store: Store, fake: FakeBotConnector) -> None:
    """Tenant acme, team-a, four people known to Miroir and Zed who is only in Teams."""
    factories.tenant(store, "acme", locale=Locale.FR)
    factories.team(store, "team-a", "acme", "Team A")
    factories.questions(store, [QUESTION])
    for pid, (name, role, locale, workspace) in PEOPLE.items():
        factories.person(store, pid, "acme", name, role=role, locale=locale,
                         email=f"{pid}@acme.test", team="team-a", since=date(2026, 1, 1),
                         link=None if workspace is None else ("teams", workspace),
                         external_id=f"aad-{pid}")
        fake.add_member(f"29:{pid}", name, f"aad-{pid}", f"{pid}@acme.test")
    fake.add_member("29:zed", "Zed", "aad-zed", "zed@elsewhere.test")


def open_round(store: Store, clock: Clock, people: list[str], round_id: str = "r1") -> None:
    services.start_round(store, clock, "acme", "team-a", {p: [QUESTION] for p in people},
                         duration=timedelta(days=3), round_id=round_id)


def activity(fake: FakeBotConnector, user: str = "ada", **fields: Any) -> dict[str, Any]:
    """A message from a user in their 1:1 chat with Miroir (override any field)."""
    base: dict[str, Any] = {
        "type": "message", "id": f"msg-{uuid.uuid4().hex[:10]}",
        "timestamp": "2026-03-04T09:30:00.000Z", "serviceUrl": fake.service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{user}", "name": user.title(), "aadObjectId": f"aad-{user}"},
        "conversation": {"id": f"a:chat-{user}", "conversationType": "personal",
                         "tenantId": TENANT},
        "recipient": {"id": f"28:{APP_ID}", "name": "Miroir"},
        "channelData": {"tenant": {"id": TENANT}}, "locale": "en-US", "text": "hello",
    }
    base.update(fields)
    return base


def mention(user_id: str, name: str) -> dict[str, Any]:
    """A mention entity as Teams attaches it beside <at>name</at> in the text."""
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": user_id,
                                                                        "name": name}}


def in_channel(fake: FakeBotConnector, user: str, text: str, *entities: dict[str, Any],
               **fields: Any) -> dict[str, Any]:
    """A message in team-a's channel, addressed to the bot with <at>Miroir</at>."""
    fields.setdefault("text", f"<at>Miroir</at> {text}" if text else None)
    return activity(
        fake, user,
        entities=[mention(f"28:{APP_ID}", "Miroir"), *entities],
        conversation={"id": f"{GENERAL};messageid=17000", "conversationType": "channel",
                      "tenantId": TENANT, "isGroup": True},
        channelData={"tenant": {"id": TENANT}, "team": {"id": GENERAL},
                     "channel": {"id": GENERAL}}, **fields)


def invoke(fake: FakeBotConnector, user: str, data: dict[str, Any], **fields: Any
           ) -> dict[str, Any]:
    """An Action.Execute press: invoke adaptiveCard/action."""
    verb = f"miroir.{data.get('miroir')}"
    return activity(fake, user, type="invoke", name="adaptiveCard/action", text=None,
                    value={"action": {"type": "Action.Execute", "id": "x", "verb": verb,
                                      "data": data}, "trigger": "manual"}, **fields)


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action of a card, in order (inside ActionSets and at the card level)."""
    found: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("type") == "ActionSet":
                found.extend(item["actions"])
            walk(item.get("items", []))

    walk(card.get("body", []))
    found.extend(card.get("actions", []))
    return found


def texts(card: dict[str, Any]) -> str:
    """All the text a person reads on a card."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "label", "title", "placeholder"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    return "\n".join(out)


@dataclass
class Wired:
    """The real app wired to the fake Bot Connector (the `wired` fixtures), and its client."""

    app: FastAPI
    http: httpx.AsyncClient
    fake: FakeBotConnector
    store: SqlStore
    clock: FixedClock
    schemas: Path

    async def post(self, activity: dict[str, Any], token: str | None = "valid") -> httpx.Response:
        """An activity as the Teams channel posts it, with a valid channel token by default."""
        headers = {}
        if token == "valid":
            headers["Authorization"] = f"Bearer {self.fake.mint(APP_ID)}"
        elif token is not None:
            headers["Authorization"] = token
        return await self.http.post("/api/messages", json=activity, headers=headers)

    @property
    def teams(self) -> Any:
        return self.app.state.teams

    def card(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The valid Adaptive Card of a posted activity or an invoke response."""
        card = payload["attachments"][0]["content"] if "attachments" in payload else payload
        assert card_errors(self.schemas, card) == []
        return card
