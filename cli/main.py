"""`miroir` entry point: serve, db, apikey, import, demo."""

from __future__ import annotations

import typer

from cli import apikey, roster
from cli import demo as demo_cli
from cli import scheduler as _scheduler_cli
from cli.csat import import_csat
from cli.model import model
from settings import Settings

cli = typer.Typer(help="Miroir: pulse, irritants, kudos and the EX↔CX barometer.",
                  no_args_is_help=True)
db = typer.Typer(help="Database commands.")
cli.add_typer(db, name="db")
cli.add_typer(apikey.app, name="apikey")
cli.add_typer(roster.app, name="import")
roster.app.command("csat")(import_csat)  # `miroir import csat FILE --profile P`
cli.command("demo")(demo_cli.demo)
cli.add_typer(model, name="model")


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations to MIROIR_DATABASE_URL."""
    from adapters.db.migrate import upgrade

    settings = Settings(demo=True) if _demo_env() else Settings()
    upgrade(settings.database_url)
    typer.echo(f"Database at head: {_safe(settings.database_url)}")


@cli.command()
def serve(
    demo: bool = typer.Option(False, "--demo", help="Seed demo data and relax secrets."),
) -> None:
    """Run the web server (API, web chat, Slack and Teams routes, ticker)."""
    import logging

    import uvicorn

    from app import build_app

    settings = Settings(demo=True) if demo else Settings()
    # Our own start-up lines (Slack/Teams on or off, ticker) next to uvicorn's.
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s:     %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every tick at INFO
    app = build_app(settings)
    if demo:
        typer.echo(demo_cli.prepare_demo(app.state.runtime, settings))
        typer.echo(_scheduler_cli.demo_cadences(app.state.runtime))
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level)


_scheduler_cli.register(cli)


def _demo_env() -> bool:
    import os

    return os.environ.get("MIROIR_DEMO", "").lower() in ("1", "true", "yes")


def _safe(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    cli()
