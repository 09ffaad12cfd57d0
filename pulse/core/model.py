"""Core types: tenants, teams, people, effective-dated memberships, buckets, API keys, sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    ADVISER = "adviser"
    MANAGER = "manager"
    CX_LEAD = "cx_lead"  # reads every team of the tenant and the barometer; manages nobody
    ADMIN = "admin"


class Locale(StrEnum):
    FR = "fr"
    EN = "en"


class Bucket(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    timezone: str = "Europe/Paris"
    locale: Locale = Locale.FR


@dataclass(frozen=True)
class Team:
    id: str
    tenant_id: str
    name: str
    parent_id: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    tenant_id: str
    display_name: str
    role: Role = Role.ADVISER
    locale: Locale = Locale.FR
    timezone: str = "Europe/Paris"
    email: str | None = None


@dataclass(frozen=True)
class Membership:
    """Effective-dated membership: valid on [valid_from, valid_to)."""

    person_id: str
    team_id: str
    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class ApiKey:
    """What is known of a key besides its secret (only the secret's hash is stored)."""

    id: str
    tenant_id: str
    name: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    created_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Session:
    """A signed-in person on the dashboard; only the SHA-256 of its random id is stored."""

    id_hash: str
    person_id: str
    tenant_id: str
    csrf: str  # the token every form of this session must send back
    created_at: datetime
    expires_at: datetime
    method: str  # "chat_link", "oidc" or "demo"


def new_id() -> str:
    return uuid.uuid4().hex


def is_manager(person: Person) -> bool:
    return person.role in (Role.MANAGER, Role.ADMIN)
