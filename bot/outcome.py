"""What a dialog decided: replies to the actor, an in-place update, messages to other people."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.ports import Recipient
from bot.replies import Reply


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
