"""Chat edges outside demo mode: a Slack workspace missing from MIROIR_SLACK_TENANTS is refused
(a polite reply, nothing stored, nobody linked by e-mail), and a validly signed request replayed
as captured (same signature and timestamp) has no second effect. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pydantic import SecretStr
from slack_sdk.oauth.installation_store import Installation

from adapters.db.store import SqlStore
from app import build_app
from bot.i18n import translator
from pulse.core.clock import FixedClock
from settings import Settings
from testing.slack_api import FakeSlackWebApi as FakeSlack
from testing.slack_harness import WORKSPACES, command, form, installation, slack_settings
from testing.slack_harness import populate as seed

STRANGER = "TZZZ"  # installed (bolt authorizes it) but not in MIROIR_SLACK_TENANTS
REFUSAL = "I don't know you yet, so nothing was recorded."


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
async def http(fake: FakeSlack, store: SqlStore, clock: FixedClock,
               ) -> AsyncIterator[httpx.AsyncClient]:
    seed(store, fake)
    # In the stranger workspace, someone whose Slack e-mail is Ada's in the acme roster.
    fake.add_workspace(STRANGER, "xoxb-zzz")
    fake.add_user(STRANGER, "UEVE", "ada@acme.test", "eve")
    settings = Settings(demo=False, secret_key=SecretStr("k" * 40), database_url="sqlite://",
                        migrate_on_start=False, default_tenant="acme")
    app = build_app(settings, store=store, clock=clock, slack=slack_settings(fake.api_url))
    for team in WORKSPACES:
        await app.state.slack.gateway.installations.async_save(installation(team))
    await app.state.slack.gateway.installations.async_save(Installation(
        app_id="A111", team_id=STRANGER, user_id="U1", bot_token="xoxb-zzz", bot_id="BZ",
        bot_user_id="UBZ"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://miroir.test") as client:
        yield client
    await asyncio.sleep(0.05)  # let post-ack tasks finish before the session closes
    await app.state.slack.gateway.close()


async def test_an_unlisted_workspace_is_refused_politely_and_nothing_is_stored(
        http: httpx.AsyncClient, fake: FakeSlack, store: SqlStore) -> None:
    raw, headers = form(command("/irritant", "Le CRM rame", STRANGER, "UEVE",
                                f"{fake.url}/response/z1"))
    answer = await http.post("/slack/events", content=raw, headers=headers)
    assert answer.status_code == 200
    [reply] = await fake.wait_path("/response/z1")
    text = json.dumps(reply.params, ensure_ascii=False)
    for code in ("fr", "en"):
        assert translator(code).gettext(REFUSAL + " Ask your Miroir administrator to add "
                                        "you.").split(".")[0] in text
    assert store.list_comments("acme") == []
    assert store.person_by_identity("slack", STRANGER, "UEVE") is None  # Ada stays Ada's
    assert fake.calls_to("users.info") == []  # not even looked up


async def test_a_replayed_signed_command_has_one_effect(
        http: httpx.AsyncClient, fake: FakeSlack, store: SqlStore) -> None:
    raw, headers = form(command("/irritant", "Le CRM rame tous les matins", "TAAA", "UBOB",
                                f"{fake.url}/response/r1"))
    for _ in range(3):  # the captured request, sent again as is within its five minutes
        answer = await http.post("/slack/events", content=raw, headers=headers)
        assert answer.status_code == 200
    await fake.wait_path("/response/r1")
    await asyncio.sleep(0.3)  # time for a second effect to show, if there were one
    assert len(fake.posts_to("/response/r1")) == 1
    assert [c.text for c in store.list_comments("acme")] == ["Le CRM rame tous les matins"]
    # The same command typed again is a new request (new timestamp, new signature): it counts.
    raw2, headers2 = form(command("/irritant", "Le CRM rame tous les matins", "TAAA", "UBOB",
                                  f"{fake.url}/response/r2"), ts=int(headers["X-Slack-Request-"
                                                                             "Timestamp"]) + 1)
    assert (await http.post("/slack/events", content=raw2, headers=headers2)).status_code == 200
    await fake.wait_path("/response/r2")
    await asyncio.sleep(0.1)
    assert len(store.list_comments("acme")) == 2
