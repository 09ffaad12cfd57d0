"""Date parsing for CX files: explicit formats, a safe detector, and the NHS mixed-format rule.

Formats (`date_format`):
- `iso8601`, `unix`, or any strptime pattern (`%d/%m/%Y %H:%M`); aliases `dd/mm/yyyy`,
  `mm/dd/yyyy`, `yyyy-mm-dd`.
- `auto`: a first pass classifies every value. ISO 8601 or epoch → used as is. Day/month dates →
  dd/mm only if some value has a first field > 12 and none a second field > 12 (mm/dd the other way
  round). A file with both kinds, or with only ambiguous values (e.g. 03/04/2022), is refused.
- `dmy-mdy-run` (made for the NHS FFT file, which mixes 30/09/2021 and 9/30/2022): a value that
  only one reading accepts takes that reading; an ambiguous value takes the reading of the last
  decisive value in the same run (the profile's run column, e.g. the service), dd/mm before any.
  Every inherited reading is counted in the report.
Naive values are read in the upload's timezone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pulse.core.buckets import zone
from pulse.core.errors import Invalid
from pulse.cx.model import plausible, shown

_DM = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_UNIX = re.compile(r"^\d{9,10}(?:\.\d+)?$")
ALIASES = {"dd/mm/yyyy": "%d/%m/%Y", "mm/dd/yyyy": "%m/%d/%Y", "m/d/yyyy": "%m/%d/%Y",
           "yyyy-mm-dd": "%Y-%m-%d"}
NAMED = ("iso8601", "unix", "auto", "dmy-mdy-run", "dmy", "mdy")


class AmbiguousDates(Invalid):
    """The file's dates cannot be read safely without an explicit date_format."""


def _kind(value: str) -> str:
    text = value.strip()
    if not text:
        return "empty"
    if m := _DM.match(text):
        a, b = int(m[1]), int(m[2])
        if a > 12 and b <= 12:
            return "dmy"
        if b > 12 and a <= 12:
            return "mdy"
        return "either" if a <= 12 and b <= 12 else "invalid"
    if _UNIX.match(text):
        return "unix"
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return "invalid"
    return "iso8601"


def detect(values: Iterable[tuple[int, str]]) -> tuple[str, dict[str, int]]:
    """The single safe format of a column, or AmbiguousDates with counts and example rows."""
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for row, value in values:
        kind = _kind(value)
        counts[kind] += 1
        example.setdefault(kind, f"row {row}: {value.strip()!r}")
    decisive = [k for k in ("iso8601", "unix", "dmy", "mdy") if counts[k]]
    if len(decisive) > 1:
        shown = "; ".join(f"{counts[k]} {k} (e.g. {example[k]})" for k in decisive)
        raise AmbiguousDates(f"mixed date formats: {shown}. Pass date_format explicitly "
                             "(e.g. dd/mm/yyyy, or dmy-mdy-run for files that mix both)")
    if not decisive:
        if counts["either"]:
            raise AmbiguousDates(
                f"{counts['either']} dates read both as dd/mm and mm/dd (e.g. "
                f"{example['either']}) and none decides; pass date_format explicitly")
        raise AmbiguousDates("no readable date in the file")
    return decisive[0], dict(counts)


class DateReader:
    """Parses one column with one format; `stats` feeds the ingest report."""

    def __init__(self, fmt: str, timezone: str) -> None:
        fmt = ALIASES.get(fmt.strip().lower(), fmt.strip())
        if fmt not in NAMED and "%" not in fmt:
            raise Invalid(f"unknown date_format {fmt!r}: use iso8601, unix, auto, dmy-mdy-run, "
                          "dd/mm/yyyy, mm/dd/yyyy or a strptime pattern such as %d/%m/%Y")
        if fmt == "auto":
            raise Invalid("resolve 'auto' with detect() before reading")
        self.fmt = fmt
        self.tz: ZoneInfo = zone(timezone)
        self.stats: Counter[str] = Counter()
        self._run: dict[str, str] = {}

    def parse(self, value: str, run: str = "") -> datetime:
        """An aware UTC datetime; ValueError with a readable message otherwise."""
        try:
            at = self._parse(value, run)
        except (OverflowError, OSError) as exc:  # year 0001 at +05:00, a huge Unix time
            raise ValueError(f"{shown(value.strip())} is out of range ({exc})") from exc
        problem = plausible(at)
        if problem is not None:
            raise ValueError(f"{shown(value.strip())}: {problem}")
        return at

    def _parse(self, value: str, run: str) -> datetime:
        text = value.strip()
        if not text:
            raise ValueError("empty date")
        if self.fmt == "iso8601":
            at = datetime.fromisoformat(text)
        elif self.fmt == "unix":
            if not _UNIX.match(text):
                raise ValueError(f"{text!r} is not a Unix timestamp")
            return datetime.fromtimestamp(float(text), UTC)
        elif self.fmt in ("dmy", "mdy", "dmy-mdy-run"):
            at = self._day_month(text, run)
        else:
            at = datetime.strptime(text, self.fmt)  # noqa: DTZ007  (the zone is attached below)
        if at.tzinfo is None:
            at = at.replace(tzinfo=self.tz)
        return at.astimezone(UTC)

    def _day_month(self, text: str, run: str) -> datetime:
        m = _DM.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a day/month/year date")
        kind = _kind(text)
        if self.fmt != "dmy-mdy-run":
            reading = self.fmt
        elif kind in ("dmy", "mdy"):
            reading = self._run[run] = kind
            self.stats[f"{kind}_decisive"] += 1
        elif m[1] == m[2]:
            reading = "dmy"  # same day either way
            self.stats["same_either_way"] += 1
        else:
            reading = self._run.get(run, "dmy")
            self.stats[f"{reading}_inherited"] += 1
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (a, b) if reading == "dmy" else (b, a)
        # Naive on purpose: the caller attaches the file's zone.
        return datetime(year, month, day, int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))  # noqa: DTZ001
