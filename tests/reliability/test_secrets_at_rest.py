"""Slack tokens encrypted at rest (round trip, old clear rows, key rotation, wrong key), on
SQLite and PostgreSQL; a new SQLite database file readable by its owner only."""

from __future__ import annotations

import logging
import stat
import time
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from adapters.slack.oauth import DbInstallationStore
from adapters.slack.sealed import SealedInstallationStore
from adapters.slack.tokens import PREFIX, TokenCipher, TokenKeyError
from app import build_app
from settings import Settings
from testing.slack_harness import CLIENT_ID, slack_settings

OLD, NEW = "old-secret-" + "o" * 30, "new-secret-" + "n" * 30
LOG = logging.getLogger("test")


def install(team: str, token: str = "") -> Installation:
    return Installation(app_id="A111", enterprise_id=None, team_id=team, user_id="UADMIN",
                        bot_token=token or f"xoxb-{team}-1234567890-abcdefghijklmnop",
                        bot_id="B" + team, bot_user_id="UBOT" + team,
                        bot_scopes=["chat:write"], user_token=f"xoxp-{team}-user",
                        installed_at=time.time())


def raw_tokens(store: SqlStore) -> list[str]:
    """Every token column as stored, both tables."""
    out: list[str] = []
    with store.engine.connect() as conn:
        for table, cols in (("slack_bots", "bot_token"),
                            ("slack_installations", "bot_token, user_token")):
            for row in conn.execute(text(f"SELECT {cols} FROM {table}")):
                out += [v for v in row if v]
    return out


def sealed(store: SqlStore, *keys: str) -> SealedInstallationStore:
    return SealedInstallationStore(CLIENT_ID, store.engine, TokenCipher(list(keys)), LOG)


def test_tokens_are_stored_encrypted_and_read_back_in_clear(store: SqlStore) -> None:
    tokens = sealed(store, NEW)
    tokens.save(install("TAAA"))
    stored = raw_tokens(store)
    assert len(stored) == 3 and all(v.startswith(PREFIX) for v in stored), stored
    assert not any("xox" in v for v in stored)
    bot = tokens.find_bot(enterprise_id=None, team_id="TAAA")
    assert bot is not None and bot.bot_token == "xoxb-TAAA-1234567890-abcdefghijklmnop"
    found = tokens.find_installation(enterprise_id=None, team_id="TAAA", user_id="UADMIN")
    assert found is not None and found.user_token == "xoxp-TAAA-user"
    assert found.bot_token == bot.bot_token
    assert max(len(v) for v in stored) <= 200, "fits slack_sdk's String(200) token columns"


def test_long_tokens_fit_once_encrypted(store: SqlStore) -> None:
    """Migration 0011 widened the token columns to Text: a long token (Slack's rotating
    tokens, a refresh token) encrypted is well over String(200), and PostgreSQL enforces it."""
    tokens = sealed(store, NEW)
    long = "xoxe.xoxb-1-" + "t" * 400
    item = install("TLNG", token=long)
    item.bot_refresh_token = "xoxe-1-" + "r" * 400
    item.user_refresh_token = "xoxe-1-" + "u" * 400
    tokens.save(item)
    assert max(len(v) for v in raw_tokens(store)) > 500
    bot = tokens.find_bot(enterprise_id=None, team_id="TLNG")
    assert bot is not None and (bot.bot_token, bot.bot_refresh_token) == (
        long, item.bot_refresh_token)
    found = tokens.find_installation(enterprise_id=None, team_id="TLNG", user_id="UADMIN")
    assert found is not None and found.user_refresh_token == item.user_refresh_token


def test_clear_rows_from_before_still_read_and_are_encrypted_when_written(
    store: SqlStore,
) -> None:
    SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=store.engine,
                                logger=LOG).save(install("TOLD"))
    assert all(v.startswith("xox") for v in raw_tokens(store))
    tokens = sealed(store, NEW)
    bot = tokens.find_bot(enterprise_id=None, team_id="TOLD")
    assert bot is not None and bot.bot_token.startswith("xoxb-TOLD")
    tokens.save_bot(bot)  # e.g. a token refresh writes it again
    latest = raw_tokens(store)
    assert any(v.startswith(PREFIX) for v in latest)
    assert tokens.find_bot(enterprise_id=None, team_id="TOLD").bot_token == bot.bot_token  # type: ignore[union-attr]


def test_rotation_old_key_reads_then_reencrypt_lets_it_go(store: SqlStore) -> None:
    sealed(store, OLD).save(install("TAAA"))
    with pytest.raises(TokenKeyError, match="MIROIR_SECRET_KEY_PREVIOUS"):
        sealed(store, NEW).find_bot(enterprise_id=None, team_id="TAAA")
    rotated = sealed(store, NEW, OLD)
    assert rotated.find_bot(enterprise_id=None, team_id="TAAA").bot_token.startswith("xoxb-")  # type: ignore[union-attr]
    before = raw_tokens(store)
    assert rotated.reseal_all() == 2  # one installation row, one bot row
    after = raw_tokens(store)
    assert after != before and all(v.startswith(PREFIX) for v in after)
    only_new = sealed(store, NEW)
    assert only_new.find_bot(enterprise_id=None, team_id="TAAA").bot_token.startswith("xoxb-")  # type: ignore[union-attr]
    found = only_new.find_installation(enterprise_id=None, team_id="TAAA", user_id="UADMIN")
    assert found is not None and found.user_token == "xoxp-TAAA-user"


def test_a_reencrypt_with_a_missing_key_changes_nothing(store: SqlStore) -> None:
    sealed(store, OLD).save(install("TAAA"))
    before = raw_tokens(store)
    with pytest.raises(TokenKeyError):
        sealed(store, NEW).reseal_all()
    assert raw_tokens(store) == before


async def test_the_app_encrypts_with_miroir_secret_key(store: SqlStore) -> None:
    settings = Settings(secret_key=NEW, secret_key_previous=f" {OLD} , other-old ",
                        database_url="sqlite://", migrate_on_start=False,
                        scheduler_enabled=False, classifier_backend="lexicon")
    assert settings.secret_keys == [NEW, OLD, "other-old"]
    app = build_app(settings, store=store, slack=slack_settings("http://127.0.0.1:9/api/"))
    installations: DbInstallationStore = app.state.slack.gateway.installations
    await installations.async_save(install("TAAA"))
    assert all(v.startswith(PREFIX) for v in raw_tokens(store))
    assert sealed(store, NEW).find_bot(enterprise_id=None, team_id="TAAA") is not None
    assert (await installations.bot_token("TAAA") or "").startswith("xoxb-TAAA")
    await app.state.slack.gateway.close()


def test_ciphers_refuse_an_empty_key_and_leave_blanks_alone() -> None:
    with pytest.raises(ValueError):
        TokenCipher([""])
    cipher = TokenCipher([NEW])
    assert cipher.seal(None) is None and cipher.seal("") == ""
    once = cipher.seal("xoxb-1")
    assert once is not None and cipher.seal(once) == once and cipher.open(once) == "xoxb-1"


def test_a_new_sqlite_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # WAL mode: -wal and -shm exist while connected
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.commit()
        files = [p for p in tmp_path.iterdir() if p.name.startswith("private.db")]
        assert {p.name for p in files} >= {"private.db", "private.db-wal", "private.db-shm"}
        for file in files:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, (file.name,
                                                                oct(file.stat().st_mode))
    engine.dispose()
