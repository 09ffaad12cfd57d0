"""The pulse as a person sees it: one SurveyPrompt per question still unanswered."""

from __future__ import annotations

from bot.dialogs.common import tr
from bot.i18n import Translator
from bot.replies import Choice, CommentRequest, Reply, SurveyPrompt
from bot.runtime import Runtime
from pulse.core.model import Person
from pulse.surveys.model import PulseRound, Question, Scale


def survey_prompts(runtime: Runtime, person: Person, round_id: str) -> list[Reply]:
    """What to send a person invited to a round: a prompt per unanswered question, or nothing.

    Used by the delivery scheduler, every chat platform and the web chat; returns [] when the
    person is not invited, the round is closed or every question is answered.
    """
    t = tr(person)
    pending = _pending(runtime, person, round_id)
    if not pending:
        return []
    n = len(pending)
    intro = t.ngettext(
        "Hi {name}, a quick pulse: one question, a few seconds.",
        "Hi {name}, a quick pulse: {n} questions, under 30 seconds.",
        n,
    ).format(name=person.display_name, n=n)
    return prompts_for(runtime, t, round_id, pending, intro)


def follow_up_prompts(
    runtime: Runtime, person: Person, round_id: str, pending: list[Question]
) -> list[Reply]:
    """The questions left after an answer (already read by it), introduced as a follow-up rather
    than a new pulse."""
    t = tr(person)
    if not pending:
        return []
    n = len(pending)
    intro = t.ngettext("Got it. One more question:", "Got it. {n} more questions:", n).format(n=n)
    return prompts_for(runtime, t, round_id, pending, intro)


def prompts_for(
    runtime: Runtime, t: Translator, round_id: str, questions: list[Question], intro: str
) -> list[Reply]:
    """Build the prompts: the intro on the first, the anonymity footer on the last."""
    footer = t.gettext(
        "Anonymous: your team's results are only shown once {k} people have answered."
    ).format(k=runtime.k_scores)
    prompts: list[Reply] = []
    for index, question in enumerate(questions):
        prompts.append(_prompt(t, round_id, question,
                               intro if index == 0 else "",
                               footer if index == len(questions) - 1 else ""))
    return prompts


def comment_request(t: Translator, round_id: str) -> CommentRequest:
    """The optional comment offered with a pulse and after the thank-you."""
    return CommentRequest(
        round_id=round_id,
        title=t.gettext("Anything to add? (optional)"),
        placeholder=t.gettext("Your comment is read without your name…"),
        submit_label=t.gettext("Send"),
    )


def _pending(runtime: Runtime, person: Person, round_id: str) -> list[Question]:
    store = runtime.store
    pulse_round: PulseRound | None = store.get_round(round_id)
    invitation = store.get_invitation(round_id, person.id)
    if pulse_round is None or invitation is None or not pulse_round.is_open(runtime.clock.now()):
        return []
    done = store.answered_questions(round_id, person.id)
    pending = []
    for question_id in invitation.question_ids:
        question = store.get_question(question_id)
        if question is not None and question_id not in done:
            pending.append(question)
    return pending


def _prompt(
    t: Translator, round_id: str, question: Question, intro: str, footer: str
) -> SurveyPrompt:
    low, high = question.scale.bounds
    choices = tuple(
        Choice(str(v), {"round_id": round_id, "question_id": question.id, "value": v})
        for v in range(low, high + 1)
    )
    if question.scale is Scale.NPS11:
        low_label, high_label = t.gettext("Not at all likely"), t.gettext("Extremely likely")
    else:
        low_label, high_label = t.gettext("Strongly disagree"), t.gettext("Strongly agree")
    return SurveyPrompt(
        round_id=round_id,
        question_id=question.id,
        question=question.text(t.locale),
        choices=choices,
        low_label=low_label,
        high_label=high_label,
        allow_comment=True,
        comment_label=t.gettext("Add a comment"),
        intro=intro,
        footer=footer,
    )
