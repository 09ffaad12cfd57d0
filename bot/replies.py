"""Outbound, platform-neutral replies. The bot decides what to say; each adapter how it looks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    """One button: its label and the JSON-able value sent back when pressed."""

    label: str
    value: dict[str, object]


@dataclass(frozen=True)
class SurveyPrompt:
    """One pulse question with a button per scale point and an optional comment."""

    round_id: str
    question_id: str
    question: str
    choices: tuple[Choice, ...]
    low_label: str
    high_label: str
    allow_comment: bool
    comment_label: str
    intro: str = ""
    footer: str = ""


@dataclass(frozen=True)
class CommentRequest:
    """Ask for a free-text comment (a Slack modal, a Teams card input, a web form)."""

    round_id: str
    title: str
    placeholder: str
    submit_label: str


@dataclass(frozen=True)
class ThankYou:
    """Replaces a survey prompt once answered; repeats the anonymity promise."""

    title: str
    text: str


@dataclass(frozen=True)
class Notice:
    """A plain message: acknowledgements, polite refusals, help."""

    text: str
    private: bool = True


@dataclass(frozen=True)
class KudosPost:
    """Recognition shown to the team (public) or to the recipients only."""

    sender_name: str
    recipient_names: tuple[str, ...]
    message: str
    value_tag: str | None
    headline: str


@dataclass(frozen=True)
class Help:
    title: str
    lines: tuple[str, ...] = field(default_factory=tuple)


Reply = SurveyPrompt | CommentRequest | ThankYou | Notice | KudosPost | Help
