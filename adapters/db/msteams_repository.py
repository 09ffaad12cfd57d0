"""Microsoft Teams conversation references: where Miroir may write first (chats, channels)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select, update

from adapters.db.base import Repository
from adapters.db.engine import insert_ignore, to_db
from adapters.db.tables import MsTeamsConversationRow


class MsTeamsConversationRepository(Repository):
    def save_teams_conversation(self, ms_tenant: str, conversation_id: str,
                                conversation_type: str, aad_object_id: str | None,
                                service_url: str, reference: dict[str, Any]) -> None:
        """Insert or refresh one reference (the service URL can move between regions)."""
        values = {"ms_tenant": ms_tenant, "conversation_id": conversation_id,
                  "conversation_type": conversation_type, "aad_object_id": aad_object_id,
                  "service_url": service_url, "reference": json.dumps(reference),
                  "updated_at": to_db(datetime.now(UTC))}
        with self.session() as s:
            # Two first messages at once must not fail on the primary key: insert or update.
            if not insert_ignore(s, MsTeamsConversationRow, values):
                s.execute(update(MsTeamsConversationRow).where(
                    col(MsTeamsConversationRow.ms_tenant) == ms_tenant,
                    col(MsTeamsConversationRow.conversation_id) == conversation_id,
                ).values(**values))

    def teams_conversation(self, ms_tenant: str, conversation_id: str) -> dict[str, Any] | None:
        """The stored reference of one conversation."""
        with self.session() as s:
            row = s.get(MsTeamsConversationRow, (ms_tenant, conversation_id))
            return json.loads(row.reference) if row else None

    def teams_personal_conversation(self, ms_tenant: str | None,
                                    aad_object_id: str) -> dict[str, Any] | None:
        """The latest 1:1 chat with a user; any tenant when `ms_tenant` is None (ids are GUIDs)."""
        query = select(MsTeamsConversationRow).where(
            col(MsTeamsConversationRow.aad_object_id) == aad_object_id,
            col(MsTeamsConversationRow.conversation_type) == "personal")
        if ms_tenant is not None:
            query = query.where(col(MsTeamsConversationRow.ms_tenant) == ms_tenant)
        with self.session() as s:
            row = s.exec(query.order_by(col(MsTeamsConversationRow.updated_at).desc())).first()
            return json.loads(row.reference) if row else None

    def teams_service_url(self, ms_tenant: str) -> str | None:
        """The service URL last seen for a tenant (per region; never hard-coded)."""
        with self.session() as s:
            row = s.exec(select(MsTeamsConversationRow)
                         .where(col(MsTeamsConversationRow.ms_tenant) == ms_tenant)
                         .order_by(col(MsTeamsConversationRow.updated_at).desc())).first()
            return row.service_url if row else None
