"""Property-based fuzzing of every operation in the app's own OpenAPI schema (schemathesis).

In-process over ASGI against a seeded SQLite store, with an all-scopes bearer key: no operation
may answer 5xx, and every response must match what the schema documents (status code, content
type, body). Bounded and derandomized so it runs the same way, quickly, every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from app import build_app
from pulse.core.clock import FixedClock
from settings import Settings
from testing.scenarios import NOW, analytics_tenants

MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'miroir.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = SqlStore(engine)
    tokens = analytics_tenants(store)
    app = build_app(Settings(demo=True, database_url=url, migrate_on_start=False), store=store,
                    clock=FixedClock(NOW))
    SEEDED.app = app
    yield app, tokens
    SEEDED.app = None
    engine.dispose()


def _openapi() -> dict[str, Any]:
    """The schema the app serves; building it touches no database."""
    app = build_app(Settings(demo=True, migrate_on_start=False),
                    store=SqlStore(make_engine("sqlite://")))
    return app.openapi()


class SeededApp:
    """An ASGI stand-in bound at collection time; the module fixture plugs the seeded app in."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.app is not None, "the fuzz_app fixture has not run"
        await self.app(scope, receive, send)


SEEDED = SeededApp()
schema = schemathesis.openapi.from_dict(_openapi())
schema.app = SEEDED  # every call, checks' own calls included, goes in process over ASGI


# Random ids and dates nearly always miss (404, or 422 outside 1970..2999): half the time, aim
# at a real team or person, and at days around the seeded weeks, so the analytics really run.
REAL_IDS = {"team_id": ["en", "fr", "ops", "rival-team"], "person_id": ["en-1", "fr-0", "ops-0"]}
NEAR = st.dates(min_value=NOW.date() - timedelta(days=800),
                max_value=NOW.date() + timedelta(days=60))


@schema.parametrize()
@schema.given(data=st.data())
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_5xx_and_responses_match_the_schema(
    case: Any, data: st.DataObject, fuzz_app: tuple[Any, dict[str, str]]
) -> None:
    for name, real in REAL_IDS.items():
        if name in (case.path_parameters or {}) and data.draw(st.booleans(), label="real id"):
            case.path_parameters[name] = data.draw(st.sampled_from(real), label=name)
    query = case.query if isinstance(case.query, dict) else None
    for name in ("from", "to"):
        if query is not None and name in query and data.draw(st.booleans(), label="near"):
            query[name] = data.draw(NEAR, label=name).isoformat()
    # Not `positive_data_acceptance`: a schema-valid query can still be refused with a clear 422
    # the schema cannot express (from after to, a year outside 1970..2999, over 520 buckets).
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_app[1]['all']}"},
                           excluded_checks=[checks.positive_data_acceptance])
