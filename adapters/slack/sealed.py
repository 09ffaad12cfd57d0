"""slack_sdk's SQLAlchemy installation store with every token sealed by a TokenCipher.

Tokens are sealed on the way in (save, save_bot) and opened where rows become objects, so
bolt, the gateway and the TTL cache above only ever see clear tokens.
"""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine, Table, select, update

from adapters.slack.tokens import TOKEN_FIELDS, TokenCipher


class SealedInstallationStore(SQLAlchemyInstallationStore):
    """Installations and bots in our database, their tokens encrypted at rest."""

    def __init__(self, client_id: str, engine: Engine, cipher: TokenCipher,
                 logger: Logger) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=logger)
        self.cipher = cipher

    def save(self, installation: Installation) -> None:
        super().save(self.cipher.seal_fields(installation))  # its save_bot call seals again: no-op

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(self.cipher.seal_fields(bot))

    # slack_sdk builds entities through `self.`, so instance overrides see our cipher.
    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        return self.cipher.open_fields(super().build_installation_entity(row))

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        return self.cipher.open_fields(super().build_bot_entity(row))

    def reseal_all(self) -> int:
        """Re-encrypt every stored token with the current key (after a rotation); rows changed."""
        changed = 0
        with self.engine.begin() as conn:
            for table in (self.installations, self.bots):
                changed += _reseal_table(conn, table, self.client_id, self.cipher)
        return changed


def _reseal_table(conn: Any, table: Table, client_id: str, cipher: TokenCipher) -> int:
    columns = [name for name in TOKEN_FIELDS if name in table.c]
    rows = conn.execute(select(table.c.id, *(table.c[n] for n in columns))
                        .where(table.c.client_id == client_id)).mappings().all()
    changed = 0
    for row in rows:
        values = {n: cipher.reseal(row[n]) for n in columns}
        if any(values[n] != row[n] for n in columns):
            conn.execute(update(table).where(table.c.id == row["id"]).values(**values))
            changed += 1
    return changed
