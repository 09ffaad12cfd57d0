"""Inputs a schema accepts but nothing downstream can use: refused at the edge with a 422.

JSON lets a string hold a lone UTF-16 surrogate ("\\ud800"); Python decodes it and the database
driver then fails to encode it. A date or time in year 0001 or 9999 overflows as soon as a day is
added or a timezone applied. These types refuse both while the request is validated.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

MIN_YEAR, MAX_YEAR = 1970, 2999  # the API's other dates use the same bounds


def encodable(text: str) -> str:
    """`text` unchanged if it is valid Unicode (no lone surrogate); ValueError otherwise."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains an unpaired surrogate at position {exc.start}") from exc
    return text


def within_years(day: date) -> date:
    """`day` (or a datetime) unchanged if its year is in MIN_YEAR..MAX_YEAR; ValueError if not."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"year {day.year} is outside {MIN_YEAR}..{MAX_YEAR}")
    return day


Utf8 = Annotated[str, AfterValidator(encodable)]
Day = Annotated[date, AfterValidator(within_years)]
Instant = Annotated[AwareDatetime, AfterValidator(within_years)]
