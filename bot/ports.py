"""The ChatGateway port: Slack, Teams and the local web chat each implement it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.replies import Reply


@dataclass(frozen=True)
class Recipient:
    """A person's address on one platform."""

    person_id: str
    platform: str
    workspace: str
    external_id: str


@dataclass(frozen=True)
class MessageRef:
    """Where a sent message lives, so it can be updated (thank-you replaces the prompt)."""

    platform: str
    workspace: str
    channel: str
    message_id: str


class ChatGateway(Protocol):
    platform: str

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        """Send one message made of these replies; raise RetryLater or PermanentFailure."""
        ...

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        """Replace a message already sent."""
        ...
