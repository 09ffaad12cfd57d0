"""Bot Framework activities → bot intents (pure functions, no I/O); typed commands use bot.parse."""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.schema import Activity

from bot.intents import (
    Actor,
    AnswerIntent,
    CommentIntent,
    HelpIntent,
    Intent,
    KudosIntent,
)
from bot.parse import parse_command

PLATFORM = "teams"
ANSWER = "answer"  # the "miroir" key of our card actions' data
COMMENT = "comment"
COMMENT_INPUT = "comment"  # the Input.Text id; Teams merges inputs into the action data
# First word of a typed message → the slash command bot.parse understands. Teams bots get plain
# text (the manifest's commandLists are only suggestions), with or without a leading "/".
_COMMANDS = {
    "kudos": "/kudos", "bravo": "/kudos", "irritant": "/irritant", "help": "/help",
    "aide": "/help", "?": "/help", "miroir": "/miroir", "lang": "/miroir lang",
    "langue": "/miroir lang", "language": "/miroir lang",
    "dashboard": "/miroir dashboard", "tableau": "/miroir dashboard",
    "home": "/miroir home", "accueil": "/miroir home",
}
_AT = re.compile(r"<at[^>]*>(?P<name>.*?)</at>", re.IGNORECASE | re.DOTALL)


def tenant_of(activity: Activity) -> str:
    """The Microsoft tenant id: channelData.tenant.id, else conversation.tenantId."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    conversation = activity.conversation
    return str(getattr(conversation, "tenant_id", None) or "")


def actor_of(activity: Activity) -> Actor:
    """Who acted: their Entra (AAD) object id in their tenant; empty for bots and anonymous."""
    user = activity.from_property
    return Actor(PLATFORM, tenant_of(activity), str(getattr(user, "aad_object_id", None) or ""))


def conversation_type(activity: Activity) -> str:
    """'personal', 'channel' or 'groupChat' (personal when Teams says nothing)."""
    conversation = activity.conversation
    return str(getattr(conversation, "conversation_type", None) or "personal")


def channel_of(conversation_id: str) -> str:
    """A channel's id without the ';messageid=…' of the thread a message was posted in."""
    return conversation_id.split(";messageid=")[0]


def submitted_data(activity: Activity) -> dict[str, Any] | None:
    """An Action.Submit press: a message whose value holds our action data plus the inputs."""
    value = activity.value
    return value if isinstance(value, dict) and "miroir" in value else None


def executed_data(action: Any) -> dict[str, Any]:
    """The data of an Action.Execute invoke (inputs merged in), {} when malformed."""
    data = action.get("data") if isinstance(action, dict) else None
    return data if isinstance(data, dict) else {}


def card_intents(actor: Actor, data: dict[str, Any]) -> list[Intent]:
    """Intents of a card action: an answer (and the comment typed beside it) or a comment.

    Returns [] for data that is not ours or is malformed (a forged or stale card).
    """
    kind, round_id = data.get("miroir"), data.get("round_id")
    if not isinstance(round_id, str) or not round_id:
        return []
    comment = data.get(COMMENT_INPUT)
    text = comment.strip() if isinstance(comment, str) else ""
    if kind == COMMENT:
        return [CommentIntent(actor, round_id, text)]
    if kind != ANSWER:
        return []
    question_id, value = data.get("question_id"), data.get("value")
    if not isinstance(question_id, str) or isinstance(value, bool) or not isinstance(value, int):
        return []
    intents: list[Intent] = [AnswerIntent(actor, round_id, question_id, value)]
    if text:
        intents.append(CommentIntent(actor, round_id, text))
    return intents


def mentions(activity: Activity) -> dict[str, str]:
    """Mentioned people other than the bot: name as written inside <at>…</at> → Teams user id."""
    found: dict[str, str] = {}
    bot_id = getattr(activity.recipient, "id", None)
    for entity in activity.entities or []:
        if str(getattr(entity, "type", "") or "").lower() != "mention":
            continue
        props = getattr(entity, "additional_properties", None) or {}
        mentioned = props.get("mentioned")
        if not isinstance(mentioned, dict) or not mentioned.get("id"):
            continue
        if mentioned["id"] == bot_id:
            continue
        match = _AT.search(str(props.get("text") or ""))
        name = match.group("name") if match else str(mentioned.get("name") or "")
        if name.strip():
            found[html.unescape(name).strip()] = str(mentioned["id"])
    return found


def command_text(activity: Activity) -> str:
    """The typed text without the bot's own <at>mention</at> (channels) and HTML entities."""
    text = str(activity.text or "")
    bot_names = {str(getattr(activity.recipient, "name", "") or "").strip().lower()}
    for entity in activity.entities or []:
        props = getattr(entity, "additional_properties", None) or {}
        mentioned = props.get("mentioned")
        if isinstance(mentioned, dict) and mentioned.get("id") == getattr(activity.recipient,
                                                                          "id", None):
            match = _AT.search(str(props.get("text") or ""))
            if match:
                bot_names.add(match.group("name").strip().lower())
    bot_names.discard("")
    text = _AT.sub(lambda m: "" if m.group("name").strip().lower() in bot_names else m.group(0),
                   text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def text_intent(actor: Actor, text: str) -> Intent | None:
    """'kudos <at>Bob</at> merci', 'irritant …', 'help', 'lang en' (a leading '/' is fine).

    None when the text is not one of our commands (the caller answers with help).
    """
    stripped = text.strip()
    word, _, rest = stripped.lstrip("/").partition(" ")
    command = _COMMANDS.get(word.lower())
    if command is None:
        return None
    return parse_command(actor, f"{command} {rest}".strip())


def with_recipients(intent: KudosIntent, ids: dict[str, str]) -> KudosIntent:
    """The kudos with each mentioned name replaced by the id it resolved to (when it did)."""
    recipients = tuple(ids.get(handle, handle) for handle in intent.recipients)
    return KudosIntent(intent.actor, recipients, intent.message, intent.value_tag, intent.public)


def fallback_help(actor: Actor) -> HelpIntent:
    """Anything else typed to the bot gets the help card."""
    return HelpIntent(actor)
