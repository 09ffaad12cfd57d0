"""Web chat requests → intents: pure translation, nothing stored here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, TypeAdapter, ValidationError

from bot.intents import Actor, AnswerIntent, CommentIntent, HelpIntent, Intent
from bot.parse import parse_command

Id = Annotated[str, Field(min_length=1, max_length=64)]


class BadInput(ValueError):
    """A request the page could not have sent: malformed JSON, a missing or wrong field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChoiceValue(_Strict):
    """The JSON a scale button carries, as built by bot.dialogs.survey_prompts."""

    round_id: Id
    question_id: Id
    value: StrictInt


class AnswerAction(_Strict):
    kind: Literal["answer"]
    message_id: Id | None = None
    value: ChoiceValue


class CommentAction(_Strict):
    kind: Literal["comment"]
    message_id: Id | None = None
    round_id: Id
    text: Annotated[str, Field(max_length=10_000)]


class CommandAction(_Strict):
    kind: Literal["command"]
    text: Annotated[str, Field(min_length=1, max_length=4_000)]


Action = Annotated[AnswerAction | CommentAction | CommandAction, Field(discriminator="kind")]
_ACTION: TypeAdapter[AnswerAction | CommentAction | CommandAction] = TypeAdapter(Action)


@dataclass(frozen=True)
class WebAction:
    """An intent, the message it acted on (to update in place) and what to echo as typed."""

    intent: Intent
    message_id: str | None = None
    echo: str | None = None


def to_action(actor: Actor, body: bytes) -> WebAction:
    """Translate a POSTed button press, comment or typed command; raise BadInput with a reason."""
    try:
        raw = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"the body is not JSON: {exc}") from None
    except RecursionError:  # '[[[[…' nested deeper than the parser's stack
        raise BadInput("the body is not JSON: nested too deeply") from None
    try:
        action = _ACTION.validate_python(raw)
    except ValidationError as exc:
        raise BadInput(_describe(exc)) from None
    if isinstance(action, AnswerAction):
        v = action.value
        return WebAction(AnswerIntent(actor, v.round_id, v.question_id, v.value), action.message_id)
    if isinstance(action, CommentAction):
        return WebAction(CommentIntent(actor, action.round_id, action.text), action.message_id,
                         echo=action.text.strip() or None)
    # Free text that is not a command gets the help card: the web chat has no small talk.
    intent = parse_command(actor, action.text) or HelpIntent(actor)
    return WebAction(intent, echo=action.text.strip())


def _describe(exc: ValidationError) -> str:
    """'value.value: Input should be a valid integer' for the first few errors."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
