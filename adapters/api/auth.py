"""Bearer API keys for every /api/v1 router: 401 without a valid key, 403 without the scope.

Reuse it in any router:

    from adapters.api.auth import AnalyticsReader

    @router.get("/things", response_model=ThingsOut)
    def things(principal: AnalyticsReader, runtime: RuntimeDep) -> ThingsOut:  # analytics:read
        ...

A new scope gets its alias at the end of this module, like CxWriter.

A key only ever sees its own tenant: use `principal.tenant_id` for every store call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.runtime import Runtime
from pulse.core.apikeys import authenticate

ADMIN = "admin"
_bearer = HTTPBearer(auto_error=False, description="An API key from `miroir apikey create`.")


@dataclass(frozen=True)
class Principal:
    """The caller behind a valid API key."""

    key_id: str
    tenant_id: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or ADMIN in self.scopes


def runtime_of(request: Request) -> Runtime:
    """The Runtime the composition root put on the app."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(runtime_of)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=message,
                         headers={"WWW-Authenticate": "Bearer"})


def current_principal(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The key's principal; 401 when the header is missing, malformed or the key is unknown."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("missing API key: send 'Authorization: Bearer <key>'")
    found = authenticate(runtime.store, credentials.credentials.strip())
    if found is None:
        raise _unauthorized("invalid or revoked API key")
    key_id, tenant_id, scopes = found
    return Principal(key_id, tenant_id, scopes)


def require_scope(scope: str) -> Callable[[Principal], Principal]:
    """A dependency that lets through keys holding `scope` (or admin), else 403."""

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.allows(scope):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                detail=f"this API key lacks the '{scope}' scope")
        return principal

    check.__name__ = f"require_{scope.replace(':', '_')}"
    return check


AnyKey = Annotated[Principal, Depends(current_principal)]
AnalyticsReader = Annotated[Principal, Depends(require_scope("analytics:read"))]
Admin = Annotated[Principal, Depends(require_scope(ADMIN))]
CxWriter = Annotated[Principal, Depends(require_scope("cx:write"))]
