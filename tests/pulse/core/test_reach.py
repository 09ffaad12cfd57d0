"""Reach: a manager sees their subtree, CX leads and admins the tenant, advisers their team."""

from __future__ import annotations

from datetime import date

from adapters.db.store import SqlStore
from pulse.core.clock import FixedClock
from pulse.core.reach import reach_of
from testing.dashboard import (
    ADMIN,
    ADVISERS_A,
    CX_LEAD,
    MANAGER_A,
    PARENT,
    TEAM_A,
    TEAM_B,
    seed_org,
)


def test_reach_by_role(store: SqlStore, clock: FixedClock) -> None:
    seed_org(store, clock, weeks=1, ratings=0)
    day = date(2026, 3, 4)
    manager = reach_of(store, MANAGER_A, day)
    assert manager.team_ids == {TEAM_A} and not manager.barometer and manager.board
    assert manager.changes_irritants and not manager.settings
    boss = reach_of(store, ADMIN, day)
    assert boss.team_ids == {PARENT, TEAM_A, TEAM_B} and boss.settings and boss.barometer
    cx = reach_of(store, CX_LEAD, day)
    assert cx.team_ids == boss.team_ids and cx.barometer and not cx.settings
    assert not cx.changes_irritants
    adviser = reach_of(store, ADVISERS_A[0], day)
    assert adviser.team_ids == {TEAM_A} and not adviser.board and adviser.home_team == TEAM_A
    assert reach_of(store, ADMIN, date(2000, 1, 1)).whole_tenant  # roles, not membership
    assert reach_of(store, MANAGER_A, date(2000, 1, 1)).team_ids == frozenset()
