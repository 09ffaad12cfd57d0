"""SlackGateway: per-workspace tokens, cached DMs, Slack errors mapped to ours."""

from __future__ import annotations

import pytest

from bot.ports import MessageRef, Recipient
from bot.replies import Notice
from pulse.core.errors import PermanentFailure, RetryLater
from testing.slack_harness import Wired

ADA = Recipient("ada", "slack", "TAAA", "UADA")
GUS = Recipient("gus", "slack", "TBBB", "UGUS")


async def test_each_workspace_uses_its_own_token_and_dms_are_opened_once(wired: Wired) -> None:
    gateway = wired.slack.gateway
    for _ in range(2):
        await gateway.send(ADA, [Notice("hello")])
    ref = await gateway.send(GUS, [Notice("bonjour")])
    assert ref == MessageRef("slack", "TBBB", "DUGUS", ref.message_id)
    opens = wired.fake.calls_to("conversations.open")
    assert [(c.params["users"], c.token) for c in opens] == [("UADA", "xoxb-aaa"),
                                                            ("UGUS", "xoxb-bbb")]
    await gateway.update(ref, [Notice("updated")])
    [update] = wired.fake.calls_to("chat.update")
    assert (update.params["ts"], update.token) == (ref.message_id, "xoxb-bbb")


async def test_429_becomes_retry_later_with_slacks_delay(wired: Wired) -> None:
    wired.fake.inject["chat.postMessage"] = [(429, {"ok": False, "error": "ratelimited",
                                                    "retry_after": 7})]
    with pytest.raises(RetryLater) as caught:
        await wired.slack.gateway.send(ADA, [Notice("hi")])
    assert caught.value.seconds == 7
    await wired.slack.gateway.send(ADA, [Notice("hi")])  # the next try goes through


@pytest.mark.parametrize(("status", "error", "expected"), [
    (200, "user_not_found", PermanentFailure),
    (200, "account_inactive", PermanentFailure),
    (200, "invalid_auth", PermanentFailure),
    (200, "internal_error", RetryLater),
    (503, "service_unavailable", RetryLater),
])
async def test_other_slack_errors_map_to_ours(wired: Wired, status: int, error: str,
                                              expected: type[Exception]) -> None:
    wired.fake.inject["conversations.open"] = [(status, {"ok": False, "error": error})]
    with pytest.raises(expected):
        await wired.slack.gateway.send(ADA, [Notice("hi")])


async def test_a_workspace_without_installation_is_a_permanent_failure(wired: Wired) -> None:
    with pytest.raises(PermanentFailure, match="not installed"):
        await wired.slack.gateway.send(Recipient("x", "slack", "TNOPE", "U1"), [Notice("hi")])
    assert wired.fake.calls == []


async def test_link_workspace_uses_lookup_by_email(wired: Wired) -> None:
    assert await wired.slack.identities.link_workspace("TAAA") == 1  # Mia, the only unlinked one
    assert wired.store.person_by_identity("slack", "TAAA", "UMIA").id == "mia"
    assert [c.params["email"] for c in wired.fake.calls_to("users.lookupByEmail")] == [
        "mia@acme.test"]
    assert await wired.slack.identities.link_workspace("TAAA") == 0


async def test_a_roster_slack_id_without_workspace_is_adopted(wired: Wired) -> None:
    wired.store.link_identity("slack", "*", "UMIA", "mia")  # roster imported without workspace
    person = await wired.slack.identities.person("TAAA", "UMIA")
    assert person is not None and person.id == "mia"
    assert wired.store.person_by_identity("slack", "TAAA", "UMIA").id == "mia"
    assert wired.fake.calls_to("users.info") == []  # no email lookup needed
    # two workspaces installed: "*" cannot be guessed for a delivery
    with pytest.raises(PermanentFailure, match="not installed"):
        await wired.slack.gateway.send(Recipient("mia", "slack", "*", "UMIA"), [Notice("hi")])
    await wired.slack.gateway.installations.async_delete_bot(enterprise_id=None, team_id="TBBB")
    ref = await wired.slack.gateway.send(Recipient("mia", "slack", "*", "UMIA"), [Notice("hi")])
    assert ref.channel == "DUMIA"
