"""`miroir import csat` on SQLite: report, progress, and a refused file exits non-zero."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from cli.main import cli
from pulse.core.model import Team, Tenant


def test_import_csat_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    store = SqlStore(make_engine(url))
    store.add_tenant(Tenant("acme", "Acme"))
    store.add_team(Team("t1", "acme", "Support"))
    for key, value in {"MIROIR_DATABASE_URL": url, "MIROIR_DEMO": "true",
                       "MIROIR_DEFAULT_TENANT": "acme"}.items():
        monkeypatch.setenv(key, value)
    good = tmp_path / "ok.csv"
    good.write_text("rating_id,responded_at,score,team\nx1,2026-01-05T10:00:00Z,5,t1\n"
                    "x2,2026-01-05T11:00:00Z,7,t1\n")
    result = CliRunner().invoke(cli, ["import", "csat", str(good), "--profile", "generic"])
    assert result.exit_code == 0, result.output
    assert '"inserted": 1' in result.output and "off_scale" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("when,score\n2026-01-05,5\n")
    result = CliRunner().invoke(cli, ["import", "csat", str(bad), "--profile", "generic"])
    assert result.exit_code == 1 and "missing_columns" in result.output
