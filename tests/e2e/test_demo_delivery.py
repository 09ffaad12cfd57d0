"""`miroir serve --demo`: the ticker's jobs deliver the next scheduled pulse to the web chat."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from adapters.db.store import SqlStore
from adapters.web.gateway import WebGateway
from bot.runtime import Runtime
from demo.seed import DemoStore, seed_demo
from pulse.core.clock import FixedClock
from pulse.core.model import Role
from scheduler.demo import ensure_demo_cadences
from scheduler.ticker import Jobs
from settings import DeliverySettings


async def test_demo_adviser_gets_the_next_scheduled_pulse_in_the_web_chat(
    store: SqlStore, clock: FixedClock
) -> None:
    summary = seed_demo(cast(DemoStore, store), clock)
    assert summary is not None
    web = WebGateway()
    runtime = Runtime(store=store, clock=clock, gateways={"web": web})
    assert "Next pulse" in ensure_demo_cadences(store, clock, in_minutes=2)
    assert ensure_demo_cadences(store, clock) == ""  # once
    jobs = Jobs(runtime, DeliverySettings())
    assert await jobs.materialise() == len(store.list_schedules()) >= len(summary.team_ids)
    assert await jobs.drain() == 0  # not due yet
    clock.advance(timedelta(minutes=3))
    sent = await jobs.drain()
    advisers = [p for p in store.list_people("demo") if p.role is Role.ADVISER]
    assert sent == len([p for p in advisers if store.team_of(p.id, clock.now().date())])
    adviser = summary.pending[0]
    inbox = web.inbox(adviser.id)  # the demo identity: external id == person id
    assert inbox and inbox[-1].replies, "the scheduled pulse is in the adviser's web chat"
