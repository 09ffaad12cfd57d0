"""API keys: a random bearer token shown once, stored as its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from pulse.core.errors import Invalid, NotFound
from pulse.core.model import ApiKey
from pulse.core.ports import ApiKeyRepository, Clock

SCOPES = frozenset({"analytics:read", "admin", "cx:write"})
PREFIX = "mk_"


def hash_token(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_key(
    repo: ApiKeyRepository, tenant_id: str, name: str, scopes: Sequence[str]
) -> tuple[str, str]:
    """Create a key; returns (key id, token). The token is never stored in clear."""
    unknown = set(scopes) - SCOPES
    if unknown or not scopes:
        raise Invalid(f"unknown or missing scopes: {sorted(unknown)}; choose from {sorted(SCOPES)}")
    key_id = secrets.token_hex(6)
    token = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    repo.add_api_key(key_id, tenant_id, name, hash_token(token), list(scopes))
    return key_id, token


def authenticate(repo: ApiKeyRepository, token: str) -> tuple[str, str, frozenset[str]] | None:
    """(key id, tenant id, scopes) for a valid token, else None."""
    if not token.startswith(PREFIX):
        return None
    return repo.api_key_by_hash(hash_token(token))


def list_keys(repo: ApiKeyRepository, tenant_id: str) -> list[ApiKey]:
    """The tenant's keys (names, scopes, dates), for the settings page; never a secret."""
    return repo.list_api_keys(tenant_id)


def revoke_key(repo: ApiKeyRepository, clock: Clock, tenant_id: str, key_id: str) -> None:
    """Revoke a key of the tenant now; NotFound when it has no active key by that id."""
    if not repo.revoke_api_key(key_id, clock.now(), tenant_id=tenant_id):
        raise NotFound(f"API key {key_id!r}")
