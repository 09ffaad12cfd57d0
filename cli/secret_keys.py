"""`miroir secrets reencrypt`: after a key rotation, re-encrypt stored tokens with the new key."""

from __future__ import annotations

import logging

import typer

from cli.common import load_settings

app = typer.Typer(help="Secrets kept at rest (Slack bot tokens).", no_args_is_help=True)


@app.command("reencrypt")
def reencrypt() -> None:
    """Re-encrypt every stored Slack token with MIROIR_SECRET_KEY (old keys still open them)."""
    settings = load_settings()
    try:
        from adapters.slack.sealed import SealedInstallationStore
        from adapters.slack.settings import SlackSettings
        from adapters.slack.tokens import TokenCipher, TokenKeyError
    except ImportError:
        typer.echo("The slack extra is not installed: no Slack token is stored by this install.")
        return
    from adapters.db.engine import make_engine

    client_id = SlackSettings().client_id
    if not client_id:
        typer.echo("Slack is off (MIROIR_SLACK_CLIENT_ID is not set): no token to re-encrypt.")
        return
    store = SealedInstallationStore(client_id, make_engine(settings.database_url),
                                    TokenCipher(settings.secret_keys), logging.getLogger(__name__))
    try:
        changed = store.reseal_all()
    except TokenKeyError as exc:
        typer.echo(f"{exc}: nothing changed. Put the key they were written with in "
                   "MIROIR_SECRET_KEY_PREVIOUS.", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{changed} Slack installation rows re-encrypted with the current "
               "MIROIR_SECRET_KEY; MIROIR_SECRET_KEY_PREVIOUS can now be emptied.")
