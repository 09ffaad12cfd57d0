"""End to end through the real app and the fake Slack: pulse, comment, kudos, irritant, commands."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from adapters.slack import render
from bot.dialogs import survey_prompts
from bot.i18n import translator
from bot.ports import MessageRef, Recipient
from pulse.analytics.publication import publish_due
from pulse.core.apikeys import create_api_key
from pulse.core.model import Membership, Person
from pulse.surveys import service as services
from testing.slack_api import Call
from testing.slack_harness import (
    KUDOS_CHANNEL,
    PEOPLE,
    QUESTION,
    Wired,
    block_action,
    button,
    command,
    interaction,
    open_round,
)


def head(locale: str, msgid: str) -> str:
    """The start of a catalog message in one language, before its first placeholder."""
    return translator(locale).gettext(msgid).split("{")[0].strip()


def blocks_of(call: Call) -> list[dict[str, Any]]:
    blocks = call.params.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert [b.to_dict() for b in Block.parse_all(blocks)] == blocks  # Block Kit we sent is valid
    return list(blocks)


def text_of(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


async def deliver(wired: Wired, person_id: str, round_id: str) -> MessageRef:
    """What the delivery scheduler will do: survey_prompts, then SlackGateway.send."""
    runtime = wired.app.state.runtime
    person = wired.store.get_person(person_id)
    _, _, _, _, _, workspace, user_id, _ = PEOPLE[person_id]
    prompts = survey_prompts(runtime, person, round_id)
    assert prompts
    return await wired.slack.gateway.send(Recipient(person_id, "slack", workspace, user_id),
                                          prompts)


async def team_pulse(wired: Wired, token: str, monday: date | None = None) -> dict[str, Any]:
    """One week's point of team-a (this week by default) through the analytics API."""
    monday = monday or wired.clock.now().date() - timedelta(days=wired.clock.now().weekday())
    r = await wired.http.get("/api/v1/teams/team-a/pulse", headers={
        "Authorization": f"Bearer {token}"}, params={"bucket": "week", "from": str(monday),
                                                      "to": str(monday)})
    assert r.status_code == 200, r.text
    [point] = r.json()["points"]
    return dict(point)


