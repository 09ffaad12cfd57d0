"""Inputs that used to answer 500 after authentication now answer 4xx with a message, and a CSV
row nothing can store is that row's rejection: the rest of the file goes in, and the same
file goes in once fixed. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.db.store import SqlStore
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from pulse.core.model import Team
from testing.cx import make_client

DEEP = "[" * 100_000 + "]" * 100_000
DIGITS = "9" * 5000
HEADER = "rating_id,responded_at,score,metric,team\n"
GOOD = "r1,2026-01-05T10:00:00Z,5,csat,Support\n"
BAD_ROWS = {  # row number → (CSV line, the rejection code)
    2: ("r2,0001-01-01T00:00:00+05:00,5,csat,Support\n", "bad_date"),
    3: ("r3,9999-12-31T23:59:59-05:00,5,csat,Support\n", "bad_date"),
    4: ("r4,0001-01-01T00:00:00Z,4,csat,Support\n", "bad_date"),
    5: ("r5,2026-01-05T10:00:00Z,abc,csat,Support\n", "off_scale"),
    6: (f"r6,2026-01-05T10:00:00Z,{DIGITS},csat,Support\n", "off_scale"),
    7: ("r7,2026-01-05T10:00:00Z,1e308,nps,Support\n", "off_scale"),
    8: (f"r8,2026-01-05T10:00:00Z,{DIGITS},freshdesk,Support\n", "off_scale"),
}


@pytest.fixture
def api(store: SqlStore, clock: FixedClock) -> tuple[TestClient, dict[str, str]]:
    client, headers = make_client(store, clock)
    store.add_team(Team("t1", "acme", "Support"))
    _, admin = create_api_key(store, "acme", "admin", ["admin"])
    return client, {**headers, "X-Admin": f"Bearer {admin}"}


def _as(headers: dict[str, str], admin: bool = False) -> dict[str, str]:
    return {"Authorization": headers["X-Admin" if admin else "Authorization"]}


def _upload(client: TestClient, headers: dict[str, str], csv: str) -> Any:
    return client.post("/api/v1/cx/ratings:upload", headers=_as(headers),
                       files={"file": ("ratings.csv", csv.encode())},
                       data={"profile": "generic"})


def test_bad_rows_are_rejected_one_by_one_and_the_fixed_file_goes_in(
        api: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = api
    csv = HEADER + GOOD + "".join(line for line, _ in BAD_ROWS.values())
    first = _upload(client, headers, csv)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["inserted"], report["rejected_count"]) == (1, len(BAD_ROWS))
    assert {r["row"]: r["code"] for r in report["rejected"]} == {
        n: code for n, (_, code) in BAD_ROWS.items()}
    assert all(len(r["error"]) < 200 for r in report["rejected"])  # no 5,000 digits echoed
    fixed = HEADER + GOOD + "".join(
        f"r{n},2026-01-06T10:00:00Z,4,csat,Support\n" for n in BAD_ROWS)
    second = _upload(client, headers, fixed)
    assert second.status_code == 200, second.text
    assert (second.json()["inserted"], second.json()["duplicates"]) == (len(BAD_ROWS), 1)


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00",
                                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_out_of_range_times_in_a_json_batch_are_rejected_rows(
        api: tuple[TestClient, dict[str, str]], at: str) -> None:
    client, headers = api
    good = {"source_record_id": "a", "metric": "csat", "value": 5, "team": "t1",
            "responded_at": "2026-01-05T10:00:00Z"}
    records = [good, {**good, "source_record_id": "b", "responded_at": at},
               {**good, "source_record_id": "c", "interaction_at": at}]
    answer = client.post("/api/v1/cx/ratings:batch", json={"records": records},
                         headers=_as(headers))
    assert answer.status_code == 200, answer.text
    assert answer.json()["inserted"] == 1
    assert answer.json()["rejected_by_reason"] == {"bad_date": 2}


CASES = {
    "query date 0001": ("GET", "/api/v1/cx/csat?from=2026-01-01&to=0001-01-01", None, False),
    "query date 9999": ("GET", "/api/v1/cx/csat?to=9999-12-31", None, False),
    "event time 0001": ("POST", "/api/v1/events", '{"person": "p", "type": "onboarding_day_7", '
                        '"occurred_at": "0001-01-01T00:00:00+05:00"}', True),
    "event time 9999": ("POST", "/api/v1/events", '{"person": "p", "type": "onboarding_day_7", '
                        '"occurred_at": "9999-12-31T23:59:59-05:00"}', True),
    "5,000 digits": ("POST", "/api/v1/cx/ratings:batch",
                     '{"records": [{"source_record_id": "a", "value": ' + DIGITS + "}]}", False),
    "5,000 digits, event": ("POST", "/api/v1/events", '{"person": ' + DIGITS + "}", True),
    "deep nesting": ("POST", "/api/v1/cx/ratings:batch", '{"records": ' + DEEP + "}", False),
    "deep nesting, identities": ("POST", "/api/v1/cx/identities", '{"a": ' + DEEP + "}", False),
    "lone surrogate": ("POST", "/api/v1/cx/ratings:batch",
                       '{"records": [{"source_record_id": "\\ud800"}]}', False),
    "lone surrogate, event": ("POST", "/api/v1/events", '{"person": "\\ud800", "type": '
                              '"onboarding_day_7", "occurred_at": "2026-01-05T10:00:00Z"}', True),
    "lone surrogate, identities": ("POST", "/api/v1/cx/identities", '{"source": "\\ud800", '
                                   '"source_agent_id": "a", "person_id": "p"}', False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_inputs_that_answered_500_answer_4xx_with_a_message(
        api: tuple[TestClient, dict[str, str]], name: str) -> None:
    client, headers = api
    method, url, body, admin = CASES[name]
    answer = client.request(method, url, content=body, headers={
        **_as(headers, admin), "Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    detail = answer.json().get("detail")
    assert detail, answer.text[:300]
    assert len(answer.content) < 2000  # says what was wrong, without echoing the input
