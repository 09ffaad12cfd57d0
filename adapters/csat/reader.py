"""Streaming CSV reading: a validating first pass, then records one row at a time.

The first pass decodes and parses every row without keeping any, so a file that is not UTF-8,
is not CSV, lacks a column or has ambiguous dates is refused whole, before anything is written.
Memory stays flat in file size: rows are never held together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from adapters.csat.dates import DateReader, detect
from adapters.csat.profiles import PROFILES, Options, Profile, Row
from pulse.core.errors import Invalid
from pulse.cx.service import RawRating, RowError


class FileRejected(Invalid):
    """The whole file is refused; `code` is machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def profile(name: str) -> Profile:
    """A mapping profile by name; FileRejected for an unknown one."""
    try:
        return PROFILES[name]
    except KeyError:
        raise FileRejected("unknown_profile", f"unknown profile {name!r}; choose from "
                           f"{', '.join(sorted(PROFILES))}") from None


def _rows(data: BinaryIO, prof: Profile, options: Options) -> Iterator[tuple[int, Row]]:
    """(data row number, {column: value}) for the columns the profile reads."""
    data.seek(0)
    text = io.TextIOWrapper(data, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise FileRejected("empty_file", "the file has no header row")
        # Only the columns the profile reads: a 61-column export costs little more than 5.
        picks = [(name, header.index(name)) for name in prof.uses(options) if name in header]
        width = len(header)
        n = 0
        for fields in reader:
            if not fields:
                continue  # blank line
            if len(fields) > width:
                raise FileRejected("bad_csv", f"row {n + 1} has more fields than the header")
            row = {name: fields[i] if i < len(fields) else "" for name, i in picks}
            if prof.skip_qualtrics_rows and n == 0 and _qualtrics_extra(row):
                continue
            n += 1
            yield n, row
    except UnicodeDecodeError as exc:
        raise FileRejected("not_utf8", f"the file is not UTF-8 ({exc.reason})") from None
    except csv.Error as exc:
        raise FileRejected("bad_csv", f"not a readable CSV: {exc}") from None
    finally:
        text.detach()  # leave the caller's file open


def _qualtrics_extra(row: Row) -> bool:
    # Qualtrics puts the question text row and the ImportId row under the header.
    value = (row.get("ResponseId") or "").strip()
    return value == "Response ID" or value.startswith('{"ImportId"')


def _header(data: BinaryIO) -> list[str]:
    data.seek(0)
    text = io.TextIOWrapper(data, encoding="utf-8-sig", newline="")
    try:
        return next(csv.reader(text), [])
    except UnicodeDecodeError as exc:
        raise FileRejected("not_utf8", f"the file is not UTF-8 ({exc.reason})") from None
    except csv.Error as exc:
        raise FileRejected("bad_csv", f"unreadable header: {exc}") from None
    finally:
        text.detach()


class CsvSource:
    """A validated CSV file mapped through a profile; iterate to get records or row errors."""

    def __init__(self, data: BinaryIO, profile_name: str, *, date_format: str | None,
                 timezone: str, options: Options,
                 progress: Callable[[int], None] | None = None) -> None:
        self.data, self.profile, self.options, self.progress = (
            data, profile(profile_name), options, progress)
        header = [h.strip() for h in _header(data)]
        missing = [c for c in self.profile.columns(options) if c not in header]
        if missing:
            raise FileRejected("missing_columns", f"profile {self.profile.name!r} needs columns "
                               f"{missing}; the file has {header[:12]}")
        fmt = date_format or self.profile.default_date_format
        self.date_counts: dict[str, int] = {}
        self.rows = 0
        if fmt == "auto":
            column = self.profile.date_column
            fmt, self.date_counts = detect(
                (n, row.get(column) or "") for n, row in _rows(data, self.profile, options))
        else:
            for n, _ in _rows(data, self.profile, options):  # validating pass: encoding, shape
                self.rows = n
        self.date_format = fmt
        self.dates = DateReader(fmt, timezone)

    def __iter__(self) -> Iterator[RawRating | RowError]:
        for n, row in _rows(self.data, self.profile, self.options):
            if self.progress is not None and n % 1000 == 0:
                self.progress(self.data.tell())
            item: RawRating | RowError
            try:
                item = self.profile.convert(row, n, self.dates, self.options)
            except (ValueError, ArithmeticError) as exc:
                # A row a profile did not foresee is that row's rejection, never a failed
                # import after earlier chunks were committed.
                item = RowError(n, "invalid_record", f"{type(exc).__name__}: {exc}"[:300])
            yield item

    def notes(self) -> dict[str, object]:
        """Date handling facts for the report."""
        return {"profile": self.profile.name, "date_format": self.dates.fmt,
                "date_detection": self.date_counts, "date_readings": dict(self.dates.stats)}
