"""TeamsGateway: the ChatGateway port over the Bot Connector, writing first from references."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from logging import getLogger
from typing import Any, TypeVar

from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)
from botframework.connector.auth import AuthenticationConstants
from msrest.exceptions import ClientRequestError

from adapters.teams import render
from adapters.teams.parse import PLATFORM
from adapters.teams.references import ReferenceStore
from bot.ports import MessageRef, Recipient
from bot.replies import Reply
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.roster.rows import ANY_WORKSPACE

log = getLogger(__name__)
T = TypeVar("T")

# Microsoft asks bots to retry these with exponential backoff and jitter (rate-limit docs).
RETRY = frozenset({412, 429, 500, 502, 503, 504})
BACKOFF = 2.0  # seconds, doubled at most by jitter, when Teams gives no Retry-After
NETWORK_DELAY = 5.0


def _retry_after(headers: Any) -> float | None:
    try:
        value = headers.get("Retry-After") if headers is not None else None
        return max(float(value), 0.0) if value is not None else None
    except (TypeError, ValueError):
        return None


def map_error(exc: BaseException) -> BaseException:
    """A Bot Connector failure as ours: 429/412/5xx → RetryLater, 403/404 and 4xx → Permanent."""
    if isinstance(exc, RetryLater | PermanentFailure):
        return exc
    if isinstance(exc, ErrorResponseException):
        response = exc.response
        status = getattr(response, "status_code", None)
        code = getattr(getattr(getattr(exc, "error", None), "error", None), "code", None)
        what = f"Teams {status} {code or ''}".strip()
        if status in RETRY or status is None:
            seconds = _retry_after(getattr(response, "headers", None))
            return RetryLater(seconds if seconds is not None
                              else BACKOFF * (1 + random.random()), what)
        # 403: the user blocked or uninstalled the app; 404: the conversation is gone.
        return PermanentFailure(what)
    if isinstance(exc, ClientRequestError | TimeoutError | ConnectionError):
        return RetryLater(NETWORK_DELAY, f"Teams unreachable ({type(exc).__name__})")
    return exc


def _raise(exc: BaseException) -> None:
    mapped = map_error(exc)
    if mapped is exc:
        raise exc
    raise mapped from exc


def message_activity(replies: list[Reply], universal: bool) -> Activity:
    """A message made of one Adaptive Card, with a summary for notifications."""
    return Activity(type=ActivityTypes.message, summary=render.summary(replies),
                    attachments=[render.attachment(replies, universal)])


def reference_of(data: dict[str, Any]) -> ConversationReference:
    """A stored reference back as the SDK's object."""
    return ConversationReference().deserialize(data)


