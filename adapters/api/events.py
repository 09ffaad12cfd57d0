"""Moments of truth: an HR system or an admin posts an event, a micro-survey is scheduled."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field

from adapters.api.auth import Admin, RuntimeDep
from adapters.api.bounds import Instant, Utf8
from adapters.api.deliveries import AUTH
from adapters.api.deps import strict_query
from adapters.api.schemas import ErrorOut
from bot.delivery import delivery_store
from pulse.core.errors import Invalid, NotFound
from pulse.delivery.model import Moment
from pulse.delivery.rounds import DeliveryPolicy, schedule_moment

router = APIRouter(prefix="/api/v1", tags=["delivery"],
                   dependencies=[Depends(strict_query)])


class EventIn(BaseModel):
    person: Utf8 = Field(min_length=1, max_length=200, description="Person id or email")
    type: Moment
    occurred_at: Instant  # year 0001 or 9999 would overflow once the send time is computed


class EventOut(BaseModel):
    round_id: str
    person: str
    type: Moment
    send_at: datetime
    created: bool  # False when the same event was already posted


@router.post("/events", response_model=EventOut, status_code=status.HTTP_202_ACCEPTED,
             responses={**AUTH, 400: {"model": ErrorOut, "description": "Body is not JSON."},
                        404: {"model": ErrorOut, "description": "No such person in the tenant."},
                        503: {"model": ErrorOut, "description": "Delivery engine not wired."}})
def post_event(event: EventIn, principal: Admin, runtime: RuntimeDep) -> EventOut:
    """Schedule the micro-survey matching a moment of truth (posting it twice is harmless)."""
    tenant_id = principal.tenant_id
    store = delivery_store(runtime)
    calendar = runtime.calendar
    if calendar is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "delivery engine not configured")
    person = store.get_person(event.person)
    if person is None or person.tenant_id != tenant_id:
        matches = store.find_people(tenant_id, event.person)
        if len(matches) != 1:
            raise HTTPException(status.HTTP_404_NOT_FOUND,
                                f"no single person matches {event.person!r} in this tenant")
        person = matches[0]
    policy = runtime.delivery_policy or DeliveryPolicy()
    try:
        pulse_round, created = schedule_moment(store, runtime.clock, calendar, person.id,
                                               str(event.type), event.occurred_at, policy)
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except Invalid as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return EventOut(round_id=pulse_round.id, person=person.id, type=event.type,
                    send_at=pulse_round.opens_at, created=created)
