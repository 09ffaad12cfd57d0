"""Demo tenant: 3 teams, ~40 advisers, 12 closed weeks of plausible pulses (published) and the
current one (open), comments and kudos."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from demo import texts as texts
from pulse.analytics.publication import publish_due
from pulse.analytics.scoring import to_ten
from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant
from pulse.core.ports import Batch, Clock, TenantRepository
from pulse.kudos.model import Kudos
from pulse.ports import Store
from pulse.roster.ports import RosterRepository
from pulse.roster.rows import RosterChanges
from pulse.surveys.model import Answer, Comment, Invitation, Pillar, PulseRound, Question
from pulse.surveys.question_bank import enps_item, ensure_question_bank, rotation_items

TENANT = Tenant("demo", "Miroir demo", "Europe/Paris", Locale.FR)
PARENT = Team("demo-service-client", "demo", "Service client")
WEEKS = 13  # 12 closed weeks, published at seeding, and the current (open) one
SEED = 20260105
ENPS_WEEK = 8  # eNPS at most once a quarter: asked in one round of the thirteen
PILLAR_ORDER = [Pillar.TOOLS, Pillar.MANAGER, Pillar.BALANCE, Pillar.BELONGING,
                Pillar.USEFULNESS, Pillar.GROWTH, Pillar.PAY]


@dataclass(frozen=True)
class Profile:
    """A team's story: where its mood starts and ends, and what hurts most."""

    key: str
    name: str
    start: float  # latent mean on the 1–5 scale, first week
    end: float  # latent mean, current week
    pillar_bias: dict[Pillar, float]


PROFILES = [
    # The CRM upgrade lands half-way: tools go from awful to fine, the whole mood follows.
    Profile("particuliers", "Support Particuliers", 3.0, 3.8, {Pillar.TOOLS: -0.7}),
    Profile("pros", "Support Pros", 3.9, 4.1, {Pillar.MANAGER: 0.3, Pillar.TOOLS: -0.2}),
    # Collections: aggressive customers and late schedules wear the team down.
    Profile("recouvrement", "Recouvrement", 3.6, 2.8, {Pillar.BALANCE: -0.6}),
]
COMMON_BIAS = {Pillar.PAY: -0.4, Pillar.BELONGING: 0.3}


class DemoStore(Store, RosterRepository, TenantRepository, Batch, Protocol):
    """The store the demo seeds: the core Store, roster writes, tenant erasure, batches."""


@dataclass(frozen=True)
class DemoSummary:
    tenant_id: str
    team_ids: tuple[str, ...]
    people: int
    answers: int
    pending: tuple[Person, ...]  # advisers with an unanswered pulse in the current round


def team_id(key: str) -> str:
    return f"demo-{key}"


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "demo-" + "-".join(plain.lower().split())


def seed_demo(store: DemoStore, clock: Clock, *, reset: bool = False) -> DemoSummary | None:
    """Create the demo tenant; None (and no change) if it already exists and reset is False."""
    ensure_question_bank(store)
    with store.batch():  # one transaction: a half-seeded demo never stays behind
        if store.get_tenant(TENANT.id) is not None:
            if not reset:
                return None
            store.delete_tenant(TENANT.id)
        summary = _seed(store, clock)
        # Publish the closed weeks as the job would: the API then shows 12 weekly values per
        # team and the current week as participation counts only.
        publish_due(store, TENANT.id, clock.now())
        return summary


