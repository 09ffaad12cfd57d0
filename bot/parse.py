"""Pure parsers for chat commands typed as text, shared by every platform."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intents import (
    Actor,
    DashboardIntent,
    HelpIntent,
    HomeIntent,
    Intent,
    IrritantIntent,
    KudosIntent,
    LanguageIntent,
)

# A leading mention: Slack escapes it as <@U123> or <@U123|name>, Teams as <at>Name</at>,
# and people type @handle (an id, an email or a one-word name).
_MENTION = re.compile(
    r"\s*(?:<@(?P<slack>[A-Za-z0-9_.-]+)(?:\|[^>]*)?>|<at>(?P<teams>[^<]+)</at>|@(?P<plain>[^\s,;]+))"
    r"[\s,;]*"
)
_VALUE_TAG = re.compile(r"(?<![\w&])#(?P<tag>[^\W\d_][\w-]*)")
_PRIVATE_FLAGS = frozenset({"--private", "--prive", "--privé"})
DASHBOARD_WORDS = frozenset({"dashboard", "tableau", "tableau-de-bord", "web"})


@dataclass(frozen=True)
class ParsedKudos:
    """What `/kudos` text says: who, the message, an optional value tag, public or private."""

    handles: tuple[str, ...]
    message: str
    value_tag: str | None
    public: bool


def parse_kudos(text: str) -> ParsedKudos:
    """'@a @b Merci pour ton aide #entraide' → handles (a, b), message, tag 'entraide', public."""
    words = text.split()
    public = not any(w.lower() in _PRIVATE_FLAGS for w in words)
    rest = " ".join(w for w in words if w.lower() not in _PRIVATE_FLAGS)
    handles: list[str] = []
    pos = 0
    while match := _MENTION.match(rest, pos):
        handle = match.group("slack") or match.group("teams") or match.group("plain") or ""
        handle = handle.strip().rstrip(".!?:")
        if handle and handle not in handles:
            handles.append(handle)
        pos = match.end()
    body = rest[pos:]
    tag_match = _VALUE_TAG.search(body)
    value_tag = tag_match.group("tag").lower() if tag_match else None
    if tag_match:
        body = body[: tag_match.start()] + body[tag_match.end():]
    message = " ".join(body.split())
    return ParsedKudos(tuple(handles), message, value_tag, public)


def parse_command(actor: Actor, text: str) -> Intent | None:
    """A typed command ('/kudos …', '/irritant …', '/miroir help', '/miroir lang en',
    '/miroir dashboard') as an intent.

    Returns None for text that is not one of our commands, so the caller may treat it as chat.
    """
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None
    command, _, rest = stripped.partition(" ")
    command = command.lower()
    rest = rest.strip()
    if command == "/kudos":
        parsed = parse_kudos(rest)
        return KudosIntent(actor, parsed.handles, parsed.message, parsed.value_tag, parsed.public)
    if command == "/irritant":
        return IrritantIntent(actor, rest)
    if command in ("/help", "/aide"):
        return HelpIntent(actor)
    if command != "/miroir":
        return None
    sub, _, arg = rest.partition(" ")
    sub = sub.lower()
    if sub in ("lang", "langue", "language", "locale"):
        return LanguageIntent(actor, arg.strip().lower())
    if sub in DASHBOARD_WORDS:
        return DashboardIntent(actor)
    if sub in ("home", "accueil", "me", "moi"):
        return HomeIntent(actor)
    return HelpIntent(actor)  # '/miroir', '/miroir help', '/miroir aide' and anything unknown
