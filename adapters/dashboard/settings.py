"""Dashboard sign-in with an identity provider (prefix MIROIR_OIDC_): off until configured."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class OidcSettings(BaseSettings):
    """One OpenID Connect provider: Entra ID, Okta, Google, Sign in with Slack…"""

    model_config = SettingsConfigDict(env_prefix="MIROIR_OIDC_", env_file=".env", extra="ignore")

    issuer: str = ""  # e.g. https://login.microsoftonline.com/<tenant>/v2.0
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    scopes: str = "openid email profile"
    tenant: str = ""  # the Miroir tenant whose roster e-mails are matched (default tenant if "")
    label: str = ""  # the button's name, e.g. "Microsoft"; the issuer's host if empty
    algorithms: tuple[str, ...] = ("RS256", "ES256", "PS256")
    leeway_seconds: int = 60

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)
