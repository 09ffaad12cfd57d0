"""Dialogs: one intent in, one Outcome out, whatever the platform."""

from __future__ import annotations

from bot.dialogs.answer import answer, comment
from bot.dialogs.commands import help_reply, irritant, language
from bot.dialogs.common import resolve_actor, unknown_actor
from bot.dialogs.dashboard import dashboard_link
from bot.dialogs.kudos import kudos
from bot.dialogs.prompts import survey_prompts
from bot.intents import (
    AnswerIntent,
    CommentIntent,
    DashboardIntent,
    HelpIntent,
    Intent,
    IrritantIntent,
    KudosIntent,
    LanguageIntent,
)
from bot.outcome import Outcome
from bot.runtime import Runtime

__all__ = ["decide", "handle", "survey_prompts"]


async def handle(runtime: Runtime, intent: Intent) -> Outcome:
    """Resolve who is talking, run the matching dialog, say what to send where."""
    return decide(runtime, intent)


def decide(runtime: Runtime, intent: Intent) -> Outcome:
    """The same as `handle`, synchronous: for adapters that run dialogs in a worker thread."""
    person = resolve_actor(runtime, intent.actor)
    if person is None:
        return unknown_actor()
    match intent:
        case AnswerIntent():
            return answer(runtime, person, intent)
        case CommentIntent():
            return comment(runtime, person, intent)
        case KudosIntent():
            return kudos(runtime, person, intent)
        case IrritantIntent():
            return irritant(runtime, person, intent)
        case LanguageIntent():
            return language(runtime, person, intent)
        case HelpIntent():
            return help_reply(runtime, person)
        case DashboardIntent():
            return dashboard_link(runtime, person)
