"""What the CX and linkage routes share: their documented errors and the barometer's inputs."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from fastapi import HTTPException

from adapters.api.schemas import ErrorOut
from bot.runtime import Runtime
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket
from pulse.cx.model import CxAggregateKind
from pulse.linkage import service as linkage
from pulse.linkage.ports import BarometerStore
from settings import Settings


def _err(text: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": text}


# Documented error answers: {"detail": …} (plus "error", a machine-readable code, on ingest).
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _err("Unreadable request body."), 401: _err("Missing or invalid API key."),
    403: _err("The key lacks the scope."),
    404: _err("No such team or tenant."), 422: _err("Malformed parameter or period.")}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS, 409: _err("Idempotency-Key reused with another body, or in progress."),
    413: _err("More than 5,000 records."),
    422: _err("Refused file or body: unknown profile, missing columns, ambiguous dates…")}


def barometer(runtime: Runtime, settings: Settings, tenant_id: str, team_id: str | None,
              bucket: Bucket, kind: CxAggregateKind, start: date | None, end: date | None,
              with_ex: bool = True) -> linkage.Inputs:
    """The barometer's inputs over the asked window; 404 for an unknown tenant or team, 422 for
    a bad period."""
    try:
        first, last = linkage.window(runtime.clock.now().date(), start, end, bucket)
        return linkage.barometer_inputs(
            cast(BarometerStore, runtime.store), tenant_id, team_id, bucket, kind, first, last,
            k_scores=runtime.k_scores, k_cx=int(settings.cx_k_ratings), with_ex=with_ex)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None
