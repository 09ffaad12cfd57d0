"""The home's team section: tenant weeks, published cells only (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.db.store import SqlStore
from bot.home import home_sections
from bot.runtime import Runtime
from pulse.core.clock import FixedClock
from pulse.core.model import Bucket, Locale, Membership, Person, Team, Tenant
from testing.cells import FakeCells, cell


def test_weeks_are_the_tenants_not_the_readers(store: SqlStore) -> None:
    store.add_tenant(Tenant("acme", "Acme", timezone="Europe/Paris"))
    store.add_team(Team("t", "acme", "T"))
    # Sunday 16:00 in Paris (W10 still open) is already Monday 05:00 of W11 in Kiritimati.
    reader = Person("kim", "acme", "Kim", locale=Locale.FR, timezone="Pacific/Kiritimati")
    store.add_person(reader)
    store.add_membership(Membership("kim", "t", date(2026, 1, 1)))
    cells = FakeCells()
    cells.save_publication(None, [cell("t", "2026-W09", "pulse", 7.3, 12),
                                  cell("t", "2026-W10", "pulse", 1.0, 12)])  # not closed yet
    runtime = Runtime(store=store, clock=FixedClock(datetime(2026, 3, 8, 15, tzinfo=UTC)),
                      cells=cells)
    (_, _, (title, lines)) = home_sections(runtime, reader)
    assert title == "Le pulse de votre équipe"
    assert [r[1:] for r in cells.reads] == [(("t",), Bucket.WEEK, ("pulse",), "2025-W50",
                                              "2026-W09")]
    assert any("2026-W09" in line and "7.3/10" in line for line in lines)
    assert not any("2026-W10" in line for line in lines)
