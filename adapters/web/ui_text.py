"""The page's own labels, from the same Babel catalogs as every chat reply."""

from __future__ import annotations

from bot.i18n import translator


def ui_strings(locale: str | None) -> dict[str, str]:
    """Every label the web chat page shows around the messages, in one language."""
    t = translator(locale)
    _ = t.gettext
    return {
        "locale": t.locale,
        "title": _("Miroir: local chat"),
        "tagline": _("Experience Miroir as an adviser or a manager, as Slack or Teams would "
                     "show it."),
        "pick": _("Who are you?"),
        "pick_hint": _("Pick a demo person to see Miroir through their eyes."),
        "no_people": _("No one can use the web chat yet: run `miroir demo` to create demo people."),
        "change_person": _("Change person"),
        "send_pulse": _("Send me a pulse now"),
        "pulse_sent": _("A pulse is on its way."),
        "input_placeholder": _("Type a command: /kudos @name message #value, /irritant text, "
                               "/miroir help"),
        "send": _("Send"),
        "cancel": _("Cancel"),
        "comment_placeholder": _("Your comment is read without your name…"),
        "team_channel": _("Team channel"),
        "empty_inbox": _("No messages yet. Ask for a pulse, or type /miroir help."),
        "empty_channel": _("Nothing posted in the team channel yet."),
        "you": _("You"),
        "adviser": _("Adviser"),
        "manager": _("Manager"),
        "admin": _("Administrator"),
        "cx_lead": _("CX lead"),
        "sign_in": _("Sign in to use the web chat: open your dashboard link, or sign in with "
                     "your organisation."),
        "sign_in_action": _("Sign in"),
        "private": _("Only you can see this"),
        "error": _("Something went wrong:"),
    }


def error_text(locale: str | None, key: str) -> str:
    """Errors a person can cause from the page, in their language."""
    _ = translator(locale).gettext
    messages = {
        "unknown_person": _("This person is not connected to the web chat."),
        "no_team": _("You are not in any team today, so there is no pulse to send."),
        "no_questions": _("The question bank is empty: run `miroir demo` or load questions."),
        "bad_request": _("That request was not understood."),
        "sign_in": _("Sign in first: the web chat acts only as the signed-in person."),
    }
    return messages[key]
