"""Demo cadences: every demo team gets a weekly pulse whose next occurrence is minutes away."""

from __future__ import annotations

from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

from pulse.core.ports import Clock
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
from pulse.delivery.ports import DeliveryStore

# A demo runs at any hour: no quiet hours, weekends or holidays in the way.
DEMO_WINDOW = DeliveryWindow(work_start=time(0), work_end=time(23, 59, 59, 999999),
                             quiet_start=time(0), quiet_end=time(0), weekend=(), country="")


def ensure_demo_cadences(
    store: DeliveryStore, clock: Clock, tenant_id: str = "demo", in_minutes: int = 2
) -> str:
    """Give each demo team with members, and no cadence yet, a weekly one due in a few minutes.

    Returns a line for the console ("" when there is no demo tenant or nothing to do).
    """
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        return ""
    now = clock.now()
    due = (now + timedelta(minutes=in_minutes)).astimezone(ZoneInfo(tenant.timezone))
    staffed = {m.team_id for m in store.memberships(tenant_id) if m.covers(now.date())}
    added = 0
    for team in store.list_teams(tenant_id):
        if team.id in staffed and store.get_schedule(team.id) is None:
            store.set_schedule(TeamSchedule(
                team.id, tenant_id, Cadence.WEEKLY, due.weekday(), due.hour, due.minute,
                window=DEMO_WINDOW, anchor=due.date(), materialized_until=now.astimezone(UTC)))
            added += 1
    if not added:
        return ""
    return (f"  Next pulse: {due:%A %H:%M} ({tenant.timezone}), then weekly, for {added} teams; "
            "the ticker delivers it to the web chat.")
