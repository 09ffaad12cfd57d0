"""Rounds on SQLite and PostgreSQL: idempotent, catch-up, DST, public holidays, cool-down."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.db.store import SqlStore
from pulse.core.clock import FixedClock
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Person, Role
from pulse.delivery.model import Cadence, DeliveryWindow, TeamSchedule
from pulse.delivery.rounds import DeliveryPolicy, materialise_rounds, schedule_moment
from scheduler.calendar import TriggerCalendar
from testing.delivery import delivery_team

CAL = TriggerCalendar()
PARIS = ZoneInfo("Europe/Paris")


def weekly(team: str, weekday: int, start: datetime, **kw: object) -> TeamSchedule:
    return TeamSchedule(team, "acme", Cadence.WEEKLY, weekday=weekday, hour=10,
                        materialized_until=start, **kw)  # type: ignore[arg-type]


def pulses(store: SqlStore) -> list:
    return [i for i in store.list_deliveries(None, limit=1000) if i.kind == "pulse"]


def test_materialise_is_idempotent_and_catches_up(store: SqlStore, clock: FixedClock) -> None:
    people = delivery_team(store)
    # Down since 20 Feb; now Wed 4 Mar 09:30 UTC. Tue 24 Feb's round has closed (skipped);
    # Tue 3 Mar's is still open (caught up, sent now); Tue 10 Mar is beyond the lookahead.
    store.set_schedule(weekly("t1", 1, datetime(2026, 2, 20, tzinfo=UTC)))
    assert materialise_rounds(store, clock, CAL) == 1
    assert materialise_rounds(store, clock, CAL) == 0
    rows = pulses(store)
    advisers = [p for p in people if p.role is Role.ADVISER]
    assert sorted(r.person_id for r in rows) == sorted(p.id for p in advisers)  # no manager
    assert all(r.available_at == clock.now() for r in rows)
    schedule = store.get_schedule("t1")
    assert schedule is not None and schedule.materialized_until == datetime(
        2026, 3, 3, 10, tzinfo=PARIS)
    invitation = store.get_invitation(rows[0].payload["round_id"], advisers[0].id)
    assert invitation is not None and 1 <= len(invitation.question_ids) <= 3


def test_concurrent_materialisers_create_each_round_once(
    store: SqlStore, clock: FixedClock
) -> None:
    delivery_team(store, 5)
    store.set_schedule(weekly("t1", 1, datetime(2026, 2, 20, tzinfo=UTC)))
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(materialise_rounds(store, clock, CAL))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(results) == 1 and len(pulses(store)) == 5


def test_dst_change_keeps_each_persons_local_hour(store: SqlStore) -> None:
    paris = delivery_team(store, 1, manager=False)[0]
    ny = Person("ny", "acme", "Nora", Role.ADVISER, timezone="America/New_York")
    store.add_person(ny)
    from pulse.core.model import Membership
    store.add_membership(Membership("ny", "t1", date(2025, 1, 1)))
    store.link_identity("web", "local", "U-ny", "ny")
    store.set_schedule(weekly("t1", 0, datetime(2026, 3, 20, tzinfo=UTC)))  # Mondays 10:00
    clock = FixedClock(datetime(2026, 3, 22, 12, tzinfo=UTC))
    policy = DeliveryPolicy(cooldown=timedelta(hours=72))
    assert materialise_rounds(store, clock, CAL, policy) == 1  # Mon 23 Mar, Paris still CET
    clock.at = datetime(2026, 3, 29, 12, tzinfo=UTC)  # Paris switched to CEST this morning
    assert materialise_rounds(store, clock, CAL, policy) == 1
    by_person: dict[str, list[datetime]] = {}
    for row in sorted(pulses(store), key=lambda r: r.available_at):
        by_person.setdefault(row.person_id, []).append(row.available_at)
    assert [t.hour for t in by_person[paris.id]] == [9, 8]  # UTC hours move with DST …
    assert {t.astimezone(PARIS).time() for t in by_person[paris.id]} == {time(10)}  # … local not
    assert [t.astimezone(ZoneInfo("America/New_York")).time() for t in by_person["ny"]] == [
        time(10), time(10)]
    assert [t.hour for t in by_person["ny"]] == [14, 14]  # NY was already on EDT


def test_public_holiday_moves_the_pulse_to_the_next_working_day(
    store: SqlStore
) -> None:
    delivery_team(store, 2, manager=False)
    store.set_schedule(weekly("t1", 0, datetime(2026, 4, 1, tzinfo=UTC)))  # Mondays, FR
    clock = FixedClock(datetime(2026, 4, 5, 12, tzinfo=UTC))  # Easter Monday is 6 April 2026
    assert materialise_rounds(store, clock, CAL) == 1
    assert {r.available_at.astimezone(PARIS) for r in pulses(store)} == {
        datetime(2026, 4, 7, 10, tzinfo=PARIS)}


def test_cooldown_skips_someone_pulsed_recently(store: SqlStore, clock: FixedClock) -> None:
    people = delivery_team(store, 3, manager=False)
    round_, created = schedule_moment(store, clock, CAL, people[0].id, "onboarding_day_7",
                                      clock.now() - timedelta(hours=2))
    assert created
    store.set_schedule(weekly("t1", 1, datetime(2026, 2, 20, tzinfo=UTC)))
    materialise_rounds(store, clock, CAL)
    cadence = [r for r in pulses(store) if r.payload["round_id"] != round_.id]
    assert sorted(r.person_id for r in cadence) == [people[1].id, people[2].id]


def test_moment_of_truth_is_idempotent_and_validated(store: SqlStore, clock: FixedClock) -> None:
    ada = delivery_team(store, 1, manager=False)[0]
    occurred = datetime(2026, 3, 4, 7, tzinfo=UTC)
    first, created = schedule_moment(store, clock, CAL, ada.id, "onboarding_day_7", occurred)
    again, created_again = schedule_moment(store, clock, CAL, ada.id, "onboarding_day_7", occurred)
    assert created and not created_again and first.id == again.id
    assert first.kind == "moment:onboarding_day_7"
    invitation = store.get_invitation(first.id, ada.id)
    assert invitation is not None and invitation.question_ids == ("m-onb7",)
    assert len(pulses(store)) == 1
    with pytest.raises(NotFound):
        schedule_moment(store, clock, CAL, "ghost", "onboarding_day_7", occurred)
    with pytest.raises(Invalid):
        schedule_moment(store, clock, CAL, ada.id, "job_change", occurred)  # nothing tagged


def test_fortnightly_cadence_every_other_week(store: SqlStore) -> None:
    delivery_team(store, 1, manager=False)
    window = DeliveryWindow(country="")
    store.set_schedule(TeamSchedule("t1", "acme", Cadence.FORTNIGHTLY, weekday=2, hour=10,
                                    window=window, anchor=date(2026, 1, 7),
                                    materialized_until=datetime(2026, 1, 1, tzinfo=UTC)))
    clock = FixedClock(datetime(2026, 1, 5, 23, tzinfo=UTC))  # Monday night
    policy = DeliveryPolicy(cooldown=timedelta(0))
    for _ in range(60):  # tick once a day for two months
        clock.advance(timedelta(days=1))
        materialise_rounds(store, clock, CAL, policy)
    sent = sorted({r.available_at.astimezone(PARIS).date() for r in pulses(store)})
    assert sent == [date(2026, 1, 7) + timedelta(days=14 * i) for i in range(5)]


def test_monthly_cadence_is_the_first_weekday_of_the_month() -> None:
    schedule = TeamSchedule("t1", "acme", Cadence.MONTHLY, weekday=1, hour=10)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    fires = []
    for _ in range(3):
        fire = CAL.next_fire(schedule, "Europe/Paris", at)
        assert fire is not None
        fires.append(fire.astimezone(PARIS).date())
        at = fire
    assert fires == [date(2026, 1, 6), date(2026, 2, 3), date(2026, 3, 3)]