async def test_pulse_round_in_two_workspaces_answered_once_with_a_comment(wired: Wired) -> None:
    fake, store = wired.fake, wired.store
    colleagues = [f"col{i}" for i in range(4)]  # answered in the web chat, say: not via Slack
    for pid in colleagues:
        store.add_person(Person(pid, "acme", pid.title()))
        store.add_membership(Membership(pid, "team-a", date(2026, 1, 1)))
    open_round(store, wired.clock, "acme", "team-a", ["ada", "bob", *colleagues], "r-acme")
    open_round(store, wired.clock, "globex", "team-g", ["gus"], "r-globex")
    for pid in colleagues:
        services.record_answer(store, wired.clock, store.get_person(pid), "r-acme", QUESTION.id, 5)
    _, token = create_api_key(store, "acme", "cx lead", ["analytics:read"])
    before = await team_pulse(wired, token)
    # The week is open: participation only, never a value (read twice, it would tell).
    assert before["open"] and before["value"] is None and before["answered"] == 4
    ref = await deliver(wired, "ada", "r-acme")
    await deliver(wired, "gus", "r-globex")
    posts = fake.calls_to("chat.postMessage")
    assert {(c.params["channel"], c.token) for c in posts} == {("DUADA", "xoxb-aaa"),
                                                               ("DUGUS", "xoxb-bbb")}
    ada_post = next(c for c in posts if c.params["channel"] == "DUADA")
    ts = ref.message_id
    assert (ref.platform, ref.workspace, ref.channel) == ("slack", "TAAA", "DUADA")
    ada_blocks = blocks_of(ada_post)
    assert "I feel I belong" in text_of(ada_post)  # Ada reads English
    assert "Je me sens" in text_of(next(c for c in posts if c.params["channel"] == "DUGUS"))

    # Ada presses "4"; the ack is immediate, the prompt becomes a thank-you
    payload = block_action("TAAA", "UADA", "DUADA", ts,
                           button(ada_blocks, f"{render.ANSWER_ACTION}_3"),
                           fake.url + "/response/ada1")
    started = time.monotonic()
    r = await wired.post(interaction(payload))
    assert r.status_code == 200 and time.monotonic() - started < 3
    [update] = await fake.wait_for("chat.update")
    assert update.params["channel"] == "DUADA" and update.params["ts"] == ts
    thanks = text_of(update)
    assert head("en", "Thank you, {name}!") in thanks
    assert "5" in thanks and "10" in thanks  # the anonymity promise names both thresholds
    comment_button = button(blocks_of(update), render.COMMENT_ACTION)

    # The same press again (a retried or double-clicked payload, signed anew: the very same
    # signed request is a replay, dropped before any dialog) changes nothing
    r = await wired.post(interaction(payload), ts=int(time.time()) + 1)
    assert r.status_code == 200
    [again] = await fake.wait_path("/response/ada1")
    assert head("en", "Your answer was already counted; nothing changed.") in text_of(again)
    assert len(fake.calls_to("chat.update")) == 1

    # "Add a comment" opens a modal; submitting it stores the comment with the round
    press = block_action("TAAA", "UADA", "DUADA", ts, comment_button, fake.url + "/response/c")
    assert (await wired.post(interaction(press))).status_code == 200
    [opened] = await fake.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    submit = {"type": "view_submission", "team": {"id": "TAAA"}, "api_app_id": "A111",
              "user": {"id": "UADA", "team_id": "TAAA"}, "trigger_id": "1.2.3",
              "view": {**view, "id": "V1", "state": {"values": {
                  "comment": {"text": {"type": "plain_text_input",
                                       "value": "More coaching on refunds"}}}}}}
    r = await wired.post(interaction(submit))
    assert r.status_code == 200 and r.text == ""  # the modal closes
    for _ in range(100):
        if store.list_comments("acme"):
            break
        await asyncio.sleep(0.02)
    [comment] = store.list_comments("acme")
    assert (comment.round_id, comment.source, comment.text) == ("r-acme", "pulse",
                                                               "More coaching on refunds")

    now = wired.clock.now()
    answers = store.scored_answers("acme", ["team-a"], now - timedelta(days=1),
                                   now + timedelta(days=1))
    assert sorted((a.person_id, a.value) for a in answers) == [("ada", 4), *[(c, 5) for c in
                                                                             colleagues]]
    during = await team_pulse(wired, token)  # Ada's answer makes five, still no value
    assert during["open"] and during["value"] is None and during["answered"] == 5
    monday = wired.clock.now().date() - timedelta(days=wired.clock.now().weekday())
    wired.clock.advance(timedelta(days=8))  # the week closed and its grace period passed
    publish_due(store, "acme", wired.clock.now())
    after = await team_pulse(wired, token, monday)  # published: the API shows the value
    assert after["n"] == 5 and after["value"] == pytest.approx((4 * 10 + 7.5) / 5)
    assert store.scored_answers("globex", ["team-g"], now - timedelta(days=1),
                                now + timedelta(days=1)) == []


async def run_command(wired: Wired, name: str, text: str, user: str, key: str,
                      team: str = "TAAA") -> str:
    url = f"{wired.fake.url}/response/{key}"
    r = await wired.post(command(name, text, team, user, url))
    assert r.status_code == 200 and r.text == ""
    [reply] = await wired.fake.wait_path(f"/response/{key}")
    assert reply.params.get("response_type") == "ephemeral"
    return text_of(reply)


async def test_public_kudos_in_english_reach_the_channel_and_the_recipient(wired: Wired) -> None:
    reply = await run_command(wired, "/kudos", "<@UBOB|bob> thanks for the help #teamwork",
                              "UADA", "k1")
    assert head("en", "Kudos sent to {names}, and shared with the team.") in reply
    posts = await wired.fake.wait_for("chat.postMessage", 2)
    channels = {c.params["channel"]: c for c in posts}
    assert set(channels) == {KUDOS_CHANNEL, "DUBOB"}
    assert "thanks for the help" in text_of(channels[KUDOS_CHANNEL])
    assert "#teamwork" in text_of(channels["DUBOB"])
    [kudos] = wired.store.kudos_received("bob")
    assert (kudos.sender_id, kudos.value_tag, kudos.public) == ("ada", "teamwork", True)