class TeamsGateway:
    """Sends and updates messages in 1:1 chats and channels Miroir has a reference for."""

    platform = PLATFORM

    def __init__(self, adapter: CloudAdapterBase, references: ReferenceStore, app_id: str,
                 universal: bool = True) -> None:
        self.adapter = adapter
        self.references = references
        self.app_id = app_id
        self.universal = universal

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        """A 1:1 message: continue the stored chat, or create it when the app is installed."""
        ms_tenant = None if to.workspace == ANY_WORKSPACE else to.workspace
        data = await asyncio.to_thread(self.references.teams_personal_conversation, ms_tenant,
                                       to.external_id)
        if data is not None:
            return await self.post(reference_of(data), replies)
        if ms_tenant is None:
            raise PermanentFailure("no Teams chat with this user yet, and their tenant is unknown")
        service_url = await asyncio.to_thread(self.references.teams_service_url, ms_tenant)
        if service_url is None:
            raise PermanentFailure(f"Miroir has never been reached from Teams tenant {ms_tenant}")
        return await self.create(ms_tenant, to.external_id, service_url, replies)

    async def post(self, ref: ConversationReference, replies: list[Reply]) -> MessageRef:
        """A new message in a known conversation (a 1:1 chat or a team channel)."""
        activity = message_activity(replies, self.universal)

        async def work(ctx: TurnContext) -> str:
            return await self._send_in(ctx, ref, activity)

        message_id = await self._proactive(ref, work)
        return MessageRef(PLATFORM, _tenant(ref), ref.conversation.id, message_id)

    async def post_to(self, ms_tenant: str, conversation_id: str,
                      replies: list[Reply]) -> MessageRef:
        """A new message in a conversation by id (a team channel for public kudos)."""
        data = await asyncio.to_thread(self.references.teams_conversation, ms_tenant,
                                       conversation_id)
        if data is None:
            raise PermanentFailure(f"Miroir is not in Teams conversation {conversation_id}")
        return await self.post(reference_of(data), replies)

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        """Replace a message already sent (PUT; urllib3 may retry a 429 silently, pitfall 17)."""
        data = await asyncio.to_thread(self.references.teams_conversation, ref.workspace,
                                       ref.channel)
        if data is None:
            raise PermanentFailure(f"no stored Teams conversation {ref.channel}")
        conversation = reference_of(data)
        activity = message_activity(replies, self.universal)

        async def work(ctx: TurnContext) -> None:
            TurnContext.apply_conversation_reference(activity, conversation)
            activity.id, activity.reply_to_id = ref.message_id, None
            # msrest's urllib3 retry applies to PUT: a 429 with Retry-After is slept through in
            # the connector's worker thread and retried once, out of our sight.
            await self._client(ctx).conversations.update_activity(
                conversation.conversation.id, ref.message_id, activity)

        await self._proactive(conversation, work)

    async def create(self, ms_tenant: str, user_id: str, service_url: str,
                     replies: list[Reply]) -> MessageRef:
        """Open a 1:1 chat (the app must be installed for the user) and post in it."""
        # botbuilder serializes tenant_id as "tenantID"; Teams reads channelData.tenant.id.
        params = ConversationParameters(
            is_group=False, bot=ChannelAccount(id=f"28:{self.app_id}"),
            members=[ChannelAccount(id=user_id)], tenant_id=ms_tenant,
            channel_data={"tenant": {"id": ms_tenant}})
        activity = message_activity(replies, self.universal)
        box: dict[str, Any] = {}

        async def first_message(ctx: TurnContext) -> None:
            try:
                ref = TurnContext.get_conversation_reference(ctx.activity)
                ref.user = ChannelAccount(id=user_id, aad_object_id=user_id)
                ref.conversation.conversation_type = "personal"
                box["ref"] = ref
                await asyncio.to_thread(
                    self.references.save_teams_conversation, ms_tenant, ref.conversation.id,
                    "personal", user_id, service_url, ref.serialize())
                box["id"] = await self._send_in(ctx, ref, activity)
            except Exception as exc:  # reported to our caller below, not to on_turn_error
                box["error"] = exc

        try:
            await self.adapter.create_conversation(
                self.app_id, first_message, params, "msteams", service_url,
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE)
        except Exception as exc:
            _raise(exc)
        if "error" in box:
            _raise(box["error"])
        return MessageRef(PLATFORM, ms_tenant, box["ref"].conversation.id, box["id"])

    async def _send_in(self, ctx: TurnContext, ref: ConversationReference,
                       activity: Activity) -> str:
        TurnContext.apply_conversation_reference(activity, ref)
        # A continuation turn carries a made-up activity id that ctx.send_activity would use as
        # replyToId (pitfall 16): post to the conversation itself instead.
        activity.reply_to_id = None
        response = await self._client(ctx).conversations.send_to_conversation(
            ref.conversation.id, activity)
        return str(getattr(response, "id", None) or "")

    def _client(self, ctx: TurnContext) -> Any:
        return ctx.turn_state[self.adapter.BOT_CONNECTOR_CLIENT_KEY]

    async def _proactive(self, ref: ConversationReference,
                         work: Callable[[TurnContext], Awaitable[T]]) -> T:
        """Run `work` in a continuation turn; its failure comes back here, mapped to ours."""
        box: dict[str, Any] = {}

        async def callback(ctx: TurnContext) -> None:
            try:
                box["value"] = await work(ctx)
            except Exception as exc:  # the adapter's on_turn_error would swallow it
                box["error"] = exc

        try:
            await self.adapter.continue_conversation(ref, callback, bot_app_id=self.app_id)
        except Exception as exc:
            _raise(exc)
        if "error" in box:
            _raise(box["error"])
        return box["value"]  # type: ignore[no-any-return]


def _tenant(ref: ConversationReference) -> str:
    return str(getattr(ref.conversation, "tenant_id", None) or "")
