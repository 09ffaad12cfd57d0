"""Installations and OAuth states in our database: slack_sdk's SQLAlchemy stores on our engine.

Our engine is synchronous (psycopg 3 / sqlite3), so the stores' sync flavour runs in a worker
thread; bolt asks for the bot token on every request, hence a short in-process cache. The tables
come from our Alembic migration 0005, never from `create_tables()`.
"""

from __future__ import annotations

import asyncio
import time
from logging import Logger, getLogger
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, select

from adapters.slack.sealed import SealedInstallationStore
from adapters.slack.tokens import TokenCipher
from pulse.roster.rows import ANY_WORKSPACE

log = getLogger(__name__)


class DbInstallationStore(AsyncInstallationStore):
    """Bolt's AsyncInstallationStore over slack_sdk's SQLAlchemy store, with a TTL cache."""

    def __init__(self, client_id: str, engine: Engine, cache_seconds: float = 60.0, *,
                 cipher: TokenCipher) -> None:
        self.sync = SealedInstallationStore(client_id, engine, cipher, log)  # tokens encrypted
        self.cache_seconds = cache_seconds
        self._bots: dict[tuple[str | None, str | None], tuple[float, Bot | None]] = {}

    @property
    def logger(self) -> Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.sync.save, installation)
        self._bots.clear()

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.sync.save_bot, bot)
        self._bots.clear()

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        key = (enterprise_id, team_id)
        hit = self._bots.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.cache_seconds:
            return hit[1]
        bot = await asyncio.to_thread(self.sync.find_bot, enterprise_id=enterprise_id,
                                      team_id=team_id, is_enterprise_install=is_enterprise_install)
        if bot is not None:  # never cache a miss: an install may land on another instance
            self._bots[key] = (time.monotonic(), bot)
        return bot

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False,
                                      ) -> Installation | None:
        return await asyncio.to_thread(
            self.sync.find_installation, enterprise_id=enterprise_id, team_id=team_id,
            user_id=user_id, is_enterprise_install=is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.sync.delete_bot, enterprise_id=enterprise_id, team_id=team_id)
        self._bots.clear()

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self.sync.delete_installation, enterprise_id=enterprise_id,
                                team_id=team_id, user_id=user_id)
        self._bots.clear()

    async def bot_token(self, team_id: str) -> str | None:
        """The bot token of one workspace, or None when Miroir is not installed there."""
        if team_id == ANY_WORKSPACE:  # a roster Slack id without its workspace
            only = await asyncio.to_thread(self._only_team)
            team_id = only or team_id
        bot = await self.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot else None

    def _only_team(self) -> str | None:
        """The workspace, when Miroir is installed in exactly one."""
        bots = self.sync.bots
        with self.sync.engine.connect() as conn:
            query = select(bots.c.team_id).where(bots.c.client_id == self.sync.client_id)
            teams = conn.execute(query.distinct().limit(2)).scalars().all()
        return teams[0] if len(teams) == 1 else None


class DbStateStore(AsyncOAuthStateStore):
    """OAuth `state` values in our database, so any instance can finish an install."""

    def __init__(self, engine: Engine, expiration_seconds: int) -> None:
        self.sync = SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds,
                                              engine=engine, logger=log)

    @property
    def logger(self) -> Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.sync.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.sync.consume, state)
