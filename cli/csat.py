"""`miroir import csat FILE --profile P`: the CSV upload path from the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

import_app = typer.Typer(help="Import data files.")


@import_app.command("csat")
def import_csat(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    profile: str = typer.Option(..., "--profile", "-p",
                                help="zendesk, qualtrics, generic or nhs_fft"),
    tenant: str = typer.Option("", help="Tenant id (default: MIROIR_DEFAULT_TENANT)."),
    date_format: str = typer.Option("", help="iso8601, dd/mm/yyyy, auto, dmy-mdy-run, %d/%m/%Y…"),
    timezone: str = typer.Option("", help="Timezone of naive dates (default: the tenant's)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count; write nothing."),
    create_teams: bool = typer.Option(False, "--create-teams",
                                      help="Create teams named by the file (nhs_fft services)."),
    source_instance: str = typer.Option("default", help="e.g. acme.zendesk.com"),
    metric: str = typer.Option("", help="csat, nps, ces… when the file does not say"),
    score_column: str = typer.Option("", help="Qualtrics question column, e.g. Q7"),
    restart: bool = typer.Option(False, "--restart",
                                 help="Run this file again now, even if an import of it looks "
                                      "unfinished (its process died) or is done."),
) -> None:
    """Import customer ratings from a CSV file and print the report."""
    from adapters.csat import service
    from adapters.db.engine import make_engine
    from adapters.db.migrate import upgrade
    from adapters.db.store import SqlStore
    from cli.common import CONFIG_ERROR, load_settings

    settings = load_settings()
    if settings.migrate_on_start:
        upgrade(settings.database_url)
    store = SqlStore(make_engine(settings.database_url))
    tenant = tenant or settings.default_tenant
    if store.get_tenant(tenant) is None:  # --create-teams creates teams, never a tenant
        typer.echo(f"Unknown tenant {tenant!r}: create it first with `miroir tenant create "
                   f"{tenant} --timezone Europe/Paris` (its timezone reads naive dates), or "
                   f"import a roster.", err=True)
        raise typer.Exit(CONFIG_ERROR)
    size = file.stat().st_size
    with file.open("rb") as data, typer.progressbar(length=size, label="Importing") as bar:
        seen = 0

        def progress(position: int) -> None:
            nonlocal seen
            bar.update(max(position - seen, 0))
            seen = max(seen, position)

        outcome = service.upload(
            store, tenant, data, datetime.now(UTC), profile=profile,
            date_format=date_format or None, timezone=timezone or None, dry_run=dry_run,
            create_teams=create_teams, source_instance=source_instance, metric=metric or None,
            score_column=score_column or None, channel="cli", progress=progress,
            restart=restart)
        bar.update(max(size - seen, 0))
    body = outcome.body
    if outcome.status != 200:
        typer.echo(f"Refused ({body.get('error')}): {body.get('detail')}", err=True)
        raise typer.Exit(code=1)
    summary = {k: body.get(k) for k in ("received", "inserted", "updated", "duplicates",
                                         "stale", "rejected_count", "unmapped", "replayed")}
    typer.echo(json.dumps(summary, ensure_ascii=False))
    if body.get("rejected_by_reason"):
        typer.echo(f"Rejected by reason: {json.dumps(body['rejected_by_reason'])}")
    if body.get("unmapped_by_reason"):
        typer.echo(f"Unmapped by reason: {json.dumps(body['unmapped_by_reason'])}")
    if body.get("teams_created"):
        typer.echo(f"Teams created: {', '.join(body['teams_created'])}")
