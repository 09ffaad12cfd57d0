"""`miroir apikey create|list|revoke`: bearer tokens for the analytics API."""

from __future__ import annotations

from datetime import UTC, datetime

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


@app.command("list")
def list_keys(
    tenant: str | None = typer.Option(None, "--tenant", help="Only this tenant's keys."),
    active: bool = typer.Option(False, "--active", help="Leave revoked keys out."),
) -> None:
    """List API keys (id, tenant, name, scopes, created, revoked); never their tokens."""
    store = open_store(load_settings())
    keys = [k for k in store.list_api_keys(tenant) if not (active and k.revoked_at)]
    if not keys:
        typer.echo("No API keys." if tenant is None else f"No API keys for tenant {tenant!r}.")
        return
    typer.echo(f"{'id':<12} {'tenant':<16} {'created':<16} {'revoked':<16} name / scopes")
    for k in keys:
        typer.echo(f"{k.id:<12} {k.tenant_id:<16} {_when(k.created_at):<16} "
                   f"{_when(k.revoked_at) or '-':<16} {k.name} / {' '.join(sorted(k.scopes))}")


@app.command("revoke")
def revoke(key_id: str = typer.Argument(..., help="The key id shown by `miroir apikey list` "
                                        "(the part after mk_ in the token).")) -> None:
    """Revoke an API key: its token gets 401 from the next request on."""
    store = open_store(load_settings())
    key_id = key_id.removeprefix("mk_").split("_")[0]
    if store.revoke_api_key(key_id, datetime.now(UTC)):
        typer.echo(f"API key {key_id} revoked.")
        return
    known = {k.id: k for k in store.list_api_keys()}
    if key_id in known:
        typer.echo(f"API key {key_id} was already revoked.")
        return
    typer.echo(f"No API key {key_id!r}: see `miroir apikey list`.", err=True)
    raise typer.Exit(1)


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""
