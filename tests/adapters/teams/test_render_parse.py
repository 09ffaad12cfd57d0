"""Pure translation: replies → valid Adaptive Cards; activities → intents (forged ones refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from botbuilder.schema import Activity

from adapters.teams import parse, render
from bot.intents import (
    Actor,
    AnswerIntent,
    CommentIntent,
    HelpIntent,
    IrritantIntent,
    KudosIntent,
    LanguageIntent,
)
from bot.replies import Choice, CommentRequest, Help, KudosPost, Notice, SurveyPrompt, ThankYou
from testing.teams_contracts import card_errors
from testing.teams_harness import buttons

ACTOR = Actor("teams", "t1", "aad-ada")


def prompt(points: int, question_id: str = "q1") -> SurveyPrompt:
    choices = tuple(Choice(str(v), {"round_id": "r1", "question_id": question_id, "value": v})
                    for v in range(points))
    return SurveyPrompt("r1", question_id, "How was today?", choices, "Bad", "Great", True,
                        "Add a comment", intro="Hi Ada", footer="Anonymous")


EVERY_REPLY = [prompt(5), CommentRequest("r1", "Anything to add?", "Your comment…", "Send"),
               ThankYou("Thank you, Ada!", "Counted.\nNobody sees your answers."),
               Notice("line one\nline two"),
               KudosPost("Ada", ("Bob",), "**bold** [x](https://evil.test)", "teamwork",
                         "Ada thanks you"),
               Help("Miroir", ("one", "two"))]


@pytest.mark.parametrize("universal", [True, False])
@pytest.mark.parametrize("index", range(len(EVERY_REPLY)))
def test_every_reply_renders_a_valid_card(schemas: Path, universal: bool, index: int) -> None:
    card = render.card([EVERY_REPLY[index]], universal)
    assert card_errors(schemas, card) == []
    assert card_errors(schemas, render.card(EVERY_REPLY, universal)) == []


def test_the_validator_is_strict(schemas: Path) -> None:
    card = render.card([prompt(5)])
    card["body"][1]["wieght"] = "Bolder"
    assert card_errors(schemas, card)
    card = render.card([prompt(5)])
    buttons(card)[0]["type"] = "Action.Exec"
    assert card_errors(schemas, card)
    card = render.card([Notice("x")])
    card["mssteams"] = {"width": "Full"}  # only the real host extension is allowed
    assert card_errors(schemas, card)


def test_scale_buttons_carry_json_and_eleven_points_wrap_in_rows() -> None:
    card = render.card([prompt(11)])
    rows = [item for item in card["body"] if item["type"] == "ActionSet"]
    assert [len(r["actions"]) for r in rows] == [6, 5]
    data = [b["data"] for b in buttons(card)]
    assert data[3] == {"miroir": "answer", "round_id": "r1", "question_id": "q1", "value": 3}
    assert all(b["verb"] == "miroir.answer" and b["fallback"]["data"] == b["data"]
               for b in buttons(card))
    inputs = [i for i in card["body"] if i["type"] == "Input.Text"]
    assert [i["id"] for i in inputs] == ["comment"]


def test_user_text_is_never_markdown_and_one_comment_field_per_round() -> None:
    card = render.card(EVERY_REPLY)
    assert not [i for i in card["body"] if i["type"] == "TextBlock"]
    assert [i["id"] for i in card["body"] if i["type"] == "Input.Text"] == ["comment"]
    assert render.summary([prompt(5), Notice("n")]) == "How was today? · n"
    assert render.notice_text([Notice("a"), Help("h"), Notice("b")]) == "a\nb"


@pytest.mark.parametrize(("data", "expected"), [
    ({"miroir": "answer", "round_id": "r1", "question_id": "q1", "value": 4},
     [AnswerIntent(ACTOR, "r1", "q1", 4)]),
    ({"miroir": "answer", "round_id": "r1", "question_id": "q1", "value": 4, "comment": " ok "},
     [AnswerIntent(ACTOR, "r1", "q1", 4), CommentIntent(ACTOR, "r1", "ok")]),
    ({"miroir": "comment", "round_id": "r1", "comment": "more breaks"},
     [CommentIntent(ACTOR, "r1", "more breaks")]),
    ({"miroir": "answer", "round_id": "r1", "question_id": "q1", "value": True}, []),
    ({"miroir": "answer", "round_id": "r1", "question_id": "q1", "value": "4"}, []),
    ({"miroir": "answer", "round_id": ["r1"], "question_id": "q1", "value": 4}, []),
    ({"miroir": "answer", "round_id": "r1", "value": 4}, []),
    ({"miroir": "delete-everything", "round_id": "r1"}, []),
    ({}, []),
])
def test_card_data_becomes_intents_and_forged_data_nothing(data: dict[str, object],
                                                           expected: list[object]) -> None:
    assert parse.card_intents(ACTOR, data) == expected


def test_submit_and_execute_payloads() -> None:
    act = Activity(type="message", value={"miroir": "answer"})
    assert parse.submitted_data(act) == {"miroir": "answer"}
    assert parse.submitted_data(Activity(type="message", value={"score": 3})) is None
    assert parse.submitted_data(Activity(type="message", value="text")) is None
    assert parse.executed_data({"data": {"a": 1}}) == {"a": 1}
    assert parse.executed_data({"data": "x"}) == {} and parse.executed_data(None) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("kudos <at>Bob</at> merci #entraide",
     KudosIntent(ACTOR, ("Bob",), "merci", "entraide", True)),
    ("/kudos --private @bob.martin thanks", KudosIntent(ACTOR, ("bob.martin",), "thanks", None,
                                                        False)),
    ("Irritant Le CRM rame", IrritantIntent(ACTOR, "Le CRM rame")),
    ("help", HelpIntent(ACTOR)), ("aide", HelpIntent(ACTOR)), ("miroir", HelpIntent(ACTOR)),
    ("lang en", LanguageIntent(ACTOR, "en")), ("/miroir langue fr", LanguageIntent(ACTOR, "fr")),
    ("bonjour", None), ("", None),
])
def test_typed_commands(text: str, expected: object) -> None:
    assert parse.text_intent(ACTOR, text) == expected


def test_the_bots_own_mention_is_dropped_and_others_are_kept() -> None:
    act = Activity().deserialize({
        "type": "message", "text": "<at>Miroir</at> kudos <at>Bob &amp; Co</at>&nbsp;merci",
        "recipient": {"id": "28:app", "name": "Miroir"},
        "from": {"id": "29:ada", "aadObjectId": "aad-ada"},
        "conversation": {"id": "19:c;messageid=1", "conversationType": "channel"},
        "channelData": {"tenant": {"id": "t1"}},
        "entities": [
            {"type": "mention", "text": "<at>Miroir</at>",
             "mentioned": {"id": "28:app", "name": "Miroir"}},
            {"type": "mention", "text": "<at>Bob &amp; Co</at>",
             "mentioned": {"id": "29:bob", "name": "Bob & Co"}},
            {"type": "clientInfo", "locale": "fr-FR"},
            {"type": "mention", "text": "<at>broken</at>"},
        ]})
    assert parse.command_text(act) == "kudos <at>Bob & Co</at> merci"
    assert parse.mentions(act) == {"Bob & Co": "29:bob"}
    assert parse.actor_of(act) == ACTOR
    assert parse.conversation_type(act) == "channel"
    assert parse.channel_of(act.conversation.id) == "19:c"
    intent = parse.text_intent(ACTOR, parse.command_text(act))
    assert isinstance(intent, KudosIntent)
    assert parse.with_recipients(intent, {"Bob & Co": "aad-bob"}).recipients == ("aad-bob",)
