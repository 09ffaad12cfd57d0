"""SQLModel tables. Datetimes are aware UTC (SQLModel's UTCDateTime)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class TenantRow(SQLModel, table=True):
    __tablename__ = "tenant"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    timezone: str = "Europe/Paris"
    locale: str = "fr"


class TeamRow(SQLModel, table=True):
    __tablename__ = "team"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    name: str
    parent_id: str | None = Field(default=None, foreign_key="team.id", max_length=64)


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    display_name: str
    email: str | None = Field(default=None, index=True)
    role: str = "adviser"
    locale: str = "fr"
    timezone: str = "Europe/Paris"


class IdentityRow(SQLModel, table=True):
    """A chat account (Slack user in a workspace, Teams AAD id, web demo id) linked to a person."""

    __tablename__ = "identity"
    platform: str = Field(primary_key=True, max_length=16)
    workspace: str = Field(primary_key=True, max_length=64)
    external_id: str = Field(primary_key=True, max_length=128)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)


class MembershipRow(SQLModel, table=True):
    __tablename__ = "membership"
    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
    team_id: str = Field(foreign_key="team.id", index=True, max_length=64)
    valid_from: date
    valid_to: date | None = None


class QuestionRow(SQLModel, table=True):
    __tablename__ = "question"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str | None = Field(default=None, foreign_key="tenant.id", index=True, max_length=64)
    pillar: str
    scale: str
    text_fr: str
    text_en: str
    moments: str = ""  # space-separated moment types
    active: bool = True


class RoundRow(SQLModel, table=True):
    __tablename__ = "pulse_round"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    team_id: str = Field(foreign_key="team.id", index=True, max_length=64)
    opens_at: datetime = Field(index=True)
    closes_at: datetime
    kind: str = "cadence"


class InvitationRow(SQLModel, table=True):
    __tablename__ = "invitation"
    round_id: str = Field(foreign_key="pulse_round.id", primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=64)
    question_ids: str  # space-separated, in the order asked
    created_at: datetime


class AnswerRow(SQLModel, table=True):
    """Keeps the person id only for de-duplication and the adviser's own history."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("round_id", "person_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: str = Field(foreign_key="pulse_round.id", index=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
    question_id: str = Field(foreign_key="question.id", max_length=64)
    team_id: str = Field(foreign_key="team.id", index=True, max_length=64)
    value: int
    answered_at: datetime = Field(index=True)


class CommentRow(SQLModel, table=True):
    __tablename__ = "comment"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
    team_id: str | None = Field(default=None, foreign_key="team.id", max_length=64)
    round_id: str | None = Field(default=None, foreign_key="pulse_round.id", max_length=64)
    text: str
    source: str = "pulse"
    pulse_score: float | None = None
    created_at: datetime = Field(index=True)


class KudosRow(SQLModel, table=True):
    __tablename__ = "kudos"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    sender_id: str = Field(foreign_key="person.id", max_length=64)
    message: str
    value_tag: str | None = None
    public: bool = True
    created_at: datetime = Field(index=True)


class KudosRecipientRow(SQLModel, table=True):
    __tablename__ = "kudos_recipient"
    kudos_id: str = Field(foreign_key="kudos.id", primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=64)
    team_id: str | None = Field(default=None, foreign_key="team.id", index=True, max_length=64)


class ApiKeyRow(SQLModel, table=True):
    """API keys are stored as SHA-256 of the secret; the secret is shown once at creation."""

    __tablename__ = "api_key"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    name: str
    secret_hash: str = Field(unique=True, max_length=64)
    scopes: str  # space-separated
    created_at: datetime
    revoked_at: datetime | None = None


class ClassificationRow(SQLModel, table=True):
    """What the classifier said about one comment; written once, by the background job."""

    __tablename__ = "comment_classification"
    comment_id: str = Field(foreign_key="comment.id", primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    polarity: str = Field(max_length=16)
    score: float
    categories: str  # JSON list of [category, confidence]
    language: str = Field(default="und", max_length=8)
    model_version: str = Field(max_length=128)
    classified_at: datetime


class IrritantRow(SQLModel, table=True):
    """An irritant; the reporter is reachable only through comment_id, never stored here."""

    __tablename__ = "irritant"
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    comment_id: str = Field(foreign_key="comment.id", unique=True, max_length=64)
    team_id: str | None = Field(default=None, foreign_key="team.id", index=True, max_length=64)
    category: str = Field(index=True, max_length=48)
    status: str = Field(default="new", index=True, max_length=16)
    text: str
    language: str = Field(default="und", max_length=8)
    owner_team_id: str | None = Field(default=None, foreign_key="team.id", max_length=64)
    owner_note: str | None = None
    category_corrected: bool = False
    created_at: datetime = Field(index=True)
    updated_at: datetime


class ClassifierHeadRow(SQLModel, table=True):
    """Per-tenant classifier heads; every version is kept, one is active per (tenant, kind)."""

    __tablename__ = "classifier_head"
    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    kind: str = Field(max_length=16)
    version: str = Field(max_length=64)
    blob: bytes = Field(sa_type=LargeBinary)
    note: str = ""
    active: bool = False
    created_at: datetime