async def test_private_kudos_in_french_link_a_recipient_by_email(wired: Wired) -> None:
    assert wired.store.person_by_identity("slack", "TAAA", "UMIA") is None
    reply = await run_command(wired, "/kudos", "--private <@UMIA|mia> merci pour le planning",
                              "UBOB", "k2")
    assert head("fr", "Kudos sent privately to {names}.") in reply
    [dm] = await wired.fake.wait_for("chat.postMessage")
    assert dm.params["channel"] == "DUMIA"  # no public post
    assert wired.store.person_by_identity("slack", "TAAA", "UMIA").id == "mia"
    assert [k.public for k in wired.store.kudos_received("mia")] == [False]


async def test_self_kudos_and_unknown_recipients_are_refused_in_each_language(wired: Wired) -> None:
    reply = await run_command(wired, "/kudos", "<@UADA|ada> I rock", "UADA", "k3")
    assert head("en", "You cannot send kudos to yourself, but the thought is nice! "
                      "Think of a colleague who helped you.") in reply
    reply = await run_command(wired, "/kudos", "<@UADA|ada> tu assures", "UBOB", "k4x")
    assert head("fr", "Kudos sent to {names}, and shared with the team.") in reply
    reply = await run_command(wired, "/kudos", "<@UZED|zed> merci", "UBOB", "k4")
    assert head("fr", "I could not find {names} in Miroir, so nothing was sent. "
                      "Check the name and try again.") in reply
    reply = await run_command(wired, "/kudos", "<@UBOB|bob> moi-même", "UBOB", "k5")
    assert head("fr", "You cannot send kudos to yourself, but the thought is nice! "
                      "Think of a colleague who helped you.") in reply
    assert wired.store.kudos_received("zed") == [] and wired.store.kudos_received("bob") == []
    assert len(wired.store.kudos_received("ada")) == 1


async def test_unknown_slack_user_gets_a_clear_reply_and_nothing_is_stored(wired: Wired) -> None:
    reply = await run_command(wired, "/irritant", "Le CRM rame", "UZED", "u1")
    assert head("fr", "I don't know you yet, so nothing was recorded. "
                      "Ask your Miroir administrator to add you.") in reply
    assert head("en", "I don't know you yet, so nothing was recorded. "
                      "Ask your Miroir administrator to add you.") in reply
    assert wired.store.list_comments("acme") == []
    assert wired.store.person_by_identity("slack", "TAAA", "UZED") is None


async def test_irritants_in_french_and_english_are_stored_and_acknowledged(wired: Wired) -> None:
    thanks = ("Thank you, your irritant is recorded. Before anyone reads it, your name and any "
              "@mentions are removed; it reaches the people who can act on it when the week "
              "ends, together with the others raised that week, never alone; you will hear back "
              "when it moves.")
    reply = await run_command(wired, "/irritant", "Le CRM rame tous les matins", "UBOB", "i1")
    assert head("fr", thanks)[:30] in reply
    reply = await run_command(wired, "/irritant", "The phone queue tool crashes", "UADA", "i2")
    assert head("en", thanks)[:30] in reply
    texts = sorted((c.person_id, c.source, c.text) for c in wired.store.list_comments("acme"))
    assert texts == [("ada", "irritant", "The phone queue tool crashes"),
                     ("bob", "irritant", "Le CRM rame tous les matins")]


async def test_help_and_language_switch(wired: Wired) -> None:
    reply = await run_command(wired, "/miroir", "help", "UADA", "h1")
    assert head("en", "/irritant TEXT: report what gets in your way, anonymously.") in reply
    reply = await run_command(wired, "/miroir", "lang en", "UBOB", "h2")
    assert head("en", "Done: I will speak English with you from now on.") in reply
    assert str(wired.store.get_person("bob").locale) == "en"
    reply = await run_command(wired, "/miroir", "aide", "UBOB", "h3")
    assert head("en", "/irritant TEXT: report what gets in your way, anonymously.") in reply
