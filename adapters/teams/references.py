"""Where conversation references live: a port the SQL store implements (adapters/db)."""

from __future__ import annotations

from typing import Any, Protocol


class ReferenceStore(Protocol):
    """Teams conversation references by Microsoft tenant; SqlStore implements it."""

    def save_teams_conversation(self, ms_tenant: str, conversation_id: str,
                                conversation_type: str, aad_object_id: str | None,
                                service_url: str, reference: dict[str, Any]) -> None: ...

    def teams_conversation(self, ms_tenant: str,
                           conversation_id: str) -> dict[str, Any] | None: ...

    def teams_personal_conversation(self, ms_tenant: str | None,
                                    aad_object_id: str) -> dict[str, Any] | None: ...

    def teams_service_url(self, ms_tenant: str) -> str | None: ...
