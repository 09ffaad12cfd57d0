"""SlackGateway: the ChatGateway port (and the identity Directory) over AsyncWebClient, one bot
token per workspace."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from logging import getLogger
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.oauth import DbInstallationStore
from adapters.slack.render import fallback_text, reply_blocks
from bot.ports import MessageRef, Recipient
from bot.replies import Reply
from pulse.core.errors import PermanentFailure, RetryLater

log = getLogger(__name__)
T = TypeVar("T")

# Errors that no retry will cure: the person, the channel or the installation is gone.
PERMANENT = frozenset({
    "account_inactive", "user_not_found", "users_not_found", "user_disabled", "channel_not_found",
    "not_in_channel", "is_archived", "cannot_dm_bot", "messages_tab_disabled", "invalid_auth",
    "not_authed", "token_revoked", "token_expired", "team_access_not_granted",
    "missing_scope", "no_permission", "restricted_action", "msg_too_long", "invalid_blocks",
    "invalid_arguments", "no_text", "message_not_found", "cant_update_message",
    "edit_window_closed",
})
TRANSIENT_DELAY = 30.0  # seconds before retrying Slack's own failures (internal_error, 5xx)
NETWORK_DELAY = 5.0


def map_error(exc: SlackApiError) -> Exception:
    """A Slack error as ours: 429 → RetryLater(Retry-After), dead ends → PermanentFailure."""
    response = exc.response
    code = str(response.get("error") or "") if isinstance(response.data, dict) else ""
    if response.status_code == 429 or code == "ratelimited":
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        try:
            seconds = float(retry_after) if retry_after is not None else 1.0
        except ValueError:
            seconds = 1.0
        return RetryLater(seconds, "Slack rate limit")
    if code in PERMANENT:
        return PermanentFailure(f"Slack refused: {code}")
    return RetryLater(TRANSIENT_DELAY, f"Slack error {code or response.status_code}")


async def call_slack(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Web API call, translating Slack and network failures into our errors."""
    try:
        return await call()
    except SlackApiError as exc:
        raise map_error(exc) from exc
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise RetryLater(NETWORK_DELAY, f"Slack unreachable ({type(exc).__name__})") from exc


class SlackGateway:
    """Sends and updates messages in any workspace Miroir is installed in."""

    platform = "slack"

    def __init__(self, installations: DbInstallationStore, api_url: str,
                 timeout: int = 10) -> None:
        self.installations = installations
        self.api_url = api_url
        self.timeout = timeout
        self._dm: dict[tuple[str, str], str] = {}  # (workspace, user) → DM channel id
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        """One HTTP session for every Slack call: a fresh TCP (TLS) connection per call is what
        slack_sdk does by default, and it dominated the cost of an interaction."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30),
                timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self._session

    async def close(self) -> None:
        """Close the shared HTTP session (at shutdown)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def client(self, workspace: str) -> AsyncWebClient:
        """A client holding this workspace's bot token."""
        token = await self.installations.bot_token(workspace)
        if token is None:
            raise PermanentFailure(f"Miroir is not installed in Slack workspace {workspace}")
        return AsyncWebClient(token=token, base_url=self.api_url, timeout=self.timeout,
                              session=self.session())

    async def respond(self, response_url: str, replies: list[Reply]) -> None:
        """An ephemeral answer through a response_url (slash commands, button presses)."""
        webhook = AsyncWebhookClient(response_url, timeout=self.timeout, session=self.session())
        try:
            response = await webhook.send(text=fallback_text(replies), blocks=reply_blocks(replies),
                                          response_type="ephemeral", replace_original=False)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RetryLater(NETWORK_DELAY, f"response_url unreachable ({exc})") from exc
        if response.status_code != 200:
            raise PermanentFailure(f"response_url refused: {response.status_code} {response.body}")

    async def dm_channel(self, workspace: str, user_id: str) -> str:
        """The DM channel with a user; conversations.open is Tier 3, so it is cached."""
        key = (workspace, user_id)
        if key not in self._dm:
            client = await self.client(workspace)
            response = await call_slack(lambda: client.conversations_open(users=user_id))
            self._dm[key] = str(response["channel"]["id"])
        return self._dm[key]

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        """Send one DM made of these replies."""
        channel = await self.dm_channel(to.workspace, to.external_id)
        try:
            return await self.post(to.workspace, channel, replies)
        except PermanentFailure:
            self._dm.pop((to.workspace, to.external_id), None)  # the DM may be gone; reopen later
            raise

    async def post(self, workspace: str, channel: str, replies: list[Reply]) -> MessageRef:
        """Post a message in a channel (public kudos) or a DM."""
        client = await self.client(workspace)
        response = await call_slack(lambda: client.chat_postMessage(
            channel=channel, text=fallback_text(replies), blocks=reply_blocks(replies)))
        return MessageRef(self.platform, workspace, str(response["channel"]), str(response["ts"]))

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        """Replace a message already sent (the survey prompt becomes a thank-you)."""
        client = await self.client(ref.workspace)
        await call_slack(lambda: client.chat_update(
            channel=ref.channel, ts=ref.message_id, text=fallback_text(replies),
            blocks=reply_blocks(replies)))

    async def ephemeral(self, workspace: str, channel: str, user_id: str,
                        replies: list[Reply]) -> None:
        """A message only this user sees, in a channel they are in with the bot."""
        client = await self.client(workspace)
        await call_slack(lambda: client.chat_postEphemeral(
            channel=channel, user=user_id, text=fallback_text(replies),
            blocks=reply_blocks(replies)))

    async def open_modal(self, workspace: str, trigger_id: str, view: dict[str, Any]) -> None:
        """Open a modal; the trigger_id expires within seconds, so this comes right after ack."""
        client = await self.client(workspace)
        await call_slack(lambda: client.views_open(trigger_id=trigger_id, view=view))

    async def publish_home(self, workspace: str, user_id: str, view: dict[str, Any]) -> None:
        """Publish a person's App Home tab."""
        client = await self.client(workspace)
        await call_slack(lambda: client.views_publish(user_id=user_id, view=view))

    async def email_of(self, workspace: str, user_id: str) -> str | None:
        """The email Slack holds for a user (scope users:read.email), None for bots and guests."""
        client = await self.client(workspace)
        response = await call_slack(lambda: client.users_info(user=user_id))
        user = response.get("user") or {}
        if user.get("is_bot") or user.get("deleted"):
            return None
        email = (user.get("profile") or {}).get("email")
        return str(email) if email else None

    async def account_of(self, workspace: str, email: str) -> str | None:
        """The Slack user id for an email in a workspace, None when nobody has it."""
        client = await self.client(workspace)
        try:
            response = await client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":
                return None
            raise map_error(exc) from exc
        return str(response["user"]["id"])
