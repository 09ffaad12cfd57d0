"""A small organisation for dashboard tests and the dashboard benchmark.

A parent team with two front-line teams, a manager in each, a CX lead and an admin at the
top, `weeks` closed weeks of pulses (≥ 5 respondents per team and week), CSAT ratings that
follow each team's pulse of the week before, and irritants: ten distinct reporters in team A
(shown at k_comments = 10), two in team B (hidden). Everyone is linked to the web chat.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from pulse.analytics.publication import publish_due
from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant
from pulse.core.ports import Batch, Clock
from pulse.cx.model import CxMetric, CxRating, normalise
from pulse.cx.ports import CxRepository
from pulse.irritants.model import (
    CategoryScore,
    Classification,
    Irritant,
    IrritantCategory,
    IrritantStatus,
    Polarity,
)
from pulse.ports import Store
from pulse.surveys.model import Answer, Comment, Invitation, Pillar, PulseRound, Question, Scale

TENANT = "mir"
TZ = "Europe/Paris"
PARENT, TEAM_A, TEAM_B = "svc", "svc-lyon", "svc-nantes"
QUESTIONS = (
    Question("dq-tools", Pillar.TOOLS, Scale.AGREE5, "Mes outils m'aident.",
             "My tools help me."),
    Question("dq-manager", Pillar.MANAGER, Scale.AGREE5, "Mon manager m'écoute.",
             "My manager listens to me."),
    Question("dq-belong", Pillar.BELONGING, Scale.AGREE5, "Je me sens à ma place.",
             "I feel I belong."),
)
ADMIN = Person("alice", TENANT, "Alice Martin", Role.ADMIN, Locale.FR, TZ, "alice@mir.example")
CX_LEAD = Person("claire", TENANT, "Claire Dubois", Role.CX_LEAD, Locale.EN, TZ,
                 "claire@mir.example")
MANAGER_A = Person("marc", TENANT, "Marc Leroy", Role.MANAGER, Locale.FR, TZ, "marc@mir.example")
MANAGER_B = Person("nina", TENANT, "Nina Walsh", Role.MANAGER, Locale.EN, TZ, "nina@mir.example")
ADVISERS_A = tuple(Person(f"a{i}", TENANT, name, Role.ADVISER, Locale.FR, TZ,
                          f"a{i}@mir.example")
                   for i, name in enumerate(("Ada Roux", "Bruno Petit", "Chloé Faure",
                                             "David Morel", "Emma Girard", "Farid Benali",
                                             "Gaëlle Robin", "Hugo Blanc", "Inès Caron",
                                             "Jules Fabre"), start=1))
ADVISERS_B = tuple(Person(f"b{i}", TENANT, name, Role.ADVISER, Locale.EN, TZ,
                          f"b{i}@mir.example")
                   for i, name in enumerate(("Kate Moore", "Liam Price", "Mia Brooks",
                                             "Noah Reed", "Olivia Hart", "Paul Wood"), start=1))
LEVELS = {TEAM_A: (3.0, 4.2), TEAM_B: (3.9, 3.3)}  # latent 1–5 mood, first week → last week


@dataclass(frozen=True)
class Org:
    tenant: str
    weeks: tuple[str, ...]  # ISO week keys seeded, oldest first (all closed)
    irritant_ids: tuple[str, ...]


def _monday(clock: Clock) -> date:
    today = clock.now().astimezone(ZoneInfo(TZ)).date()
    return today - timedelta(days=today.weekday())


class SeedStore(Store, CxRepository, Batch, Protocol):
    """Pulse answers, irritants and CSAT ratings, written in one transaction."""


def seed_org(store: SeedStore, clock: Clock, weeks: int = 12, ratings: int = 40) -> Org:
    """Seed the organisation (every week seeded is closed; the current week stays empty), then
    publish its closed weeks as the scheduler's job would: pages read published cells."""
    with store.batch():
        org = _seed(store, clock, weeks, ratings)
    publish_due(store, TENANT, clock.now())
    return org


