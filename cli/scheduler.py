"""`miroir scheduler` (the ticker as its own process), `miroir deliveries`, `miroir cadence`."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

import typer

from cli.common import load_settings
from settings import Settings


def register(cli: typer.Typer) -> None:
    """Add the delivery commands to the main Typer app."""
    cli.command("scheduler")(scheduler)
    cli.command("deliveries")(deliveries)
    cli.command("cadence")(cadence)


def demo_cadences(runtime: Any, pulsed_this_week: Collection[str] = ()) -> str:
    """Demo teams get a cadence whose next pulse is minutes away (`miroir serve --demo`),
    or a week away for teams whose pulse of this week is already waiting."""
    from pulse.core.clock import SystemClock
    from scheduler.demo import ensure_demo_cadences

    return ensure_demo_cadences(runtime.store, runtime.clock or SystemClock(),
                                pulsed_this_week=pulsed_this_week)


def _settings() -> Settings:
    return load_settings()  # MIROIR_DEMO=true relaxes the secret check


def scheduler(worker: str = typer.Option("", help="Worker id in lease columns (default host-pid)."),
              ) -> None:
    """Run the delivery ticker without the web server (as many copies as you like)."""
    from app import build_runtime
    from scheduler.ticker import run_ticker

    settings = _settings()
    runtime = build_runtime(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        typer.echo("Ticker running; Ctrl-C to stop.")
        await run_ticker(runtime, settings.delivery, stop, worker or None)

    asyncio.run(main())


def deliveries(
    status: str = typer.Option("", help="pending, sending, sent, dead or cancelled"),
    tenant: str = typer.Option("", help="Only this tenant"),
    limit: int = typer.Option(50, min=1, max=1000),
) -> None:
    """List outbox messages, newest first (`--status dead` shows failures and why)."""
    from adapters.db.engine import make_engine
    from adapters.db.store import SqlStore

    if status and status not in ("pending", "sending", "sent", "dead", "cancelled"):
        raise typer.BadParameter("status must be pending, sending, sent, dead or cancelled")
    store = SqlStore(make_engine(_settings().database_url))
    items = store.list_deliveries(tenant or None, status or None, limit)
    if not items:
        typer.echo("No deliveries.")
    for i in items:
        when = (i.sent_at or i.available_at).strftime("%Y-%m-%d %H:%M:%S")
        error = f"  {i.last_error}" if i.last_error else ""
        typer.echo(f"{i.id:>7} {i.status:<9} {i.kind:<8} {i.person_id:<20} {when} "
                   f"try {i.attempts}{error}")


def cadence(
    team: str = typer.Argument(..., help="Team id"),
    every: str = typer.Option("weekly", help="weekly, fortnightly or monthly"),
    day: str = typer.Option("tue", help="mon … sun"),
    at: str = typer.Option("10:00", help="Local time HH:MM, in each person's timezone"),
    country: str = typer.Option("FR", help="Public holidays (ISO country code, '' for none)"),
    items: int = typer.Option(3, min=1, max=3, help="Questions per pulse"),
) -> None:
    """Set a team's pulse cadence (the first occurrence is the next one from now)."""
    from adapters.db.engine import make_engine
    from adapters.db.store import SqlStore
    from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
    from scheduler.calendar import valid_country

    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    if every not in {c.value for c in Cadence}:
        raise typer.BadParameter("every must be weekly, fortnightly or monthly")
    if day.lower()[:3] not in days:
        raise typer.BadParameter("day must be one of mon, tue, wed, thu, fri, sat, sun")
    try:
        wall = time.fromisoformat(at)
    except ValueError as exc:
        raise typer.BadParameter("at must look like 10:00") from exc
    if not valid_country(country):
        raise typer.BadParameter(f"unknown country code {country!r} for public holidays")
    store = SqlStore(make_engine(_settings().database_url))
    tenant = _tenant_of(store, team)
    existing = store.get_schedule(team)
    store.set_schedule(TeamSchedule(
        team, tenant, Cadence(every), days.index(day.lower()[:3]), wall.hour, wall.minute,
        window=replace(existing.window if existing else DeliveryWindow(), country=country.upper()),
        items_per_pulse=items, anchor=datetime.now(UTC).date(),
        materialized_until=None if existing else datetime.now(UTC)))
    typer.echo(f"Team {team}: {every} on {day} at {at} (holidays: {country or 'none'}).")


def _tenant_of(store: Any, team_id: str) -> str:
    for tenant in store.list_tenants():
        if store.get_team(tenant.id, team_id) is not None:
            return str(tenant.id)
    raise typer.BadParameter(f"no team {team_id!r}")
