"""Inbound, platform-neutral intents: what a person asked for, whatever the platform."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is talking: resolved to a Miroir person by the platform identity."""

    platform: str  # "web", "slack", "teams"
    workspace: str  # Slack team id, Teams tenant id, "local" for the web chat
    external_id: str


@dataclass(frozen=True)
class AnswerIntent:
    actor: Actor
    round_id: str
    question_id: str
    value: int


@dataclass(frozen=True)
class CommentIntent:
    actor: Actor
    round_id: str
    text: str


@dataclass(frozen=True)
class KudosIntent:
    actor: Actor
    recipients: tuple[str, ...]  # platform handles or ids, resolved by the dialog
    message: str
    value_tag: str | None = None
    public: bool = True


@dataclass(frozen=True)
class IrritantIntent:
    actor: Actor
    text: str


@dataclass(frozen=True)
class HelpIntent:
    actor: Actor


@dataclass(frozen=True)
class HomeIntent:
    """Show the person's home (own answers, kudos, the team's published pulse) in the chat."""

    actor: Actor


@dataclass(frozen=True)
class LanguageIntent:
    actor: Actor
    locale: str


@dataclass(frozen=True)
class DashboardIntent:
    """`/miroir dashboard`: a one-time sign-in link to the web dashboard."""

    actor: Actor


Intent = (AnswerIntent | CommentIntent | KudosIntent | IrritantIntent | HelpIntent
          | LanguageIntent | DashboardIntent | HomeIntent)
