"""Redaction of free text: e-mails, @mentions, phone numbers and the names of the roster.

Names are matched the way people type them: case-insensitively and without accents ("zoe
lefevre" and "Chloe" are "Zoé Lefèvre" and "Chloé"), with spaces and hyphens interchangeable
("jean pierre" is "Jean-Pierre"), and every part of a name, short ones included ("Li"), as a
whole word only ("Ada" never hides "Adaptation"). Name particles ("de", "la", "van") are not
redacted alone: they are ordinary words in French and would hide half the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pulse.core.model import Person

REDACTED = "[…]"
MIN_PART = 2  # one letter is an initial, not a name
PARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "d", "l", "van", "von", "der",
                       "den", "di", "da", "del", "dos", "das", "el", "al", "y", "e", "of"})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MENTION = re.compile(r"(?<![\w@])@[\w.\-]+|<@[A-Z0-9]+>")
# FR: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78; EN/UK/US: +44 20 7946 0958,
# 07700 900123, (555) 123-4567, 555-123-4567. Eight or more digits with separators.
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\(?\d[\d .\-()]{6,}\d(?![\w])")
_SEP = re.compile(r"[\s\-'’]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Zoé Lefèvre' → 'zoe lefevre' (ligatures kept as letters)."""
    out = []
    for char in text:
        plain = "".join(c for c in unicodedata.normalize("NFKD", char)
                        if not unicodedata.combining(c))
        out.append(plain.casefold())
    return "".join(out)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one."""
    chars: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        for c in fold(char):
            chars.append(c)
            where.append(i)
    return "".join(chars), where


def name_patterns(people: Iterable[Person]) -> list[str]:
    """Folded regex sources for every full name and name part, longest first."""
    found: set[str] = set()
    for person in people:
        parts = [p for p in _SEP.split(fold(person.display_name.strip())) if p]
        if not parts:
            continue
        found.add(r"[\s\-'’]+".join(re.escape(p) for p in parts))
        found.update(re.escape(p) for p in parts if len(p) >= MIN_PART and p not in PARTICLES)
    return sorted(found, key=lambda s: (-len(s), s))


def redact_names(text: str, people: Iterable[Person]) -> str:
    """Replace roster names, matched folded and as whole words, by the redaction mark."""
    patterns = name_patterns(people)
    if not patterns or not text:
        return text
    folded, where = _folded_with_map(text)
    matcher = re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")
    spans = [(where[m.start()], where[m.end() - 1] + 1) for m in matcher.finditer(folded)
             if m.end() > m.start()]
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(REDACTED)
        last = end
    out.append(text[last:])
    return "".join(out)


def anonymise(text: str, people: Iterable[Person]) -> str:
    """Remove e-mails, @mentions, phone numbers and the names of people in the roster."""
    out = _EMAIL.sub(REDACTED, text)
    out = _MENTION.sub(REDACTED, out)
    out = _PHONE.sub(lambda m: REDACTED if sum(c.isdigit() for c in m.group()) >= 8
                     else m.group(), out)
    return redact_names(out, people)
