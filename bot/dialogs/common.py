"""Helpers every dialog shares: who is talking, in which language, the anonymity promise."""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from bot.i18n import Translator, translator
from bot.intents import Actor
from bot.outcome import Outcome
from bot.replies import Notice
from bot.runtime import Runtime
from pulse.core.model import Person


def resolve_actor(runtime: Runtime, actor: Actor) -> Person | None:
    """The Miroir person behind a platform identity, or None."""
    return runtime.store.person_by_identity(actor.platform, actor.workspace, actor.external_id)


def unknown_actor() -> Outcome:
    """A polite refusal for someone we cannot identify; we do not know their language, so both."""
    lines = []
    for code in ("fr", "en"):
        _ = translator(code).gettext
        lines.append(_("I don't know you yet, so nothing was recorded. "
                       "Ask your Miroir administrator to add you."))
    return Outcome(replies=[Notice("\n".join(lines))])


def tr(person: Person) -> Translator:
    """The translator for a person's own language."""
    return translator(person.locale)


def names(t: Translator, items: Sequence[str]) -> str:
    """'Ada, Bob and Carl' / 'Ada, Bob et Carl'."""
    return format_list(list(items), locale=t.locale) if items else ""


def anonymity_promise(runtime: Runtime, t: Translator) -> str:
    """Who sees what, from how many answers: repeated every time someone answers."""
    return t.gettext(
        "Your manager and the customer-experience team only see your team's results once at "
        "least {k_scores} people have answered, and comments only in groups of at least "
        "{k_comments}, without names. Nobody ever sees your individual answers."
    ).format(k_scores=runtime.k_scores, k_comments=runtime.k_comments)


def notice(text: str) -> Outcome:
    """An outcome made of one private notice to the actor."""
    return Outcome(replies=[Notice(text)])
