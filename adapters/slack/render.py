"""Neutral bot replies → Block Kit, built with slack_sdk.models (pure functions, no I/O)."""

from __future__ import annotations

import copy
import json
from collections.abc import Hashable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.replies import (
    CommentRequest,
    Help,
    KudosPost,
    Notice,
    Reply,
    SurveyPrompt,
    ThankYou,
)

ANSWER_ACTION = "miroir_answer"  # prefix; one action id per scale point
COMMENT_ACTION = "miroir_comment"
COMMENT_VIEW = "miroir_comment_view"
COMMENT_BLOCK = "comment"
COMMENT_INPUT = "text"
SECTION_MAX = 3000  # Slack refuses longer section texts
HEADER_MAX = 150
MODAL_TITLE_MAX = 24


def escape(text: str) -> str:
    """Escape what Slack's mrkdwn treats as markup (so `<!channel>` typed by a user stays text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=_cut(text, SECTION_MAX))


def _plain(text: str, limit: int = 75) -> PlainTextObject:
    return PlainTextObject(text=_cut(text, limit), emoji=True)


def button_value(prompt: SurveyPrompt, value: dict[str, object]) -> str:
    """JSON carried by a scale button: the round, the question and the choice's own value."""
    return json.dumps({"round_id": prompt.round_id, "question_id": prompt.question_id, **value},
                      separators=(",", ":"), ensure_ascii=False)


def _prompt_blocks(prompt: SurveyPrompt, with_comment: bool) -> list[Block]:
    head = f"{escape(prompt.intro)}\n" if prompt.intro else ""
    blocks: list[Block] = [
        SectionBlock(block_id=f"question:{prompt.question_id}",
                     text=_md(f"{head}*{escape(prompt.question)}*")),
        ActionsBlock(
            block_id=f"answer:{prompt.question_id}",
            elements=[
                ButtonElement(text=_plain(choice.label), action_id=f"{ANSWER_ACTION}_{i}",
                              value=button_value(prompt, choice.value))
                for i, choice in enumerate(prompt.choices)
            ],
        ),
    ]
    if prompt.low_label or prompt.high_label:
        scale = f"{escape(prompt.low_label)}  ·  {escape(prompt.high_label)}"
        blocks.append(ContextBlock(block_id=f"scale:{prompt.question_id}", elements=[_md(scale)]))
    if with_comment:
        blocks.append(_comment_button(prompt.round_id, prompt.comment_label))
    if prompt.footer:
        blocks.append(ContextBlock(block_id=f"footer:{prompt.question_id}",
                                   elements=[_md(escape(prompt.footer))]))
    return blocks


def _comment_button(round_id: str, label: str) -> ActionsBlock:
    value = json.dumps({"round_id": round_id}, separators=(",", ":"))
    return ActionsBlock(block_id=f"comment:{round_id}", elements=[
        ButtonElement(text=_plain(label), action_id=COMMENT_ACTION, value=value),
    ])


def _kudos_blocks(post: KudosPost) -> list[Block]:
    blocks: list[Block] = [
        SectionBlock(text=_md(f":tada: *{escape(post.headline)}*")),
        SectionBlock(text=_md("> " + escape(post.message).replace("\n", "\n> "))),
    ]
    if post.value_tag:
        blocks.append(ContextBlock(elements=[_md(f"#{escape(post.value_tag)}")]))
    return blocks


def reply_blocks(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """The Block Kit blocks of one message made of these replies (a comment request: a button)."""
    return copy.deepcopy(_cached_blocks(_Message(tuple(replies))))


class _Message:
    """Replies as a render-cache key: a prompt's choices carry dicts, so they count as JSON."""

    __slots__ = ("key", "replies")

    def __init__(self, replies: tuple[Reply, ...]) -> None:
        self.replies = replies
        self.key = tuple(_hashable(reply) for reply in replies)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Message) and self.key == other.key


