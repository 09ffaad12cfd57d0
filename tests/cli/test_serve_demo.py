"""`miroir serve --demo`: the demo adviser gets one pulse, not a second one minutes later; the
README's API examples return data on the demo (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from adapters.db.store import SqlStore
from app import build_app
from bot.replies import SurveyPrompt
from cli import demo as demo_cli
from cli.scheduler import demo_cadences
from demo.seed import pending_invitations
from pulse.core.clock import FixedClock
from scheduler.ticker import Jobs
from settings import DeliverySettings, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def pulses(runtime: object, person_id: str) -> int:
    """Messages in a web-chat inbox that ask pulse questions."""
    inbox = runtime.gateways["web"].inbox(person_id)  # type: ignore[attr-defined]
    return sum(any(isinstance(r, SurveyPrompt) for r in m.replies) for m in inbox)


async def test_the_demo_adviser_gets_one_pulse_not_two(store: SqlStore, clock: FixedClock) -> None:
    settings = Settings(demo=True, database_url="sqlite://", migrate_on_start=False)
    runtime = build_app(settings, store=store, clock=clock, ticker=False).state.runtime
    banner = await asyncio.to_thread(demo_cli.prepare_demo, runtime, settings)  # asyncio.run
    waiting = [p for p, _ in pending_invitations(store, clock)]
    assert waiting and "pulse waiting in the web chat" in banner
    teams = demo_cli.waiting_teams(runtime)
    line = demo_cadences(runtime, teams)
    assert "already waiting" in line
    jobs = Jobs(runtime, DeliverySettings())
    for _ in range(3):  # the ticker's first minutes
        await jobs.materialise()
        clock.advance(timedelta(minutes=2))
        await jobs.drain()
    for person in waiting:
        assert pulses(runtime, person.id) == 1, person.id
    # The cadence still runs: a week later the teams get their next pulse.
    clock.advance(timedelta(days=7))
    assert await jobs.materialise() >= len(teams)
    clock.advance(timedelta(minutes=5))
    await jobs.drain()
    assert pulses(runtime, waiting[0].id) == 2


def test_readme_api_examples_return_data_on_the_demo(store: SqlStore, clock: FixedClock) -> None:
    settings = Settings(demo=True, database_url="sqlite://", migrate_on_start=False)
    app = build_app(settings, store=store, clock=clock, ticker=False)
    banner = demo_cli.prepare_demo(app.state.runtime, settings)
    token = banner.split("API key  : ")[1].split()[0]
    text = README.read_text()
    paths = re.findall(r'"http://127\.0\.0\.1:8000(/api/v1/[^"]+)"', text)
    paths += re.findall(r"http://127\.0\.0\.1:8000(/api/v1/teams)\b", text)
    assert len(paths) >= 3, paths
    today = clock.now().date()
    three_months = date(today.year - (today.month <= 3), (today.month - 4) % 12 + 1,
                        min(today.day, 28))
    with TestClient(app) as http:
        for path in paths:
            url = path.replace("$FROM", three_months.isoformat()).replace("$TO", str(today))
            r = http.get(url, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, (url, r.text[:300])
            body = r.json()
            if isinstance(body, list):
                assert body, url
            else:
                values = [p["value"] for p in body["points"] if p["value"] is not None]
                assert values, f"{url} returns no value on the demo"
