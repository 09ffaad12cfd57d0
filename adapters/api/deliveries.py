"""Admin view of the outbox: what was sent, what is waiting, what died and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from adapters.api.auth import Admin, RuntimeDep
from adapters.api.deps import strict_query
from adapters.api.schemas import ErrorOut
from bot.delivery import delivery_store
from pulse.delivery.model import OutboxItem

router = APIRouter(prefix="/api/v1", tags=["delivery"],
                   dependencies=[Depends(strict_query)])
AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or invalid API key."},
    403: {"model": ErrorOut, "description": "The key lacks the admin scope."},
    422: {"model": ErrorOut, "description": "Malformed query or body."},
}
StatusFilter = Literal["pending", "sending", "sent", "dead", "cancelled"]


class DeliveryOut(BaseModel):
    id: int
    key: str
    kind: str
    person_id: str
    status: str
    attempts: int
    bucket: str
    scheduled_at: datetime
    available_at: datetime
    sent_at: datetime | None
    sent_by: str | None
    last_error: str | None
    payload: dict[str, Any]


def to_out(item: OutboxItem) -> DeliveryOut:
    return DeliveryOut(id=item.id, key=item.key, kind=item.kind, person_id=item.person_id,
                       status=item.status, attempts=item.attempts, bucket=item.bucket,
                       scheduled_at=item.scheduled_at, available_at=item.available_at,
                       sent_at=item.sent_at, sent_by=item.sent_by, last_error=item.last_error,
                       payload=item.payload)


@router.get("/admin/deliveries", response_model=list[DeliveryOut], responses=AUTH)
def list_deliveries(
    principal: Admin,
    runtime: RuntimeDep,
    status_: Annotated[StatusFilter | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeliveryOut]:
    """Outbox messages of the caller's tenant, newest first; `status=dead` shows failures."""
    items = delivery_store(runtime).list_deliveries(principal.tenant_id, status_, limit)
    return [to_out(i) for i in items]
