"""Neutral replies → JSON for the web page: pure functions, the page draws them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from adapters.web.gateway import WebMessage
from bot.replies import (
    Choice,
    CommentRequest,
    Help,
    KudosPost,
    Notice,
    Reply,
    SurveyPrompt,
    ThankYou,
)
from pulse.core.model import Person

_TYPES: dict[type, str] = {
    SurveyPrompt: "survey",
    CommentRequest: "comment_request",
    ThankYou: "thanks",
    Notice: "notice",
    KudosPost: "kudos",
    Help: "help",
}


def reply_json(reply: Reply) -> dict[str, Any]:
    """One reply as a JSON object with a `type` the page switches on."""
    data = asdict(reply)
    if isinstance(reply, SurveyPrompt):
        data["choices"] = [choice_json(c) for c in reply.choices]
    if isinstance(reply, KudosPost | Help):
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
    return {"type": _TYPES[type(reply)], **data}


def choice_json(choice: Choice) -> dict[str, Any]:
    return {"label": choice.label, "value": dict(choice.value)}


def message_json(message: WebMessage) -> dict[str, Any]:
    """A message of an inbox or channel."""
    return {
        "id": message.id,
        "author": message.author,
        "at": message.at.isoformat(),
        "text": message.text,
        "replies": [reply_json(r) for r in message.replies],
    }


def person_json(person: Person, team_id: str | None, team_name: str | None) -> dict[str, Any]:
    """A demo person for the picker."""
    return {
        "id": person.id,
        "name": person.display_name,
        "role": str(person.role),
        "locale": str(person.locale),
        "team_id": team_id,
        "team_name": team_name,
    }
