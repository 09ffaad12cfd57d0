"""`miroir tenant create|list`: the organisation every team, key and rating belongs to."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from cli.common import load_settings, open_store
from pulse.core.model import Locale, Tenant

app = typer.Typer(help="Tenants (one per organisation).", no_args_is_help=True)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$")  # the roster's rule for ids


@app.command("create")
def create(
    tenant_id: str = typer.Argument(..., help="Stable id: letters, digits, . _ : @ -, ≤ 64."),
    name: str = typer.Option("", "--name", help="Display name (default: the id)."),
    timezone: str = typer.Option("Europe/Paris", "--timezone",
                                 help="IANA timezone of periods and naive dates."),
    locale: str = typer.Option("fr", "--locale", help="Default language: fr or en."),
) -> None:
    """Create a tenant; an existing one is left unchanged."""
    if not _ID.match(tenant_id):
        raise typer.BadParameter("letters, digits and . _ : @ - only, at most 64",
                                 param_hint="TENANT_ID")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise typer.BadParameter(f"unknown timezone {timezone!r}, e.g. Europe/Paris",
                                 param_hint="--timezone") from exc
    if locale not in {loc.value for loc in Locale}:
        raise typer.BadParameter("fr or en", param_hint="--locale")
    store = open_store(load_settings())
    existing = store.get_tenant(tenant_id)
    if existing is not None:
        typer.echo(f"Tenant {tenant_id!r} already exists ({existing.name}, {existing.timezone}, "
                   f"{existing.locale}): unchanged.")
        return
    store.add_tenant(Tenant(tenant_id, name or tenant_id, timezone, Locale(locale)))
    typer.echo(f"Tenant {tenant_id!r} created ({name or tenant_id}, {timezone}, {locale}). "
               f"Next: `miroir import roster FILE --tenant {tenant_id}` or "
               f"`miroir apikey create --tenant {tenant_id} --name NAME`.")


@app.command("list")
def list_tenants() -> None:
    """List tenants."""
    store = open_store(load_settings())
    tenants = store.list_tenants()
    if not tenants:
        typer.echo("No tenants: `miroir tenant create ID` or `miroir demo`.")
    for t in tenants:
        typer.echo(f"{t.id:<20} {t.timezone:<20} {t.locale}  {t.name}")