def _seed(store: DemoStore, clock: Clock) -> DemoSummary:
    rng = random.Random(SEED)
    now = clock.now()
    tz = ZoneInfo(TENANT.timezone)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    first_monday = monday - timedelta(weeks=WEEKS - 1)
    teams, people, members = _org(first_monday - timedelta(weeks=4), first_monday, rng)
    store.apply_roster(RosterChanges(
        tenant=TENANT, teams=(PARENT, *teams), people=tuple(people),
        opened=tuple(members),
        identities=tuple(("web", "local", p.id, p.id) for p in people)))
    bank = store.list_questions(TENANT.id)
    weekly = _rotation(bank)
    person_bias = {p.id: rng.gauss(0, 0.35) for p in people}
    answers, pending = 0, []
    for week in range(WEEKS):
        start = datetime.combine(first_monday + timedelta(weeks=week), time(0), tz)
        current = week == WEEKS - 1
        questions = weekly[week] if week != ENPS_WEEK else [*weekly[week][:2], enps_item(bank)]
        for profile in PROFILES:
            tid = team_id(profile.key)
            advisers = [p for p in people if p.role is Role.ADVISER and
                        _team_on(members, p.id, start.date() + timedelta(days=2)) == tid]
            level = profile.start + (profile.end - profile.start) * week / (WEEKS - 1)
            opens = start + timedelta(hours=9)
            if current:
                opens = max(start, min(opens, now - timedelta(minutes=5)))
            closes = max(opens + timedelta(days=4), now + timedelta(days=3)) if current else (
                opens + timedelta(days=4))
            pulse_round = PulseRound(_round_id(tid, week, start), TENANT.id, tid, opens, closes)
            store.add_round(pulse_round)
            for adviser in advisers:
                store.add_invitation(Invitation(pulse_round.id, adviser.id,
                                                tuple(q.id for q in questions)))
            share = rng.uniform(0.45, 0.6) if current else rng.uniform(0.7, 0.9)
            # The first adviser of each team keeps a pending pulse for the web chat demo.
            pool = advisers[1:] if current else advisers
            answering = rng.sample(pool, min(len(pool), max(5, round(share * len(advisers)))))
            if current:
                pending += [a for a in advisers if a not in answering]
            end = min(closes - timedelta(hours=1), opens + timedelta(days=3), now)
            for adviser in answering:
                at = opens + (end - opens) * rng.random()
                base = level + person_bias[adviser.id]
                scored = []
                for q in questions:
                    value = _draw(rng, q, base, profile, week)
                    store.record_answer(Answer(pulse_round.id, adviser.id, q.id, tid, value, at))
                    scored.append(to_ten(q.scale, value))
                    answers += 1
                if rng.random() < 0.22:
                    mean = sum(scored) / len(scored)
                    text = _comment_text(rng, profile, adviser.locale, mean)
                    store.add_comment(Comment(f"{pulse_round.id}-{adviser.id}", TENANT.id,
                                              adviser.id, tid, text, "pulse",
                                              min(at + timedelta(seconds=40), now),
                                              pulse_round.id, mean))
            _irritants_and_kudos(store, rng, profile, people, advisers, members, start, now)
    return DemoSummary(TENANT.id, tuple(t.id for t in teams), len(people), answers,
                       tuple(pending))


def _org(hired: date, moved_on: date, rng: random.Random
         ) -> tuple[list[Team], list[Person], list[Membership]]:
    """Teams, people (advisers, a manager per team, a CX lead, an admin), memberships."""
    teams = [Team(team_id(p.key), TENANT.id, p.name, PARENT.id) for p in PROFILES]
    people: list[Person] = []
    members: list[Membership] = []
    slices = [texts.ADVISERS[0:14], texts.ADVISERS[14:28], texts.ADVISERS[28:]]
    for team, manager, advisers in zip(teams, texts.MANAGERS, slices, strict=True):
        for (name, locale), role in [(manager, Role.MANAGER),
                                     *((a, Role.ADVISER) for a in advisers)]:
            person = _person(name, locale, role)
            people.append(person)
            members.append(Membership(person.id, team.id, hired))
    for head in (_person(*texts.ADMIN, Role.ADMIN), _person(*texts.CX_LEAD, Role.CX_LEAD)):
        people.append(head)
        members.append(Membership(head.id, PARENT.id, hired))
    # One adviser changed team mid-period: the roster is effective-dated, so history stays put.
    mover = next(p for p in people if p.display_name == "Yanis Michel")
    members = [m for m in members if m.person_id != mover.id]
    switch = moved_on + timedelta(weeks=rng.choice([5, 6]))
    members += [Membership(mover.id, teams[0].id, hired, switch),
                Membership(mover.id, teams[1].id, switch)]
    return teams, people, members


def _person(name: str, locale: str, role: Role) -> Person:
    email = _slug(name).removeprefix("demo-").replace("-", ".") + "@demo.miroir.example"
    return Person(_slug(name), TENANT.id, name, role, Locale(locale), TENANT.timezone, email)


def _team_on(members: list[Membership], person_id: str, day: date) -> str | None:
    return next((m.team_id for m in members if m.person_id == person_id and m.covers(day)), None)


