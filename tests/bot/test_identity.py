"""The one identity rule (link → "*" → unique e-mail), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from adapters.db.store import SqlStore
from bot.identity import Identities
from pulse.core.errors import RetryLater
from pulse.core.model import Membership, Person, Team, Tenant

TENANTS = {"WA": "acme", "WG": "globex"}  # workspace → tenant; others are not served


@dataclass
class FakeDirectory:
    """E-mail addresses by account, as a chat platform knows them; records every lookup."""

    emails: dict[str, str] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    down: bool = False

    async def email_of(self, workspace: str, external_id: str) -> str | None:
        self.asked.append(external_id)
        if self.down:
            raise RetryLater(5, "directory down")
        return self.emails.get(external_id)

    async def account_of(self, workspace: str, email: str) -> str | None:
        self.asked.append(email)
        return next((a for a, e in self.emails.items() if e.lower() == email.lower()), None)


@pytest.fixture
def people(store: SqlStore) -> SqlStore:
    for tenant in ("acme", "globex"):
        store.add_tenant(Tenant(tenant, tenant.title()))
        store.add_team(Team(f"t-{tenant}", tenant, "Support"))
    for pid, tenant, email in (("ada", "acme", "ada@acme.test"), ("bob", "acme", "bob@acme.test"),
                               ("twin1", "acme", "same@acme.test"),
                               ("twin2", "acme", "SAME@acme.test"),
                               ("gus", "globex", "gus@globex.test")):
        store.add_person(Person(pid, tenant, pid.title(), email=email))
        store.add_membership(Membership(pid, f"t-{tenant}", date(2026, 1, 1)))
    return store


def rule(store: SqlStore, directory: FakeDirectory | None = None) -> Identities:
    return Identities(store, "chat", TENANTS.get, directory)


async def test_a_link_in_the_workspace_needs_no_lookup(people: SqlStore) -> None:
    people.link_identity("chat", "WA", "U1", "ada")
    directory = FakeDirectory({"U1": "bob@acme.test"})
    person = await rule(people, directory).person("WA", "U1")
    assert person is not None and person.id == "ada" and directory.asked == []


async def test_a_star_link_is_adopted_only_by_the_persons_own_tenant(people: SqlStore) -> None:
    people.link_identity("chat", "*", "U2", "ada")
    directory = FakeDirectory()
    assert await rule(people, directory).person("WG", "U2") is None  # globex: not Ada's tenant
    assert people.person_by_identity("chat", "WG", "U2") is None
    person = await rule(people, directory).person("WA", "U2")
    assert person is not None and person.id == "ada"
    assert people.person_by_identity("chat", "WA", "U2") == person  # linked for next time
    assert directory.asked == ["U2"]  # only the refused globex attempt asked for an e-mail


async def test_a_unique_email_links_on_first_contact_two_people_one_email_never(
    people: SqlStore
) -> None:
    directory = FakeDirectory({"U3": "BOB@acme.test", "U4": "same@acme.test",
                               "U5": "gus@globex.test"})
    identities = rule(people, directory)
    bob = await identities.person("WA", "U3")
    assert bob is not None and bob.id == "bob"
    assert people.person_by_identity("chat", "WA", "U3") == bob
    assert await identities.person("WA", "U4") is None  # twin1 and twin2: refuse to guess
    assert await identities.person("WA", "U5") is None  # Gus is in another tenant
    assert people.person_by_identity("chat", "WA", "U5") is None


async def test_a_failed_lookup_or_a_stranger_workspace_is_unknown(people: SqlStore) -> None:
    directory = FakeDirectory({"U6": "ada@acme.test"}, down=True)
    assert await rule(people, directory).person("WA", "U6") is None
    people.link_identity("chat", "WX", "U7", "ada")
    assert await rule(people, directory).person("WX", "U7") is None  # WX is not served
    assert directory.asked == ["U6"]
    teams_like = await rule(people).person("WA", "U6", email=lambda: _const("ada@acme.test"))
    assert teams_like is not None and teams_like.id == "ada"  # the lookup given for this turn


async def test_link_workspace_links_the_unlinked_once(people: SqlStore) -> None:
    people.link_identity("chat", "WA", "U1", "ada")
    directory = FakeDirectory({"U1": "ada@acme.test", "U8": "bob@acme.test"})
    identities = rule(people, directory)
    assert await identities.link_workspace("WA") == 1  # Bob; nobody has the twins' address
    assert people.person_by_identity("chat", "WA", "U8").id == "bob"
    assert await identities.link_workspace("WA") == 0
    assert await rule(people).link_workspace("WA") == 0  # no directory, nothing to ask


async def _const(value: str) -> str:
    return value
