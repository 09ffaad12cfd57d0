"""Bot Framework authentication from our settings: inbound JWTs and outbound tokens."""

from __future__ import annotations

from botframework.connector.auth import (
    AuthenticationConstants,
    BotFrameworkAuthentication,
    BotFrameworkAuthenticationFactory,
    PasswordServiceClientCredentialFactory,
    ServiceClientCredentialsFactory,
)

from adapters.teams.settings import BOT_FRAMEWORK_OPENID, TeamsSettings

CHANNEL_ISSUER = "https://api.botframework.com"  # the iss of tokens the Teams channel sends


def build_auth(settings: TeamsSettings,
               credentials: ServiceClientCredentialsFactory | None = None
               ) -> BotFrameworkAuthentication:
    """Public-cloud authentication, or every URL overridden when the OpenID metadata moved."""
    password = settings.app_password.get_secret_value() if settings.app_password else None
    single = settings.app_type.lower() == "singletenant"
    # SingleTenant: outbound tokens come from our own tenant's authority, not botframework.com.
    credentials = credentials or PasswordServiceClientCredentialFactory(
        settings.app_id, password, settings.tenant_id if single else None)
    if settings.openid_metadata_url == BOT_FRAMEWORK_OPENID:
        return BotFrameworkAuthenticationFactory.create(channel_service="",
                                                        credential_factory=credentials)
    login = f"https://login.microsoftonline.com/{settings.tenant_id or 'botframework.com'}"
    return BotFrameworkAuthenticationFactory.create(
        channel_service="",
        validate_authority=True,
        to_channel_from_bot_login_url=login,
        to_channel_from_bot_oauth_scope=AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        to_bot_from_channel_token_issuer=CHANNEL_ISSUER,
        oauth_url=AuthenticationConstants.OAUTH_URL,
        to_bot_from_channel_open_id_metadata_url=settings.openid_metadata_url,
        to_bot_from_emulator_open_id_metadata_url=settings.openid_metadata_url,
        caller_id="urn:botframework:azure",
        credential_factory=credentials,
    )
