"""Performing an Outcome, once for every platform; each platform supplies only its Surface."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from logging import getLogger
from typing import Any, Protocol

from bot.i18n import Translator, translator
from bot.outcome import Outcome, deliver_all
from bot.ports import ChatGateway
from bot.replies import Notice, Reply
from pulse.core.model import Person

log = getLogger(__name__)


class Surface(Protocol):
    """Where one platform shows an outcome around the person who acted (Slack, Teams, web)."""

    platform: str

    @property
    def failures(self) -> tuple[type[BaseException], ...]:
        """What the surface's calls raise when the platform refuses or cannot be reached:
        logged, never fatal to the rest of the outcome."""
        ...

    async def update_prompt(self, replies: list[Reply]) -> None:
        """Replace the message the actor acted on (nothing to do when there is none)."""
        ...

    async def reply(self, replies: list[Reply]) -> None:
        """Answer the actor alone (ephemeral where the platform can)."""
        ...

    async def post_public(self, team_id: str | None, replies: list[Reply]) -> None:
        """Post in the team's channel; raise one of `failures` when there is none to post in."""
        ...

    def public_failed(self, t: Translator) -> Notice | None:
        """What to tell the actor when the team post failed (None: say nothing)."""
        ...


async def perform(outcome: Outcome, surface: Surface, gateways: Mapping[str, ChatGateway],
                  person: Person | None) -> None:
    """Replace the prompt, reply to the actor, deliver to the others (through `gateways`, any
    platform), post to the team; `person` is the actor, when known.

    The outcome is already stored, so each part runs on its own: a failure (a DM refused, a
    channel gone) is logged and never stops the parts after it.
    """
    platform, failures = surface.platform, surface.failures
    if outcome.replace_prompt is not None:
        await safely(f"{platform} update prompt", surface.update_prompt(outcome.replace_prompt),
                     failures)
    if outcome.replies:
        await safely(f"{platform} reply", surface.reply(outcome.replies), failures)
    await deliver_all(gateways, outcome.deliveries, failures)
    if not outcome.public:
        return
    try:
        await surface.post_public(outcome.team_id, outcome.public)
    except failures as exc:
        log.warning("%s public post for team %s failed: %s", platform, outcome.team_id, exc)
        notice = surface.public_failed(translator(person.locale if person else None))
        if notice is not None:
            await safely(f"{platform} reply", surface.reply([notice]), failures)


async def safely(what: str, call: Awaitable[Any],
                 failures: tuple[type[BaseException], ...]) -> None:
    """Await a platform call; log its failure instead of failing what comes after it."""
    try:
        await call
    except failures as exc:
        log.warning("%s failed: %s", what, exc)
