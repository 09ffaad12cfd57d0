"""Edge cases of the web chat and the dialogs, on SQLite and PostgreSQL: whatever a person (or a
script) posts, the answer is a 2xx or a 4xx with a message, and what was accepted stays stored."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from adapters.db.store import SqlStore
from app import build_app
from bot.runtime import Runtime
from pulse.core.clock import FixedClock
from pulse.surveys import service as services
from pulse.surveys.service import AnswerOutcome
from settings import Settings
from testing.scenarios import QUESTIONS, TENANT, web_chat_team


@pytest.fixture
def chat(store: SqlStore, clock: FixedClock) -> Iterator[tuple[TestClient, Runtime, str]]:
    """The seeded web chat, and a round sent to the whole team (ada, ben, … are invited)."""
    web_chat_team(store)
    app = build_app(Settings(demo=True, migrate_on_start=False), store=store, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as http:
        round_id = http.post("/chat/api/people/ada/pulse").json()["round_id"]
        yield http, app.state.runtime, round_id


def post(http: TestClient, person: str, body: Any) -> httpx.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http.post(f"/chat/api/people/{person}/actions", content=raw,
                     headers={"content-type": "application/json"})


def last_notice(http: TestClient, person: str) -> str:
    messages = http.get(f"/chat/api/people/{person}/inbox").json()["messages"]
    text: str = messages[-1]["replies"][-1]["text"]
    return text


def assert_clear(response: httpx.Response) -> None:
    """A 2xx, or a 4xx whose body says what went wrong: never a 5xx."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["error"], response.text


def test_json_nested_too_deeply_is_a_422_not_a_500(chat: tuple[TestClient, Runtime, str]) -> None:
    http, _, _ = chat
    response = post(http, "ada", b"[" * 100_000)
    assert response.status_code == 422
    assert "nested too deeply" in response.json()["detail"]


def test_nul_characters_are_stored_or_not_found_never_a_500(
    chat: tuple[TestClient, Runtime, str], store: SqlStore
) -> None:
    # PostgreSQL text cannot hold NUL; SQLite can. Both must answer politely.
    http, _, round_id = chat
    for body in ({"kind": "comment", "round_id": round_id, "text": "mon \x00 outil"},
                 {"kind": "command", "text": "/irritant le CRM\x00 plante"},
                 {"kind": "command", "text": "/kudos @ben\x00 merci"},
                 {"kind": "answer", "value": {"round_id": round_id + "\x00",
                                              "question_id": "q-tools", "value": 3}}):
        response = post(http, "ada", body)
        assert response.status_code == 200, (body, response.text)
    texts = sorted(c.text for c in store.list_comments(TENANT))
    assert [t.replace("\ufffd", "\x00") for t in texts] == ["le CRM\x00 plante", "mon \x00 outil"]
    assert http.get("/chat/api/people/ada%00/inbox").status_code == 404
    assert post(http, "ada%00", {"kind": "command", "text": "/aide"}).status_code == 404


def test_long_kudos_are_refused_whole_not_cut_short(
    chat: tuple[TestClient, Runtime, str], store: SqlStore
) -> None:
    http, _, _ = chat
    assert post(http, "mgr", {"kind": "command", "text": "/kudos @ben " + "merci " * 400}
                ).status_code == 200
    assert "2000" in last_notice(http, "mgr") and "Rien n'a été enregistré" in last_notice(
        http, "mgr")
    assert store.kudos_received("ben") == []
    exactly = "m" * services.MAX_COMMENT
    assert post(http, "mgr", {"kind": "command", "text": f"/kudos @ben {exactly}"}
                ).status_code == 200
    [stored] = store.kudos_received("ben")
    assert stored.message == exactly


def test_unicode_texts_are_stored_as_typed(
    chat: tuple[TestClient, Runtime, str], store: SqlStore
) -> None:
    http, _, round_id = chat
    text = "Outil 🛠️ — 日本語 « ok » \u200b" + "é" * 1900
    assert post(http, "ben", {"kind": "comment", "round_id": round_id, "text": text}
                ).status_code == 200
    assert [c.text for c in store.list_comments(TENANT)] == [text.strip()]


def test_concurrent_presses_of_the_same_answer_store_it_once(
    chat: tuple[TestClient, Runtime, str], store: SqlStore
) -> None:
    _, runtime, round_id = chat
    ben = store.get_person("ben")
    assert ben is not None

    def press(value: int) -> AnswerOutcome:
        return services.record_answer(store, runtime.clock, ben, round_id, "q-tools",
                                      value).outcome

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(press, [4, 4, 2, 4, 5, 4]))
    assert outcomes.count(AnswerOutcome.RECORDED) == 1
    assert outcomes.count(AnswerOutcome.DUPLICATE) == 5
    [answer] = [a for a in store.round_answers(round_id, "ben") if a.question_id == "q-tools"]
    first = [4, 4, 2, 4, 5, 4][outcomes.index(AnswerOutcome.RECORDED)]
    assert answer.value == first


async def test_concurrent_http_posts_of_the_same_answer_store_it_once(
    store: SqlStore, clock: FixedClock
) -> None:
    web_chat_team(store)
    app = build_app(Settings(demo=True, migrate_on_start=False), store=store, clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        round_id = (await http.post("/chat/api/people/eve/pulse")).json()["round_id"]
        body = {"kind": "answer", "value": {"round_id": round_id, "question_id": "q-listen",
                                            "value": 2}}
        responses = await asyncio.gather(*[
            http.post("/chat/api/people/eve/actions", json=body) for _ in range(6)])
    assert [r.status_code for r in responses] == [200] * 6
    assert [(a.question_id, a.value) for a in store.round_answers(round_id, "eve")] == [
        ("q-listen", 2)]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
_ids = st.sampled_from(["ROUND", "q-tools", "q-enps", "", "nope"]) | st.text(max_size=70)
_value = st.fixed_dictionaries({}, optional={
    "round_id": _ids, "question_id": _ids,
    "value": st.integers(-3, 12) | st.integers() | _json})
_commands = st.tuples(st.sampled_from(["/kudos @ben ", "/kudos @ada ", "/irritant ",
                                       "/miroir lang ", "/aide", "", "/kudos "]),
                      st.text(max_size=60)).map("".join)
_actions = st.fixed_dictionaries({"kind": st.sampled_from(["answer", "comment", "command", "x"])},
                                 optional={"value": _value | _json, "round_id": _ids,
                                           "text": _commands | st.text(max_size=30) | _json,
                                           "message_id": _ids | _json})


@given(body=_actions | _json | st.binary(max_size=40))
@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_posted_body_gets_a_2xx_or_a_clear_4xx_and_keeps_accepted_answers(
    chat: tuple[TestClient, Runtime, str], store: SqlStore, body: Any
) -> None:
    http, _, round_id = chat
    before = {(a.question_id, a.value) for a in store.round_answers(round_id, "ada")}
    if isinstance(body, dict):
        body = json.loads(json.dumps(body).replace('"ROUND"', json.dumps(round_id)))
    assert_clear(post(http, "ada", body))
    after = {(a.question_id, a.value) for a in store.round_answers(round_id, "ada")}
    assert before <= after  # nothing accepted is lost or changed
    assert len({q for q, _ in after}) == len(after)  # one answer per question
    bounds = {q.id: q.scale.bounds for q in QUESTIONS}
    assert all(bounds[q][0] <= v <= bounds[q][1] for q, v in after)
