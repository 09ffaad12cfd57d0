"""What the CLI commands share: settings from the environment, a migrated store, and one-line
answers to configuration problems instead of tracebacks."""

from __future__ import annotations

import os
import re

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError

from adapters.db.store import SqlStore
from settings import Settings

CONFIG_ERROR = 2  # exit code of every configuration problem, on every command
# Which environment variables fill each settings class (pydantic names the class, not the env).
_PREFIXES = {"Settings": "MIROIR_", "DeliverySettings": "MIROIR_DELIVERY_",
             "HttpSettings": "MIROIR_HTTP_", "SlackSettings": "MIROIR_SLACK_",
             "TeamsSettings": "MIROIR_TEAMS_"}


def demo_env() -> bool:
    """MIROIR_DEMO is set to a true value."""
    return os.environ.get("MIROIR_DEMO", "").lower() in ("1", "true", "yes")


def load_settings(demo: bool = False) -> Settings:
    """Settings from MIROIR_*; a readable message (exit 2) instead of a traceback when invalid."""
    try:
        return Settings(demo=True) if demo or demo_env() else Settings()
    except (ValidationError, SettingsError) as exc:
        raise config_error(describe(exc)) from exc


def describe(exc: ValidationError | SettingsError) -> str:
    """One line naming each variable to set and what is wrong with it."""
    if isinstance(exc, SettingsError):  # a JSON-valued variable that does not parse
        found = re.search(r'field "(\w+)"', str(exc))
        suffix = f"_{found.group(1).upper()}" if found else ""
        names = sorted(k for k in os.environ if k.startswith("MIROIR_") and k.endswith(suffix))
        which = " or ".join(names) if found and names else "a MIROIR_ variable"
        return f"{which} is not valid JSON (e.g. {{\"T0123\": \"acme\"}} for a mapping)"
    prefix = _PREFIXES.get(exc.title, "MIROIR_")
    parts = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        field = "_".join(str(p) for p in error["loc"] if not isinstance(p, int)).upper()
        if field and "MIROIR_" not in message:
            message = f"{prefix}{field}: {message}"
        parts.append(message)
    return "; ".join(parts)


def config_error(message: str) -> typer.Exit:
    """Print `Configuration error: message` on one line; raise the returned Exit (code 2)."""
    typer.echo(f"Configuration error: {message}", err=True)
    return typer.Exit(CONFIG_ERROR)


def open_store(settings: Settings) -> SqlStore:
    """The SQL store at MIROIR_DATABASE_URL, migrated, with the question bank in place."""
    from adapters.db.engine import make_engine
    from adapters.db.migrate import upgrade
    from pulse.surveys.question_bank import ensure_question_bank

    if settings.migrate_on_start:
        upgrade(settings.database_url)
    store = SqlStore(make_engine(settings.database_url))
    ensure_question_bank(store)
    return store
