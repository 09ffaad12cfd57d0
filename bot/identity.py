"""Chat accounts ↔ Miroir people: one rule for every platform, linked on first contact.

The rule: the account's link in this workspace (made by the roster or an earlier contact); else a
link the roster made under "*" (a file imported without its workspace), adopted when the person
belongs to the workspace's tenant; else the one person of that tenant with the account's e-mail,
which only the platform can look up. Two people with one e-mail: nobody is guessed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from logging import getLogger
from typing import Protocol

from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Person
from pulse.core.ports import Batch
from pulse.roster.rows import ANY_WORKSPACE

log = getLogger(__name__)
EmailLookup = Callable[[], Awaitable[str | None]]  # the e-mail of the account being identified


class IdentityStore(Batch, Protocol):
    """What the identity rule reads and writes."""

    def person_by_identity(
        self, platform: str, workspace: str, external_id: str
    ) -> Person | None: ...
    def link_identity(
        self, platform: str, workspace: str, external_id: str, person_id: str
    ) -> None: ...
    def find_people(self, tenant_id: str, handle: str) -> list[Person]: ...
    def list_people(self, tenant_id: str) -> list[Person]: ...
    def identities_of(self, person_id: str) -> list[tuple[str, str, str]]: ...


class Directory(Protocol):
    """What a platform knows of its accounts' e-mail addresses (Slack: users.info and
    users.lookupByEmail); it raises RetryLater or PermanentFailure when it cannot say."""

    async def email_of(self, workspace: str, external_id: str) -> str | None: ...
    async def account_of(self, workspace: str, email: str) -> str | None: ...


class Identities:
    """Finds the person behind a chat account of one platform, linking them on first contact."""

    def __init__(self, store: IdentityStore, platform: str,
                 tenant_of: Callable[[str], str | None], directory: Directory | None = None,
                 ) -> None:
        self.store = store
        self.platform = platform
        self.tenant_of = tenant_of  # workspace → Miroir tenant, None for one Miroir does not serve
        self.directory = directory

    async def person(self, workspace: str, external_id: str,
                     email: EmailLookup | None = None) -> Person | None:
        """The linked person, else the one whose e-mail matches (then linked); None if unknown.

        `email` looks the account's address up when the platform needs the turn to do it (Teams);
        otherwise the directory does.
        """
        tenant = self.tenant_of(workspace)
        if tenant is None:
            return None
        person = await asyncio.to_thread(self.linked, tenant, workspace, external_id)
        if person is not None:
            return person
        if email is None and self.directory is not None:
            email = partial(self.directory.email_of, workspace, external_id)
        if email is None:
            return None
        try:
            address = await email()
        except (PermanentFailure, RetryLater) as exc:  # we only cannot link by e-mail this time
            log.warning("%s e-mail lookup failed for %s/%s: %s", self.platform, workspace,
                        external_id, exc)
            return None
        if not address:
            return None
        return await asyncio.to_thread(self.link_by_email, tenant, workspace, external_id, address)

    def linked(self, tenant: str, workspace: str, external_id: str) -> Person | None:
        """The account's link in this workspace, else the roster's "*" link adopted there."""
        with self.store.batch():
            person = self.store.person_by_identity(self.platform, workspace, external_id)
            if person is not None:
                return person
            person = self.store.person_by_identity(self.platform, ANY_WORKSPACE, external_id)
            if person is None or person.tenant_id != tenant:
                return None
            self.store.link_identity(self.platform, workspace, external_id, person.id)
            return person

    def link_by_email(self, tenant: str, workspace: str, external_id: str,
                      email: str) -> Person | None:
        """The one person of the tenant with this e-mail, linked to the account; else None."""
        with self.store.batch():
            matches = [p for p in self.store.find_people(tenant, email)
                       if p.email and p.email.lower() == email.lower()]
            if len(matches) != 1:
                return None  # two people, one e-mail: refuse to guess
            self.store.link_identity(self.platform, workspace, external_id, matches[0].id)
            return matches[0]

    async def link_workspace(self, workspace: str) -> int:
        """Link every person of the workspace's tenant not linked there yet, by asking the
        directory which account has their e-mail; returns how many were linked."""
        tenant = self.tenant_of(workspace)
        if tenant is None or self.directory is None:
            return 0
        linked = 0
        for person in await asyncio.to_thread(self._unlinked, tenant, workspace):
            assert person.email is not None  # _unlinked keeps only people with one
            external_id = await self.directory.account_of(workspace, person.email)
            if external_id is not None:
                await asyncio.to_thread(self.store.link_identity, self.platform, workspace,
                                        external_id, person.id)
                linked += 1
        return linked

    def _unlinked(self, tenant: str, workspace: str) -> list[Person]:
        with self.store.batch():
            return [p for p in self.store.list_people(tenant) if p.email and not any(
                platform == self.platform and where == workspace
                for platform, where, _ in self.store.identities_of(p.id))]
