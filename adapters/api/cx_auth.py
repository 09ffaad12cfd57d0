"""Bearer API-key dependency for the CX and linkage routes.

Interim: the analytics branch builds adapters/api/auth.py with the same `require_scope(...)`
idea; once it lands on main, the CX routes switch to it and this module goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pulse.apikeys import authenticate

bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Principal:
    key_id: str
    tenant_id: str
    scopes: frozenset[str]


def require_scope(scope: str) -> Callable[..., Principal]:
    """A dependency that accepts a valid key holding `scope` (or `admin`)."""

    def dependency(request: Request,
                   creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
        if creds is None:
            raise HTTPException(401, "missing bearer API key",
                                headers={"WWW-Authenticate": "Bearer"})
        found = authenticate(request.app.state.runtime.store, creds.credentials)
        if found is None:
            raise HTTPException(401, "invalid or revoked API key",
                                headers={"WWW-Authenticate": "Bearer"})
        key_id, tenant_id, scopes = found
        if scope not in scopes and "admin" not in scopes:
            raise HTTPException(403, f"this key lacks the {scope!r} scope")
        return Principal(key_id, tenant_id, scopes)

    return dependency
