"""What a dialog decided: replies to the actor, an in-place update, messages to other people."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.ports import ChatGateway, Recipient
from bot.replies import Reply
from pulse.core.errors import PermanentFailure, RetryLater

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """A message to someone other than the actor (kudos DM, 'you said, we did')."""

    to: Recipient
    replies: tuple[Reply, ...]


@dataclass
class Outcome:
    """The result of handling one intent; each adapter performs it in its own way."""

    replies: list[Reply] = field(default_factory=list)  # to the actor, now (ephemeral if possible)
    replace_prompt: list[Reply] | None = None  # replaces the message the actor acted on
    deliveries: list[Delivery] = field(default_factory=list)  # DMs to other people
    public: list[Reply] = field(default_factory=list)  # a post in the team's channel
    team_id: str | None = None  # whose channel `public` goes to


async def deliver_all(
    gateways: Mapping[str, ChatGateway],
    deliveries: Iterable[Delivery],
    failures: tuple[type[BaseException], ...] = (RetryLater, PermanentFailure),
) -> None:
    """Send each delivery through its platform's gateway; a failed or unroutable one is logged.

    The outcome was already stored, so a lost DM must not undo it or stop the others."""
    for delivery in deliveries:
        gateway = gateways.get(delivery.to.platform)
        if gateway is None:
            log.warning("no gateway for %s; delivery dropped", delivery.to.platform)
            continue
        try:
            await gateway.send(delivery.to, list(delivery.replies))
        except failures as exc:
            log.warning("could not deliver to %s on %s: %s", delivery.to.person_id,
                        delivery.to.platform, exc)
