"""Every user-facing message exists in French, with the same placeholders, and catalogs compile."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import po_path, translator

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "adapters/web", "adapters/teams", "adapters/dashboard")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
KEYWORDS = {**DEFAULT_KEYWORDS, "words": None}  # the dashboard's Words: words("…"), who.words("…")


def extracted() -> set[str | tuple[str, ...]]:
    """Every msgid marked with _, gettext or ngettext in the source trees."""
    found: set[str | tuple[str, ...]] = set()
    for source in SOURCES:
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / source, method_map=METHODS, keywords=KEYWORDS
        ):
            found.add(message)
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_extraction_finds_the_dialog_messages() -> None:
    messages = extracted()
    assert "Your answer was already counted; nothing changed." in messages
    assert "Sign in to the Miroir dashboard" in messages  # from a dashboard template
    assert len(messages) > 30


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_every_message_is_in_the_catalog(locale: str) -> None:
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    ids = {m.id for m in catalog if m.id}
    missing = sorted(map(str, extracted() - ids))
    assert not missing, f"run tools/update_catalogs.py; not in {locale}: {missing}"


def test_every_message_has_a_french_translation_with_the_same_placeholders() -> None:
    with po_path("fr").open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    problems = []
    for msgid in extracted():
        message = catalog.get(msgid)
        if message is None or message.fuzzy:
            problems.append(f"missing or fuzzy: {msgid!r}")
            continue
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
            continue
        wanted = set().union(*(fields(i) for i in ids))
        for translated in strings:
            # a French singular may say "une question" where English says "{n} questions"
            if not fields(translated) <= wanted or not fields(ids[0]) <= fields(translated):
                problems.append(f"placeholders differ: {msgid!r} -> {translated!r}")
    assert not problems, "\n".join(problems)


def test_translator_picks_the_person_locale_and_plural_rules() -> None:
    fr, en = translator("fr"), translator("en")
    assert fr.gettext("Send") == "Envoyer"
    assert en.gettext("Send") == "Send"
    one = "Got it. One more question:"
    many = "Got it. {n} more questions:"
    assert fr.ngettext(one, many, 1).startswith("C'est noté. Encore une")
    assert fr.ngettext(one, many, 3).format(n=3) == "C'est noté. Encore 3 questions\u00a0:"
    assert en.ngettext(one, many, 2).format(n=2) == "Got it. 2 more questions:"
    assert translator("fr_FR").locale == "fr"
    assert translator("de").locale == "en"
