"""Answering a pulse: a button press, then an optional comment."""

from __future__ import annotations

from bot.dialogs.common import anonymity_promise, notice, tr
from bot.dialogs.prompts import comment_request, follow_up_prompts
from bot.i18n import Translator
from bot.intents import AnswerIntent, CommentIntent
from bot.outcome import Outcome
from bot.replies import Reply, ThankYou
from bot.runtime import Runtime
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Person
from pulse.surveys import service as services
from pulse.surveys.service import AnswerOutcome


def answer(runtime: Runtime, person: Person, intent: AnswerIntent) -> Outcome:
    """Record one answer; thank and promise anonymity when the round is done, else ask the next."""
    t = tr(person)
    _ = t.gettext
    result = services.record_answer(runtime.store, runtime.clock, person, intent.round_id,
                                    intent.question_id, intent.value)
    if result.outcome is AnswerOutcome.DUPLICATE:
        return notice(_("Your answer was already counted; nothing changed."))
    if result.outcome is AnswerOutcome.CLOSED:
        return notice(_("This pulse is closed, so this answer was not recorded. "
                        "The next one will come soon."))
    if result.outcome is AnswerOutcome.NOT_INVITED:
        return notice(_("This question is not part of a pulse sent to you, "
                        "so nothing was recorded."))
    if result.outcome is AnswerOutcome.OUT_OF_SCALE:
        low, high = result.scale.bounds if result.scale else (1, 5)
        return notice(_("That answer is outside the scale ({low} to {high}), so nothing was "
                        "recorded. Please use the buttons.").format(low=low, high=high))
    if result.remaining:
        return Outcome(replace_prompt=follow_up_prompts(runtime, person, intent.round_id,
                                                        list(result.pending)))
    return Outcome(replace_prompt=thank_you(runtime, person, intent.round_id))


def thank_you(runtime: Runtime, person: Person, round_id: str) -> list[Reply]:
    """The thank-you that replaces a finished pulse, with the comment still on offer."""
    t = tr(person)
    title = t.gettext("Thank you, {name}!").format(name=person.display_name)
    text = t.gettext("Your answers are counted.") + " " + anonymity_promise(runtime, t)
    return [ThankYou(title, text), comment_request(t, round_id)]


def comment(runtime: Runtime, person: Person, intent: CommentIntent) -> Outcome:
    """Store a pulse comment (source 'pulse'); refuse politely when it cannot be attached."""
    t = tr(person)
    _ = t.gettext
    pulse_round = runtime.store.get_round(intent.round_id)
    if pulse_round is not None and not pulse_round.is_open(runtime.clock.now()):
        return notice(_("This pulse is closed, so your comment was not stored. "
                        "You can still tell us anything, any time, with /irritant."))
    try:
        services.add_comment(runtime.store, runtime.clock, person, intent.round_id, intent.text,
                             "pulse")
    except NotFound:
        return notice(_("This comment cannot be attached to a pulse sent to you, so nothing was "
                        "stored. You can tell us anything, any time, with /irritant."))
    except Invalid:
        return notice(_empty_or_long(t, intent.text))
    return notice(_("Thank you for your comment. It is read without your name, and only shown "
                    "once at least {k} comments have been collected.").format(k=runtime.k_comments))


def _empty_or_long(t: Translator, text: str) -> str:
    if not text.strip():
        return t.gettext("Your comment was empty, so nothing was stored.")
    return t.gettext("That is a bit long: please keep it under {max} characters. "
                     "Nothing was stored.").format(max=services.MAX_COMMENT)
