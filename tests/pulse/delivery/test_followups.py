"""Reminders (one per round, never after an answer, never in quiet hours) and manager nudges."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adapters.db.store import SqlStore
from bot.delivery import DrainPolicy, drain_outbox
from bot.replies import Notice, SurveyPrompt
from bot.runtime import Runtime
from pulse.core.clock import FixedClock
from pulse.delivery.followups import FollowUpPolicy, enqueue_nudges, enqueue_reminders
from pulse.delivery.model import TeamSchedule
from pulse.delivery.rounds import materialise_rounds
from pulse.kudos.model import Kudos
from pulse.surveys import service as services
from scheduler.calendar import TriggerCalendar
from testing.delivery import FakeGateway, delivery_team

CAL = TriggerCalendar()
PARIS = ZoneInfo("Europe/Paris")


async def test_reminder_once_only_for_people_who_have_not_answered(store: SqlStore) -> None:
    people = delivery_team(store, 3, manager=False)
    store.set_schedule(TeamSchedule("t1", "acme", weekday=1, round_hours=72,
                                    materialized_until=datetime(2026, 3, 1, tzinfo=UTC)))
    clock = FixedClock(datetime(2026, 3, 3, 9, tzinfo=UTC))  # Tue 10:00 Paris
    gateway = FakeGateway()
    runtime = Runtime(store=store, clock=clock, gateways={"web": gateway})
    assert materialise_rounds(store, clock, CAL) == 1
    assert (await drain_outbox(runtime, DrainPolicy("w"))).sent == 3
    round_id = gateway.rounds_sent_to(people[0].id)[0]
    first_q = store.get_invitation(round_id, people[0].id).question_ids[0]  # type: ignore[union-attr]
    outcome = services.record_answer(store, clock, people[0], round_id, first_q, 4).outcome
    assert outcome == "recorded"

    assert enqueue_reminders(store, clock, CAL) == 0  # too early: 24 h delay
    clock.advance(timedelta(hours=24))
    assert enqueue_reminders(store, clock, CAL) == 2  # not the one who answered
    assert enqueue_reminders(store, clock, CAL) == 0  # at most one per round
    # Someone answers after the reminder was queued but before it goes out: it is cancelled.
    q1 = store.get_invitation(round_id, people[1].id).question_ids[0]  # type: ignore[union-attr]
    services.record_answer(store, clock, people[1], round_id, q1, 5)
    report = await drain_outbox(runtime, DrainPolicy("w"))
    assert (report.sent, report.cancelled) == (1, 1)
    to, replies = gateway.sent[-1]
    assert to.person_id == people[2].id
    assert isinstance(replies[0], Notice) and isinstance(replies[1], SurveyPrompt)
    clock.advance(timedelta(hours=24))
    assert enqueue_reminders(store, clock, CAL) == 0


async def test_reminder_waits_out_quiet_hours_and_the_weekend(store: SqlStore) -> None:
    delivery_team(store, 1, manager=False)
    store.set_schedule(TeamSchedule("t1", "acme", weekday=3, hour=17, minute=50, round_hours=120,
                                    materialized_until=datetime(2026, 3, 1, tzinfo=UTC)))
    clock = FixedClock(datetime(2026, 3, 5, 16, 50, tzinfo=UTC))  # Thu 17:50 Paris
    runtime = Runtime(store=store, clock=clock, gateways={"web": FakeGateway()})
    materialise_rounds(store, clock, CAL)
    await drain_outbox(runtime, DrainPolicy("w"))
    clock.advance(timedelta(hours=24, minutes=10))  # Friday 18:00: after hours, then weekend
    assert enqueue_reminders(store, clock, CAL) == 1
    [reminder] = [i for i in store.list_deliveries(None) if i.kind == "reminder"]
    local = reminder.available_at.astimezone(PARIS)
    assert (local.date().isoformat(), local.time()) == ("2026-03-09", time(9))  # Monday opening


def test_nudge_names_members_without_kudos_and_stays_quiet_otherwise(store: SqlStore) -> None:
    people = delivery_team(store, 3)
    boss = people[-1]
    clock = FixedClock(datetime(2026, 3, 9, 9, 30, tzinfo=UTC))  # Monday 10:30 Paris
    store.add_kudos(Kudos("k1", "acme", boss.id, (people[0].id,), "Merci", clock.now()
                          - timedelta(days=3)), {people[0].id: "t1"})
    store.add_kudos(Kudos("k2", "acme", boss.id, (people[1].id,), "Merci", clock.now()
                          - timedelta(days=40)), {people[1].id: "t1"})
    assert enqueue_nudges(store, clock, CAL) == 1
    assert enqueue_nudges(store, clock, CAL) == 0  # once a week
    [nudge] = [i for i in store.list_deliveries(None) if i.kind == "nudge"]
    assert nudge.person_id == boss.id
    assert sorted(nudge.payload["member_ids"]) == [people[1].id, people[2].id]
    # Next week everyone has had kudos: no message at all.
    clock.advance(timedelta(days=7))
    for i, p in enumerate(people[1:3]):
        store.add_kudos(Kudos(f"k{3 + i}", "acme", boss.id, (p.id,), "Bravo", clock.now()),
                        {p.id: "t1"})
    assert enqueue_nudges(store, clock, CAL) == 0


def test_nudge_waits_for_its_weekday_and_hour(store: SqlStore) -> None:
    delivery_team(store, 2)
    clock = FixedClock(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))  # Monday 09:00 Paris
    assert enqueue_nudges(store, clock, CAL, FollowUpPolicy(nudge_hour=10)) == 0
    clock.advance(timedelta(hours=1))
    assert enqueue_nudges(store, clock, CAL, FollowUpPolicy(nudge_hour=10)) == 1
