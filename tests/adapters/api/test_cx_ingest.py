"""The three ingest paths through the API: idempotency, bad input, team resolution."""

from __future__ import annotations

import json
from datetime import date, timedelta

from adapters.csat.records import zendesk_signature
from adapters.db.store import SqlStore
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from pulse.core.model import Membership, Person, Team
from testing.cx import SECRET, make_client

URL_BATCH = "/api/v1/cx/ratings:batch"
URL_UPLOAD = "/api/v1/cx/ratings:upload"
URL_HOOK = "/api/v1/cx/webhooks/zendesk"


def _rec(i: int, value: object = 5, revision: str = "", team: str | None = "t1") -> dict:
    return {"source": "intercom", "source_instance": "acme", "source_record_id": f"r{i}",
            "source_revision": revision, "metric": "csat", "value": value,
            "responded_at": "2026-02-10T10:00:00+01:00", "team": team}


def _total(client, headers) -> int:
    return client.get("/api/v1/cx/status", headers=headers).json()["total"]


def test_batch_idempotency_key(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    store.add_team(Team("t1", "acme", "Support"))
    body = {"records": [_rec(1), _rec(2), _rec(3, value=9)]}
    first = client.post(URL_BATCH, json=body, headers={**headers, "Idempotency-Key": "k-1"})
    assert first.status_code == 200
    report = first.json()
    assert (report["inserted"], report["rejected_count"]) == (2, 1)
    assert report["rejected"][0]["row"] == 3 and report["rejected"][0]["code"] == "off_scale"
    again = client.post(URL_BATCH, json=body, headers={**headers, "Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["inserted"] == 2 and _total(client, headers) == 2
    other = client.post(URL_BATCH, json={"records": [_rec(4)]},
                        headers={**headers, "Idempotency-Key": "k-1"})
    assert other.status_code == 409 and other.json()["error"] == "idempotency_key_reused"
    # Record level, under a new key: same record → duplicate; newer revision → updated.
    newer = client.post(URL_BATCH, headers={**headers, "Idempotency-Key": "k-2"}, json={
        "records": [_rec(1), _rec(2, value=1, revision="2026-02-11T09:00:00Z")]}).json()
    assert (newer["duplicates"], newer["updated"], newer["inserted"]) == (1, 1, 0)
    older = client.post(URL_BATCH, headers=headers, json={
        "records": [_rec(2, value=4, revision="2026-02-10T09:00:00Z")]}).json()
    assert (older["stale"], older["updated"]) == (1, 0)
    csat = client.get("/api/v1/cx/csat", headers=headers, params={
        "team_id": "t1", "bucket": "month", "from": "2026-02-01", "to": "2026-02-28"}).json()
    point = csat["teams"][0]["series"][0]
    assert point["bucket"] == "2026-02" and point["n_ratings"] == 2 and point["value"] == 50.0


def test_batch_refuses_bad_bodies(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    assert client.post(URL_BATCH, content=b"{not json", headers=headers).status_code == 422
    assert client.post(URL_BATCH, json={"rows": []}, headers=headers).status_code == 422
    too_many = {"records": [_rec(i) for i in range(5001)]}
    assert client.post(URL_BATCH, json=too_many, headers=headers).status_code == 413
    naive = _rec(1) | {"responded_at": "2026-02-10T10:00:00"}
    report = client.post(URL_BATCH, json={"records": [naive]}, headers=headers).json()
    assert report["rejected_by_reason"] == {"invalid_record": 1}
    assert client.post(URL_BATCH, json={"records": []}).status_code == 401
    _, token = create_api_key(store, "acme", "reader", ["analytics:read"])
    denied = client.post(URL_BATCH, json={"records": []},
                         headers={"Authorization": f"Bearer {token}"})
    assert denied.status_code == 403


def _hook(client, body: dict, clock: FixedClock, secret: str = SECRET, age: int = 0):
    raw = json.dumps(body).encode()
    stamp = (clock.now() - timedelta(seconds=age)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return client.post(URL_HOOK, content=raw, headers={
        "X-Zendesk-Webhook-Signature": zendesk_signature(secret, stamp, raw),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp, "Content-Type": "application/json"})


def test_zendesk_webhook_hmac_and_idempotency(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    store.add_team(Team("t1", "acme", "Support"))
    store.add_person(Person("ada", "acme", "Ada", email="ada@acme.test"))
    store.add_membership(Membership("ada", "t1", date(2025, 1, 1)))
    client.post("/api/v1/cx/identities", headers=headers, json={
        "source": "zendesk", "source_agent_id": "135", "person_id": "ada"})
    rating = {"satisfaction_rating": {
        "id": 35436, "url": "https://acme.zendesk.com/api/v2/satisfaction_ratings/35436.json",
        "assignee_id": 135, "group_id": 44, "ticket_id": 208, "score": "good",
        "created_at": "2026-03-02T22:55:29Z", "updated_at": "2026-03-02T22:55:29Z"}}
    first = _hook(client, rating, clock)
    assert first.status_code == 200 and first.json()["inserted"] == 1
    assert first.json()["unmapped"] == 0  # assignee 135 → Ada → her team on that day
    assert _hook(client, rating, clock).json()["duplicates"] == 1  # Zendesk retried
    changed = json.loads(json.dumps(rating))
    changed["satisfaction_rating"].update(score="bad", updated_at="2026-03-03T08:00:00Z")
    assert _hook(client, changed, clock).json()["updated"] == 1
    assert _hook(client, rating, clock, secret="wrong").status_code == 401
    assert _hook(client, rating, clock, age=3600).status_code == 401  # replayed later
    assert _total(client, headers) == 1


def test_unmapped_ratings_are_counted_not_dropped(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    store.add_team(Team("t1", "acme", "Support"))
    store.add_person(Person("bo", "acme", "Bo", email="bo@acme.test"))
    store.add_membership(Membership("bo", "t1", date(2026, 2, 15)))  # joined after the rating
    records = [_rec(1, team=None) | {"agent_email": "bo@acme.test"},
               _rec(2, team=None) | {"agent_id": "who?"}, _rec(3, team=None),
               _rec(4, team="No such team")]
    report = client.post(URL_BATCH, json={"records": records}, headers=headers).json()
    assert report["inserted"] == 4 and report["unmapped"] == 4
    assert report["unmapped_by_reason"] == {"no_team_at_date": 1, "unknown_agent": 1,
                                            "no_team_or_agent": 1, "unknown_team": 1}
    assert client.get("/api/v1/cx/status", headers=headers).json()["unmapped"] == 4


def test_upload_idempotency_dry_run_and_bad_files(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    store.add_team(Team("t1", "acme", "Support"))
    csv_text = ("rating_id,responded_at,score,team\n"
                "a1,2026-02-03T09:00:00Z,5,t1\n"
                "a2,2026-02-03T10:00:00Z,4,t1\n"
                "a2,2026-02-03T10:00:00Z,4,t1\n"  # duplicated row
                "a3,2026-02-03T11:00:00Z,9,t1\n"  # off the 1–5 scale
                "a4,yesterday,3,t1\n")

    def up(content: str | bytes, **form: str):
        data = content.encode() if isinstance(content, str) else content
        return client.post(URL_UPLOAD, headers=headers, data={"profile": "generic", **form},
                           files={"file": ("r.csv", data, "text/csv")})

    dry = up(csv_text, dry_run="true").json()
    assert dry["dry_run"] and dry["inserted"] == 2 and dry["duplicates"] == 1
    assert _total(client, headers) == 0
    first = up(csv_text).json()
    assert (first["inserted"], first["duplicates"], first["rejected_count"]) == (2, 1, 2)
    assert first["rejected_by_reason"] == {"off_scale": 1, "bad_date": 1}
    assert {r["row"] for r in first["rejected"]} == {4, 5}
    again = up(csv_text).json()
    assert again["replayed"] is True and again["batch_id"] == first["batch_id"]
    assert _total(client, headers) == 2
    for content, form, code in [
        (csv_text, {"profile": "salesforce"}, "unknown_profile"),
        ("when,score\n2026-01-01,5\n", {}, "missing_columns"),
        ("responded_at,score\n03/04/2026,5\n05/06/2026,4\n", {}, "ambiguous_dates"),
        ("responded_at,score\n30/04/2026,5\n5/31/2026,4\n", {}, "ambiguous_dates"),
        (b"responded_at,score\n2026-01-01,\xff\xfe\n", {}, "not_utf8"),
        (csv_text, {"date_format": "someday"}, "bad_option"),
        (csv_text, {"timezone": "Mars/Olympus"}, "bad_option"),
    ]:
        resp = up(content, **form)
        assert resp.status_code == 422 and resp.json()["error"] == code, (form, resp.text)
    assert _total(client, headers) == 2  # nothing half-imported
    explicit = up("rating_id,responded_at,score,team\nb1,03/04/2026,5,t1\n",
                  date_format="dd/mm/yyyy").json()
    assert explicit["inserted"] == 1 and explicit["notes"]["date_format"] == "%d/%m/%Y"


def test_qualtrics_and_zendesk_profiles(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    store.add_team(Team("t1", "acme", "Support"))
    store.add_person(Person("ada", "acme", "Ada", email="ada@acme.test"))
    store.add_membership(Membership("ada", "t1", date(2025, 1, 1)))
    qualtrics = ("StartDate,RecordedDate,ResponseId,Q7,agent_email\n"
                 "Start Date,Recorded Date,Response ID,How satisfied?,agent_email\n"
                 '{"ImportId":"startDate"},{"ImportId":"recordedDate"},'
                 '{"ImportId":"_recordId"},{"ImportId":"QID7"},{"ImportId":"agent_email"}\n'
                 "2026-02-01 10:00:00,2026-02-01 10:05:00,R_1,5,ada@acme.test\n"
                 "2026-02-01 11:00:00,2026-02-01 11:05:00,R_2,2,ada@acme.test\n")
    resp = client.post(URL_UPLOAD, headers=headers,
                       data={"profile": "qualtrics", "score_column": "Q7"},
                       files={"file": ("q.csv", qualtrics.encode(), "text/csv")}).json()
    assert (resp["received"], resp["inserted"], resp["unmapped"]) == (2, 2, 0)
    zendesk = ("id,score,created_at,updated_at,assignee_id,group_id,ticket_id\n"
               "1,good,2026-02-02T10:00:00Z,2026-02-02T10:00:00Z,135,44,208\n"
               "2,offered,2026-02-02T11:00:00Z,2026-02-02T11:00:00Z,135,44,209\n"
               "3,bad,2026-02-02T12:00:00Z,2026-02-02T12:00:00Z,136,44,210\n")
    resp = client.post(URL_UPLOAD, headers=headers, data={"profile": "zendesk"},
                       files={"file": ("z.csv", zendesk.encode(), "text/csv")}).json()
    assert resp["inserted"] == 3 and resp["unmapped_by_reason"] == {"unknown_agent": 3}
    status = client.get("/api/v1/cx/status", headers=headers).json()
    assert status["by_resolution"] == {"roster": 2, "unmapped": 3}


def test_demo_csat_seeding_is_idempotent(store: SqlStore, clock: FixedClock) -> None:
    from demo.cx import seed_demo_csat

    client, headers = make_client(store, clock)
    for i in range(3):
        store.add_team(Team(f"d{i}", "acme", f"Demo {i}"))
    inserted = seed_demo_csat(store, "acme", clock, weeks=4, per_week=10)
    assert inserted == 3 * 4 * 10 and seed_demo_csat(store, "acme", clock, weeks=4,
                                                     per_week=10) == 0
    csat = client.get("/api/v1/cx/csat", headers=headers, params={"bucket": "week"}).json()
    first = [p["value"] for p in csat["teams"][0]["series"]]
    assert len(first) >= 4 and sum(first) / len(first) > 70


def test_unknown_query_parameters_are_refused(store: SqlStore, clock: FixedClock) -> None:
    client, headers = make_client(store, clock)
    resp = client.get("/api/v1/link/correlation", headers=headers, params={"scoep": "org"})
    assert resp.status_code == 422 and "scoep" in resp.json()["detail"]
    assert client.get("/api/v1/cx/status", headers=headers).status_code == 200
