"""The outbox on SQLite and PostgreSQL: drain, 429 requeue, backoff to dead, leases, buckets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.db.store import SqlStore
from bot.delivery import DrainPolicy, drain_outbox, reap_leases
from bot.replies import SurveyPrompt
from bot.runtime import Runtime
from pulse.core.clock import FixedClock
from pulse.delivery.model import Kind, Limit, NewMessage, TeamSchedule
from pulse.delivery.rounds import materialise_rounds
from scheduler.calendar import TriggerCalendar
from testing.delivery import FakeGateway, delivery_team

CAL = TriggerCalendar()


def setup(store: SqlStore, clock: FixedClock, people: int = 3) -> tuple[Runtime, FakeGateway]:
    delivery_team(store, people, manager=False)
    store.set_schedule(TeamSchedule("t1", "acme", weekday=1,
                                    materialized_until=datetime(2026, 2, 28, tzinfo=UTC)))
    assert materialise_rounds(store, clock, CAL) == 1
    gateway = FakeGateway()
    return Runtime(store=store, clock=clock, gateways={"web": gateway}), gateway


def statuses(store: SqlStore) -> dict[str, str]:
    return {i.key: i.status for i in store.list_deliveries(None, limit=1000)}


async def test_drain_sends_each_message_once(store: SqlStore, clock: FixedClock) -> None:
    runtime, gateway = setup(store, clock)
    report = await drain_outbox(runtime, DrainPolicy("w1"))
    assert report.sent == 3 and len(gateway.sent) == 3
    assert (await drain_outbox(runtime, DrainPolicy("w1"))).total == 0
    assert set(statuses(store).values()) == {"sent"}
    to, replies = gateway.sent[0]
    assert to.platform == "web" and to.external_id == f"U-{to.person_id}"
    assert replies and all(isinstance(r, SurveyPrompt) for r in replies)


async def test_retry_later_requeues_without_sleeping_or_counting(
    store: SqlStore, clock: FixedClock
) -> None:
    runtime, gateway = setup(store, clock, people=1)
    gateway.retry_after = [30.0]
    report = await drain_outbox(runtime, DrainPolicy("w1"))
    assert report.rate_limited == 1 and not gateway.sent
    [item] = store.list_deliveries(None)
    assert item.status == "pending" and item.attempts == 0
    assert item.available_at == clock.now() + timedelta(seconds=30)
    assert "retry after 30" in (item.last_error or "")
    clock.advance(timedelta(seconds=29))
    assert (await drain_outbox(runtime, DrainPolicy("w1"))).total == 0
    clock.advance(timedelta(seconds=1))
    assert (await drain_outbox(runtime, DrainPolicy("w1"))).sent == 1


async def test_failures_back_off_then_die_with_the_error_visible(
    store: SqlStore, clock: FixedClock
) -> None:
    runtime, gateway = setup(store, clock, people=1)
    gateway.broken = 10
    policy = DrainPolicy("w1", max_attempts=3, backoff_base=10)
    delays = []
    for _ in range(3):
        before = clock.now()
        await drain_outbox(runtime, policy)
        [item] = store.list_deliveries(None)
        delays.append((item.available_at - before).total_seconds())
        clock.at = item.available_at
    assert item.status == "dead" and item.attempts == 3
    assert "ConnectionError" in (item.last_error or "") and "gave up after 3" in item.last_error
    assert delays[:2] == [10, 20]
    assert [i.key for i in store.list_deliveries("acme", status="dead")] == [item.key]


async def test_permanent_failure_and_missing_account_die_at_once(
    store: SqlStore, clock: FixedClock
) -> None:
    runtime, gateway = setup(store, clock, people=2)
    gateway.permanent = {"t1-p0"}
    runtime.gateways = {"web": gateway}
    store.enqueue([NewMessage("pulse:x:t1-p1", "acme", "t1-p1", Kind.NUDGE,
                              {"kind": "nudge", "person_id": "t1-p1", "member_ids": ["t1-p0"]},
                              clock.now(), "slack:T9")])
    await drain_outbox(runtime, DrainPolicy("w1"))
    dead = {i.person_id: i.last_error for i in store.list_deliveries(None, status="dead")}
    assert "user_not_found" in (dead["t1-p0"] or "")
    runtime.gateways = {}
    store.enqueue([NewMessage("nudge:y", "acme", "t1-p1", Kind.NUDGE,
                              {"kind": "nudge", "person_id": "t1-p1", "member_ids": ["t1-p0"]},
                              clock.now(), "web:local")])
    await drain_outbox(runtime, DrainPolicy("w1"))
    [item] = [i for i in store.list_deliveries(None) if i.key == "nudge:y"]
    assert item.status == "dead" and "no chat account on a connected platform" in (
        item.last_error or "")


async def test_expired_lease_is_reaped_and_the_late_worker_cannot_settle(
    store: SqlStore, clock: FixedClock
) -> None:
    runtime, _ = setup(store, clock, people=2)
    leased = store.claim("dead-worker", clock.now(), 60, 10, lambda _: None, 0.0)
    assert len(leased) == 2
    assert reap_leases(runtime, 6) == 0  # lease still valid
    clock.advance(timedelta(seconds=61))
    assert reap_leases(runtime, 6) == 2
    assert (await drain_outbox(runtime, DrainPolicy("w2"))).sent == 2
    assert not store.mark_sent(leased[0].id, "dead-worker", clock.now())
    assert {i.sent_by for i in store.list_deliveries(None)} == {"w2"}


def test_token_bucket_and_channel_gap(store: SqlStore, clock: FixedClock) -> None:
    delivery_team(store, 4, manager=False, platform="slack", workspace="T1")
    msgs = [NewMessage(f"n:{i}:{p}", "acme", f"t1-p{p}", Kind.NUDGE, {"kind": "nudge"},
                       clock.now(), "slack:T1") for i in range(2) for p in range(4)]
    store.enqueue(msgs)
    limit = Limit(rate=2.0, burst=2.0, channel_gap=1.0)
    first = store.claim("w", clock.now(), 60, 100, lambda _: limit, 1000.0)
    assert len(first) == 2  # the burst
    assert store.claim("w", clock.now(), 60, 100, lambda _: limit, 1000.2) == []  # 0.4 token
    third = store.claim("w", clock.now(), 60, 100, lambda _: limit, 1000.5)
    assert len(third) == 1
    for item in first + third:
        store.mark_sent(item.id, "w", clock.now())
    # Tokens are plenty now, but the people just messaged wait for the one-second channel gap.
    later = store.claim("w", clock.now(), 60, 100, lambda _: limit, 1010.0)
    assert {i.person_id for i in later} == {"t1-p3"}
    clock.advance(timedelta(seconds=1.5))
    again = store.claim("w", clock.now(), 60, 100, lambda _: limit, 1020.0)
    assert len(again) == 2 and len({i.person_id for i in again}) == 2
