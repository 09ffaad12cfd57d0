"""`miroir demo` and the demo part of `miroir serve --demo`: seed, key, where to click."""

from __future__ import annotations

import asyncio
from typing import cast

import typer

from bot.dialogs import survey_prompts
from bot.ports import Recipient
from bot.runtime import Runtime
from cli.common import load_settings, open_store
from demo.cx import DemoCxStore, seed_demo_csat
from demo.seed import (
    PROFILES,
    TENANT,
    DemoStore,
    DemoSummary,
    is_current,
    pending_invitations,
    seed_demo,
    team_id,
)
from pulse.core.apikeys import create_api_key
from pulse.core.clock import SystemClock
from pulse.core.model import Role
from settings import Settings

DEMO_SCOPES = ("analytics:read", "admin", "cx:write")


def demo(reset: bool = typer.Option(False, "--reset", help="Erase the demo tenant and seed it "
                                    "again (ending with the current week).")) -> None:
    """Seed the demo tenant: 3 teams, ~40 advisers, 12 published weeks and the open one."""
    settings = load_settings(demo=True)
    store = open_store(settings)
    summary = seed_demo(store, SystemClock(), reset=reset)
    if summary is not None:
        seed_demo_csat(store, summary.tenant_id, SystemClock())
    if summary is None:
        typer.echo(f"Tenant {TENANT.id!r} already exists: nothing changed "
                   "(use --reset to re-create it).")
        return
    typer.echo(describe(summary))


def describe(summary: DemoSummary) -> str:
    """One paragraph on what was seeded and who has a pulse waiting."""
    waiting = ", ".join(p.display_name for p in summary.pending[:3])
    return (f"Seeded tenant {summary.tenant_id!r}: {len(summary.team_ids)} teams "
            f"({', '.join(summary.team_ids)}), {summary.people} people, {summary.answers} "
            f"answers over 12 published weeks and this one. Pulse waiting in the web chat "
            f"for: {waiting}…")


def prepare_demo(runtime: Runtime, settings: Settings) -> str:
    """Seed if empty, create an API key, and return what to print before serving."""
    store = cast(DemoStore, runtime.store)
    summary = seed_demo(store, runtime.clock)
    if summary is not None:
        seed_demo_csat(cast(DemoCxStore, store), summary.tenant_id, runtime.clock)
    lines = ["", "Miroir demo"]
    if summary is not None:
        lines.append(describe(summary))
    elif not is_current(store, runtime.clock):
        lines.append("The demo data does not reach this week: stop, run `miroir demo --reset` "
                     "(MIROIR_DATABASE_URL as now), then start again.")
    delivered = asyncio.run(deliver_pending(runtime))
    if delivered:
        lines.append(f"{delivered} advisers have this week's pulse waiting in the web chat.")
    _, token = create_api_key(store, TENANT.id, "demo-serve", DEMO_SCOPES)
    team = team_id(PROFILES[0].key)
    url = settings.url.rstrip("/")
    lines += [
        f"  Web chat : {url}/chat",
        *dashboard_links(store, url),
        f"  API docs : {url}/docs",
        f"  API key  : {token}   (scopes: {', '.join(DEMO_SCOPES)})",
        "  Try      : curl -H 'Authorization: Bearer " + token + "' "
        f"'{url}/api/v1/teams/{team}/pulse?bucket=week'",
        "",
    ]
    return "\n".join(lines)


def waiting_teams(runtime: Runtime) -> set[str]:
    """Teams whose round of this week is still open for someone (their pulse is waiting)."""
    rounds = {round_id for _, round_id in pending_invitations(runtime.store, runtime.clock)}
    found = (runtime.store.get_round(round_id) for round_id in rounds)
    return {r.team_id for r in found if r is not None}


def dashboard_links(store: DemoStore, url: str) -> list[str]:
    """Ready-made dashboard sign-in links (demo mode only) for the four kinds of reader."""
    people = sorted(store.list_people(TENANT.id), key=lambda p: p.display_name)
    out = []
    for role, label in ((Role.MANAGER, "manager"), (Role.CX_LEAD, "CX lead"),
                        (Role.ADMIN, "admin"), (Role.ADVISER, "adviser")):
        person = next((p for p in people if p.role is role), None)
        if person is not None:
            out.append(f"  Dashboard, {label:<8}: {url}/dashboard/demo/{person.id}"
                       f"   ({person.display_name})")
    return out


async def deliver_pending(runtime: Runtime) -> int:
    """Put this week's unanswered demo pulse in each pending adviser's web-chat inbox."""
    gateway = runtime.gateways.get("web")
    if gateway is None:
        return 0
    sent = 0
    for person, round_id in pending_invitations(runtime.store, runtime.clock):
        replies = survey_prompts(runtime, person, round_id)
        if replies:
            await gateway.send(Recipient(person.id, "web", "local", person.id), replies)
            sent += 1
    return sent
