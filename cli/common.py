"""What the CLI commands share: settings from the environment and a migrated store."""

from __future__ import annotations

import os

import typer
from pydantic import ValidationError

from adapters.db.store import SqlStore
from settings import Settings


def load_settings(demo: bool = False) -> Settings:
    """Settings from MIROIR_*; a readable message (exit 2) instead of a traceback when invalid."""
    demo = demo or os.environ.get("MIROIR_DEMO", "").lower() in ("1", "true", "yes")
    try:
        return Settings(demo=True) if demo else Settings()
    except ValidationError as exc:
        messages = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        typer.echo(f"Configuration error: {messages}", err=True)
        raise typer.Exit(2) from exc


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
