"""Neutral bot replies → Adaptive Card 1.5 JSON (pure functions, no I/O, no SDK)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.teams.parse import ANSWER, COMMENT, COMMENT_INPUT
from bot.replies import (
    CommentRequest,
    Help,
    KudosPost,
    Notice,
    Reply,
    SurveyPrompt,
    ThankYou,
)
from pulse.surveys.service import MAX_COMMENT

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"  # Action.Execute needs 1.4+; Teams renders 1.5
ROW = 6  # Teams shows at most 6 buttons side by side (host config maxActions): NPS gets 2 rows
SUMMARY_MAX = 300


def _run(text: str, **style: Any) -> dict[str, Any]:
    # RichTextBlock/TextRun never interprets markdown, unlike TextBlock: a kudos message or a
    # name typed as "**x**" or "[x](…)" stays the text the person wrote.
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _paragraphs(text: str, **style: Any) -> list[dict[str, Any]]:
    return [_run(line, **style) for line in text.splitlines() if line.strip()]


def action(title: str, data: dict[str, Any], universal: bool) -> dict[str, Any]:
    """A button: Action.Execute (verb miroir.<kind>) falling back to Action.Submit, or Submit."""
    submit = {"type": "Action.Submit", "title": title, "data": data}
    if not universal:
        return submit
    return {"type": "Action.Execute", "title": title, "verb": f"miroir.{data['miroir']}",
            "data": data, "fallback": submit}


def _comment_input(label: str, placeholder: str = "") -> dict[str, Any]:
    field = {"type": "Input.Text", "id": COMMENT_INPUT, "label": label, "isMultiline": True,
             "maxLength": MAX_COMMENT}
    if placeholder:
        field["placeholder"] = placeholder
    return field


def _prompt(prompt: SurveyPrompt, universal: bool, with_comment: bool) -> list[dict[str, Any]]:
    body = _paragraphs(prompt.intro) if prompt.intro else []
    body.append(_run(prompt.question, weight="Bolder"))
    buttons = [action(choice.label, {"miroir": ANSWER, **choice.value}, universal)
               for choice in prompt.choices]
    body.extend({"type": "ActionSet", "actions": buttons[i:i + ROW]}
                for i in range(0, len(buttons), ROW))
    if prompt.choices and (prompt.low_label or prompt.high_label):
        scale = (f"{prompt.choices[0].label} = {prompt.low_label}  ·  "
                 f"{prompt.choices[-1].label} = {prompt.high_label}")
        body.append(_run(scale, isSubtle=True, size="Small"))
    if with_comment:
        # Typed before pressing a score, the comment travels with the press (inputs are merged
        # into the action's data), so one tap answers and comments.
        body.append(_comment_input(prompt.comment_label))
    if prompt.footer:
        body.append(_run(prompt.footer, isSubtle=True, size="Small"))
    return body


def _comment_request(request: CommentRequest, universal: bool) -> list[dict[str, Any]]:
    return [
        _comment_input(request.title, request.placeholder),
        {"type": "ActionSet", "actions": [
            action(request.submit_label, {"miroir": COMMENT, "round_id": request.round_id},
                   universal)]},
    ]


def _kudos(post: KudosPost) -> list[dict[str, Any]]:
    body = [_run(f"🎉 {post.headline}", weight="Bolder"),
            {"type": "Container", "style": "emphasis", "items": _paragraphs(post.message,
                                                                             italic=True)}]
    if post.value_tag:
        body.append(_run(f"#{post.value_tag}", isSubtle=True))
    return body


def card(replies: Sequence[Reply], universal: bool = True) -> dict[str, Any]:
    """One Adaptive Card holding these replies (one comment field per round)."""
    body: list[dict[str, Any]] = []
    comment_rounds: set[str] = set()
    for reply in replies:
        if isinstance(reply, SurveyPrompt):
            first = reply.allow_comment and reply.round_id not in comment_rounds
            comment_rounds.add(reply.round_id)
            body.extend(_prompt(reply, universal, with_comment=first))
        elif isinstance(reply, CommentRequest):
            if reply.round_id not in comment_rounds:
                comment_rounds.add(reply.round_id)
                body.extend(_comment_request(reply, universal))
        elif isinstance(reply, ThankYou):
            body.append(_run(f"✅ {reply.title}", weight="Bolder"))
            body.extend(_paragraphs(reply.text))
        elif isinstance(reply, Notice):
            body.extend(_paragraphs(reply.text))
        elif isinstance(reply, KudosPost):
            body.extend(_kudos(reply))
        elif isinstance(reply, Help):
            body.append(_run(reply.title, weight="Bolder", size="Medium"))
            body.extend(_run(f"• {line}") for line in reply.lines)
    return {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body,
            "msteams": {"width": "Full"}}


def summary(replies: Sequence[Reply]) -> str:
    """The notification text of a card message (Teams shows it in the feed and toasts)."""
    parts: list[str] = []
    for reply in replies:
        if isinstance(reply, SurveyPrompt):
            parts.append(reply.question)
        elif isinstance(reply, ThankYou | Help):
            parts.append(reply.title)
        elif isinstance(reply, Notice):
            parts.append(reply.text)
        elif isinstance(reply, KudosPost):
            parts.append(reply.headline)
    text = " · ".join(parts) or "Miroir"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def notice_text(replies: Sequence[Reply]) -> str:
    """The plain text of notices, for an Action.Execute answer that leaves the card as it is."""
    return "\n".join(r.text for r in replies if isinstance(r, Notice))


def attachment(replies: Sequence[Reply], universal: bool = True) -> dict[str, Any]:
    """The card as a Bot Framework attachment."""
    return {"contentType": CARD_TYPE, "content": card(replies, universal)}
