"""Extract every message from bot/ and adapters/{web,slack,teams,dashboard}/ (Python and the
dashboard's Jinja2 templates) into bot/locales/*/miroir.po.

Run `python tools/update_catalogs.py` after adding or changing a user-facing string, then
translate the new French entries (tests/test_i18n.py fails while one is missing).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("bot", "adapters/web", "adapters/slack", "adapters/teams", "adapters/dashboard")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
KEYWORDS = {**DEFAULT_KEYWORDS, "words": None}  # the dashboard's Words: words("…"), who.words("…")
LOCALES = ROOT / "bot" / "locales"


def extract() -> Catalog:
    """A template catalog of every message marked in the source directories."""
    template = Catalog(project="Miroir", msgid_bugs_address="", copyright_holder="Miroir")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source, method_map=METHODS, keywords=KEYWORDS,
            comment_tags=("Translators:",),
        ):
            template.add(message, None, [(f"{source}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def merge(template: Catalog, locale: str) -> tuple[int, int]:
    """Write the locale's catalog with the template's messages; (messages, untranslated)."""
    path = LOCALES / locale / "LC_MESSAGES" / "miroir.po"
    old: Catalog | None = None
    if path.exists():
        with path.open("rb") as fh:
            old = read_po(fh, locale=locale)
    catalog = Catalog(locale=locale, project="Miroir", copyright_holder="Miroir",
                      msgid_bugs_address="", last_translator="Miroir contributors",
                      language_team=f"Miroir {locale}", fuzzy=False)
    if old is not None:
        # Keep the catalog's own plural rule: newer Babel releases give French three CLDR forms,
        # which would leave every existing two-form translation incomplete.
        catalog.mime_headers = [("Plural-Forms", old.plural_forms)]
    untranslated = 0
    for message in template:
        if not message.id:
            continue
        previous = old.get(message.id, message.context) if old is not None else None
        string = previous.string if previous is not None else ("", "") if message.pluralizable \
            else ""
        catalog.add(message.id, string, message.locations, auto_comments=message.auto_comments,
                    context=message.context)
        if locale != "en" and not (all(string) if isinstance(string, tuple) else string):
            untranslated += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, include_lineno=False, include_previous=False)
    return len(catalog), untranslated


def main() -> int:
    template = extract()
    for locale in ("fr", "en"):
        count, missing = merge(template, locale)
        print(f"{locale}: {count} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
