"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers."""
    try:
        request.app.state.runtime.store.list_tenants()
    except Exception as exc:  # any driver error means not ready
        return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, 503)
    return JSONResponse({"status": "ok"})
