"""A seeded tenant for fuzz and edge-case tests: a team tree, people, weeks of answers, kudos."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pulse.core.apikeys import create_api_key
from pulse.core.model import Membership, Person, Role, Team, Tenant
from pulse.kudos.model import Kudos
from pulse.ports import Store
from pulse.surveys.model import Answer, Invitation, PulseRound
from testing.chat_seed import QUESTIONS

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # Wednesday of 2026-W10
TENANT, OTHER = "acme", "rival"
# ops has 2 direct members, fr 6 and en 3: the complement of fr inside ops is 1..4 people.
TEAMS = {"ops": (None, 2), "fr": ("ops", 6), "en": ("ops", 3)}
WEEKS = 4


def seed(store: Store) -> dict[str, str]:
    """Seed two tenants; return bearer tokens: 'all' scopes, 'cx' (no analytics), 'other'."""
    store.add_tenant(Tenant(TENANT, "Acme", timezone="Europe/Paris"))
    store.add_tenant(Tenant(OTHER, "Rival", timezone="America/Santiago"))
    for question in QUESTIONS:
        store.add_question(question)
    people: dict[str, list[str]] = {}
    for team_id, (parent, size) in TEAMS.items():
        store.add_team(Team(team_id, TENANT, team_id.upper(), parent))
        people[team_id] = [f"{team_id}-{i}" for i in range(size)]
        for pid in people[team_id]:
            store.add_person(Person(pid, TENANT, f"Person {pid}", Role.ADVISER))
            store.add_membership(Membership(pid, team_id, date(2025, 1, 1)))
            store.link_identity("web", "local", pid, pid)
    store.add_team(Team("rival-team", OTHER, "Rival team"))
    monday = NOW.date() - timedelta(days=NOW.weekday())
    for week in range(WEEKS):
        opens = datetime.combine(monday - timedelta(weeks=week), datetime.min.time(), UTC)
        for team_id, members in people.items():
            rid = f"r-{team_id}-{week}"
            store.add_round(PulseRound(rid, TENANT, team_id, opens, opens + timedelta(days=3)))
            for i, pid in enumerate(members):
                store.add_invitation(Invitation(rid, pid, tuple(q.id for q in QUESTIONS)))
                for q in QUESTIONS:
                    low, high = q.scale.bounds
                    store.record_answer(Answer(rid, pid, q.id, team_id, low + (i + week) % (
                        high - low + 1), opens + timedelta(hours=30)))
        fr = people["fr"]
        store.add_kudos(Kudos(f"k{week}", TENANT, fr[0], (fr[1], people["en"][0]), "merci",
                              opens + timedelta(hours=12), "entraide"),
                        {fr[1]: "fr", people["en"][0]: "en"})
    tokens = {
        "all": create_api_key(store, TENANT, "all", ["analytics:read", "admin", "cx:write"])[1],
        "cx": create_api_key(store, TENANT, "cx", ["cx:write"])[1],
        "other": create_api_key(store, OTHER, "other", ["analytics:read"])[1],
    }
    return tokens
