"""Use cases: materialise cadence rounds and moment-of-truth micro-surveys into the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Person, Role
from pulse.core.ports import Clock
from pulse.delivery.model import DeliveryWindow, Kind, NewMessage, TeamSchedule
from pulse.delivery.ports import Calendar, DeliveryStore
from pulse.delivery.timing import next_allowed, slot
from pulse.surveys.model import Invitation, Pillar, PulseRound, Question
from pulse.surveys.rotation import choose_moment_questions, choose_questions

_NS = uuid.UUID("5b0e2f0c-8a4e-4a53-9d0e-6f1c0f3a7d21")
NO_BUCKET = "none:none"


@dataclass(frozen=True)
class DeliveryPolicy:
    """The knobs settings expose; defaults are what a contact centre would start with."""

    cooldown: timedelta = timedelta(hours=72)
    lookahead: timedelta = timedelta(hours=36)  # people east of the tenant get theirs first
    moment_delay: timedelta = timedelta(hours=2)
    moment_round: timedelta = timedelta(hours=72)
    platforms: tuple[str, ...] = ("slack", "teams", "web")  # preferred chat account first


def round_id_for(*parts: str) -> str:
    """A deterministic round id, so every instance computes the same one."""
    return uuid.uuid5(_NS, "|".join(parts)).hex


def materialise_rounds(
    store: DeliveryStore, clock: Clock, calendar: Calendar,
    policy: DeliveryPolicy = DeliveryPolicy(),
) -> int:
    """Create every round due by now (+ lookahead) for every team cadence; returns rounds created.

    Idempotent and safe on many instances at once: round ids are deterministic and inserted with
    ON CONFLICT DO NOTHING, the watermark only moves forward. After downtime it catches up on
    occurrences whose round would still be open; older ones are skipped.
    """
    now = clock.now()
    created = 0
    for schedule in store.list_schedules():
        if not schedule.active:
            continue
        tenant = store.get_tenant(schedule.tenant_id)
        if tenant is None:
            continue
        after = schedule.materialized_until or now
        fire = calendar.next_fire(schedule, tenant.timezone, after)
        while fire is not None and fire <= now + policy.lookahead:
            if fire + schedule.round_duration > now:
                created += _materialise_one(store, clock, calendar, policy, schedule,
                                            tenant.timezone, fire)
            store.advance_watermark(schedule.team_id, fire)
            fire = calendar.next_fire(schedule, tenant.timezone, fire)
    return created


def _materialise_one(
    store: DeliveryStore, clock: Clock, calendar: Calendar, policy: DeliveryPolicy,
    schedule: TeamSchedule, tenant_tz: str, fire: datetime,
) -> int:
    now = clock.now()
    day = fire.astimezone(ZoneInfo(tenant_tz)).date()  # the occurrence's date where the team lives
    members = _members(store, schedule.tenant_id, schedule.team_id, day)
    window = schedule.window

    def holiday(d: date) -> bool:
        return calendar.is_holiday(window.country, d)

    send_at: dict[str, datetime] = {}
    for person in members:
        nominal = slot(day, time(schedule.hour, schedule.minute), person.timezone)
        at = next_allowed(max(nominal, now), person.timezone, window, holiday)
        send_at[person.id] = at
    busy = _busy(store, policy, send_at)
    invited = [p for p in members if p.id not in busy]
    bank = store.list_questions(schedule.tenant_id)
    enps_ids = [q.id for q in bank if q.pillar is Pillar.ENPS]
    history = store.question_history([p.id for p in invited], enps_ids)
    buckets = store.buckets_of([p.id for p in invited], policy.platforms)
    rid = round_id_for("cadence", schedule.team_id, fire.isoformat())
    invitations, messages = [], []
    for person in invited:
        asked, enps_asked = history.get(person.id, ([], []))
        chosen = choose_questions(bank, asked, enps_asked, send_at[person.id],
                                  schedule.items_per_pulse, salt=person.id)
        if not chosen:
            continue
        invitations.append(Invitation(rid, person.id, tuple(q.id for q in chosen)))
        messages.append(_pulse_message(rid, person, send_at[person.id],
                                       buckets.get(person.id, NO_BUCKET)))
    times = [send_at[i.person_id] for i in invitations] or [fire]
    pulse_round = PulseRound(rid, schedule.tenant_id, schedule.team_id, min(times),
                             max(times) + schedule.round_duration, "cadence")
    return int(store.create_round(pulse_round, invitations, messages))


def schedule_moment(
    store: DeliveryStore, clock: Clock, calendar: Calendar, person_id: str, moment: str,
    occurred_at: datetime, policy: DeliveryPolicy = DeliveryPolicy(),
) -> tuple[PulseRound, bool]:
    """Plan the micro-survey for a moment of truth; (round, created). Posting twice is harmless."""
    person = store.get_person(person_id)
    if person is None:
        raise NotFound(f"person {person_id!r}")
    if occurred_at.tzinfo is None:
        raise Invalid("occurred_at needs a timezone offset, e.g. 2026-03-04T09:00:00+01:00")
    now = clock.now()
    team_id = store.team_of(person.id, occurred_at.date()) or store.team_of(person.id, now.date())
    if team_id is None:
        raise Invalid(f"person {person_id!r} belongs to no team")
    bank = store.list_questions(person.tenant_id)
    rid = round_id_for("moment", person.id, moment, occurred_at.isoformat())
    history = store.question_history([person.id], [])
    chosen = choose_moment_questions(bank, moment, history.get(person.id, ([], []))[0])
    if not chosen:
        raise Invalid(f"no active question is tagged for the moment {moment!r}")
    existing = store.get_round(rid)
    if existing is not None:
        return existing, False
    schedule = store.get_schedule(team_id)
    window = schedule.window if schedule else DeliveryWindow()

    def holiday(d: date) -> bool:
        return calendar.is_holiday(window.country, d)

    at = next_allowed(max(occurred_at + policy.moment_delay, now), person.timezone, window, holiday)
    # Never two pulses inside the cool-down: the micro-survey waits for the window to clear.
    for _ in range(8):
        if not store.pulsed_between([person.id], at - policy.cooldown, at + policy.cooldown):
            break
        at = next_allowed(at + policy.cooldown, person.timezone, window, holiday)
    bucket = store.buckets_of([person.id], policy.platforms).get(person.id, NO_BUCKET)
    pulse_round = PulseRound(rid, person.tenant_id, team_id, at, at + policy.moment_round,
                             f"moment:{moment}")
    created = store.create_round(pulse_round, [Invitation(rid, person.id, _ids(chosen))],
                                 [_pulse_message(rid, person, at, bucket)])
    return pulse_round, created


def _pulse_message(round_id: str, person: Person, at: datetime, bucket: str) -> NewMessage:
    return NewMessage(key=f"pulse:{round_id}:{person.id}", tenant_id=person.tenant_id,
                      person_id=person.id, kind=Kind.PULSE,
                      payload={"kind": "pulse", "round_id": round_id, "person_id": person.id},
                      available_at=at, bucket=bucket)


def _members(store: DeliveryStore, tenant_id: str, team_id: str, day: date) -> list[Person]:
    ids = {m.person_id for m in store.memberships(tenant_id)
           if m.team_id == team_id and m.covers(day)}
    return [p for p in store.list_people(tenant_id) if p.id in ids and p.role is Role.ADVISER]


def _busy(store: DeliveryStore, policy: DeliveryPolicy, send_at: dict[str, datetime]) -> set[str]:
    """People who already have a pulse inside the cool-down around their send time."""
    if not send_at or policy.cooldown <= timedelta(0):
        return set()
    start = min(send_at.values()) - policy.cooldown
    end = max(send_at.values()) + policy.cooldown
    candidates = store.pulsed_between(send_at, start, end)
    # The bulk query is coarse (team-wide span); check each candidate against their own time.
    return {pid for pid in candidates
            if store.pulsed_between([pid], send_at[pid] - policy.cooldown,
                                    send_at[pid] + policy.cooldown)}


def _ids(questions: Sequence[Question]) -> tuple[str, ...]:
    return tuple(q.id for q in questions)