def _hashable(reply: Reply) -> Hashable:
    if isinstance(reply, SurveyPrompt):
        choices = tuple((c.label, json.dumps(c.value, sort_keys=True)) for c in reply.choices)
        return replace(reply, choices=()), choices
    return reply


@lru_cache(maxsize=2048)
def _cached_blocks(message: _Message) -> list[dict[str, Any]]:
    # slack_sdk.models validates every attribute through dir()/hasattr: costly on the hot path
    # (a team's follow-up prompts, thank-yous, notices and kudos repeat), so identical messages
    # are rendered once.
    return _build_blocks(message.replies)


def _build_blocks(replies: tuple[Reply, ...]) -> list[dict[str, Any]]:
    blocks: list[Block] = []
    comment_rounds: set[str] = set()
    for reply in replies:
        if isinstance(reply, SurveyPrompt):
            first = reply.allow_comment and reply.round_id not in comment_rounds
            comment_rounds.add(reply.round_id)
            blocks.extend(_prompt_blocks(reply, with_comment=first))
        elif isinstance(reply, CommentRequest):
            if reply.round_id not in comment_rounds:
                comment_rounds.add(reply.round_id)
                blocks.append(_comment_button(reply.round_id, reply.title))
        elif isinstance(reply, ThankYou):
            blocks.append(SectionBlock(text=_md(f":white_check_mark: *{escape(reply.title)}*")))
            blocks.append(ContextBlock(elements=[_md(escape(reply.text))]))
        elif isinstance(reply, Notice):
            blocks.append(SectionBlock(text=_md(escape(reply.text))))
        elif isinstance(reply, KudosPost):
            blocks.extend(_kudos_blocks(reply))
        elif isinstance(reply, Help):
            blocks.append(HeaderBlock(text=_plain(reply.title, HEADER_MAX)))
            lines = "\n".join(f"• {escape(line)}" for line in reply.lines)
            if lines:
                blocks.append(SectionBlock(text=_md(lines)))
    return [b.to_dict() for b in blocks]


def fallback_text(replies: Sequence[Reply]) -> str:
    """Plain text for notifications and screen readers (Slack asks for it beside blocks)."""
    parts: list[str] = []
    for reply in replies:
        if isinstance(reply, SurveyPrompt):
            parts.append(reply.question)
        elif isinstance(reply, ThankYou):
            parts.append(reply.title)
        elif isinstance(reply, Notice):
            parts.append(reply.text)
        elif isinstance(reply, KudosPost):
            parts.append(reply.headline)
        elif isinstance(reply, Help):
            parts.append(reply.title)
    return _cut(" · ".join(parts) or "Miroir", 3000)


def comment_modal(request: CommentRequest, title: str, metadata: dict[str, str]) -> dict[str, Any]:
    """The comment modal (Slack caps its title at 24 characters); `metadata` names the prompt."""
    view = View(
        type="modal",
        callback_id=COMMENT_VIEW,
        title=_plain(title, MODAL_TITLE_MAX),
        submit=_plain(request.submit_label, MODAL_TITLE_MAX),
        private_metadata=json.dumps({"round_id": request.round_id, **metadata},
                                    separators=(",", ":")),
        blocks=[
            InputBlock(
                block_id=COMMENT_BLOCK,
                label=_plain(request.title, 2000),
                element=PlainTextInputElement(action_id=COMMENT_INPUT, multiline=True,
                                              max_length=2000,
                                              placeholder=_plain(request.placeholder, 150)),
            )
        ],
    )
    return view.to_dict()


def home_view(sections: Sequence[tuple[str, Sequence[str]]]) -> dict[str, Any]:
    """An App Home tab: titled sections of lines (already translated)."""
    blocks: list[Block] = []
    for i, (title, lines) in enumerate(sections):
        if i:
            blocks.append(DividerBlock())
        blocks.append(HeaderBlock(text=_plain(title, HEADER_MAX)))
        text = "\n".join(escape(line) for line in lines)
        if text:
            blocks.append(SectionBlock(text=_md(text)))
    return View(type="home", blocks=blocks).to_dict()
