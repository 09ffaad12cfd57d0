"""End to end in a real browser: a demo adviser answers a pulse in the web chat, adds a comment,
and the analytics API then counts the answer.

Debian's Chromium driven by Playwright (no `playwright install`); the app runs under uvicorn on
a loopback port with a temporary SQLite database.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.clock import SystemClock
from pulse.surveys import service as services
from pulse.surveys.service import AnswerOutcome
from settings import Settings
from testing.scenarios import QUESTIONS, TEAM, TENANT, web_chat_team

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium); CI installs it",
                allow_module_level=True)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, SqlStore]]:
    """The whole app under uvicorn on 127.0.0.1, a seeded SQLite database behind it."""
    import uvicorn

    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = SqlStore(engine)
    web_chat_team(store)
    app = build_app(Settings(demo=True, database_url=url, migrate_on_start=False), store=store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(10)
    engine.dispose()


OTHERS = ("ben", "chloe", "dan", "eve", "fara")


def five_colleagues_answered(store: SqlStore) -> None:
    """Five other advisers answered this week, so the team's week is published (k = 5)."""
    clock = SystemClock()
    question = QUESTIONS[0]
    pulse_round = services.start_round(store, clock, TENANT, TEAM,
                                       {pid: [question] for pid in OTHERS})
    for person_id in OTHERS:
        person = store.get_person(person_id)
        assert person is not None
        result = services.record_answer(store, clock, person, pulse_round.id, question.id, 2)
        assert result.outcome is AnswerOutcome.RECORDED


def this_week(base: str, token: str) -> dict[str, Any]:
    """The current week's point of the team's pulse, through the analytics API."""
    response = httpx.get(f"{base}/api/v1/teams/{TEAM}/pulse", params={"bucket": "week"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    now = datetime.now(UTC)
    [point] = [p for p in response.json()["points"]
               if datetime.fromisoformat(p["start"]) <= now < datetime.fromisoformat(p["end"])]
    return dict(point)


def test_adviser_answers_a_pulse_and_comments_in_the_browser(
    served: tuple[str, SqlStore],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, store = served
    five_colleagues_answered(store)
    _, token = create_api_key(store, TENANT, "e2e", ["analytics:read"])
    before = this_week(base, token)
    # The week is open: the API counts who answered and shows no value until it is published.
    assert before["open"] and before["value"] is None and before["answered"] == 5
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR")
            page.set_default_timeout(15_000)
            page.goto(f"{base}/chat")
            expect(page.locator("#pick-title")).to_have_text("Qui êtes-vous\u00a0?")
            page.locator('[data-person="ada"]').click()
            expect(page.locator("#me-name")).to_contain_text("Ada Martin")
            page.locator("#send-pulse").click()

            first = page.locator(".survey").first
            expect(first.locator(".intro")).to_contain_text("Bonjour Ada Martin")
            first_question = first.get_attribute("data-question")
            first.locator('.choice[data-value="4"]').click()

            # the same message now asks the remaining question
            second = page.locator(".survey").first
            expect(second.locator(".intro")).to_have_text("C'est noté. Encore une question\u00a0:")
            second_question = second.get_attribute("data-question")
            assert second_question != first_question
            second.locator('.choice[data-value="2"]').click()

            expect(page.locator(".bubble.thanks .title")).to_have_text("Merci Ada Martin\u00a0!")
            expect(page.locator(".bubble.thanks")).to_contain_text("à partir de 5 répondants")
            page.locator(".comment-request textarea.comment").fill("Le CRM se fige le lundi.")
            page.locator(".comment-request .send-comment").click()
            expect(page.locator(".msg.me .bubble").last).to_have_text("Le CRM se fige le lundi.")
            expect(page.locator(".bubble.private").last).to_contain_text(
                "Merci pour votre commentaire")
        finally:
            browser.close()

    [comment] = store.list_comments(TENANT)
    assert (comment.person_id, comment.source, comment.text) == (
        "ada", "pulse", "Le CRM se fige le lundi.")
    assert comment.round_id is not None
    answers = {(a.question_id, a.value) for a in store.round_answers(comment.round_id, "ada")}
    assert answers == {(first_question, 4), (second_question, 2)}
    after = this_week(base, token)
    assert after["open"] and after["value"] is None and after["answered"] == 6
