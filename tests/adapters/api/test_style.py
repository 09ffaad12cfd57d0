"""One endpoint style across adapters/api: response models, Annotated dependencies, and one rule
for unknown query parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi.routing import APIRoute

from adapters.api import analytics, cx, deliveries, events, health, irritants, link
from adapters.db.store import SqlStore
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from testing.cx import make_client

ROUTERS = (analytics, cx, deliveries, events, health, irritants, link)


def _routes() -> Iterator[APIRoute]:
    for module in ROUTERS:
        for route in module.router.routes:
            assert isinstance(route, APIRoute), route
            yield route


def test_every_route_has_a_response_model_and_no_raw_request() -> None:
    routes = list(_routes())
    assert len(routes) >= 20
    for route in routes:
        assert route.response_model is not None, f"{route.path}: no response model"
        assert route.dependant.request_param_name is None, (
            f"{route.path}: takes the raw Request; declare an Annotated dependency instead")


def test_every_api_route_refuses_unknown_query_parameters(store: SqlStore,
                                                          clock: FixedClock) -> None:
    client, _ = make_client(store, clock)
    _, key = create_api_key(store, "acme", "admin", ["admin"])
    headers = {"Authorization": f"Bearer {key}"}
    for route in _routes():
        if not route.path.startswith("/api/v1"):
            continue
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in route.methods:
            answer = client.request(method, path, params={"typo": "1"}, headers=headers)
            assert answer.status_code == 422, (method, path, answer.text)
            assert answer.json()["detail"] == "unknown query parameter(s): ['typo']"
