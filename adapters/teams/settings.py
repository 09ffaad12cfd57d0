"""Teams settings (prefix MIROIR_TEAMS_): absent credentials mean the Teams route is off."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The Bot Framework's public-cloud OpenID metadata (inbound JWT keys); tests point it at a fake.
BOT_FRAMEWORK_OPENID = "https://login.botframework.com/v1/.well-known/openidconfiguration"


class TeamsSettings(BaseSettings):
    """An Azure Bot registration (SingleTenant: multi-tenant creation ended July 2025)."""

    model_config = SettingsConfigDict(env_prefix="MIROIR_TEAMS_", env_file=".env", extra="ignore")

    app_id: str | None = None
    app_password: SecretStr | None = None
    tenant_id: str | None = None  # the Microsoft (Entra) tenant the bot is registered in
    app_type: str = "SingleTenant"
    openid_metadata_url: str = BOT_FRAMEWORK_OPENID
    # Microsoft tenant id → Miroir tenant; tenants not listed use MIROIR_DEFAULT_TENANT.
    tenants: dict[str, str] = {}
    # Miroir team id → Teams channel conversation id ("19:…@thread.tacv2") for public kudos;
    # Miroir must have been added to that team (its reference is stored then).
    channels: dict[str, str] = {}
    # Action.Execute (Universal Actions, per-user card refresh) with an Action.Submit fallback;
    # False sends Action.Submit only, for old clients.
    universal_actions: bool = True

    @property
    def enabled(self) -> bool:
        """Every credential the app type needs is set: serve Teams."""
        return not self.missing()

    def missing(self) -> list[str]:
        """Names of the environment variables still to set."""
        names: dict[str, object] = {"app_id": self.app_id, "app_password": self.app_password}
        if self.app_type.lower() == "singletenant":
            names["tenant_id"] = self.tenant_id
        return [f"MIROIR_TEAMS_{k.upper()}" for k, v in names.items() if not v]
