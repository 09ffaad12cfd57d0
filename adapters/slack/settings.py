"""Slack settings (prefix MIROIR_SLACK_): absent secrets mean the Slack routes are off."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

BOT_SCOPES = (
    "chat:write",
    "commands",
    "im:write",
    "users:read",
    "users:read.email",
)


class SlackSettings(BaseSettings):
    """A Slack app distributed to several workspaces through OAuth."""

    model_config = SettingsConfigDict(env_prefix="MIROIR_SLACK_", env_file=".env", extra="ignore")

    signing_secret: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    api_url: str = "https://slack.com/api/"  # tests point it at a loopback fake
    scopes: tuple[str, ...] = BOT_SCOPES
    state_expiration_seconds: int = 600
    # Slack workspace (team id) → Miroir tenant. Workspaces not listed are refused, except in
    # demo mode, where they use MIROIR_DEFAULT_TENANT.
    tenants: dict[str, str] = {}
    # Miroir team id → Slack channel id where public kudos are posted.
    channels: dict[str, str] = {}
    installation_cache_seconds: float = 60.0
    workers: int = 4  # interactions processed at once after their ack, per instance

    @property
    def enabled(self) -> bool:
        """All three secrets are set: serve Slack."""
        return bool(self.signing_secret and self.client_id and self.client_secret)

    def missing(self) -> list[str]:
        """Names of the environment variables still to set."""
        names = {"signing_secret": self.signing_secret, "client_id": self.client_id,
                 "client_secret": self.client_secret}
        return [f"MIROIR_SLACK_{k.upper()}" for k, v in names.items() if not v]
