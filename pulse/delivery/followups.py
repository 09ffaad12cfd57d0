"""Use cases: one reminder per round for people who have not answered; weekly recognition nudges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pulse.core.model import Membership, Person, Role
from pulse.core.ports import Clock
from pulse.delivery.model import DeliveryWindow, Kind, NewMessage
from pulse.delivery.ports import Calendar, DeliveryStore
from pulse.delivery.rounds import NO_BUCKET, DeliveryPolicy
from pulse.delivery.timing import next_allowed, slot


@dataclass(frozen=True)
class FollowUpPolicy:
    reminder_delay: timedelta = timedelta(hours=24)
    nudge_weekday: int = 0  # Monday
    nudge_hour: int = 10
    nudge_after: timedelta = timedelta(days=30)  # without kudos for this long


def enqueue_reminders(
    store: DeliveryStore, clock: Clock, calendar: Calendar,
    policy: FollowUpPolicy = FollowUpPolicy(),
) -> int:
    """Queue at most one reminder per (round, person), after the delay, inside allowed hours.

    Only people who have not answered anything in the round; the drain checks again at send time.
    """
    now = clock.now()
    messages = []
    for sent in store.reminder_candidates(now - policy.reminder_delay, now):
        round_id = str(sent.payload.get("round_id", ""))
        person = store.get_person(sent.person_id)
        pulse_round = store.get_round(round_id)
        if person is None or pulse_round is None or sent.sent_at is None:
            continue
        window = _window(store, pulse_round.team_id)
        at = next_allowed(max(sent.sent_at + policy.reminder_delay, now), person.timezone, window,
                          _holidays(calendar, window.country))
        if at >= pulse_round.closes_at:
            continue  # it would arrive after the round closed
        messages.append(NewMessage(
            key=f"reminder:{round_id}:{person.id}", tenant_id=person.tenant_id,
            person_id=person.id, kind=Kind.REMINDER,
            payload={"kind": "reminder", "round_id": round_id, "person_id": person.id},
            available_at=at, bucket=sent.bucket))
    return store.enqueue(messages)


def enqueue_nudges(
    store: DeliveryStore, clock: Clock, calendar: Calendar,
    policy: FollowUpPolicy = FollowUpPolicy(), delivery: DeliveryPolicy = DeliveryPolicy(),
) -> int:
    """Once a week, tell each manager which team members had no kudos lately; nothing if none."""
    now = clock.now()
    queued = 0
    for tenant in store.list_tenants():
        people = store.list_people(tenant.id)
        memberships = store.memberships(tenant.id)
        for manager in (p for p in people if p.role is Role.MANAGER):
            local_day = now.astimezone(ZoneInfo(manager.timezone)).date()
            monday = local_day - timedelta(days=local_day.weekday())
            due = slot(monday + timedelta(days=policy.nudge_weekday), time(policy.nudge_hour),
                       manager.timezone)
            year, week, _ = monday.isocalendar()
            key = f"nudge:{manager.id}:{year}-W{week:02d}"
            if now < due or store.has_message(key):
                continue
            teams = {m.team_id for m in memberships
                     if m.person_id == manager.id and m.covers(local_day)}
            unrecognised = _unrecognised(store, tenant.id, people, memberships, teams,
                                         manager, local_day, now - policy.nudge_after,
                                         now + timedelta(seconds=1))  # up to now, inclusive
            if not unrecognised:
                continue
            window = _window(store, sorted(teams)[0]) if teams else DeliveryWindow()
            at = next_allowed(now, manager.timezone, window, _holidays(calendar, window.country))
            bucket = store.buckets_of([manager.id], delivery.platforms).get(manager.id, NO_BUCKET)
            queued += store.enqueue([NewMessage(
                key=key, tenant_id=tenant.id, person_id=manager.id, kind=Kind.NUDGE,
                payload={"kind": "nudge", "person_id": manager.id, "member_ids": unrecognised,
                         "days": policy.nudge_after.days},
                available_at=at, bucket=bucket)])
    return queued


def _unrecognised(
    store: DeliveryStore, tenant_id: str, people: list[Person], memberships: list[Membership],
    teams: set[str], manager: Person, day: date, start: datetime, end: datetime,
) -> list[str]:
    if not teams:
        return []
    members = {m.person_id for m in memberships if m.team_id in teams and m.covers(day)}
    kudos = store.kudos_between(tenant_id, teams, start, end)
    recognised = {recipient for _, recipient, _ in kudos}
    return [p.id for p in people
            if p.id in members and p.id != manager.id and p.role is Role.ADVISER
            and p.id not in recognised]


def _holidays(calendar: Calendar, country: str) -> Callable[[date], bool]:
    return lambda day: calendar.is_holiday(country, day)


def _window(store: DeliveryStore, team_id: str) -> DeliveryWindow:
    schedule = store.get_schedule(team_id)
    return schedule.window if schedule else DeliveryWindow()
