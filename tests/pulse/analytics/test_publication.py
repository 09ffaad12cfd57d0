"""The publication use case and its job on SQLite and PostgreSQL: grace period, catch-up,
months from published weeks, written once (late answers, moves and re-orgs change nothing)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from adapters.db.store import SqlStore
from bot.runtime import Runtime
from pulse.analytics.publication import due_weeks, publish_due, reaudit, week_due_at
from pulse.core.clock import FixedClock
from pulse.core.model import Bucket, Membership, Person, Team, Tenant
from pulse.surveys.model import Answer, Invitation, Pillar, PulseRound, Question, Scale
from scheduler.ticker import Jobs
from settings import DeliverySettings

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # Wednesday of 2026-W10
Q = Question("qx-tools", Pillar.TOOLS, Scale.AGREE5, "Outils ?", "Tools?")


def team(store: SqlStore, team_id: str, size: int, parent: str | None = None) -> list[str]:
    store.add_team(Team(team_id, "acme", team_id, parent))
    ids = [f"{team_id}-{i}" for i in range(size)]
    for pid in ids:
        store.add_person(Person(pid, "acme", pid))
        store.add_membership(Membership(pid, team_id, date(2025, 1, 1)))
    return ids


def answer(store: SqlStore, team_id: str, people: Sequence[str], at: datetime, value: int
           ) -> None:
    rid = f"r-{team_id}-{at.isoformat()}"
    store.add_round(PulseRound(rid, "acme", team_id, at, at + timedelta(days=2)))
    for pid in people:
        store.add_invitation(Invitation(rid, pid, (Q.id,)))
        store.record_answer(Answer(rid, pid, Q.id, team_id, value, at + timedelta(hours=1)))


def setup(store: SqlStore) -> list[str]:
    store.add_tenant(Tenant("acme", "Acme", timezone="Europe/Paris"))
    store.add_question(Q)
    return team(store, "fr", 6)


def pulse(store: SqlStore, week: str, team_id: str = "fr") -> tuple[float | None, object]:
    [cell] = store.cells("acme", [team_id], Bucket.WEEK, ["pulse"], week, week)
    return cell.value, cell.n


def test_a_week_waits_for_its_grace_period_in_the_tenants_timezone(store: SqlStore) -> None:
    people = setup(store)
    answer(store, "fr", people, datetime(2026, 2, 24, 9, tzinfo=UTC), 4)  # 2026-W09
    due = week_due_at("2026-W09", "Europe/Paris")
    assert due == datetime(2026, 3, 2, 5, tzinfo=UTC)  # Monday 06:00 in Paris
    assert "2026-W09" not in due_weeks(store, "acme", due - timedelta(seconds=1))
    assert due_weeks(store, "acme", due)[-1] == "2026-W09"
    assert due_weeks(store, "acme", due, grace_hours=30) == due_weeks(
        store, "acme", due)[:-1]


def test_catch_up_publishes_every_closed_week_once_and_derives_months(store: SqlStore) -> None:
    people = setup(store)
    for week in range(3, 10):  # 2026-W03 .. W09: late January and February
        answer(store, "fr", people, datetime.combine(date.fromisocalendar(2026, week, 2),
                                                     datetime.min.time(), UTC), 4)
    report = publish_due(store, "acme", NOW)
    assert report.weeks == [f"2026-W{w:02d}" for w in range(1, 10)]  # from January's first week
    assert report.months == ["2026-01", "2026-02"] and report.findings == 0
    assert publish_due(store, "acme", NOW + timedelta(days=1)).weeks == []
    assert pulse(store, "2026-W05") == (7.5, 6)
    [month] = store.cells("acme", ["fr"], Bucket.MONTH, ["pulse"], "2026-02", "2026-02")
    assert (month.value, month.n, month.weeks_used) == (7.5, 24, 4)
    assert reaudit(store, "acme") == []


def test_published_cells_never_change(store: SqlStore) -> None:
    people = setup(store)
    at = datetime(2026, 2, 24, 9, tzinfo=UTC)
    answer(store, "fr", people, at, 4)
    publish_due(store, "acme", NOW)
    before = store.cells("acme", ["fr"], Bucket.WEEK, ["pulse", "participation"])
    # A late answer stamped inside the published week, a move and a re-org afterwards.
    store.add_person(Person("late", "acme", "late"))
    store.add_membership(Membership("late", "fr", date(2025, 1, 1)))
    answer(store, "fr", ["late"], at + timedelta(hours=3), 1)
    store.add_team(Team("en", "acme", "en"))
    store.add_membership(Membership(people[0], "en", date(2026, 3, 3)))
    assert publish_due(store, "acme", NOW + timedelta(days=7)).weeks == ["2026-W10"]
    assert store.cells("acme", ["fr"], Bucket.WEEK, ["pulse", "participation"],
                       None, "2026-W09") == before
    old, new = store.snapshot("acme", "2026-W09"), store.snapshot("acme", "2026-W10")
    assert old is not None and new is not None
    assert (old.home[people[0]], new.home[people[0]]) == ("fr", "en")
    # The late answer is kept for the person's own history.
    assert [a.value for a in store.round_answers(f"r-fr-{(at + timedelta(hours=3)).isoformat()}",
                                                 "late")] == [1]


def test_the_scheduler_job_publishes_every_tenant(store: SqlStore) -> None:
    people = setup(store)
    answer(store, "fr", people, datetime(2026, 2, 24, 9, tzinfo=UTC), 4)
    jobs = Jobs(Runtime(store=store, clock=FixedClock(NOW)), DeliverySettings())
    assert asyncio.run(jobs.publish()) == 4  # 2026-W06 .. W09: from February's first week
    assert asyncio.run(jobs.publish()) == 0
    assert pulse(store, "2026-W09") == (7.5, 6)
