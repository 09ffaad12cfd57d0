"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from adapters.api.auth import RuntimeDep
from adapters.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, response_model_exclude_none=True)
def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, response_model_exclude_none=True,
            responses={503: {"model": Health, "description": "The database does not answer."}})
def readyz(runtime: RuntimeDep) -> Health | JSONResponse:
    """The database answers."""
    try:
        runtime.store.list_tenants()
    except Exception as exc:  # any driver error means not ready
        return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, 503)
    return Health(status="ok")
