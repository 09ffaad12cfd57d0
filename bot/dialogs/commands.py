"""/irritant, help and the language switch."""

from __future__ import annotations

from bot.dialogs.common import notice, tr
from bot.home import sections
from bot.intents import IrritantIntent, LanguageIntent
from bot.outcome import Outcome
from bot.replies import Help, Notice
from bot.runtime import Runtime
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Locale, Person
from pulse.surveys import service as services


def irritant(runtime: Runtime, person: Person, intent: IrritantIntent) -> Outcome:
    """Store an irritant (a comment with source 'irritant'); classify and route it later."""
    t = tr(person)
    _ = t.gettext
    if not intent.text.strip():
        return notice(_("Tell us what gets in your way: write /irritant followed by a few words, "
                        "for example: /irritant The CRM freezes every morning."))
    try:
        services.add_comment(runtime.store, runtime.clock, person, None, intent.text, "irritant")
    except (Invalid, NotFound):
        return notice(_("That is a bit long: please keep it under {max} characters. "
                        "Nothing was stored.").format(max=services.MAX_COMMENT))
    return notice(_("Thank you, your irritant is recorded. Before anyone reads it, your name and "
                    "any @mentions are removed; it reaches the people who can act on it when "
                    "the week ends, together with the others raised that week, never alone; "
                    "you will hear back when it moves."))


def help_reply(runtime: Runtime, person: Person) -> Outcome:
    """What Miroir can do, in the person's language."""
    t = tr(person)
    _ = t.gettext
    lines = (
        _("Answer a pulse with the buttons in the message; add a comment if you like."),
        _("/irritant TEXT: report what gets in your way, anonymously."),
        _("/kudos @name message #value: thank one or more colleagues "
          "(add --private to keep it between you)."),
        _("/miroir lang fr or /miroir lang en: change the language I use with you."),
        _("/miroir dashboard: a sign-in link to your web dashboard."),
        _("/miroir home: your recent answers, kudos and your team's published pulse."),
        _("Results are only shown once at least {k} people have answered; "
          "nobody sees your individual answers.").format(k=runtime.k_scores),
    )
    return Outcome(replies=[Help(_("Miroir: what I can do for you"), lines)])


def home(runtime: Runtime, person: Person) -> Outcome:
    """The home in a chat message (Teams has no home tab): the same sections as Slack's."""
    text = "\n\n".join("\n".join([title, *lines]) for title, lines in sections(runtime, person))
    return Outcome(replies=[Notice(text, private=True)])


def language(runtime: Runtime, person: Person, intent: LanguageIntent) -> Outcome:
    """Switch the person's language to fr or en; answer in the new one."""
    code = intent.locale.strip().lower()
    if code not in {str(loc) for loc in Locale}:
        return notice(tr(person).gettext(
            "I only speak French and English: write /miroir lang fr or /miroir lang en."))
    runtime.store.set_locale(person.id, Locale(code))
    updated = runtime.store.get_person(person.id) or person
    _ = tr(updated).gettext
    # Translators: name the language of this catalog, the one the person just chose.
    return notice(_("Done: I will speak English with you from now on."))
