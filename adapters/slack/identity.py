"""Slack users ↔ Miroir people: the roster's link first, then the email Slack holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from logging import getLogger

from adapters.slack.gateway import SlackGateway
from adapters.slack.parse import PLATFORM
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Person
from pulse.ports import Store
from pulse.roster.rows import ANY_WORKSPACE

log = getLogger(__name__)


class Identities:
    """Finds the person behind a Slack user, linking them on first contact by email."""

    def __init__(self, store: Store, gateway: SlackGateway,
                 tenant_of: Callable[[str], str]) -> None:
        self.store = store
        self.gateway = gateway
        self.tenant_of = tenant_of

    async def person(self, workspace: str, user_id: str) -> Person | None:
        """The linked person, or the one whose email matches (then linked); None if unknown."""
        person = await asyncio.to_thread(self.store.person_by_identity, PLATFORM, workspace,
                                         user_id)
        if person is not None:
            return person
        # A roster imported without its workspace links the Slack id under "*": adopt it here.
        person = await asyncio.to_thread(self.store.person_by_identity, PLATFORM, ANY_WORKSPACE,
                                         user_id)
        if person is not None and person.tenant_id == self.tenant_of(workspace):
            await asyncio.to_thread(self.store.link_identity, PLATFORM, workspace, user_id,
                                    person.id)
            return person
        try:
            email = await self.gateway.user_email(workspace, user_id)
        except (PermanentFailure, RetryLater) as exc:
            log.warning("users.info failed for %s/%s: %s", workspace, user_id, exc)
            return None
        if not email:
            return None
        person = await asyncio.to_thread(self._by_email, self.tenant_of(workspace), email)
        if person is not None:
            await asyncio.to_thread(self.store.link_identity, PLATFORM, workspace, user_id,
                                    person.id)
        return person

    def _by_email(self, tenant_id: str, email: str) -> Person | None:
        matches = [p for p in self.store.find_people(tenant_id, email)
                   if p.email and p.email.lower() == email.lower()]
        return matches[0] if len(matches) == 1 else None  # two people, one email: refuse to guess

    async def link_workspace(self, workspace: str) -> int:
        """Link every person of the workspace's tenant not yet linked, by users.lookupByEmail."""
        tenant_id = self.tenant_of(workspace)
        people = await asyncio.to_thread(self.store.list_people, tenant_id)
        linked = 0
        for person in people:
            if not person.email:
                continue
            known = await asyncio.to_thread(self.store.identities_of, person.id)
            if any(p == PLATFORM and w == workspace for p, w, _ in known):
                continue
            user_id = await self.gateway.lookup_by_email(workspace, person.email)
            if user_id is not None:
                await asyncio.to_thread(self.store.link_identity, PLATFORM, workspace, user_id,
                                        person.id)
                linked += 1
        return linked
