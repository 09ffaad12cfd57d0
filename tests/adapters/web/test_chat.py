"""The web chat's routes through httpx ASGITransport, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from adapters.db.store import SqlStore
from adapters.web.gateway import WebGateway
from app import build_app
from pulse.core.clock import FixedClock
from pulse.core.model import Membership, Person, Role, Team, Tenant
from settings import Settings
from testing.scenarios import TEAM, TENANT, web_chat_team


@pytest.fixture
async def client(store: SqlStore, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    web_chat_team(store)
    app = build_app(Settings(demo=True, migrate_on_start=False), store=store, clock=clock)
    assert isinstance(app.state.runtime.gateways["web"], WebGateway)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def inbox(client: httpx.AsyncClient, person_id: str) -> dict[str, Any]:
    response = await client.get(f"/chat/api/people/{person_id}/inbox")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def act(client: httpx.AsyncClient, person_id: str, body: dict[str, Any]) -> None:
    response = await client.post(f"/chat/api/people/{person_id}/actions", json=body)
    assert response.status_code == 200, response.text


def replies(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for m in data["messages"] for r in m["replies"]]


async def test_page_and_assets_are_served_without_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/chat")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<script src="/chat/static/chat.js">' in page.text and "https://" not in page.text
    script = await client.get("/chat/static/chat.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "https://" not in script.text and "http://" not in script.text
    assert (await client.get("/chat/static/chat.css")).status_code == 200
    missing = await client.get("/chat/static/gateway.py")
    assert missing.status_code == 404 and "error" in missing.json()
    assert (await client.get("/chat/static/..%2Fgateway.py")).status_code == 404
    fr = (await client.get("/chat/api/ui", params={"locale": "fr"})).json()
    assert fr["send_pulse"] == "M'envoyer un sondage maintenant"
    assert (await client.get("/chat/api/ui", params={"locale": "xx"})).json()["locale"] == "en"


async def test_people_lists_web_people_with_role_and_team(
    client: httpx.AsyncClient, store: SqlStore
) -> None:
    store.add_person(Person("slack-only", TENANT, "Sam Slack", Role.ADVISER))
    people = (await client.get("/chat/api/people")).json()["people"]
    assert people[0]["id"] == "mgr"  # the manager first within the team
    assert len(people) == 7 and "slack-only" not in {p["id"] for p in people}
    ada = next(p for p in people if p["id"] == "ada")
    assert ada == {"id": "ada", "name": "Ada Martin", "role": "adviser", "locale": "fr",
                   "team_id": TEAM, "team_name": "Support Lyon"}


async def test_pulse_answer_in_place_then_thanks_then_comment(
    client: httpx.AsyncClient, store: SqlStore
) -> None:
    sent = await client.post("/chat/api/people/ada/pulse")
    assert sent.status_code == 201
    round_id = sent.json()["round_id"]
    data = await inbox(client, "ada")
    [message] = data["messages"]
    prompts = message["replies"]
    assert [p["type"] for p in prompts] == ["survey", "survey"]
    assert prompts[0]["intro"].startswith("Bonjour Ada Martin")
    assert len((await inbox(client, "ben"))["messages"]) == 1  # the team's advisers are invited
    assert (await inbox(client, "mgr"))["messages"] == []  # not the manager they rate
    first = prompts[0]
    await act(client, "ada", {"kind": "answer", "message_id": message["id"],
                              "value": first["choices"][3]["value"]})
    data = await inbox(client, "ada")
    assert [m["id"] for m in data["messages"]] == [message["id"]]  # updated, not appended
    [next_prompt] = data["messages"][0]["replies"]
    assert next_prompt["question_id"] == prompts[1]["question_id"]
    await act(client, "ada", {"kind": "answer", "message_id": message["id"],
                              "value": next_prompt["choices"][0]["value"]})
    data = await inbox(client, "ada")
    assert [r["type"] for r in data["messages"][0]["replies"]] == ["thanks", "comment_request"]
    assert "à partir de 5 répondants" in data["messages"][0]["replies"][0]["text"]
    await act(client, "ada", {"kind": "comment", "message_id": message["id"],
                              "round_id": round_id, "text": "Le CRM rame le lundi matin."})
    data = await inbox(client, "ada")
    assert data["messages"][-2] == {**data["messages"][-2], "author": "me",
                                    "text": "Le CRM rame le lundi matin."}
    assert data["messages"][-1]["replies"][0]["text"].startswith("Merci pour votre commentaire")
    answers = {(a.question_id, a.value) for a in store.round_answers(round_id, "ada")}
    assert answers == {(first["question_id"], 4), (next_prompt["question_id"], 1)}
    [comment] = store.list_comments(TENANT)
    assert (comment.person_id, comment.round_id, comment.source) == ("ada", round_id, "pulse")


async def test_duplicate_press_says_nothing_changed(client: httpx.AsyncClient) -> None:
    await client.post("/chat/api/people/ben/pulse")
    message = (await inbox(client, "ben"))["messages"][0]
    value = message["replies"][0]["choices"][2]["value"]
    await act(client, "ben", {"kind": "answer", "message_id": message["id"], "value": value})
    await act(client, "ben", {"kind": "answer", "message_id": message["id"],
                              "value": {**value, "value": 5}})
    last = (await inbox(client, "ben"))["messages"][-1]["replies"][0]
    assert last == {"type": "notice", "private": True,
                    "text": "Your answer was already counted; nothing changed."}


async def test_typed_commands_kudos_irritant_help_language(
    client: httpx.AsyncClient, store: SqlStore
) -> None:
    await act(client, "mgr", {"kind": "command",
                              "text": "/kudos @ada @ben Super gestion #entraide"})
    mine = await inbox(client, "mgr")
    assert mine["messages"][0] == {**mine["messages"][0], "author": "me"}
    assert "Kudos envoyés à Ada Martin et Ben Carter" in replies(mine)[-1]["text"]
    assert mine["channel"][0]["replies"][0]["headline"] == (
        "Kudos de Maud Leroy pour Ada Martin et Ben Carter")
    ben_kudos = replies(await inbox(client, "ben"))[-1]
    assert ben_kudos["type"] == "kudos" and ben_kudos["headline"] == (
        "Maud Leroy thanks you and Ada Martin")
    assert ben_kudos["value_tag"] == "entraide"
    await act(client, "ada", {"kind": "command", "text": "/kudos @ada moi-même"})
    assert "vous-même" in replies(await inbox(client, "ada"))[-1]["text"]
    await act(client, "eve", {"kind": "command", "text": "/irritant Headsets crackle all day"})
    assert "your name and any @mentions are removed" in replies(await inbox(client, "eve"))[-1][
        "text"]
    await act(client, "eve", {"kind": "command", "text": "hello?"})
    assert replies(await inbox(client, "eve"))[-1]["type"] == "help"
    await act(client, "eve", {"kind": "command", "text": "/miroir lang fr"})
    data = await inbox(client, "eve")
    assert data["ui"]["locale"] == "fr" and data["person"]["locale"] == "fr"
    assert len(store.kudos_received("ben")) == 1 and store.kudos_received("ada")[0].value_tag == (
        "entraide")
    assert [c.source for c in store.list_comments(TENANT)] == ["irritant"]


BAD_BODIES = (
    b"{not json",
    b"[1, 2]",
    b'{"kind": "dance"}',
    b'{"kind": "answer", "value": {"round_id": "r", "question_id": "q", "value": "4"}}',
    b'{"kind": "answer", "value": {"round_id": "r", "question_id": "q", "value": true}}',
    b'{"kind": "comment", "text": "no round"}',
    b'{"kind": "command", "text": ""}',
    b'{"kind": "command", "text": "/irritant x", "extra": 1}',
)


async def test_bad_input_is_a_4xx_with_a_message(
    client: httpx.AsyncClient, store: SqlStore
) -> None:
    for body in BAD_BODIES:
        response = await client.post("/chat/api/people/ada/actions", content=body,
                                     headers={"content-type": "application/json"})
        assert response.status_code == 422, body
        assert response.json()["error"] == "Cette demande n'a pas été comprise."
        assert response.json()["detail"], body
    assert store.list_comments(TENANT) == []


async def test_unknown_people_and_impossible_pulses(
    client: httpx.AsyncClient, store: SqlStore
) -> None:
    for path in ("/chat/api/people/nobody/inbox", "/chat/api/people/nobody/pulse",
                 "/chat/api/people/nobody/actions"):
        response = await (client.get(path) if path.endswith("inbox") else client.post(path))
        assert response.status_code == 404 and response.json()["error"]
    store.add_person(Person("loner", TENANT, "Lou", Role.ADVISER))
    store.link_identity("web", "local", "loner", "loner")
    no_team = await client.post("/chat/api/people/loner/pulse")
    assert no_team.status_code == 409 and "équipe" in no_team.json()["error"]
    # an answer for a round that does not exist is a polite reply, not an error
    await act(client, "ada", {"kind": "answer", "value": {"round_id": "nope",
                                                          "question_id": "q-tools", "value": 3}})
    assert "ne fait pas partie" in replies(await inbox(client, "ada"))[-1]["text"]


async def test_no_question_bank_is_a_409(store: SqlStore, clock: FixedClock) -> None:
    store.add_tenant(Tenant("empty", "Empty"))
    store.add_team(Team("t0", "empty", "Zero"))
    store.add_person(Person("solo", "empty", "Solo", Role.ADVISER))
    store.link_identity("web", "local", "solo", "solo")
    store.add_membership(Membership("solo", "t0", date(2025, 1, 1)))
    app = build_app(Settings(demo=True, migrate_on_start=False), store=store, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as http:
        response = await http.post("/chat/api/people/solo/pulse")
    assert response.status_code == 409 and "banque de questions" in response.json()["error"]


async def test_gateway_refuses_other_platforms_and_unknown_messages() -> None:
    from bot.ports import MessageRef, Recipient
    from bot.replies import Notice
    from pulse.core.errors import PermanentFailure

    gateway = WebGateway()
    ref = await gateway.send(Recipient("ada", "web", "local", "ada"), [Notice("one")])
    await gateway.update(ref, [Notice("two")])
    assert [r.text for m in gateway.inbox("ada") for r in m.replies] == ["two"]  # type: ignore[union-attr]
    assert gateway.version("ada") == 2
    with pytest.raises(PermanentFailure):
        await gateway.send(Recipient("ada", "slack", "T1", "U1"), [Notice("x")])
    with pytest.raises(PermanentFailure):
        await gateway.update(MessageRef("web", "local", "ada", "m999"), [Notice("x")])
