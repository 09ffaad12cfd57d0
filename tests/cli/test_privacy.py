"""CLI: `miroir publish` and `miroir privacy audit` on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from typer.testing import CliRunner

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from cli.main import cli
from pulse.analytics.cells import Cell, take_snapshot
from pulse.core.model import Bucket, Membership, Person, Team, Tenant
from pulse.surveys.model import Answer, Pillar, PulseRound, Question, Scale

runner = CliRunner()
Q = Question("qp-tools", Pillar.TOOLS, Scale.AGREE5, "Outils ?", "Tools?")


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MIROIR_DATABASE_URL", db_url)
    monkeypatch.setenv("MIROIR_DEMO", "true")
    return db_url


def test_demo_publishes_and_audits_clean(env: str) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    again = runner.invoke(cli, ["publish", "--tenant", "demo"])
    assert again.exit_code == 0 and "Nothing to publish" in again.output, again.output
    audit = runner.invoke(cli, ["privacy", "audit", "--tenant", "demo"])
    assert audit.exit_code == 0, audit.output
    assert "0 isolatable people, 0 groups below k" in audit.output
    # 12 closed weeks with answers, plus the empty ones from the first month's start.
    weeks = re.search(r"Audited (\d+) published weeks", audit.output)
    assert weeks is not None and int(weeks[1]) >= 12


def test_audit_exits_1_on_a_leaking_cell(env: str) -> None:
    # A cell no publication would write (one respondent, shown) stored by hand: the re-audit
    # must name it and fail.
    store = SqlStore(make_engine(env))
    store.add_tenant(Tenant("acme", "Acme", timezone="Europe/Paris"))
    store.add_question(Q)
    store.add_team(Team("t", "acme", "T"))
    store.add_person(Person("p1", "acme", "P1"))
    store.add_membership(Membership("p1", "t", date(2025, 1, 1)))
    at = datetime(2026, 2, 3, 10, tzinfo=UTC)  # 2026-W06
    store.add_round(PulseRound("r1", "acme", "t", at, at + timedelta(days=2)))
    store.record_answer(Answer("r1", "p1", Q.id, "t", 4, at + timedelta(hours=1)))
    snap = take_snapshot("acme", "2026-W06", "Europe/Paris", {"t": None},
                         [Membership("p1", "t", date(2025, 1, 1))])
    store.save_publication(snap, [Cell("acme", "t", Bucket.WEEK, "2026-W06", "pulse", 7.5, 1,
                                       None, snap.id, at + timedelta(days=7))])
    result = runner.invoke(cli, ["privacy", "audit", "--tenant", "acme"])
    assert result.exit_code == 1, result.output
    assert "1 isolatable people" in result.output and "p1" in result.output


def test_unknown_tenant_is_a_usage_error(env: str) -> None:
    for args in (["publish", "--tenant", "nope"], ["privacy", "audit", "--tenant", "nope"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2 and "unknown tenant" in result.output
