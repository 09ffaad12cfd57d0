"""Slack payloads → bot intents (pure functions, no I/O); typed commands use bot.parse."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.intents import Actor, AnswerIntent, CommentIntent, IrritantIntent

PLATFORM = "slack"


@dataclass(frozen=True)
class PromptRef:
    """The DM message holding a survey prompt, so it can be replaced."""

    channel: str
    ts: str


def workspace_of(body: dict[str, Any]) -> str:
    """The Slack team id of any payload (commands, interactions, events)."""
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    return str(body.get("team_id") or "")


def actor_of(body: dict[str, Any]) -> Actor:
    """Who acted: commands carry user_id, interactions a user object, events event.user."""
    user = body.get("user")
    if isinstance(user, dict):
        user_id = user.get("id", "")
    else:
        user_id = body.get("user_id") or (body.get("event") or {}).get("user", "")
    return Actor(PLATFORM, workspace_of(body), str(user_id))


def _json(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def answer_intent(body: dict[str, Any], action: dict[str, Any]) -> AnswerIntent | None:
    """A scale button press; None when the button value is not ours (forged or stale)."""
    value = _json(action.get("value"))
    round_id, question_id = value.get("round_id"), value.get("question_id")
    score = value.get("value")
    if not isinstance(round_id, str) or not isinstance(question_id, str):
        return None
    if not isinstance(score, int) or isinstance(score, bool):
        return None
    return AnswerIntent(actor_of(body), round_id, question_id, score)


def prompt_ref(body: dict[str, Any]) -> PromptRef | None:
    """Where the pressed message lives (channel and ts of the container)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return PromptRef(channel, ts) if channel and ts else None


def comment_round(action: dict[str, Any]) -> str | None:
    """The round an 'add a comment' button belongs to."""
    round_id = _json(action.get("value")).get("round_id")
    return round_id if isinstance(round_id, str) else None


def comment_intent(body: dict[str, Any], view: dict[str, Any]) -> tuple[CommentIntent | None,
                                                                       PromptRef | None]:
    """A submitted comment modal, and the prompt message to update afterwards."""
    meta = _json(view.get("private_metadata"))
    values = (view.get("state") or {}).get("values") or {}
    text = ((values.get("comment") or {}).get("text") or {}).get("value") or ""
    round_id = meta.get("round_id")
    ref = PromptRef(meta["channel"], meta["ts"]) if meta.get("channel") and meta.get("ts") else None
    if not isinstance(round_id, str):
        return None, ref
    return CommentIntent(actor_of(body), round_id, text), ref


def irritant_intent(command: dict[str, Any]) -> IrritantIntent:
    """`/irritant text`."""
    return IrritantIntent(actor_of(command), (command.get("text") or "").strip())
