"""Shared base for repositories: one engine, and one unit of work per use case or dialog turn."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Engine
from sqlmodel import Session

# The open unit of work (its engine and session), per thread and per asyncio task.
_batch: ContextVar[tuple[Engine, Session] | None] = ContextVar("miroir_db_batch", default=None)


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The unit of work: every repository call inside shares one session and one transaction,
        committed at the end (all kept, or none). Nested batches join the open one."""
        if self._batched() is not None:
            yield
            return
        with Session(self.engine, expire_on_commit=False) as session:
            token = _batch.set((self.engine, session))
            try:
                yield
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                _batch.reset(token)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The open unit of work's session, else a short one committed on success."""
        batched = self._batched()
        if batched is not None:
            yield batched
            batched.flush()
            return
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def _batched(self) -> Session | None:
        current = _batch.get()
        return current[1] if current is not None and current[0] is self.engine else None
