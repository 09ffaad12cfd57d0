"""Dialogs: one intent in, one Outcome out, whatever the platform; one unit of work per turn."""

from __future__ import annotations

import asyncio

from bot.dialogs.answer import answer, comment
from bot.dialogs.commands import help_reply, home, irritant, language
from bot.dialogs.common import resolve_actor, unknown_actor
from bot.dialogs.dashboard import dashboard_link
from bot.dialogs.kudos import kudos
from bot.dialogs.prompts import survey_prompts
from bot.intents import (
    AnswerIntent,
    CommentIntent,
    DashboardIntent,
    HelpIntent,
    HomeIntent,
    Intent,
    IrritantIntent,
    KudosIntent,
    LanguageIntent,
)
from bot.outcome import Outcome
from bot.runtime import Runtime
from pulse.core.model import Person

__all__ = ["decide", "handle", "handle_as", "survey_prompts"]


async def handle(runtime: Runtime, intent: Intent) -> Outcome:
    """Resolve who is talking, run the matching dialog off the event loop, say what to do."""
    return await asyncio.to_thread(decide, runtime, intent)


async def handle_as(runtime: Runtime, intent: Intent, person: Person | None) -> Outcome:
    """The dialog for an actor the adapter already identified (None: politely refused)."""
    if person is None:
        return unknown_actor()
    # The store is synchronous: the turn runs in a worker thread, never on the event loop.
    return await asyncio.to_thread(decide, runtime, intent, person)


def decide(runtime: Runtime, intent: Intent, person: Person | None = None) -> Outcome:
    """One dialog turn in one transaction; `person` when the adapter already resolved the actor."""
    with runtime.store.batch():
        person = person or resolve_actor(runtime, intent.actor)
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
            case HomeIntent():
                return home(runtime, person)
