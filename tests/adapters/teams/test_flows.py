"""End to end through the real app and the fake connector: pulse, comment, kudos, commands."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.dialogs import survey_prompts
from bot.i18n import translator
from bot.ports import MessageRef, Recipient
from testing.teams_harness import (
    GENERAL,
    QUESTION,
    TENANT,
    Wired,
    activity,
    buttons,
    in_channel,
    invoke,
    mention,
    open_round,
    texts,
)


def head(locale: str, msgid: str) -> str:
    """The start of a catalog message in one language, before its first placeholder."""
    return translator(locale).gettext(msgid).split("{")[0].strip()


def answers(wired: Wired) -> list[tuple[str, int]]:
    now = wired.clock.now()
    return sorted((a.person_id, a.value) for a in wired.store.scored_answers(
        "acme", ["team-a"], now - timedelta(days=1), now + timedelta(days=1)))


async def say(wired: Wired, user: str, text: str, **fields: Any) -> dict[str, Any]:
    """A typed message in the 1:1 chat; returns the card Miroir replied with."""
    before = len(wired.fake.posts())
    r = await wired.post(activity(wired.fake, user, text=text, **fields))
    assert r.status_code == 201, r.text
    posts = await wired.fake.wait_posts(before + 1)
    return wired.card(posts[before].body)


async def deliver(wired: Wired, person_id: str) -> tuple[MessageRef, dict[str, Any]]:
    """What the delivery scheduler does: survey_prompts, then TeamsGateway.send."""
    runtime = wired.app.state.runtime
    prompts = survey_prompts(runtime, wired.store.get_person(person_id), "r1")
    assert prompts
    before = len(wired.fake.posts())
    ref = await wired.teams.gateway.send(
        Recipient(person_id, "teams", TENANT, f"aad-{person_id}"), prompts)
    return ref, wired.card(wired.fake.posts()[before].body)


async def test_pulse_answered_with_action_submit_is_stored_once_and_thanked(wired: Wired
                                                                           ) -> None:
    open_round(wired.store, wired.clock, ["ada"])
    await say(wired, "ada", "hello")  # her 1:1 chat is now known: Miroir can write first
    ref, card = await deliver(wired, "ada")
    assert "I feel I belong" in texts(card)
    four = next(b for b in buttons(card) if b["title"] == "4")
    assert four["type"] == "Action.Execute" and four["fallback"]["type"] == "Action.Submit"
    # An older client presses the Submit fallback: a message whose value is data + inputs.
    press = activity(wired.fake, "ada", text=None, replyToId=ref.message_id,
                     value={**four["fallback"]["data"], "comment": "More coaching on refunds"})
    r = await wired.post(press)
    assert r.status_code == 201
    [put] = wired.fake.puts()
    assert put.path == f"/v3/conversations/a:chat-ada/activities/{ref.message_id}"
    thanks = texts(wired.card(put.body))
    assert head("en", "Thank you, {name}!") in thanks and "5" in thanks and "10" in thanks
    assert answers(wired) == [("ada", 4)]
    [comment] = wired.store.list_comments("acme")
    assert (comment.round_id, comment.source, comment.text) == ("r1", "pulse",
                                                               "More coaching on refunds")
    # The channel retries the same activity, then Ada double-clicks (a new activity id).
    assert (await wired.post(press)).status_code == 201
    again = await say(wired, "ada", "", value=press["value"], replyToId=ref.message_id)
    assert head("en", "Your answer was already counted; nothing changed.") in texts(again)
    assert len(wired.fake.puts()) == 1
    assert answers(wired) == [("ada", 4)] and len(wired.store.list_comments("acme")) == 1


async def test_pulse_answered_with_action_execute_gets_the_thank_you_in_the_response(
        wired: Wired) -> None:
    open_round(wired.store, wired.clock, ["bob"])
    await say(wired, "bob", "aide")
    _, card = await deliver(wired, "bob")
    assert "Je me sens à ma place" in texts(card)
    five = next(b for b in buttons(card) if b["title"] == "5")
    posts_before = len(wired.fake.posts())
    r = await wired.post(invoke(wired.fake, "bob", five["data"]))
    assert r.status_code == 200
    body = r.json()
    assert (body["statusCode"], body["type"]) == (200, "application/vnd.microsoft.card.adaptive")
    thanks = wired.card(body["value"])
    assert head("fr", "Thank you, {name}!") in texts(thanks)
    assert len(wired.fake.posts()) == posts_before and wired.fake.puts() == []  # all in HTTP
    r = await wired.post(invoke(wired.fake, "bob", five["data"]))  # pressed again
    assert r.json()["type"] == "application/vnd.microsoft.activity.message"
    assert head("fr", "Your answer was already counted; nothing changed.") in r.json()["value"]
    assert answers(wired) == [("bob", 5)]
    # The thank-you card offers a comment: its Send button stores it.
    send = next(b for b in buttons(thanks) if b["data"]["miroir"] == "comment")
    r = await wired.post(invoke(wired.fake, "bob", {**send["data"],
                                                    "comment": "Plus de pauses"}))
    assert head("fr", "Thank you for your comment. It is read without your name, and only shown "
                      "once at least {k} comments have been collected.") in r.json()["value"]
    assert [c.text for c in wired.store.list_comments("acme")] == ["Plus de pauses"]


async def test_public_kudos_in_english_reach_the_channel_and_the_recipient(wired: Wired
                                                                          ) -> None:
    fake = wired.fake
    # Miroir added to team-a: Teams sends a conversationUpdate from the channel.
    added = in_channel(fake, "ada", "", type="conversationUpdate",
                       membersAdded=[{"id": "28:bot"}])
    assert (await wired.post(added)).status_code == 201
    reply = await say(wired, "ada", "kudos <at>Bob</at> thanks for the help #teamwork",
                      entities=[mention("29:bob", "Bob")])
    assert head("en", "Kudos sent to {names}, and shared with the team.") in texts(reply)
    [kudos] = wired.store.kudos_received("bob")
    assert (kudos.sender_id, kudos.value_tag, kudos.public) == ("ada", "teamwork", True)
    posts = await fake.wait_posts(3)
    paths = {c.path for c in posts}
    assert f"/v3/conversations/{GENERAL}/activities" in paths  # a new post, not a thread reply
    # Bob never wrote to Miroir: his 1:1 chat is created (tenant sent both ways, pitfall 15).
    [create] = [c for c in fake.conversation_calls("POST") if c.path == "/v3/conversations"]
    assert create.body["members"] == [{"id": "aad-bob"}]
    assert create.body["tenantID"] == TENANT
    assert create.body["channelData"] == {"tenant": {"id": TENANT}}
    dm = next(c for c in posts if c.path.startswith("/v3/conversations/a:new-"))
    assert "#teamwork" in texts(wired.card(dm.body))
    assert "replyToId" not in dm.body


async def test_private_kudos_in_french_link_a_recipient_by_email(wired: Wired) -> None:
    assert wired.store.person_by_identity("teams", TENANT, "aad-mia") is None
    reply = await say(wired, "bob", "kudos --private <at>Mia</at> merci pour le planning",
                      entities=[mention("29:mia", "Mia")])
    assert head("fr", "Kudos sent privately to {names}.") in texts(reply)
    assert wired.store.person_by_identity("teams", TENANT, "aad-mia").id == "mia"
    assert [k.public for k in wired.store.kudos_received("mia")] == [False]
    assert wired.fake.conversation_calls("GET")  # the member lookup gave her email


async def test_self_kudos_unknown_recipients_and_replays_in_each_language(wired: Wired) -> None:
    refusal = "You cannot send kudos to yourself, but the thought is nice! " \
              "Think of a colleague who helped you."
    reply = await say(wired, "ada", "kudos <at>Ada</at> I rock",
                      entities=[mention("29:ada", "Ada")])
    assert head("en", refusal) in texts(reply)
    reply = await say(wired, "bob", "/kudos <at>Bob</at> moi-même",
                      entities=[mention("29:bob", "Bob")])
    assert head("fr", refusal) in texts(reply)
    reply = await say(wired, "bob", "kudos <at>Zed</at> merci",
                      entities=[mention("29:zed", "Zed")])
    assert head("fr", "I could not find {names} in Miroir, so nothing was sent. "
                      "Check the name and try again.") in texts(reply)
    assert "@Zed" in texts(reply)
    kudos = activity(wired.fake, "bob", text="kudos <at>Ada</at> tu assures",
                     entities=[mention("29:ada", "Ada")])
    for _ in range(2):  # the same activity delivered twice
        assert (await wired.post(kudos)).status_code == 201
    assert len(wired.store.kudos_received("ada")) == 1
    assert wired.store.kudos_received("bob") == []


async def test_an_unknown_teams_user_gets_a_clear_reply_and_nothing_is_stored(wired: Wired
                                                                             ) -> None:
    reply = await say(wired, "zed", "irritant Le CRM rame")
    message = "I don't know you yet, so nothing was recorded. " \
              "Ask your Miroir administrator to add you."
    assert head("fr", message) in texts(reply) and head("en", message) in texts(reply)
    assert wired.store.list_comments("acme") == []
    assert wired.store.person_by_identity("teams", TENANT, "aad-zed") is None
    assert wired.store.teams_personal_conversation(None, "aad-zed") is None


async def test_irritants_in_french_and_english_in_a_chat_and_a_channel(wired: Wired) -> None:
    thanks = ("Thank you, your irritant is recorded. Before anyone reads it, your name and any "
              "@mentions are removed; it reaches the people who can act on it when the week "
              "ends, together with the others raised that week, never alone; you will hear back "
              "when it moves.")
    reply = await say(wired, "bob", "irritant Le CRM rame tous les matins")
    assert head("fr", thanks) in texts(reply)
    r = await wired.post(in_channel(wired.fake, "ada", "irritant The phone queue tool crashes"))
    assert r.status_code == 201
    [*_, channel_reply] = await wired.fake.wait_posts(2)
    assert channel_reply.path.startswith(f"/v3/conversations/{GENERAL};messageid=17000/")
    assert head("en", thanks) in texts(wired.card(channel_reply.body))
    stored = sorted((c.person_id, c.source, c.text) for c in wired.store.list_comments("acme"))
    assert stored == [("ada", "irritant", "The phone queue tool crashes"),
                      ("bob", "irritant", "Le CRM rame tous les matins")]


async def test_help_language_switch_and_a_roster_id_without_tenant(wired: Wired) -> None:
    card = await say(wired, "ada", "what can you do?")
    assert head("en", "Miroir: what I can do for you") in texts(card)
    card = await say(wired, "bob", "lang en")
    assert head("en", "Done: I will speak English with you from now on.") in texts(card)
    assert str(wired.store.get_person("bob").locale) == "en"
    assert wired.store.person_by_identity("teams", TENANT, "aad-gus") is None
    card = await say(wired, "gus", "help")  # imported as ("teams", "*", "aad-gus")
    assert head("fr", "Miroir: what I can do for you") in texts(card)
    assert wired.store.person_by_identity("teams", TENANT, "aad-gus").id == "gus"
    assert QUESTION.id  # the seeded bank is untouched by commands
