"""Block Kit rendering round-trips through slack_sdk.models; payload parsing is strict."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack import parse, render
from bot.intents import AnswerIntent
from bot.replies import Choice, CommentRequest, Help, KudosPost, Notice, SurveyPrompt, ThankYou
from testing.slack_harness import block_action, button


def prompt(question_id: str = "q1", top: int = 5) -> SurveyPrompt:
    choices = tuple(Choice(str(v), {"round_id": "r1", "question_id": question_id, "value": v})
                    for v in range(1, top + 1))
    return SurveyPrompt("r1", question_id, "I feel I belong in my team.", choices,
                        "Strongly disagree", "Strongly agree", True, "Add a comment",
                        intro="Hi Ada, a quick pulse.", footer="Anonymous below 5 people.")


def round_trips(blocks: list[dict[str, Any]]) -> bool:
    return [b.to_dict() for b in Block.parse_all(blocks)] == blocks


ALL = [
    [prompt()],
    [prompt("q1"), prompt("q2", top=10)],
    [ThankYou("Thank you, Ada!", "Counted. Results need 5 people."),
     CommentRequest("r1", "Anything to add? (optional)", "Your comment…", "Send")],
    [Notice("Kudos sent to <!channel> & co")],
    [KudosPost("Mia", ("Ada", "Bob"), "Great calls\ntoday", "teamwork", "Kudos from Mia")],
    [Help("Miroir: what I can do", ("/irritant TEXT", "/kudos @name message"))],
]


@pytest.mark.parametrize("replies", ALL)
def test_every_message_round_trips_through_slack_sdk_models(replies: list[Any]) -> None:
    blocks = render.reply_blocks(replies)
    assert blocks and round_trips(blocks)
    assert render.fallback_text(replies)


def test_prompt_has_one_button_per_scale_point_and_one_comment_button() -> None:
    blocks = render.reply_blocks([prompt("q1"), prompt("q2", top=10)])
    answers = [e for b in blocks for e in b.get("elements", [])
               if e.get("action_id", "").startswith(render.ANSWER_ACTION)]
    assert len(answers) == 5 + 10
    comments = [e for b in blocks for e in b.get("elements", [])
                if e.get("action_id") == render.COMMENT_ACTION]
    assert len(comments) == 1  # one round, one comment button
    assert len({b["block_id"] for b in blocks}) == len(blocks)  # Slack wants unique block ids


def test_user_text_cannot_ping_the_channel() -> None:
    blocks = render.reply_blocks([Notice("hello <!channel>")])
    assert blocks[0]["text"]["text"] == "hello &lt;!channel&gt;"


def test_modal_and_home_round_trip_as_views() -> None:
    modal = render.comment_modal(CommentRequest("r1", "Anything to add? (optional)", "…", "Send"),
                                 "Your comment", {"channel": "D1", "ts": "1.2"})
    assert View(**modal).to_dict() == modal
    assert len(modal["title"]["text"]) <= 24
    assert json.loads(modal["private_metadata"]) == {"round_id": "r1", "channel": "D1", "ts": "1.2"}
    home = render.home_view([("Your answers", ["2026-03-04 · Q: 4/5"]), ("Kudos", [])])
    assert View(**home).to_dict() == home


def test_pressing_a_rendered_button_parses_back_to_the_answer() -> None:
    blocks = render.reply_blocks([prompt()])
    action = button(blocks, f"{render.ANSWER_ACTION}_3")
    body = block_action("TAAA", "UADA", "DUADA", "1.1", action, "http://x/r")
    intent = parse.answer_intent(body, action)
    assert isinstance(intent, AnswerIntent)
    assert (intent.round_id, intent.question_id, intent.value) == ("r1", "q1", 4)
    assert (intent.actor.workspace, intent.actor.external_id) == ("TAAA", "UADA")
    assert parse.prompt_ref(body) == parse.PromptRef("DUADA", "1.1")


@pytest.mark.parametrize("value", ["not json", '{"round_id": "r1"}', '[1]',
                                   '{"round_id": "r1", "question_id": "q", "value": "4"}',
                                   '{"round_id": "r1", "question_id": "q", "value": true}'])
def test_forged_button_values_are_ignored(value: str) -> None:
    action = {"action_id": "miroir_answer_0", "value": value}
    assert parse.answer_intent(block_action("T", "U", "D", "1", action, ""), action) is None


def test_comment_view_parses_text_and_prompt() -> None:
    view = {"private_metadata": json.dumps({"round_id": "r1", "channel": "D1", "ts": "1.2"}),
            "state": {"values": {"comment": {"text": {"type": "plain_text_input",
                                                       "value": "More coaching"}}}}}
    intent, ref = parse.comment_intent({"team": {"id": "T"}, "user": {"id": "U"}}, view)
    assert intent is not None and intent.text == "More coaching" and intent.round_id == "r1"
    assert ref == parse.PromptRef("D1", "1.2")


def test_commands_parse() -> None:
    cmd = {"team_id": "T", "user_id": "U", "text": "  Le CRM rame  "}
    intent = parse.irritant_intent(cmd)
    assert intent.text == "Le CRM rame" and intent.actor.external_id == "U"


def test_repeated_prompts_render_from_the_cache_and_never_mix_choices() -> None:
    first = render.reply_blocks([prompt("q1"), prompt("q2")])
    first[0]["text"]["text"] = "changed by a caller"  # what is handed out is a copy
    again = render.reply_blocks([prompt("q1"), prompt("q2")])
    assert again == render._build_blocks((prompt("q1"), prompt("q2")))
    other = prompt("q1")
    other = SurveyPrompt(**{**other.__dict__, "choices": tuple(
        Choice(c.label, {**c.value, "round_id": "r2"}) for c in other.choices)})
    values = [json.loads(e["value"])["round_id"]
              for e in render.reply_blocks([other])[1]["elements"]]
    assert set(values) == {"r2"}  # same labels, other values: not the cached r1 buttons
