"""`miroir model recalibrate` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from cli.main import cli
from pulse.core.model import Tenant


def test_recalibrate_reports_and_refuses_unknown_tenants(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    SqlStore(make_engine(url)).add_tenant(Tenant("acme", "Acme"))
    monkeypatch.setenv("MIROIR_DATABASE_URL", url)
    monkeypatch.setenv("MIROIR_DEMO", "true")
    runner = CliRunner()
    done = runner.invoke(cli, ["model", "recalibrate", "--tenant", "acme"])
    assert done.exit_code == 0, done.output
    assert "sentiment: unchanged (0 labelled comments, 40 needed)" in done.output
    unknown = runner.invoke(cli, ["model", "recalibrate", "--tenant", "nope"])
    assert unknown.exit_code == 2 and "unknown tenant" in unknown.output
