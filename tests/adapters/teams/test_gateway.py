"""TeamsGateway: proactive sends from stored references, creation, updates, errors mapped."""

from __future__ import annotations

import pytest
from msrest.exceptions import ClientRequestError

from adapters.teams.gateway import BACKOFF, map_error
from bot.dialogs import survey_prompts
from bot.ports import MessageRef, Recipient
from bot.replies import Notice
from pulse.core.errors import PermanentFailure, RetryLater
from testing.teams_harness import OUTBOUND_TOKEN, TENANT, Wired, activity, open_round

ADA = Recipient("ada", "teams", TENANT, "aad-ada")


async def known_chat(wired: Wired, user: str = "ada") -> None:
    """The user wrote once: their 1:1 conversation reference is stored."""
    assert (await wired.post(activity(wired.fake, user, text="help"))).status_code == 201
    wired.fake.calls.clear()


async def test_survey_prompts_go_out_through_the_stored_chat_and_can_be_updated(wired: Wired
                                                                                ) -> None:
    await known_chat(wired)
    open_round(wired.store, wired.clock, ["ada"])
    prompts = survey_prompts(wired.app.state.runtime, wired.store.get_person("ada"), "r1")
    ref = await wired.teams.gateway.send(ADA, prompts)
    [post] = wired.fake.posts()
    assert post.path == "/v3/conversations/a:chat-ada/activities"  # no made-up replyToId
    assert post.headers["authorization"] == f"Bearer {OUTBOUND_TOKEN}"
    assert post.body["summary"] == "I feel I belong in my team."
    wired.card(post.body)
    assert ref == MessageRef("teams", TENANT, "a:chat-ada", ref.message_id) and ref.message_id
    await wired.teams.gateway.update(ref, [Notice("closed")])
    [put] = wired.fake.puts()
    assert put.path == f"/v3/conversations/a:chat-ada/activities/{ref.message_id}"
    assert put.body["id"] == ref.message_id


async def test_without_a_chat_one_is_created_once_then_continued(wired: Wired) -> None:
    await known_chat(wired, "bob")  # the tenant's service URL is known from Bob
    first = await wired.teams.gateway.send(ADA, [Notice("hello")])
    second = await wired.teams.gateway.send(ADA, [Notice("again")])
    creates = [c for c in wired.fake.conversation_calls("POST") if c.path == "/v3/conversations"]
    assert len(creates) == 1 and first.channel == second.channel
    assert creates[0].body["bot"] == {"id": "28:00000000-0000-0000-0000-00000000b0t1"}
    assert wired.store.teams_personal_conversation(TENANT, "aad-ada") is not None


async def test_a_roster_id_without_tenant_is_reached_through_its_known_chat(wired: Wired
                                                                            ) -> None:
    await known_chat(wired)
    ref = await wired.teams.gateway.send(Recipient("ada", "teams", "*", "aad-ada"),
                                         [Notice("hi")])
    assert ref.channel == "a:chat-ada"
    with pytest.raises(PermanentFailure, match="tenant is unknown"):
        await wired.teams.gateway.send(Recipient("bob", "teams", "*", "aad-bob"), [Notice("x")])
    with pytest.raises(PermanentFailure, match="never been reached"):
        await wired.teams.gateway.send(Recipient("x", "teams", "other-tenant", "aad-x"),
                                       [Notice("x")])
    assert len(wired.fake.posts()) == 1


@pytest.mark.parametrize(("status", "retry_after", "expected", "seconds"), [
    (429, 7, RetryLater, 7.0),
    (429, None, RetryLater, None),
    (412, None, RetryLater, None),
    (502, 3, RetryLater, 3.0),
    (504, None, RetryLater, None),
    (403, None, PermanentFailure, None),
    (404, None, PermanentFailure, None),
])
async def test_connector_errors_map_to_ours(lite: Wired, status: int, retry_after: int | None,
                                            expected: type[Exception], seconds: float | None
                                            ) -> None:
    await known_chat(lite)
    lite.fake.inject = [(status, retry_after)]
    with pytest.raises(expected) as caught:
        await lite.teams.gateway.send(ADA, [Notice("pulse")])
    assert [c.status for c in lite.fake.calls] == [status]  # one attempt: POSTs never retry
    if isinstance(caught.value, RetryLater):
        if seconds is not None:
            assert caught.value.seconds == seconds
        else:
            assert BACKOFF <= caught.value.seconds <= 2 * BACKOFF
    await lite.teams.gateway.send(ADA, [Notice("pulse")])  # the next try goes through


def test_network_failures_are_retried_later() -> None:
    mapped = map_error(ClientRequestError("connection refused"))
    assert isinstance(mapped, RetryLater) and mapped.seconds > 0
    odd = ValueError("ours")
    assert map_error(odd) is odd  # not a platform failure: left for the caller to see
