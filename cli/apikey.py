"""`miroir apikey create`: a bearer token for the analytics API, shown once."""

from __future__ import annotations

import typer

from cli.common import load_settings, open_store
from pulse.core.apikeys import SCOPES, create_api_key
from pulse.core.errors import Invalid

app = typer.Typer(help="API keys for the analytics API.", no_args_is_help=True)


@app.command("create")
def create(
    tenant: str | None = typer.Option(None, "--tenant", help="Tenant id (default: "
                                      "MIROIR_DEFAULT_TENANT)."),
    name: str = typer.Option(..., "--name", help="Who or what uses the key, e.g. 'cx-dashboard'."),
    scope: list[str] = typer.Option(["analytics:read"], "--scope",
                                    help=f"Repeat for several: {', '.join(sorted(SCOPES))}."),
) -> None:
    """Create an API key and print its token once (only its hash is stored)."""
    settings = load_settings()
    tenant_id = tenant or settings.default_tenant
    store = open_store(settings)
    if store.get_tenant(tenant_id) is None:
        typer.echo(f"Unknown tenant {tenant_id!r}: import a roster or run `miroir demo` first.",
                   err=True)
        raise typer.Exit(2)
    try:
        key_id, token = create_api_key(store, tenant_id, name, scope)
    except Invalid as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"API key {key_id} for tenant {tenant_id!r}, scopes: {' '.join(sorted(set(scope)))}")
    typer.echo("Token (shown once, store it now):")
    typer.echo(token)
