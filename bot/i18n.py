"""Every string a person reads, in French or English, from the Babel catalogs in bot/locales/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from pulse.core.model import Locale

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "miroir"
SUPPORTED: tuple[str, ...] = tuple(str(loc) for loc in Locale)
DEFAULT = "en"  # source strings are English, so an unknown locale still reads well


@dataclass(frozen=True)
class Translator:
    """gettext and ngettext bound to one locale."""

    locale: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]


def normalize(locale: str | Locale | None) -> str:
    """'fr', 'fr_FR', 'FR-ca' → 'fr'; anything unsupported → the default."""
    code = str(locale or "").strip().lower().replace("-", "_").split("_")[0]
    return code if code in SUPPORTED else DEFAULT


def po_path(locale: str) -> Path:
    """Where the catalog of one locale lives."""
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> Translations:
    """The compiled catalog of one locale; compiled in memory once, so no .mo file is shipped."""
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def translator(locale: str | Locale | None) -> Translator:
    """The gettext/ngettext pair for a person's locale."""
    code = normalize(locale)
    trans = translations(code)
    return Translator(code, trans.gettext, trans.ngettext)
