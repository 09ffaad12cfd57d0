"""`miroir import roster FILE.csv`: teams and people, a row-level report, one transaction."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from cli.common import load_settings, open_store
from pulse.core.errors import Invalid
from pulse.roster.rows import RosterFileError
from pulse.roster.service import RosterReport, import_roster

app = typer.Typer(help="Import data from files.", no_args_is_help=True)


@app.command("roster")
def roster(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="CSV (UTF-8, comma or semicolon) with one row per person."),
    tenant: str | None = typer.Option(None, "--tenant", help="Tenant id (default: "
                                      "MIROIR_DEFAULT_TENANT); created if missing."),
    strict: bool = typer.Option(False, "--strict", help="Refuse the whole file if any row is "
                                "rejected."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; write nothing."),
    slack_workspace: str = typer.Option("*", help="Slack workspace (team) id for slack_id "
                                        "values when the file has no slack_workspace column."),
    teams_tenant: str = typer.Option("*", help="Microsoft tenant id for teams_id values when "
                                     "the file has no teams_tenant column."),
) -> None:
    """Import teams and people. Valid rows go in one transaction; rejected rows are listed.

    Exit code 0: everything imported; 1: some rows rejected (or refused with --strict, or a
    database error: then nothing is imported); 2: the file itself is unusable.
    """
    settings = load_settings()
    tenant_id = tenant or settings.default_tenant
    store = open_store(settings)
    try:
        report = import_roster(store, file.read_bytes(), tenant_id, strict=strict,
                               dry_run=dry_run, slack_workspace=slack_workspace,
                               teams_tenant=teams_tenant)
    except RosterFileError as exc:
        typer.echo(f"{file}: {exc}. Nothing imported.", err=True)
        raise typer.Exit(2) from exc
    except (Invalid, SQLAlchemyError) as exc:
        typer.echo(f"{file}: nothing imported: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(render_report(file.name, tenant_id, report, strict=strict, dry_run=dry_run))
    if report.rejections:
        raise typer.Exit(1)


def render_report(name: str, tenant_id: str, report: RosterReport, *, strict: bool,
                  dry_run: bool) -> str:
    """The human-readable report: each rejected row with its reasons, then a summary."""
    lines = [f"{name}: {report.rows} rows read for tenant {tenant_id!r}"]
    if report.rejections:
        lines.append("Rejected rows:")
        lines += [f"  line {r.line}, {r.field}: {r.message}" for r in report.rejections]
    c = report.counts
    rejected = len({r.line for r in report.rejections})
    summary = (f"teams: {c['teams_created']} new, {c['teams_updated']} updated; "
               f"people: {c['people_created']} new, {c['people_updated']} updated, "
               f"{c['people_moved']} moved, {c['people_unchanged']} unchanged; "
               f"rejected rows: {rejected}")
    if report.applied:
        lines.append(f"Imported in one transaction: {summary}.")
    elif dry_run:
        lines.append(f"Dry run, nothing written; the valid rows would give {summary}.")
    elif strict:
        lines.append(f"Nothing imported (--strict refuses a file with rejected rows); the valid "
                     f"rows would give {summary}.")
    return "\n".join(lines)
