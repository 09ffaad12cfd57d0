"""CX ingest (upload, JSON batch, Zendesk webhook) and CSAT aggregates: /api/v1/cx/…"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from adapters.api.auth import AnalyticsReader, CxWriter, RuntimeDep
from adapters.api.bounds import Day, Utf8
from adapters.api.cx_common import READ_ERRORS, WRITE_ERRORS, barometer
from adapters.api.cx_schemas import CsatPoint, CsatSeries, CsatTeam, CxStatus, IngestReport, Linked
from adapters.api.deps import CxStoreDep, FeedsDep, RawBody, SettingsDep, strict_query
from bot.runtime import FeedAnswer
from pulse.core.model import Bucket
from pulse.cx.model import CxAggregateKind
from pulse.linkage.stats import methodology

router = APIRouter(prefix="/api/v1/cx", tags=["cx"],
                   dependencies=[Depends(strict_query)])
FromQ = Annotated[Day | None, Query(alias="from")]
ToQ = Annotated[Day | None, Query(alias="to")]


def _answer(outcome: FeedAnswer) -> IngestReport | JSONResponse:
    """The report on success; refusals keep their status and {"error", "detail"} body."""
    if outcome.status == 200:
        return IngestReport.model_validate(outcome.body)
    return JSONResponse(outcome.body, status_code=outcome.status)


@router.post("/ratings:upload", response_model=IngestReport, response_model_exclude_unset=True,
             responses=WRITE_ERRORS)
def upload(
    who: CxWriter,
    store: CxStoreDep,
    runtime: RuntimeDep,
    feeds: FeedsDep,
    file: Annotated[UploadFile, File()],
    profile: Annotated[str, Form()],
    date_format: Annotated[str | None, Form()] = None,
    timezone: Annotated[str | None, Form()] = None,
    dry_run: Annotated[bool, Form()] = False,
    create_teams: Annotated[bool, Form()] = False,
    source_instance: Annotated[str, Form()] = "default",
    metric: Annotated[str | None, Form()] = None,
    score_column: Annotated[str | None, Form()] = None,
    restart: Annotated[bool, Form()] = False,
) -> IngestReport | JSONResponse:
    """CSV through a mapping profile (zendesk, qualtrics, generic, nhs_fft); streamed.

    Re-sending the same file replays its report; if the import that took it died, the re-send
    resumes it once its lease (60 s without a heartbeat) has run out; `restart` does so at once.
    """
    # Starlette has already spooled the upload to a temporary file: nothing big is in memory.
    return _answer(feeds.upload(
        store, who.tenant_id, file.file, runtime.clock.now(), profile=profile,
        date_format=date_format or None, timezone=timezone or None, dry_run=dry_run,
        create_teams=create_teams, source_instance=source_instance or "default",
        metric=metric or None, score_column=score_column or None, restart=restart))


@router.post("/ratings:batch", response_model=IngestReport, response_model_exclude_unset=True,
             responses=WRITE_ERRORS)
async def batch(who: CxWriter, store: CxStoreDep, runtime: RuntimeDep, feeds: FeedsDep,
                body: RawBody, idempotency_key: Annotated[str | None, Header()] = None,
                ) -> IngestReport | JSONResponse:
    """JSON {"records": [...]} (≤ 5,000); Idempotency-Key replays or answers 409."""
    outcome = await run_in_threadpool(feeds.batch, store, who.tenant_id, body,
                                      idempotency_key, runtime.clock.now())
    return _answer(outcome)


@router.post("/webhooks/zendesk", response_model=IngestReport, response_model_exclude_unset=True,
             responses={401: WRITE_ERRORS[401], 404: WRITE_ERRORS[404], 422: WRITE_ERRORS[422]})
async def zendesk(
    store: CxStoreDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    feeds: FeedsDep,
    body: RawBody,
    x_zendesk_webhook_signature: Annotated[str, Header()] = "",
    x_zendesk_webhook_signature_timestamp: Annotated[str, Header()] = "",
) -> IngestReport | JSONResponse:
    """A Zendesk satisfaction-rating webhook, verified with its HMAC signature."""
    outcome = await run_in_threadpool(
        feeds.zendesk_webhook, store,
        settings.zendesk_webhook_tenant or settings.default_tenant, body,
        secret=settings.zendesk_webhook_secret.get_secret_value(),
        timestamp=x_zendesk_webhook_signature_timestamp,
        signature=x_zendesk_webhook_signature, now=runtime.clock.now(),
        default_instance=settings.zendesk_instance)
    return _answer(outcome)


@router.post("/identities", response_model=Linked, responses=WRITE_ERRORS)
def link_identity(who: CxWriter, store: CxStoreDep, payload: dict[str, Utf8]) -> Linked:
    """Identity map: {"source", "source_agent_id", "person_id"} → ratings resolve to a person."""
    missing = [k for k in ("source", "source_agent_id", "person_id") if not payload.get(k)]
    if missing:
        raise HTTPException(422, f"missing {missing}")
    person = store.get_person(payload["person_id"])
    if person is None or person.tenant_id != who.tenant_id:
        raise HTTPException(404, "unknown person")
    store.link_cx_identity(who.tenant_id, payload["source"], payload["source_agent_id"],
                           person.id)
    return Linked(status="linked")


@router.get("/status", response_model=CxStatus, responses=READ_ERRORS)
def status(who: AnalyticsReader, store: CxStoreDep) -> CxStatus:
    """Stored ratings by team resolution: the unmapped count is always visible."""
    counts = store.cx_resolution_counts(who.tenant_id)
    return CxStatus(by_resolution=counts, unmapped=counts.get("unmapped", 0),
                    total=sum(counts.values()))


@router.get("/csat", response_model=CsatSeries, responses=READ_ERRORS)
def csat(
    who: AnalyticsReader,
    runtime: RuntimeDep,
    settings: SettingsDep,
    team_id: str | None = None,
    bucket: Bucket = Bucket.MONTH,
    metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
    start: FromQ = None,
    end: ToQ = None,
) -> CsatSeries:
    """Per team and bucket: {bucket, value, ci95, n_ratings, eligible}."""
    inputs = barometer(runtime, settings, who.tenant_id, team_id, bucket, metric, start, end,
                       with_ex=False)
    teams = [CsatTeam(team_id=team.id, team_name=team.name, series=[
        CsatPoint(bucket=key, value=agg.value, ci95=agg.ci95, n_ratings=agg.n_ratings,
                  eligible=agg.eligible)
        for key, agg in sorted(inputs.cx.get(team.id, {}).items())]) for team in inputs.teams]
    return CsatSeries(metric=str(metric), bucket=str(bucket), teams=teams,
                      unmapped=inputs.unmapped,
                      methodology=methodology(str(bucket), inputs.tz, inputs.k_scores,
                                              inputs.k_cx, cx_metric=str(metric)))