def _seed(store: SeedStore, clock: Clock, weeks: int, ratings: int) -> Org:
    rng = random.Random(7)
    store.add_tenant(Tenant(TENANT, "Miroir test", TZ, Locale.FR))
    for team in (Team(PARENT, TENANT, "Service client"),
                 Team(TEAM_A, TENANT, "Équipe Lyon", PARENT),
                 Team(TEAM_B, TENANT, "Équipe Nantes", PARENT)):
        store.add_team(team)
    homes = {ADMIN.id: PARENT, CX_LEAD.id: PARENT, MANAGER_A.id: TEAM_A, MANAGER_B.id: TEAM_B}
    homes |= {p.id: TEAM_A for p in ADVISERS_A} | {p.id: TEAM_B for p in ADVISERS_B}
    first = _monday(clock) - timedelta(weeks=weeks)
    for person in (ADMIN, CX_LEAD, MANAGER_A, MANAGER_B, *ADVISERS_A, *ADVISERS_B):
        store.add_person(person)
        store.add_membership(Membership(person.id, homes[person.id], first - timedelta(days=60)))
        store.link_identity("web", "local", person.id, person.id)
    for question in QUESTIONS:
        store.add_question(question, tenant_id=TENANT)
    tz = ZoneInfo(TZ)
    keys = []
    for week in range(weeks):
        start = datetime.combine(first + timedelta(weeks=week), time(9), tz)
        keys.append(f"{start.isocalendar()[0]}-W{start.isocalendar()[1]:02d}")
        for team_id, advisers in ((TEAM_A, ADVISERS_A), (TEAM_B, ADVISERS_B)):
            low, high = LEVELS[team_id]
            level = low + (high - low) * week / max(weeks - 1, 1)
            pulse_round = PulseRound(f"dr-{team_id}-{week}", TENANT, team_id, start,
                                     start + timedelta(days=3))
            store.add_round(pulse_round)
            for n, adviser in enumerate(advisers):
                store.add_invitation(Invitation(pulse_round.id, adviser.id,
                                                tuple(q.id for q in QUESTIONS)))
                if n >= len(advisers) - 1 and week % 2:
                    continue  # someone skips every other week: participation below 100 %
                at = start + timedelta(hours=1 + n)
                for q in QUESTIONS:
                    value = max(1, min(5, round(level + rng.gauss(0, 0.7))))
                    store.record_answer(Answer(pulse_round.id, adviser.id, q.id, team_id,
                                               value, at))
            if ratings:
                share = min(0.97, 0.35 + 0.14 * (level - 1))
                store.upsert_ratings([_rating(team_id, f"{team_id}-{week}-{i}",
                                           "5" if rng.random() < share else "2",
                                           start + timedelta(hours=2, minutes=i))
                                   for i in range(ratings)])
    ids = _irritants(store, clock)
    return Org(TENANT, tuple(keys), ids)


def _rating(team_id: str, record: str, raw: str, at: datetime) -> CxRating:
    n = normalise(CxMetric.CSAT, raw)
    return CxRating(TENANT, "test", "test", record, "", CxMetric.CSAT, raw, n.score,
                    n.score_norm, n.is_positive, n.is_negative, n.rated, at, team_id=team_id,
                    team_resolution="profile_team")


def _irritants(store: Store, clock: Clock) -> tuple[str, ...]:
    """One classified irritant per reporter: ten in team A, two in team B."""
    # three weeks back: inside the team page's twelve weeks, whatever `weeks` was seeded
    at = datetime.combine(_monday(clock) - timedelta(weeks=3) + timedelta(days=2), time(11),
                          ZoneInfo(TZ))
    texts = ("Le CRM se fige tous les matins.", "Le logiciel plante quand on transfère.",
             "L'outil de ticket est très lent.", "Le CRM perd mes notes.",
             "La base de connaissances est introuvable.", "Le téléphone coupe souvent.",
             "Le CRM demande trois connexions.", "Les macros ne marchent plus.",
             "La recherche client est lente.", "Le CRM affiche de vieux contrats.")
    ids = []
    reporters = [(p, TEAM_A, texts[i]) for i, p in enumerate(ADVISERS_A)]
    reporters += [(p, TEAM_B, "Too many calls after 6pm.") for p in ADVISERS_B[:2]]
    for n, (person, team_id, text) in enumerate(reporters):
        comment = Comment(f"dc-{n}", TENANT, person.id, team_id, text, "irritant",
                          at + timedelta(hours=n))
        store.add_comment(comment)
        result = Classification(Polarity.NEGATIVE, -0.8,
                                (CategoryScore(IrritantCategory.TOOLS, 0.9),), "fr", "test")
        irritant = Irritant(f"di-{n:02d}", TENANT, comment.id, team_id, IrritantCategory.TOOLS,
                            IrritantStatus.NEW, text, comment.created_at, clock.now(), "fr",
                            team_id)
        store.save_classification(comment.id, result, irritant)
        ids.append(irritant.id)
    return tuple(ids)
