"""Roster CSV import: file errors, row-level rejections, one transaction, effective-dated moves."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.db.store import SqlStore
from pulse.core.errors import Invalid
from pulse.core.model import Locale, Membership, Role, Team, Tenant
from pulse.roster.rows import RosterFileError, read_csv
from pulse.roster.service import import_roster
from testing.roster_csv import GOOD, HEADER, csv_bytes


def test_valid_file_imports_teams_people_memberships_identities(store: SqlStore) -> None:
    report = import_roster(store, csv_bytes(*GOOD), "acme", slack_workspace="T42")
    assert report.applied and report.rejections == []
    assert store.get_tenant("acme") == Tenant("acme", "acme")
    assert {t.id: t.parent_id for t in store.list_teams("acme")} == {
        "sc": None, "b2c": "sc", "pro": "sc"}
    ben = store.get_person("ben")
    assert ben is not None and ben.role is Role.MANAGER and ben.locale is Locale.EN
    assert ben.timezone == "Europe/London"
    chloe = store.get_person("chloe")
    assert chloe is not None and chloe.locale is Locale.FR and chloe.timezone == "Europe/Paris"
    assert store.team_of("ana", date(2026, 1, 5)) == "b2c"
    assert store.team_of("ana", date(2026, 1, 4)) is None
    assert store.person_by_identity("slack", "T42", "U1") == store.get_person("ana")
    assert store.identities_of("ben") == [("teams", "*", "aad-ben")]
    assert report.counts["people_created"] == 3 and report.counts["teams_created"] == 3


def test_reimport_changes_nothing(store: SqlStore) -> None:
    import_roster(store, csv_bytes(*GOOD), "acme")
    again = import_roster(store, csv_bytes(*GOOD), "acme")
    assert again.rejections == []
    assert again.counts["people_unchanged"] == 3 and again.counts["people_created"] == 0
    assert again.changes.teams == () and again.changes.opened == ()
    assert len(store.memberships("acme")) == 3


def test_move_closes_old_membership_the_day_before(store: SqlStore) -> None:
    import_roster(store, csv_bytes(*GOOD), "acme")
    moved = import_roster(store, csv_bytes(
        "pro,,,ana,Ana Lopes,ana@example.com,adviser,fr,Europe/Paris,,,2026-03-01"), "acme")
    assert moved.rejections == [] and moved.counts["people_moved"] == 1
    assert store.team_of("ana", date(2026, 2, 28)) == "b2c"
    assert store.team_of("ana", date(2026, 3, 1)) == "pro"
    history = sorted((m for m in store.memberships("acme") if m.person_id == "ana"),
                     key=lambda m: m.valid_from)
    assert history == [Membership("ana", "b2c", date(2026, 1, 5), date(2026, 3, 1)),
                       Membership("ana", "pro", date(2026, 3, 1))]
    back_in_time = import_roster(store, csv_bytes(
        "b2c,,,ana,Ana Lopes,,adviser,fr,,,,2026-02-01"), "acme")
    assert [(r.line, r.field) for r in back_in_time.rejections] == [(2, "valid_from")]


def test_bad_rows_are_reported_and_valid_rows_imported(store: SqlStore) -> None:
    report = import_roster(store, csv_bytes(
        *GOOD,
        "b2c,,,dan,Dan,not-an-email,boss,de,Mars/Olympus,,,2026-13-01",
        "b2c,,,ana,Ana Again,,adviser,fr,,,,2026-01-05",
        "zzz,,,eve,Eve,,adviser,fr,,,,2026-01-05",
        "b2c,,,fay,Fay,,adviser,fr,,U1,,2026-01-05",
        "b2c,only,three",
    ), "acme")
    assert report.applied
    got = {(r.line, r.field) for r in report.rejections}
    assert {(6, "email"), (6, "role"), (6, "locale"), (6, "timezone"), (6, "valid_from"),
            (7, "person_id"), (8, "team_name"), (9, "slack_id"), (10, "*")} == got
    assert all(r.message for r in report.rejections)
    assert {p.id for p in store.list_people("acme")} == {"ana", "ben", "chloe"}
    assert store.get_person("ana").display_name == "Ana Lopes"  # type: ignore[union-attr]


def test_strict_refuses_the_whole_file(store: SqlStore) -> None:
    report = import_roster(store, csv_bytes(*GOOD, "b2c,,,dan,Dan,,boss,fr,,,,2026-01-05"),
                           "acme", strict=True)
    assert not report.applied and len(report.rejections) == 1
    assert store.get_tenant("acme") is None and store.list_people("acme") == []


def test_team_cycles_and_contradictions_are_rejected(store: SqlStore) -> None:
    report = import_roster(store, csv_bytes(
        "a,Team A,b,,,,,,,,,",
        "b,Team B,a,,,,,,,,,",
        "c,Team C,,,,,,,,,,",
        "c,Team Sea,,,,,,,,,,",
    ), "acme")
    assert {(r.line, r.field) for r in report.rejections} >= {(5, "team_name")}
    assert any(r.field == "parent_team_id" and "ancestor" in r.message for r in report.rejections)
    assert [t.name for t in store.list_teams("acme") if t.id == "c"] == ["Team C"]


def test_database_error_imports_nothing(store: SqlStore) -> None:
    store.add_tenant(Tenant("other", "Other"))
    store.add_team(Team("pro", "other", "Someone else's team"))
    with pytest.raises(Invalid, match="another tenant"):
        import_roster(store, csv_bytes(*GOOD), "acme")
    assert store.get_tenant("acme") is None
    assert store.get_person("ana") is None


def test_dry_run_writes_nothing(store: SqlStore) -> None:
    report = import_roster(store, csv_bytes(*GOOD), "acme", dry_run=True)
    assert not report.applied and report.counts["people_created"] == 3
    assert store.get_tenant("acme") is None


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"team_id,person_id\n", "missing columns: team_name, display_name, role, valid_from"),
    ((HEADER + ",shoe_size\n").encode(), "unknown columns: shoe_size"),
    ((HEADER + ",role\n").encode(), "repeated columns: role"),
    (b"\xff\xfe" + HEADER.encode("utf-16-le"), "not UTF-8"),
    ((HEADER + '\nb2c,"Support "x",,,,,,,,,,\n').encode(), "malformed CSV"),
])
def test_unusable_files_raise_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(RosterFileError, match=message):
        read_csv(data)


def test_semicolon_and_bom_are_accepted() -> None:
    header, rows = read_csv(("\ufeff" + HEADER.replace(",", ";") + "\n"
                             + GOOD[1].replace(",", ";") + "\n").encode())
    assert header[0] == "team_id" and rows[0][0] == 2 and rows[0][1][3] == "ana"
