"""What each outbox message says, built at send time from the payload (so it is never stale)."""

from __future__ import annotations

from typing import Any

from bot.dialogs import survey_prompts
from bot.dialogs.common import names, tr
from bot.replies import Notice, Reply
from bot.runtime import Runtime
from pulse.core.model import Person


def build_message(runtime: Runtime, person: Person, payload: dict[str, Any]) -> list[Reply]:
    """The replies for one outbox payload; [] when there is nothing left to say."""
    kind = payload.get("kind")
    if kind == "pulse":
        return pulse_message(runtime, person, str(payload.get("round_id", "")))
    if kind == "reminder":
        return reminder_message(runtime, person, str(payload.get("round_id", "")))
    if kind == "nudge":
        members = [str(m) for m in payload.get("member_ids", [])]
        return nudge_message(runtime, person, members, int(payload.get("days", 30)))
    raise ValueError(f"unknown outbox message kind {kind!r}")


def pulse_message(runtime: Runtime, person: Person, round_id: str) -> list[Reply]:
    """The pulse as the conversation layer words it (one prompt per unanswered question)."""
    return survey_prompts(runtime, person, round_id)


def reminder_message(runtime: Runtime, person: Person, round_id: str) -> list[Reply]:
    """The one reminder: nothing once the person has answered anything in the round."""
    if runtime.store.answered_questions(round_id, person.id):
        return []
    prompts = pulse_message(runtime, person, round_id)
    if not prompts:
        return []
    t = tr(person)
    return [Notice(t.gettext("A gentle reminder: your pulse is still waiting for you. "
                             "This is the only reminder.")), *prompts]


def nudge_message(
    runtime: Runtime, manager: Person, member_ids: list[str], days: int
) -> list[Reply]:
    """Name the team members without recognition; nothing if there are none."""
    people = [runtime.store.get_person(pid) for pid in member_ids]
    who = sorted(p.display_name for p in people if p is not None)
    if not who:
        return []
    t = tr(manager)
    text = t.ngettext(
        "Recognition: {names} has had no kudos for {days} days. "
        "A specific thank-you counts (/kudos @name message).",
        "Recognition: {names} have had no kudos for {days} days. "
        "A specific thank-you counts (/kudos @name message).",
        len(who),
    ).format(names=names(t, who), days=days)
    return [Notice(text)]
