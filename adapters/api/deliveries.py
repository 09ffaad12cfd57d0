"""Admin view of the outbox: what was sent, what is waiting, what died and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from bot.delivery import delivery_store
from bot.runtime import Runtime
from pulse.apikeys import authenticate
from pulse.delivery_model import OutboxItem

router = APIRouter(prefix="/api/v1", tags=["delivery"])
_bearer = HTTPBearer(auto_error=False)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The caller's tenant id; 401 without a valid key, 403 without the admin scope.

    Same contract as adapters/api/auth.require_scope("admin"), which replaces it once merged.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED,
                            "missing API key: send 'Authorization: Bearer <key>'",
                            headers={"WWW-Authenticate": "Bearer"})
    found = authenticate(runtime_of(request).store, credentials.credentials.strip())
    if found is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or revoked API key",
                            headers={"WWW-Authenticate": "Bearer"})
    _, tenant_id, scopes = found
    if "admin" not in scopes:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this API key lacks the 'admin' scope")
    return tenant_id


AdminTenant = Annotated[str, Depends(require_admin)]
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


@router.get("/admin/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    request: Request,
    tenant_id: AdminTenant,
    status_: Annotated[StatusFilter | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeliveryOut]:
    """Outbox messages of the caller's tenant, newest first; `status=dead` shows failures."""
    items = delivery_store(runtime_of(request)).list_deliveries(tenant_id, status_, limit)
    return [to_out(i) for i in items]
