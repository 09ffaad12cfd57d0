"""Kudos: thanks from one person to others, public or private."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Kudos:
    id: str
    tenant_id: str
    sender_id: str
    recipient_ids: tuple[str, ...]
    message: str
    created_at: datetime
    value_tag: str | None = None
    public: bool = True
