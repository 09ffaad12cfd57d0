"""Roster CSV: reading and row-level validation, as pure functions over plain values."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from pulse.core.errors import Invalid
from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant

REQUIRED = ("team_id", "team_name", "person_id", "display_name", "role", "valid_from")
OPTIONAL = ("tenant", "parent_team_id", "email", "locale", "timezone", "slack_id", "teams_id",
            "slack_workspace", "teams_tenant")
ANY_WORKSPACE = "*"  # a chat id imported without its workspace / tenant id
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RosterFileError(Invalid):
    """The file cannot be read as a roster at all (encoding, CSV syntax, columns)."""


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class Row:
    """One validated CSV row; `person` is None for a row that only declares a team."""

    line: int
    team_id: str
    team_name: str
    parent_id: str
    person: Person | None = None
    valid_from: date | None = None
    identities: tuple[tuple[str, str, str], ...] = ()  # (platform, workspace, external id)


@dataclass(frozen=True)
class RosterState:
    """What the store already holds that the file's rows touch."""

    tenant: Tenant
    tenant_exists: bool
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)  # any tenant, ids found in the file
    memberships: dict[str, list[Membership]] = field(default_factory=dict)
    identities: dict[tuple[str, str, str], str] = field(default_factory=dict)  # → person id


@dataclass(frozen=True)
class RosterChanges:
    """Everything one import writes, in dependency order (teams are parents first)."""

    tenant: Tenant | None = None
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
    closed: tuple[tuple[Membership, date], ...] = ()  # open membership, its new valid_to
    opened: tuple[Membership, ...] = ()
    identities: tuple[tuple[str, str, str, str], ...] = ()  # platform, workspace, ext id, person


def read_csv(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields) rows; raises RosterFileError when unusable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError(f"the file is not UTF-8 text (byte {exc.start}); "
                              "save it as 'CSV UTF-8'") from exc
    first = text.split("\n", 1)[0]
    # French spreadsheets export with semicolons; pick the separator the header uses.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        rows = [(reader.line_num, r) for r in reader if any(cell.strip() for cell in r)]
    except csv.Error as exc:
        raise RosterFileError(f"malformed CSV near line {reader.line_num}: {exc}") from exc
    if not any(header):
        raise RosterFileError("the file is empty: expected a header line with "
                              + ", ".join(REQUIRED))
    duplicated = sorted({h for h in header if header.count(h) > 1})
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unknown:
        problems.append("unknown columns: " + ", ".join(unknown))
    if duplicated:
        problems.append("repeated columns: " + ", ".join(duplicated))
    if problems:
        raise RosterFileError("; ".join(problems) + ". Columns: " + ", ".join(REQUIRED + OPTIONAL))
    return header, rows


def validate_row(
    line: int,
    header: list[str],
    cells: list[str],
    tenant: Tenant,
    slack_workspace: str = ANY_WORKSPACE,
    teams_tenant: str = ANY_WORKSPACE,
) -> Row | list[Rejection]:
    """One row checked on its own (formats, enums, dates); the cross-row rules come later."""
    if len(cells) != len(header):
        return [Rejection(line, "*", f"expected {len(header)} fields, found {len(cells)}")]
    v = {h: c.strip() for h, c in zip(header, cells, strict=True)}
    errors: list[Rejection] = []

    def bad(name: str, message: str) -> None:
        errors.append(Rejection(line, name, message))

    if v.get("tenant") and v["tenant"] != tenant.id:
        bad("tenant", f"{v['tenant']!r} is not the tenant being imported ({tenant.id!r})")
    for name in ("team_id", "parent_team_id", "person_id"):
        if v.get(name) and not _ID.match(v[name]):
            bad(name, f"{v[name]!r} is not a valid id (letters, digits, . _ : @ -, max 64)")
    if not v["team_id"]:
        bad("team_id", "is required")
    if v.get("parent_team_id") and v["parent_team_id"] == v["team_id"]:
        bad("parent_team_id", "a team cannot be its own parent")
    person_fields = ("display_name", "email", "role", "valid_from", "slack_id", "teams_id")
    if not v["person_id"]:
        if any(v.get(name) for name in person_fields):
            bad("person_id", "is required on a row that describes a person")
        if errors:
            return errors
        return Row(line, v["team_id"], v["team_name"], v.get("parent_team_id", ""))

    if not v["display_name"]:
        bad("display_name", "is required")
    elif len(v["display_name"]) > 200:
        bad("display_name", "is longer than 200 characters")
    if v.get("email") and not _EMAIL.match(v["email"]):
        bad("email", f"{v['email']!r} is not an email address")
    if v["role"] not in set(Role):
        bad("role", f"{v['role']!r} is not one of adviser, manager, cx_lead, admin")
    locale = v.get("locale") or str(tenant.locale)
    if locale not in set(Locale):
        bad("locale", f"{locale!r} is not one of fr, en")
    timezone = v.get("timezone") or tenant.timezone
    if not _is_timezone(timezone):
        bad("timezone", f"{timezone!r} is not an IANA time zone (e.g. Europe/Paris)")
    valid_from = _day(v["valid_from"])
    if valid_from is None:
        bad("valid_from", f"{v['valid_from']!r} is not a date in YYYY-MM-DD form")
    if errors:
        return errors
    person = Person(v["person_id"], tenant.id, v["display_name"], Role(v["role"]),
                    Locale(locale), timezone, v.get("email") or None)
    identities = []
    if v.get("slack_id"):
        identities.append(("slack", v.get("slack_workspace") or slack_workspace, v["slack_id"]))
    if v.get("teams_id"):
        identities.append(("teams", v.get("teams_tenant") or teams_tenant, v["teams_id"]))
    return Row(line, v["team_id"], v["team_name"], v.get("parent_team_id", ""), person,
               valid_from, tuple(identities))


def _is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, or ValueError for malformed keys
        return False
    return True


def _day(text: str) -> date | None:
    if not _DAY.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
