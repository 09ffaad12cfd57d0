"""The demo tenant: 12 published weekly values per team, the open week as counts, pending pulses."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from demo.seed import TENANT, WEEKS, seed_demo
from pulse.analytics import service as analytics
from pulse.analytics.scoring import to_ten
from pulse.core.buckets import bucket_key
from pulse.core.clock import FixedClock
from pulse.core.model import Bucket, Role
from pulse.surveys.model import Scored

PARIS = ZoneInfo("Europe/Paris")


def iso_week(at: datetime) -> str:
    return bucket_key(at, Bucket.WEEK, TENANT.timezone)


def weekly(answers: list[Scored]) -> dict[str, list[Scored]]:
    out: dict[tuple[int, int], list[Scored]] = defaultdict(list)
    for a in answers:
        out[iso_week(a.answered_at)].append(a)
    return out


def person_first_mean(answers: list[Scored]) -> float:
    per_person: dict[str, list[float]] = defaultdict(list)
    for a in answers:
        per_person[a.person_id].append(to_ten(a.scale, a.value))
    return sum(sum(v) / len(v) for v in per_person.values()) / len(per_person)


def test_demo_has_twelve_weeks_per_team_and_pending_pulses(store: SqlStore,
                                                           clock: FixedClock) -> None:
    summary = seed_demo(store, clock)
    assert summary is not None
    now = clock.now()
    teams = {t.id: t for t in store.list_teams(TENANT.id)}
    assert len(summary.team_ids) == 3
    assert all(teams[t].parent_id == "demo-service-client" for t in summary.team_ids)
    people = store.list_people(TENANT.id)
    assert 38 <= sum(p.role is Role.ADVISER for p in people) <= 45
    assert sum(p.role is Role.MANAGER for p in people) == 3
    assert {str(p.locale) for p in people} == {"fr", "en"}
    assert all(store.identities_of(p.id) == [("web", "local", p.id)] for p in people)

    start = now - timedelta(weeks=WEEKS + 1)
    for team_id in summary.team_ids:
        answers = store.scored_answers(TENANT.id, [team_id], start, now + timedelta(days=1))
        buckets = weekly(answers)
        assert len(buckets) == WEEKS
        assert max(buckets) == iso_week(now)
        assert all(a.answered_at <= now for a in answers)
        for week, rows in buckets.items():
            assert len({a.person_id for a in rows}) >= 5, (team_id, week)
        invited = store.invited_people(TENANT.id, [team_id], start, now + timedelta(days=1))
        past = [opens for opens in invited if iso_week(datetime.fromisoformat(opens))
                != iso_week(now)]
        for opens in past:
            week = iso_week(datetime.fromisoformat(opens))
            share = len({a.person_id for a in buckets[week]}) / len(invited[opens])
            assert 0.65 <= share <= 0.95, (team_id, week, share)

    # What the analytics API publishes: 12 closed weekly values per team, none suppressed, and
    # the open week as participation counts only.
    today = now.astimezone(PARIS).date()
    first, last = analytics.resolve_dates(Bucket.WEEK, None, None, today, count=WEEKS)
    for team_id in (*summary.team_ids, "demo-service-client"):
        *closed, current = analytics.team_series(store, TENANT.id, team_id, Bucket.WEEK, first,
                                                 last, now=now)
        assert len(closed) == 12
        assert all(not b.suppressed and b.value is not None for b in closed), team_id
        assert all(b.participation is not None and b.participation >= 0.4 for b in closed)
        assert current.open and current.value is None and current.answered
        assert current.invited is not None and current.invited > current.answered

    # The current round is open and some advisers of every team still have to answer it.
    assert len({p.id for p in summary.pending}) >= 3
    pending_teams = set()
    for person in summary.pending:
        team_id = store.team_of(person.id, now.date())
        assert team_id is not None
        rounds = [r for r in (store.get_round(f"{team_id}-w{WEEKS - 1:02d}-"
                                              f"{now.astimezone(PARIS):%G-W%V}"),) if r]
        assert rounds and rounds[0].is_open(now)
        invitation = store.get_invitation(rounds[0].id, person.id)
        assert invitation is not None and invitation.question_ids
        assert store.answered_questions(rounds[0].id, person.id) == set()
        pending_teams.add(team_id)
    assert pending_teams == set(summary.team_ids)

    # Each team tells its own story: Particuliers improves, Recouvrement declines.
    def trend(team_id: str) -> float:
        rows = weekly(store.scored_answers(TENANT.id, [team_id], start, now))
        weeks = sorted(rows)
        early = person_first_mean([a for w in weeks[:4] for a in rows[w]])
        late = person_first_mean([a for w in weeks[-4:] for a in rows[w]])
        return late - early

    assert trend("demo-particuliers") > 0.8
    assert trend("demo-recouvrement") < -0.8
    comments = store.list_comments(TENANT.id)
    texts = " ".join(c.text for c in comments)
    assert "CRM" in texts and "client" in texts and "customer" in texts
    assert {c.source for c in comments} == {"pulse", "irritant"}
    assert store.kudos_between(TENANT.id, summary.team_ids, start, now)


def test_demo_is_idempotent_and_reset_recreates(store: SqlStore, clock: FixedClock) -> None:
    first = seed_demo(store, clock)
    assert first is not None
    assert seed_demo(store, clock) is None
    person = store.get_person(first.pending[0].id)
    assert person is not None
    store.set_locale(person.id, "en")  # type: ignore[arg-type]
    again = seed_demo(store, clock, reset=True)
    assert again is not None and again.answers == first.answers
    assert store.get_person(person.id) == person  # reset restored the seeded locale
    assert len(store.list_people(TENANT.id)) == first.people


def test_demo_seeded_early_on_monday_stays_in_the_past(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'monday.db'}"
    upgrade(url)
    store = SqlStore(make_engine(url))
    now = datetime(2026, 3, 2, 0, 3, tzinfo=PARIS).astimezone(UTC)  # Monday, 00:03 in Paris
    summary = seed_demo(store, FixedClock(now))
    assert summary is not None and summary.pending
    answers = store.scored_answers(TENANT.id, summary.team_ids, now - timedelta(weeks=13),
                                   now + timedelta(weeks=1))
    assert max(a.answered_at for a in answers) <= now
    assert iso_week(max(a.answered_at for a in answers)) == iso_week(now)
