"""`miroir` entry point: serve, db, apikey, tenant, import, demo, publish, privacy."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError

from cli import apikey, privacy, roster, secret_keys, tenant
from cli import demo as demo_cli
from cli import scheduler as _scheduler_cli
from cli.common import CONFIG_ERROR, describe, load_settings
from cli.csat import import_csat
from cli.model import model

cli = typer.Typer(help="Miroir: pulse, irritants, kudos and the EX↔CX barometer.",
                  no_args_is_help=True)
db = typer.Typer(help="Database commands.")
cli.add_typer(db, name="db")
cli.add_typer(apikey.app, name="apikey")
cli.add_typer(tenant.app, name="tenant")
cli.add_typer(secret_keys.app, name="secrets")
cli.add_typer(roster.app, name="import")
roster.app.command("csat")(import_csat)  # `miroir import csat FILE --profile P`
cli.command("demo")(demo_cli.demo)
cli.add_typer(model, name="model")
cli.add_typer(privacy.app, name="privacy")
cli.command("publish")(privacy.publish)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations to MIROIR_DATABASE_URL."""
    from adapters.db.migrate import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    typer.echo(f"Database at head: {_safe(settings.database_url)}")


@cli.command()
def serve(
    demo: bool = typer.Option(False, "--demo", help="Seed demo data and relax secrets."),
) -> None:
    """Run the web server (API, web chat, Slack and Teams routes, ticker)."""
    import logging

    import uvicorn

    from adapters.slack.settings import SlackSettings
    from adapters.teams.settings import TeamsSettings
    from app import build_app

    settings = load_settings(demo)
    slack, teams = SlackSettings(), TeamsSettings()  # a bad value stops us before any work
    # Our own start-up lines (Slack/Teams on or off, ticker) next to uvicorn's.
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s:     %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every tick at INFO
    app = build_app(settings, slack=slack, teams=teams)
    if demo:
        typer.echo(demo_cli.prepare_demo(app.state.runtime, settings))
        runtime = app.state.runtime
        typer.echo(_scheduler_cli.demo_cadences(runtime, demo_cli.waiting_teams(runtime)))
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level)


_scheduler_cli.register(cli)


def _safe(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    """Run the CLI; configuration problems end in one line and exit code 2, never a traceback."""
    from sqlalchemy import exc as sa

    try:
        cli()
    except (ValidationError, SettingsError) as exc:  # read outside load_settings (Slack, Teams)
        _fail(describe(exc))
    except (sa.ArgumentError, sa.NoSuchModuleError) as exc:
        _fail(f"MIROIR_DATABASE_URL is not a usable database URL ({_first_line(exc)})")
    except (sa.OperationalError, sa.InterfaceError) as exc:
        _fail(f"the database does not answer; check MIROIR_DATABASE_URL and that the server "
              f"runs ({_first_line(exc.orig or exc)})")
    except KeyboardInterrupt:
        sys.exit(130)  # Ctrl+C outside a command's own handling: no traceback


def _fail(message: str) -> None:
    typer.echo(f"Configuration error: {message}", err=True)
    sys.exit(CONFIG_ERROR)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
