"""`miroir publish --tenant T` and `miroir privacy audit --tenant T`: the publication of closed
weeks, and a re-audit of everything a tenant has published."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from cli.common import load_settings, open_store
from pulse.analytics.publication import publish_due, reaudit
from pulse.core.model import Bucket

app = typer.Typer(help="Privacy checks over published analytics.", no_args_is_help=True)
TenantOpt = typer.Option(..., "--tenant", help="Tenant id.")


def publish(tenant: str = TenantOpt) -> None:
    """Publish every closed week past its grace period (and the months they complete)."""
    settings = load_settings()
    store = open_store(settings)
    if store.get_tenant(tenant) is None:
        raise typer.BadParameter(f"unknown tenant {tenant!r}", param_hint="--tenant")
    report = publish_due(store, tenant, datetime.now(UTC), k=settings.k_scores,
                         grace_hours=settings.delivery.publish_grace_hours)
    if not report.weeks:
        typer.echo(f"Nothing to publish for {tenant!r}: every closed week is published.")
        return
    typer.echo(f"Published {tenant!r}: {len(report.weeks)} weeks ({report.weeks[0]} to "
               f"{report.weeks[-1]}), {len(report.months)} months, {report.cells} cells; the "
               f"auditor withheld {report.withheld} cells ({report.findings} findings).")


@app.command("audit")
def audit_tenant(tenant: str = TenantOpt) -> None:
    """Re-audit every published week; exit code 1 if anyone can be isolated."""
    settings = load_settings()
    store = open_store(settings)
    if store.get_tenant(tenant) is None:
        raise typer.BadParameter(f"unknown tenant {tenant!r}", param_hint="--tenant")
    weeks = store.published_buckets(tenant, Bucket.WEEK)
    findings = reaudit(store, tenant, settings.k_scores)
    people = sum(1 for _, f in findings if f.kind == "person")
    groups = len(findings) - people
    typer.echo(f"Audited {len(weeks)} published weeks of {tenant!r} (k={settings.k_scores}): "
               f"{people} isolatable people, {groups} groups below k.")
    for week, finding in findings:
        typer.echo(f"  {week}: {finding.describe()}")
    if findings:
        raise typer.Exit(1)

