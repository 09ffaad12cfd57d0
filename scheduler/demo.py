"""Demo cadences: every demo team gets a weekly pulse whose next occurrence is minutes away."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

from pulse.core.model import Role
from pulse.core.ports import Clock
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
from pulse.delivery.ports import DeliveryStore

# A demo runs at any hour: no quiet hours, weekends or holidays in the way.
DEMO_WINDOW = DeliveryWindow(work_start=time(0), work_end=time(23, 59, 59, 999999),
                             quiet_start=time(0), quiet_end=time(0), weekend=(), country="")


def ensure_demo_cadences(
    store: DeliveryStore, clock: Clock, tenant_id: str = "demo", in_minutes: int = 2,
    pulsed_this_week: Collection[str] = (),
) -> str:
    """Give each demo team with members, and no cadence yet, a weekly one due in a few minutes.

    Teams in `pulsed_this_week` already have this week's pulse waiting in the web chat: their
    first scheduled one comes a week later, so nobody gets a second pulse minutes after the
    first. Returns a line for the console ("" when there is no demo tenant or nothing to do).
    """
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        return ""
    now = clock.now()
    due = (now + timedelta(minutes=in_minutes)).astimezone(ZoneInfo(tenant.timezone))
    advisers = {p.id for p in store.list_people(tenant_id) if p.role is Role.ADVISER}
    # Only teams with advisers today: a cadence on a managers-only parent team sends nothing.
    staffed = {m.team_id for m in store.memberships(tenant_id)
               if m.covers(now.date()) and m.person_id in advisers}
    soon, next_week = 0, 0
    for team in store.list_teams(tenant_id):
        if team.id in staffed and store.get_schedule(team.id) is None:
            waiting = team.id in pulsed_this_week
            # The watermark says which occurrences are already done: a day past `due` skips it.
            done_until = due + timedelta(days=1) if waiting else now
            store.set_schedule(TeamSchedule(
                team.id, tenant_id, Cadence.WEEKLY, due.weekday(), due.hour, due.minute,
                window=DEMO_WINDOW, anchor=due.date(),
                materialized_until=done_until.astimezone(UTC)))
            next_week, soon = next_week + waiting, soon + (not waiting)
    lines = []
    if soon:
        lines.append(f"  Next pulse: {due:%A %H:%M} ({tenant.timezone}), then weekly, for "
                     f"{_teams(soon)}; the ticker delivers it to the web chat.")
    if next_week:
        lines.append(f"  Next scheduled pulse: {due + timedelta(days=7):%A %d %B %H:%M} "
                     f"({tenant.timezone}), then weekly, for {_teams(next_week)} whose pulse "
                     "of this week is already waiting.")
    return "\n".join(lines)


def _teams(n: int) -> str:
    return f"{n} team" if n == 1 else f"{n} teams"
