"""CX ingest (upload, JSON batch, Zendesk webhook) and CSAT aggregates: /api/v1/cx/…"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Header,
    HTTPException,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from adapters.api.auth import Principal, require_scope
from adapters.api.cx_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    barometer_inputs,
    cx_store,
    feeds,
    runtime,
    strict_query,
    window,
)
from pulse.core.errors import Invalid
from pulse.core.model import Bucket
from pulse.cx.model import CxAggregateKind
from pulse.linkage.stats import methodology

router = APIRouter(prefix="/api/v1/cx", tags=["cx"],
                   dependencies=[Depends(strict_query)])
WRITE = require_scope("cx:write")
READ = require_scope("analytics:read")


def _answer(outcome: Any) -> JSONResponse:
    return JSONResponse(outcome.body, status_code=outcome.status)


@router.post("/ratings:upload", responses=WRITE_ERRORS)
def upload(
    request: Request,
    file: UploadFile = File(...),
    profile: str = Form(...),
    date_format: str | None = Form(None),
    timezone: str | None = Form(None),
    dry_run: bool = Form(False),
    create_teams: bool = Form(False),
    source_instance: str = Form("default"),
    metric: str | None = Form(None),
    score_column: str | None = Form(None),
    who: Principal = Depends(WRITE),
) -> JSONResponse:
    """CSV through a mapping profile (zendesk, qualtrics, generic, nhs_fft); streamed."""
    rt = runtime(request)
    # Starlette has already spooled the upload to a temporary file: nothing big is in memory.
    return _answer(feeds(request).upload(
        rt.store, who.tenant_id, file.file, rt.clock.now(), profile=profile,
        date_format=date_format or None, timezone=timezone or None, dry_run=dry_run,
        create_teams=create_teams, source_instance=source_instance or "default",
        metric=metric or None, score_column=score_column or None))


@router.post("/ratings:batch", responses=WRITE_ERRORS)
async def batch(request: Request, idempotency_key: str | None = Header(None),
                who: Principal = Depends(WRITE)) -> JSONResponse:
    """JSON {"records": [...]} (≤ 5,000); Idempotency-Key replays or answers 409."""
    body = await request.body()
    rt = runtime(request)
    outcome = await run_in_threadpool(feeds(request).batch, rt.store, who.tenant_id, body,
                                      idempotency_key, rt.clock.now())
    return _answer(outcome)


@router.post("/webhooks/zendesk", responses={
    401: WRITE_ERRORS[401], 404: WRITE_ERRORS[404], 422: WRITE_ERRORS[422]})
async def zendesk(
    request: Request,
    x_zendesk_webhook_signature: str = Header(""),
    x_zendesk_webhook_signature_timestamp: str = Header(""),
) -> JSONResponse:
    """A Zendesk satisfaction-rating webhook, verified with its HMAC signature."""
    settings = request.app.state.settings
    body = await request.body()
    rt = runtime(request)
    outcome = await run_in_threadpool(
        feeds(request).zendesk_webhook, rt.store,
        settings.zendesk_webhook_tenant or settings.default_tenant, body,
        secret=settings.zendesk_webhook_secret.get_secret_value(),
        timestamp=x_zendesk_webhook_signature_timestamp,
        signature=x_zendesk_webhook_signature, now=rt.clock.now(),
        default_instance=settings.zendesk_instance)
    return _answer(outcome)


@router.post("/identities", responses=WRITE_ERRORS)
def link_identity(request: Request, payload: dict[str, str],
                  who: Principal = Depends(WRITE)) -> dict[str, str]:
    """Identity map: {"source", "source_agent_id", "person_id"} → ratings resolve to a person."""
    store = cx_store(request)
    missing = [k for k in ("source", "source_agent_id", "person_id") if not payload.get(k)]
    if missing:
        raise HTTPException(422, f"missing {missing}")
    person = store.get_person(payload["person_id"])
    if person is None or person.tenant_id != who.tenant_id:
        raise HTTPException(404, "unknown person")
    store.link_cx_identity(who.tenant_id, payload["source"], payload["source_agent_id"],
                           person.id)
    return {"status": "linked"}


@router.get("/status", responses=READ_ERRORS)
def status(request: Request, who: Principal = Depends(READ)) -> dict[str, Any]:
    """Stored ratings by team resolution: the unmapped count is always visible."""
    counts = cx_store(request).cx_resolution_counts(who.tenant_id)
    return {"by_resolution": counts, "unmapped": counts.get("unmapped", 0),
            "total": sum(counts.values())}


@router.get("/csat", responses=READ_ERRORS)
def csat(
    request: Request,
    team_id: str | None = None,
    bucket: Bucket = Bucket.MONTH,
    metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
    who: Principal = Depends(READ),
) -> dict[str, Any]:
    """Per team and bucket: {bucket, value, ci95, n_ratings, eligible}."""
    try:
        inputs = barometer_inputs(request, who.tenant_id, team_id, bucket, metric,
                                  *window(request, start, end, bucket), with_ex=False)
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None
    teams = []
    for team in inputs.teams:
        series = inputs.cx.get(team.id, {})
        teams.append({"team_id": team.id, "team_name": team.name, "series": [
            {"bucket": key, "value": agg.value, "ci95": agg.ci95, "n_ratings": agg.n_ratings,
             "eligible": agg.eligible} for key, agg in sorted(series.items())]})
    return {"metric": str(metric), "bucket": str(bucket), "teams": teams,
            "unmapped": inputs.unmapped,
            "methodology": methodology(str(bucket), inputs.tz, inputs.k_scores, inputs.k_cx,
                                       cx_metric=str(metric))}
