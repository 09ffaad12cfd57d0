"""SQLModel tables. Datetimes are aware UTC (SQLModel's UTCDateTime)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint
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


class SigninNonceRow(SQLModel, table=True):
    """A sign-in link already used: its nonce, so the link works once (kept for LINK_TTL)."""

    __tablename__ = "signin_nonce"
    nonce: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
    used_at: datetime = Field(index=True)


class DashboardSessionRow(SQLModel, table=True):
    """A dashboard session: SHA-256 of its random id, its person, CSRF token and expiry."""

    __tablename__ = "dashboard_session"
    id_hash: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    csrf: str = Field(max_length=64)
    created_at: datetime
    expires_at: datetime = Field(index=True)
    method: str = Field(max_length=16)


class MsTeamsConversationRow(SQLModel, table=True):
    """A Microsoft Teams (Bot Framework) conversation reference, so Miroir can write first.

    `ms_tenant` is the Microsoft tenant id (not a Miroir tenant, hence no foreign key and not
    named tenant_id); `reference` is ConversationReference.serialize() as JSON.
    """

    __tablename__ = "msteams_conversation"
    ms_tenant: str = Field(primary_key=True, max_length=64)
    conversation_id: str = Field(primary_key=True, max_length=400)
    conversation_type: str = Field(default="personal", max_length=16)
    aad_object_id: str | None = Field(default=None, index=True, max_length=64)
    service_url: str = Field(max_length=512)
    reference: str
    updated_at: datetime


class CxRatingRow(SQLModel, table=True):
    """One canonical customer rating (ANALYTICS.md §1.2); a newer source_revision replaces it."""

    __tablename__ = "cx_rating"
    __table_args__ = (UniqueConstraint("tenant_id", "source", "source_instance",
                                       "source_record_id", name="uq_cx_rating_record"),
                      UniqueConstraint("tenant_id", "idempotency_key", name="uq_cx_rating_key"))
    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=64)
    source: str = Field(max_length=32)
    source_instance: str = Field(max_length=128)
    source_record_id: str = Field(max_length=256)
    source_revision: str = Field(default="", max_length=64)
    idempotency_key: str = Field(max_length=64)
    metric: str = Field(max_length=16)
    raw_value: str = Field(max_length=32)
    score: float | None = None
    score_norm: float | None = None
    is_positive: bool | None = None
    is_negative: bool | None = None
    rated: bool = True
    responded_at: datetime = Field(index=True)
    interaction_at: datetime | None = None
    interaction_id: str | None = Field(default=None, max_length=128)
    source_agent_id: str | None = Field(default=None, max_length=256)
    source_group_id: str | None = Field(default=None, max_length=128)
    person_id: str | None = Field(default=None, max_length=64)
    team_id: str | None = Field(default=None, foreign_key="team.id", index=True, max_length=64)
    team_resolution: str = Field(default="unmapped", max_length=24)
    batch_id: str | None = Field(default=None, max_length=64)
    ingested_at: datetime


class CxIngestBatchRow(SQLModel, table=True):
    """One upload, batch request or webhook delivery, with its report (replayed on retry)."""

    __tablename__ = "cx_ingest_batch"
    __table_args__ = (UniqueConstraint("tenant_id", "channel", "request_key",
                                       name="uq_cx_ingest_request"),)
    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    channel: str = Field(max_length=16)  # upload | batch | webhook | cli
    request_key: str = Field(max_length=256)  # Idempotency-Key, or file SHA-256 + options
    body_sha256: str = Field(max_length=64)
    status: str = Field(default="running", max_length=16)  # running | done | failed
    report: str = "{}"  # JSON
    created_at: datetime
    # The attempt running the batch and when it last proved alive: a stale lease is taken over.
    lease_owner: str | None = Field(default=None, max_length=64)
    heartbeat_at: datetime | None = None


class CxIdentityRow(SQLModel, table=True):
    """Identity map: an agent id (or email) in a CX source → a person."""

    __tablename__ = "cx_identity"
    tenant_id: str = Field(foreign_key="tenant.id", primary_key=True, max_length=64)
    source: str = Field(primary_key=True, max_length=32)
    source_agent_id: str = Field(primary_key=True, max_length=256)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
class TeamScheduleRow(SQLModel, table=True):
    """A team's pulse cadence and delivery window (times are "HH:MM" in each person's zone)."""

    __tablename__ = "team_schedule"
    team_id: str = Field(foreign_key="team.id", primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    cadence: str = Field(default="weekly", max_length=16)
    weekday: int = 1
    hour: int = 10
    minute: int = 0
    work_start: str = Field(default="09:00", max_length=5)
    work_end: str = Field(default="18:00", max_length=5)
    quiet_start: str = Field(default="20:00", max_length=5)
    quiet_end: str = Field(default="08:00", max_length=5)
    weekend: str = Field(default="5 6", max_length=16)  # space-separated date.weekday() values
    country: str = Field(default="FR", max_length=8)
    items_per_pulse: int = 3
    round_hours: int = 72
    anchor: date | None = None
    materialized_until: datetime | None = None
    active: bool = True


class OutboxRow(SQLModel, table=True):
    """One message to one person, sent exactly once by whichever instance leases it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "bucket", "available_at"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=64)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=64)
    kind: str = Field(max_length=16)
    round_id: str | None = Field(default=None, foreign_key="pulse_round.id", index=True,
                                 max_length=64)
    payload: str  # JSON
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    bucket: str = Field(max_length=200)
    available_at: datetime
    scheduled_at: datetime  # the planned time, kept through retries (cool-down uses it)
    locked_by: str | None = Field(default=None, max_length=64)
    locked_until: datetime | None = None
    sent_at: datetime | None = None
    sent_by: str | None = Field(default=None, max_length=64)
    last_error: str | None = None
    created_at: datetime


class RateBucketRow(SQLModel, table=True):
    """A token bucket shared by every worker process (one row per workspace or tenant)."""

    __tablename__ = "rate_bucket"
    key: str = Field(primary_key=True, max_length=200)
    tokens: float
    refreshed: float  # epoch seconds of the last refill


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


class PublishedCellRow(SQLModel, table=True):
    """One published number about a team in one closed bucket; inserted once, never updated."""

    __tablename__ = "published_cell"
    __table_args__ = (
        # Every read is one range scan: a team set, one granularity, some metrics, a bucket range.
        Index("ix_published_cell_read", "tenant_id", "granularity", "team_id", "metric", "bucket",
              unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=64)
    team_id: str = Field(max_length=64)  # no foreign key: a cell outlives a deleted team
    granularity: str = Field(max_length=8)
    bucket: str = Field(max_length=16)
    metric: str = Field(max_length=48)
    value: float | None = None
    n: str | None = Field(default=None, max_length=16)  # "12", "<5" or null
    reason: str | None = Field(default=None, max_length=24)
    snapshot_id: str = Field(max_length=400)
    formula_version: int = 1
    published_at: datetime
    detail: str = "[]"  # JSON list of [name, value]
    weeks_used: int | None = None


class WeekSnapshotRow(SQLModel, table=True):
    """The team tree and home teams a published week was computed from, frozen."""

    __tablename__ = "week_snapshot"
    tenant_id: str = Field(foreign_key="tenant.id", primary_key=True, max_length=64)
    week: str = Field(primary_key=True, max_length=16)
    snapshot_id: str = Field(max_length=32)
    timezone: str = Field(max_length=64)
    parents: str  # JSON {team: parent}
    homes: str  # JSON {person: team}
    published_at: datetime
