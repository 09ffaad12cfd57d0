"""Schemathesis over every operation of the OpenAPI, extreme values left in: no 5xx, ever.

tests/adapters/api/test_fuzz.py steers ids and dates at seeded data so the analytics run, and
checks responses against the schema. This one does not steer: it keeps what schemathesis draws
(all generation modes, NUL bytes, the full Unicode range, unbounded integers) and adds dates at
and past the edges (years 0001 and 9999, 1969, 3000, 30 February) to every date parameter. Its
only check is that the server never errs.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from testing.scenarios import NOW
from testing.scenarios import analytics_tenants as seed

MAX_EXAMPLES = 12  # per operation: the whole file stays well under a minute on two cores
EDGES = st.sampled_from(["0001-01-01", "9999-12-31", "1969-12-31", "3000-01-01", "2026-02-30",
                         "0000-00-00", "1970-01-01", "2999-12-31"])


class SeededApp:
    """An ASGI stand-in bound at collection time; the module fixture plugs the seeded app in."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.app is not None, "the fuzzed fixture has not run"
        await self.app(scope, receive, send)


SEEDED = SeededApp()


def _openapi() -> dict[str, Any]:
    app = build_app(Settings(demo=True, migrate_on_start=False),
                    store=SqlStore(make_engine("sqlite://")))
    return app.openapi()


schema = schemathesis.openapi.from_dict(_openapi())
schema.app = SEEDED


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('extreme')) / 'miroir.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = SqlStore(engine)
    tokens = seed(store)
    SEEDED.app = build_app(Settings(demo=True, database_url=url, migrate_on_start=False),
                           store=store, clock=FixedClock(NOW))
    yield tokens
    SEEDED.app = None
    engine.dispose()


@schema.parametrize()
@schema.given(data=st.data())
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_on_extreme_inputs(case: Any, data: st.DataObject,
                                           fuzzed: dict[str, str]) -> None:
    query = case.query if isinstance(case.query, dict) else None
    for name in ("from", "to", "start", "end", "since", "day"):
        if query is not None and name in query and data.draw(st.booleans(), label="edge"):
            query[name] = data.draw(EDGES, label=name)
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzzed['all']}"},
                           checks=[checks.not_a_server_error])

