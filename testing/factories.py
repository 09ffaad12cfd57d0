"""Test data in one place: tenants, teams, people, memberships, rounds and answers.

Every test and harness builds its world with these, so a change to the model (a new required
field, a renamed store method) is made once here. Defaults are boring on purpose: tenant "acme",
people "<team>-p<i>" who joined on SINCE, a French-speaking adviser in Paris.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant
from pulse.ports import Store
from pulse.surveys.model import Answer, Invitation, PulseRound, Question

TENANT = "acme"
SINCE = date(2025, 1, 1)  # before the dates most tests use, so memberships stay out of the way
WEB = ("web", "local")  # the local web chat: people sign in with their person id


def tenant(store: Store, tenant_id: str = TENANT, name: str | None = None, *,
           timezone: str = "Europe/Paris", locale: Locale = Locale.FR) -> Tenant:
    """Add a tenant (named after its id unless told)."""
    made = Tenant(tenant_id, name or tenant_id.title(), timezone=timezone, locale=locale)
    store.add_tenant(made)
    return made


def team(store: Store, team_id: str, tenant: str = TENANT, name: str | None = None,
         parent: str | None = None) -> Team:
    """Add a team of an existing tenant."""
    made = Team(team_id, tenant, name or f"Team {team_id}", parent)
    store.add_team(made)
    return made


def membership(store: Store, person_id: str, team_id: str, since: date = SINCE,
               until: date | None = None) -> Membership:
    """Add an effective-dated membership: valid on [since, until)."""
    made = Membership(person_id, team_id, since, until)
    store.add_membership(made)
    return made


def person(store: Store, person_id: str, tenant: str = TENANT, name: str | None = None, *,
           role: Role = Role.ADVISER, locale: Locale = Locale.FR,
           timezone: str = "Europe/Paris", email: str | None = None, team: str | None = None,
           since: date = SINCE, link: tuple[str, str] | None = None,
           external_id: str | None = None) -> Person:
    """Add a person; a member of `team` from `since`; linked on (platform, workspace) if told."""
    made = Person(person_id, tenant, name or person_id.title(), role, locale, timezone=timezone,
                  email=email)
    store.add_person(made)
    if team is not None:
        membership(store, person_id, team, since)
    if link is not None:
        platform, workspace = link
        store.link_identity(platform, workspace, external_id or person_id, person_id)
    return made


def staffed_team(store: Store, team_id: str, size: int, tenant: str = TENANT, *,
                 name: str | None = None, parent: str | None = None, manager: bool = False,
                 prefix: str | None = None, timezone: str = "Europe/Paris",
                 since: date = SINCE, link: tuple[str, str] | None = None,
                 external: str = "{id}") -> list[Person]:
    """A team of `size` advisers "<prefix>-p<i>" (then "<prefix>-boss" if `manager`).

    `external` formats each person's id on the linked platform ("U-{id}" for a Slack-like one).
    """
    team(store, team_id, tenant, name, parent)
    stem = prefix or team_id
    ids = [(f"{stem}-p{i}", Role.ADVISER) for i in range(size)]
    if manager:
        ids.append((f"{stem}-boss", Role.MANAGER))
    return [person(store, pid, tenant, f"{role.value.title()} {pid}", role=role,
                   timezone=timezone, team=team_id, since=since, link=link,
                   external_id=external.format(id=pid))
            for pid, role in ids]


def staffed_team_ids(store: Store, team_id: str, size: int, tenant: str = TENANT,
                     **options: Any) -> list[str]:
    """staffed_team, returning the people's ids (what analytics tests pass around)."""
    return [p.id for p in staffed_team(store, team_id, size, tenant, **options)]


def questions(store: Store, bank: Iterable[Question]) -> list[Question]:
    """Add these questions to the shared bank."""
    added = list(bank)
    for question in added:
        store.add_question(question)
    return added


def pulse_round(store: Store, round_id: str, team_id: str, opens: datetime,
                tenant: str = TENANT, closes: datetime | None = None,
                days: float = 3) -> PulseRound:
    """Add a round of a team, open from `opens` for `days` (or until `closes`)."""
    made = PulseRound(round_id, tenant, team_id, opens, closes or opens + timedelta(days=days))
    store.add_round(made)
    return made


def answers(store: Store, rnd: PulseRound, given: Mapping[str, Sequence[tuple[Question, int]]],
            at: datetime, *, invited: Iterable[str] = (), invite: bool = True) -> None:
    """Record each person's (question, value) answers at `at`.

    With `invite`, everyone who answers (and everyone in `invited`) is first invited to the
    round with the questions they answer, as the delivery would have done.
    """
    if invite:
        for pid in sorted({*given, *invited}):
            asked = tuple(q.id for q, _ in given.get(pid, ()))
            store.add_invitation(Invitation(rnd.id, pid, asked))
    for pid, pairs in given.items():
        for question, value in pairs:
            store.record_answer(Answer(rnd.id, pid, question.id, rnd.team_id, value, at))


def values_averaging(count: int, mean: float) -> list[int]:
    """`count` integers, none more than one apart, whose mean is `mean` rounded to 1/count."""
    base, extra = divmod(round(mean * count), count)
    return [base + (i < extra) for i in range(count)]
