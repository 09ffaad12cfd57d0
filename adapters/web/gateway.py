"""WebGateway: the ChatGateway of the local web chat, an in-memory inbox per person."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.ports import MessageRef, Recipient
from bot.replies import Reply
from pulse.core.errors import PermanentFailure

PLATFORM = "web"
WORKSPACE = "local"
MAX_MESSAGES = 200  # per inbox or channel: the demo runs for days without growing forever


@dataclass
class WebMessage:
    """One message in an inbox or a team channel: from the bot, or typed by the person."""

    id: str
    author: str  # "bot" or "me"
    replies: list[Reply] = field(default_factory=list)
    text: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class WebGateway:
    """Keeps messages in memory for the page to poll; `update` replaces a message in place."""

    platform = PLATFORM

    def __init__(self) -> None:
        self._inboxes: dict[str, list[WebMessage]] = defaultdict(list)
        self._channels: dict[str, list[WebMessage]] = defaultdict(list)
        self._versions: dict[str, int] = defaultdict(int)
        self._ids = itertools.count(1)

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        """Append a bot message to the person's inbox."""
        if to.platform != PLATFORM:
            raise PermanentFailure(f"the web chat cannot reach a {to.platform} account")
        message = WebMessage(self._new_id(), "bot", list(replies))
        self._append(self._inboxes[to.external_id], message)
        self._versions[to.external_id] += 1
        return MessageRef(PLATFORM, to.workspace, to.external_id, message.id)

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        """Replace the replies of a message already in an inbox."""
        message = self.find(ref.channel, ref.message_id)
        if message is None:
            raise PermanentFailure(f"no message {ref.message_id} in this inbox")
        message.replies = list(replies)
        self._versions[ref.channel] += 1

    def echo(self, external_id: str, text: str) -> None:
        """Show what the person typed in their own conversation."""
        self._append(self._inboxes[external_id], WebMessage(self._new_id(), "me", text=text))
        self._versions[external_id] += 1

    def post_channel(self, team_id: str, replies: list[Reply]) -> None:
        """A post in a team's channel (public kudos)."""
        self._append(self._channels[team_id], WebMessage(self._new_id(), "bot", list(replies)))

    def find(self, external_id: str, message_id: str) -> WebMessage | None:
        """A message of one inbox by id."""
        return next((m for m in self._inboxes.get(external_id, []) if m.id == message_id), None)

    def inbox(self, external_id: str) -> list[WebMessage]:
        return list(self._inboxes.get(external_id, []))

    def channel(self, team_id: str) -> list[WebMessage]:
        return list(self._channels.get(team_id, []))

    def version(self, external_id: str) -> int:
        """Grows on every change to an inbox, so the page redraws only when needed."""
        return self._versions.get(external_id, 0)

    def _new_id(self) -> str:
        return f"m{next(self._ids)}"

    @staticmethod
    def _append(messages: list[WebMessage], message: WebMessage) -> None:
        messages.append(message)
        del messages[:-MAX_MESSAGES]
