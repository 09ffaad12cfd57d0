"""The real NHS FFT file: mixed dates, services as teams, CSAT per month through the API."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.csat.dates import AmbiguousDates, DateReader, detect
from adapters.db.store import SqlStore
from pulse.core.clock import FixedClock
from testing.cx import make_client

NHS = "data/pxtextmining/datasets_v6framework_230831.csv"


def test_dmy_mdy_run_rule() -> None:
    reader = DateReader("dmy-mdy-run", "Europe/London")
    assert reader.parse("30/09/2021", "S&C") == datetime(2021, 9, 29, 23, tzinfo=UTC)
    assert reader.parse("9/30/2022", "S&C").date().isoformat() == "2022-09-29"  # BST midnight
    # After an mm/dd value in the same run, an ambiguous value reads as mm/dd …
    assert reader.parse("08/02/2022", "S&C").month == 8
    # … but another run still starts with dd/mm.
    assert reader.parse("08/02/2022", "111").month == 2
    assert reader.stats["mdy_inherited"] == 1 and reader.stats["dmy_inherited"] == 1
    with pytest.raises(ValueError):
        reader.parse("31/31/2022", "S&C")
    with pytest.raises(AmbiguousDates):
        detect([(1, "30/09/2021"), (2, "9/30/2022")])


def test_nhs_file_ingests_with_services_as_teams(store: SqlStore, clock: FixedClock,
                                                 shared_dir: Path) -> None:
    client, headers = make_client(store, clock, tenant="nhs", tz="Europe/London")
    path = shared_dir / NHS
    with path.open("rb") as f:
        data = f.read()

    def up(**form: str):
        return client.post("/api/v1/cx/ratings:upload", headers=headers,
                           data={"profile": "nhs_fft", **form},
                           files={"file": ("fft.csv", data, "text/csv")})

    refused = up(date_format="auto")
    assert refused.status_code == 422 and refused.json()["error"] == "ambiguous_dates"
    assert "mixed date formats" in refused.json()["detail"]
    report = up(create_teams="true").json()
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    respondents = {r["Respondent ID"] for r in rows if r["FFT categorical answer"] in "12345"}
    not_rated = sum(r["FFT categorical answer"] in ("6", "7") for r in rows)
    assert report["received"] == len(rows) == 7908
    assert report["inserted"] == len(respondents)  # one rating per respondent
    assert report["rejected_by_reason"] == {"not_a_rating": not_rated}
    assert report["inserted"] + report["duplicates"] + report["rejected_count"] == len(rows)
    readings = report["notes"]["date_readings"]
    assert report["notes"]["date_format"] == "dmy-mdy-run"
    assert readings["mdy_decisive"] > 0 and readings["mdy_inherited"] > 0
    assert sum(readings.values()) == len(rows) - not_rated
    assert report["unmapped"] > 0 and set(report["unmapped_by_reason"]) == {"no_team_or_agent"}
    assert "NEAS · PTS - Patient Transport" in report["teams_created"]
    assert up(create_teams="true").json()["replayed"] is True

    csat = client.get("/api/v1/cx/csat", headers=headers, params={
        "bucket": "month", "from": "2021-01-01", "to": "2022-12-31"}).json()
    by_name = {t["team_name"]: t for t in csat["teams"]}
    assert len(by_name) >= 6
    pts = by_name["NEAS · PTS - Patient Transport"]["series"]
    assert len(pts) >= 12 and all(p["bucket"].startswith(("2021-", "2022-")) for p in pts)
    # Cross-check the API against an independent count from the raw file.
    month = max(pts, key=lambda p: p["n_ratings"])
    total = sum(p["n_ratings"] for p in pts)  # the file's "PTS\xa0 - …" is normalised
    pts_rows = {r["Respondent ID"]: r for r in rows
                if " ".join(r["Service type 1"].split()) == "PTS - Patient Transport"
                and r["FFT categorical answer"] in "12345"}
    assert total == len(pts_rows)
    share = 100 * sum(r["FFT categorical answer"] in "12" for r in pts_rows.values()) / total
    weighted = sum(p["value"] * p["n_ratings"] for p in pts) / total
    assert weighted == pytest.approx(share, abs=1e-9)
    assert 90 < share < 100  # the spec quotes 95.0 % very good/good for this service
    assert month["ci95"][0] < month["value"] < month["ci95"][1]