def _rotation(bank: list[Question]) -> list[list[Question]]:
    """Three items a week, one per pillar in turn; each pillar's items rotate before repeating."""
    items = rotation_items(bank)
    by_pillar = {p: [q for q in items if q.pillar is p] for p in PILLAR_ORDER}
    used = dict.fromkeys(PILLAR_ORDER, 0)
    weeks = []
    for week in range(WEEKS):
        chosen = []
        for j in range(3):
            pillar = PILLAR_ORDER[(3 * week + j) % len(PILLAR_ORDER)]
            chosen.append(by_pillar[pillar][used[pillar] % len(by_pillar[pillar])])
            used[pillar] += 1
        weeks.append(chosen)
    return weeks


def _draw(rng: random.Random, question: Question, base: float, profile: Profile,
          week: int) -> int:
    """One answer around the team's level, the person's bias and the pillar's bias."""
    bias = profile.pillar_bias.get(question.pillar, 0.0) + COMMON_BIAS.get(question.pillar, 0.0)
    if profile.key == "particuliers" and question.pillar is Pillar.TOOLS and week >= WEEKS // 2:
        bias += 0.6  # the CRM upgrade
    latent = base + bias + rng.gauss(0, 0.65)
    if question.pillar is Pillar.ENPS:
        return max(0, min(10, round((latent - 1) * 2.5 + rng.gauss(0, 1.0))))
    return max(1, min(5, round(latent)))


def _comment_text(rng: random.Random, profile: Profile, locale: Locale, mean: float) -> str:
    lang = str(locale)
    if mean < 4.5:
        theme = rng.choice(texts.TEAM_THEMES[profile.key])
        return rng.choice(texts.IRRITANTS[theme][lang])
    if mean > 7.0:
        return rng.choice(texts.POSITIVE[lang])
    return rng.choice(texts.NEUTRAL[lang] + texts.POSITIVE[lang][:1])


def _irritants_and_kudos(store: Store, rng: random.Random, profile: Profile, people: list[Person],
                         advisers: list[Person], members: list[Membership], start: datetime,
                         now: datetime) -> None:
    """A few `/irritant` reports and kudos (manager and peer) during the week."""
    tid = team_id(profile.key)

    def moment() -> datetime:
        return min(start + timedelta(days=rng.uniform(0.3, 4.8)), now - timedelta(minutes=1))

    for n in range(rng.randint(1, 3)):
        reporter = rng.choice(advisers)
        theme = rng.choice(texts.TEAM_THEMES[profile.key])
        store.add_comment(Comment(f"irr-{tid}-{start:%G%V}-{n}", TENANT.id, reporter.id, tid,
                                  rng.choice(texts.IRRITANTS[theme][str(reporter.locale)]),
                                  "irritant", moment()))
    manager = next(p for p in people if p.role is Role.MANAGER
                   and _team_on(members, p.id, start.date()) == tid)
    senders = [manager] * rng.randint(1, 3) + [rng.choice(advisers)] * rng.randint(0, 2)
    for n, sender in enumerate(senders):
        recipient = rng.choice([a for a in advisers if a.id != sender.id])
        message, tag = rng.choice(texts.KUDOS[str(sender.locale)])
        kudos = Kudos(f"kudos-{tid}-{start:%G%V}-{n}", TENANT.id, sender.id, (recipient.id,),
                      message, moment(), tag, public=rng.random() < 0.8)
        store.add_kudos(kudos, {recipient.id: tid})


def _round_id(tid: str, week: int, start: datetime) -> str:
    return f"{tid}-w{week:02d}-{start:%G-W%V}"


def _current_round_ids(clock: Clock) -> list[str]:
    """The ids the seed gives this week's rounds (one per team)."""
    tz = ZoneInfo(TENANT.timezone)
    today = clock.now().astimezone(tz)
    start = datetime.combine(today.date() - timedelta(days=today.weekday()), time(0), tz)
    return [_round_id(team_id(p.key), WEEKS - 1, start) for p in PROFILES]


def is_current(store: Store, clock: Clock) -> bool:
    """True when the demo's last round is this week's (the data ends with the current week)."""
    return store.get_round(_current_round_ids(clock)[0]) is not None


def pending_invitations(store: Store, clock: Clock) -> list[tuple[Person, str]]:
    """(person, round id) for each demo adviser who has not finished this week's open round."""
    out = []
    people = store.list_people(TENANT.id)
    for round_id in _current_round_ids(clock):
        pulse_round = store.get_round(round_id)
        if pulse_round is None or not pulse_round.is_open(clock.now()):
            continue
        for person in people:
            invitation = store.get_invitation(round_id, person.id)
            if invitation and set(invitation.question_ids) - store.answered_questions(
                    round_id, person.id):
                out.append((person, round_id))
    return out
