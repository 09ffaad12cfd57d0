"""What each outbox message says, built at send time from the payload (so it is never stale)."""

from __future__ import annotations

from typing import Any

from bot.delivery_text import text
from bot.replies import Choice, Notice, Reply, SurveyPrompt
from bot.runtime import Runtime
from pulse.model import Person, Question, Scale


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
    """The swap point for the conversation layer's `bot.dialogs.survey_prompts`."""
    return _survey_prompts(runtime, person, round_id)


def reminder_message(runtime: Runtime, person: Person, round_id: str) -> list[Reply]:
    """The one reminder: nothing once the person has answered anything in the round."""
    if runtime.store.answered_questions(round_id, person.id):
        return []
    prompts = pulse_message(runtime, person, round_id)
    return [Notice(text("reminder", person.locale)), *prompts] if prompts else []


def nudge_message(
    runtime: Runtime, manager: Person, member_ids: list[str], days: int
) -> list[Reply]:
    """Name the team members without recognition; nothing if there are none."""
    people = [runtime.store.get_person(pid) for pid in member_ids]
    names = sorted(p.display_name for p in people if p is not None)
    if not names:
        return []
    key = "nudge_one" if len(names) == 1 else "nudge"
    return [Notice(text(key, manager.locale, names=", ".join(names), days=days))]


def _survey_prompts(runtime: Runtime, person: Person, round_id: str) -> list[Reply]:
    # Stand-in until bot.dialogs.survey_prompts lands on main: one prompt per unanswered question.
    store = runtime.store
    pulse_round = store.get_round(round_id)
    invitation = store.get_invitation(round_id, person.id)
    if pulse_round is None or invitation is None or not pulse_round.is_open(runtime.clock.now()):
        return []
    done = store.answered_questions(round_id, person.id)
    questions = [q for q in (store.get_question(qid) for qid in invitation.question_ids)
                 if q is not None and q.id not in done]
    prompts: list[Reply] = []
    for index, question in enumerate(questions):
        intro = (text("pulse_intro", person.locale, name=person.display_name, n=len(questions))
                 if index == 0 else "")
        footer = (text("anonymity", person.locale, k=runtime.k_scores)
                  if index == len(questions) - 1 else "")
        prompts.append(_prompt(person, round_id, question, intro, footer))
    return prompts


def _prompt(person: Person, round_id: str, question: Question, intro: str, footer: str) -> Reply:
    low, high = question.scale.bounds
    nps = question.scale is Scale.NPS11
    return SurveyPrompt(
        round_id=round_id, question_id=question.id, question=question.text(person.locale),
        choices=tuple(Choice(str(v), {"round_id": round_id, "question_id": question.id,
                                      "value": v}) for v in range(low, high + 1)),
        low_label=text("nps_low" if nps else "agree_low", person.locale),
        high_label=text("nps_high" if nps else "agree_high", person.locale),
        allow_comment=True, comment_label=text("add_comment", person.locale),
        intro=intro, footer=footer)
