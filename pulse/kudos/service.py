"""Kudos use cases."""

from __future__ import annotations

from collections.abc import Sequence

from pulse.core.errors import Invalid
from pulse.core.model import Person, new_id
from pulse.core.ports import Clock
from pulse.kudos.model import Kudos
from pulse.kudos.ports import KudosStore

MAX_COMMENT = 2000


def send_kudos(
    store: KudosStore,
    clock: Clock,
    sender: Person,
    recipients: Sequence[Person],
    message: str,
    value_tag: str | None = None,
    public: bool = True,
) -> Kudos:
    """Record kudos; refuse self-kudos, empty messages and an empty recipient list."""
    if not recipients:
        raise Invalid("no recipient")
    if any(r.id == sender.id for r in recipients):
        raise Invalid("self-kudos")
    if not message.strip():
        raise Invalid("empty message")
    if len(message.strip()) > MAX_COMMENT:
        raise Invalid(f"kudos message longer than {MAX_COMMENT} characters")
    now = clock.now()
    unique = {r.id: r for r in recipients}
    kudos = Kudos(new_id(), sender.tenant_id, sender.id, tuple(unique),
                  message.strip(), now, value_tag, public)
    with store.batch():
        store.add_kudos(kudos, {pid: store.team_of(pid, now.date()) for pid in unique})
    return kudos
