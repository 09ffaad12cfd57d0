"""Roster import: cross-row rules (teams, moves, identities) and the import use case."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from pulse.core.model import Membership, Person, Team, Tenant
from pulse.roster.ports import RosterStore
from pulse.roster.rows import (
    ANY_WORKSPACE,
    Rejection,
    RosterChanges,
    RosterState,
    Row,
    read_csv,
    validate_row,
)


@dataclass
class RosterReport:
    """What an import found and did; `applied` is False for a dry run or a strict refusal."""

    rows: int
    rejections: list[Rejection]
    changes: RosterChanges
    counts: Counter[str] = field(default_factory=Counter)
    applied: bool = False


def plan_roster(rows: list[Row], state: RosterState) -> tuple[RosterChanges, list[Rejection],
                                                               Counter[str]]:
    """The changes the valid rows make, the rows rejected with reasons, and counters."""
    rejected: list[Rejection] = []
    accepted = list(rows)
    while True:  # each pass rejects at least one row, so this ends
        teams, bad = _team_definitions(accepted, state)
        if not bad:
            break
        rejected += bad
        lines = {r.line for r in bad}
        accepted = [r for r in accepted if r.line not in lines]
    people, bad_people, counts = _people(accepted, state)
    rejected += bad_people
    lines = {r.line for r in bad_people}
    counts["teams_created"] = sum(1 for t in teams if t.id not in state.teams)
    counts["teams_updated"] = sum(1 for t in teams if t.id in state.teams
                                  and state.teams[t.id] != t)
    changed_teams = tuple(t for t in teams if state.teams.get(t.id) != t)
    changes = replace(people, teams=changed_teams,
                      tenant=None if state.tenant_exists else state.tenant)
    counts["rows_imported"] = len({r.line for r in accepted} - lines)
    return changes, sorted(rejected, key=lambda r: (r.line, r.field)), counts


def _team_definitions(rows: list[Row], state: RosterState) -> tuple[list[Team], list[Rejection]]:
    """Teams as the rows define them (parents first), and rows that contradict each other."""
    name: dict[str, tuple[str, int]] = {}
    parent: dict[str, tuple[str, int]] = {}
    bad: list[Rejection] = []
    for row in rows:
        for attr, seen, value in (("team_name", name, row.team_name),
                                  ("parent_team_id", parent, row.parent_id)):
            if not value:
                continue
            if row.team_id in seen and seen[row.team_id][0] != value:
                first, at = seen[row.team_id]
                bad.append(Rejection(row.line, attr,
                                     f"{value!r} contradicts line {at} ({first!r})"))
            seen.setdefault(row.team_id, (value, row.line))
    ids = {r.team_id for r in rows}
    for row in rows:
        if row.team_id not in state.teams and row.team_id not in name:
            bad.append(Rejection(row.line, "team_name",
                                 f"is required for new team {row.team_id!r}"))
        if row.parent_id and row.parent_id not in ids and row.parent_id not in state.teams:
            bad.append(Rejection(row.line, "parent_team_id", f"unknown team {row.parent_id!r}"))
    parents = {tid: t.parent_id for tid, t in state.teams.items()}
    parents.update({tid: p for tid, (p, _) in parent.items()})
    for tid, (_, line) in parent.items():
        seen_ids, cur = {tid}, parents.get(tid)
        while cur is not None:
            if cur in seen_ids:
                bad.append(Rejection(line, "parent_team_id", f"team {tid!r} would be its own "
                                                             "ancestor"))
                break
            seen_ids.add(cur)
            cur = parents.get(cur)
    if bad:
        return [], _unique(bad)
    teams = {}
    for tid in sorted(ids, key=lambda t: _depth(t, parents)):
        old = state.teams.get(tid)
        teams[tid] = Team(tid, state.tenant.id, name[tid][0] if tid in name else old.name if old
                          else tid, parents.get(tid))
    return list(teams.values()), []


def _depth(team_id: str, parents: dict[str, str | None]) -> int:
    depth, cur = 0, parents.get(team_id)
    while cur is not None and depth < 1000:
        depth, cur = depth + 1, parents.get(cur)
    return depth


def _unique(rejections: list[Rejection]) -> list[Rejection]:
    return list(dict.fromkeys(rejections))


def _people(rows: list[Row], state: RosterState) -> tuple[RosterChanges, list[Rejection],
                                                          Counter[str]]:
    """People, memberships (moves close the old one) and chat identities, row by row."""
    counts: Counter[str] = Counter()
    bad: list[Rejection] = []
    first_line: dict[str, int] = {}
    ident_owner = dict(state.identities)
    people: list[Person] = []
    closed: list[tuple[Membership, date]] = []
    opened: list[Membership] = []
    identities: list[tuple[str, str, str, str]] = []
    for row in rows:
        person = row.person
        if person is None or row.valid_from is None:
            continue
        if person.id in first_line:
            bad.append(Rejection(row.line, "person_id",
                                 f"{person.id!r} already appears on line {first_line[person.id]}"))
            continue
        first_line[person.id] = row.line
        old = state.people.get(person.id)
        if old is not None and old.tenant_id != person.tenant_id:
            bad.append(Rejection(row.line, "person_id", f"{person.id!r} belongs to another tenant"))
            continue
        conflict = next(((p, ws, ext) for p, ws, ext in row.identities
                         if ident_owner.get((p, ws, ext), person.id) != person.id), None)
        if conflict is not None:
            platform, _, ext = conflict
            bad.append(Rejection(row.line, f"{platform}_id", f"{ext!r} is already linked to "
                                 f"{ident_owner[conflict]!r}"))
            continue
        history = sorted(state.memberships.get(person.id, []), key=lambda m: m.valid_from)
        current = next((m for m in reversed(history) if m.valid_to is None), None)
        if current is not None and current.team_id == row.team_id:
            pass  # already in that team: nothing to change
        elif current is not None and row.valid_from <= current.valid_from:
            bad.append(Rejection(row.line, "valid_from", f"must be after {current.valid_from}, "
                                 f"when the membership in {current.team_id!r} started"))
            continue
        else:
            overlap = next((m for m in history if m is not current and m.valid_to is not None
                            and m.valid_to > row.valid_from), None)
            if overlap is not None:
                bad.append(Rejection(row.line, "valid_from", f"overlaps the membership in "
                                     f"{overlap.team_id!r} that ended {overlap.valid_to}"))
                continue
            if current is not None:
                # [valid_from, valid_to): the old team's last day is the day before the move.
                closed.append((current, row.valid_from))
                counts["people_moved"] += 1
            opened.append(Membership(person.id, row.team_id, row.valid_from))
        for key in row.identities:
            if key not in ident_owner:
                identities.append((*key, person.id))
            ident_owner[key] = person.id
        if old is None:
            counts["people_created"] += 1
            people.append(person)
        elif old != person:
            counts["people_updated"] += 1
            people.append(person)
        else:
            counts["people_unchanged"] += 1
    changes = RosterChanges(people=tuple(people), closed=tuple(closed),
                            opened=tuple(opened), identities=tuple(identities))
    return changes, bad, counts


def load_state(store: RosterStore, tenant_id: str, rows: list[Row]) -> RosterState:
    """Read from the store what the rows touch (their tenant, teams, people, identities)."""
    tenant = store.get_tenant(tenant_id)
    exists = tenant is not None
    tenant = tenant or Tenant(tenant_id, tenant_id)
    people = {}
    for row in rows:
        if row.person is not None:
            found = store.get_person(row.person.id)
            if found is not None:
                people[found.id] = found
    memberships: dict[str, list[Membership]] = {}
    for m in store.memberships(tenant_id) if exists else []:
        memberships.setdefault(m.person_id, []).append(m)
    identities = {}
    for row in rows:
        for key in row.identities:
            owner = store.person_by_identity(*key)
            if owner is not None:
                identities[key] = owner.id
    teams = {t.id: t for t in store.list_teams(tenant_id)} if exists else {}
    return RosterState(tenant, exists, teams, people, memberships, identities)


def import_roster(
    store: RosterStore,
    data: bytes,
    tenant_id: str,
    *,
    strict: bool = False,
    dry_run: bool = False,
    slack_workspace: str = ANY_WORKSPACE,
    teams_tenant: str = ANY_WORKSPACE,
) -> RosterReport:
    """Validate a roster CSV and write its valid rows in one transaction (all of them or none).

    Raises RosterFileError when the file itself is unusable. With `strict`, any rejected row
    refuses the whole file. A database error rolls everything back and propagates.
    """
    header, raw = read_csv(data)
    tenant = store.get_tenant(tenant_id) or Tenant(tenant_id, tenant_id)
    rows: list[Row] = []
    rejections: list[Rejection] = []
    for line, cells in raw:
        checked = validate_row(line, header, cells, tenant, slack_workspace, teams_tenant)
        if isinstance(checked, Row):
            rows.append(checked)
        else:
            rejections += checked
    state = load_state(store, tenant_id, rows)
    changes, more, counts = plan_roster(rows, state)
    rejections = sorted(rejections + more, key=lambda r: (r.line, r.field))
    report = RosterReport(len(raw), rejections, changes, counts)
    if dry_run or (strict and rejections):
        return report
    store.apply_roster(changes)
    report.applied = True
    return report
