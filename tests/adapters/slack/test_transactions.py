"""One pulse answer through the signed Slack route: one write transaction, two at most in all."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from adapters.slack import render
from bot.dialogs import survey_prompts
from bot.ports import Recipient
from pulse.surveys import service as services
from pulse.surveys.model import Pillar, Question, Scale
from testing.slack_harness import QUESTION, Wired, block_action, button, interaction

WRITES = ("INSERT", "UPDATE", "DELETE")
TOOLS = Question("q-tools", Pillar.TOOLS, Scale.AGREE5, "Mes outils m'aident.",
                 "My tools help me.")


@dataclass
class Transactions:
    """Every transaction the engine began, with the statements run in it."""

    statements: list[list[str]] = field(default_factory=list)
    _open: dict[int, int] = field(default_factory=dict)  # connection → its transaction's index
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, conn: Any) -> None:
        with self._lock:
            self._open[id(conn)] = len(self.statements)
            self.statements.append([])

    def execute(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        with self._lock:
            index = self._open.get(id(conn))
            if index is not None:
                self.statements[index].append(" ".join(statement.split()))

    @property
    def writes(self) -> list[list[str]]:
        """The transactions that ran an INSERT, UPDATE or DELETE."""
        return [t for t in self.statements if any(s.upper().startswith(WRITES) for s in t)]


@contextmanager
def counting(engine: Engine) -> Iterator[Transactions]:
    """Count transactions (SQLAlchemy's begin event, fired on SQLite and PostgreSQL alike)."""
    seen = Transactions()
    event.listen(engine, "begin", seen.begin)
    event.listen(engine, "before_cursor_execute", seen.execute)
    try:
        yield seen
    finally:
        event.remove(engine, "begin", seen.begin)
        event.remove(engine, "before_cursor_execute", seen.execute)


async def test_one_click_is_one_write_transaction_and_two_at_most(wired: Wired) -> None:
    fake, store = wired.fake, wired.store
    store.add_question(TOOLS)
    services.start_round(store, wired.clock, "acme", "team-a",
                         {p: [QUESTION, TOOLS] for p in ("ada", "bob")}, round_id="r-acme")
    # The prompt as the scheduler delivers it; this also caches the workspace's bot token, as
    # any earlier request to that workspace does in a running server.
    prompts = survey_prompts(wired.app.state.runtime, store.get_person("ada"), "r-acme")
    ref = await wired.slack.gateway.send(Recipient("ada", "slack", "TAAA", "UADA"), prompts)
    [post] = fake.calls_to("chat.postMessage")
    blocks = post.params["blocks"]  # JSON from the Web API client: already a list
    press = block_action("TAAA", "UADA", "DUADA", ref.message_id,
                         button(blocks, f"{render.ANSWER_ACTION}_3"), fake.url + "/response/tx")

    with counting(store.engine) as seen:
        r = await wired.post(interaction(press))
        assert r.status_code == 200
        # The prompt became the next question: the turn is over.
        [update] = await fake.wait_for("chat.update")
        await asyncio.sleep(0.1)  # anything late would still be counted

    assert "My tools help me." in str(update.params) and "I feel I belong" not in str(
        update.params)
    [write] = seen.writes
    assert [s.split(" (")[0] for s in write if s.upper().startswith(WRITES)] == [
        "INSERT INTO answer"]
    assert len(seen.statements) <= 2, seen.statements  # the identity lookup, then the turn
    assert [a.value for a in store.round_answers("r-acme", "ada")] == [4]


async def test_a_double_click_stores_the_answer_once(wired: Wired) -> None:
    fake, store = wired.fake, wired.store
    services.start_round(store, wired.clock, "acme", "team-a", {"ada": [QUESTION]},
                         round_id="r-acme")
    prompts = survey_prompts(wired.app.state.runtime, store.get_person("ada"), "r-acme")
    ref = await wired.slack.gateway.send(Recipient("ada", "slack", "TAAA", "UADA"), prompts)
    [post] = fake.calls_to("chat.postMessage")
    presses = [block_action("TAAA", "UADA", "DUADA", ref.message_id,
                            button(post.params["blocks"], f"{render.ANSWER_ACTION}_{i}"),
                            f"{fake.url}/response/dbl{i}") for i in (1, 3)]
    responses = await asyncio.gather(*(wired.post(interaction(p)) for p in presses))
    assert [r.status_code for r in responses] == [200, 200]
    [update] = await fake.wait_for("chat.update")  # one thank-you
    for _ in range(250):  # the other press is told nothing changed, through its response_url
        told = fake.posts_to("/response/dbl1") + fake.posts_to("/response/dbl3")
        if told:
            break
        await asyncio.sleep(0.02)
    [again] = told
    assert "already counted" in str(again.params)
    [answer] = store.round_answers("r-acme", "ada")
    assert answer.value in (2, 4)
    assert "Thank you, Ada!" in str(update.params)
