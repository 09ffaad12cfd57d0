"""CLI: import roster (exit codes, report), apikey create, demo and the serve --demo banner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from app import build_app
from bot.replies import SurveyPrompt
from cli import demo as demo_cli
from cli.main import cli
from pulse.core.apikeys import authenticate
from pulse.core.clock import FixedClock
from pulse.core.model import Membership, Person, Team, Tenant
from settings import Settings
from testing.roster_csv import GOOD, csv_bytes

runner = CliRunner()


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MIROIR_DATABASE_URL", db_url)
    monkeypatch.setenv("MIROIR_DEMO", "true")
    return db_url


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    return str(path)


def test_import_roster_exit_codes_and_report(env: str, tmp_path: Path) -> None:
    ok = runner.invoke(cli, ["import", "roster", write(tmp_path, csv_bytes(*GOOD)),
                             "--tenant", "acme"])
    assert ok.exit_code == 0, ok.output
    assert "Imported in one transaction" in ok.output and "people: 3 new" in ok.output

    bad = csv_bytes("b2c,,,dan,Dan,,boss,fr,,,,2026-01-05", "b2c,,,eve,Eve,,adviser,en,,,,"
                    "2026-01-05")
    strict = runner.invoke(cli, ["import", "roster", write(tmp_path, bad), "--tenant", "acme",
                                 "--strict"])
    assert strict.exit_code == 1
    assert "line 2, role: 'boss' is not one of adviser, manager, cx_lead, admin" in strict.output
    assert "Nothing imported (--strict" in strict.output
    store = SqlStore(make_engine(env))
    assert store.get_person("eve") is None

    partial = runner.invoke(cli, ["import", "roster", write(tmp_path, bad), "--tenant", "acme"])
    assert partial.exit_code == 1 and "rejected rows: 1" in partial.output
    assert store.get_person("eve") is not None and store.get_person("dan") is None

    broken = runner.invoke(cli, ["import", "roster", write(tmp_path, b"team_id;who\nx;y\n"),
                                 "--tenant", "other"])
    assert broken.exit_code == 2
    assert "missing columns" in broken.output and "Nothing imported" in broken.output
    assert store.get_tenant("other") is None


def test_import_roster_database_conflict_imports_nothing(env: str, tmp_path: Path) -> None:
    store = SqlStore(make_engine(env))
    store.add_tenant(Tenant("other", "Other"))
    store.add_team(Team("sc", "other", "Not yours"))
    result = runner.invoke(cli, ["import", "roster", write(tmp_path, csv_bytes(*GOOD)),
                                 "--tenant", "acme"])
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert store.get_tenant("acme") is None


def test_apikey_create_prints_a_working_token_once(env: str) -> None:
    store = SqlStore(make_engine(env))
    store.add_tenant(Tenant("acme", "Acme"))
    result = runner.invoke(cli, ["apikey", "create", "--tenant", "acme", "--name", "cx",
                                 "--scope", "analytics:read", "--scope", "admin"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert authenticate(store, token) == (token.split("_")[1], "acme",
                                          frozenset({"analytics:read", "admin"}))
    unknown = runner.invoke(cli, ["apikey", "create", "--tenant", "nope", "--name", "cx"])
    assert unknown.exit_code == 2 and "Unknown tenant" in unknown.output
    bad_scope = runner.invoke(cli, ["apikey", "create", "--tenant", "acme", "--name", "cx",
                                    "--scope", "root"])
    assert bad_scope.exit_code == 2 and "root" in bad_scope.output


def test_demo_command_seeds_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIROIR_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0 and "Seeded tenant 'demo'" in first.output
    second = runner.invoke(cli, ["demo"])
    assert second.exit_code == 0 and "already exists" in second.output


def test_serve_demo_banner_has_urls_key_and_curl(tmp_path: Path, clock: FixedClock) -> None:
    settings = Settings(demo=True, database_url=f"sqlite:///{tmp_path / 'serve.db'}", port=8123)
    runtime = build_app(settings, clock=clock).state.runtime
    banner = demo_cli.prepare_demo(runtime, settings)
    assert "http://127.0.0.1:8123/chat" in banner and "http://127.0.0.1:8123/docs" in banner
    token = banner.split("API key  : ")[1].split()[0]
    found = authenticate(runtime.store, token)
    assert found is not None
    assert found[1:] == ("demo", frozenset({"analytics:read", "admin", "cx:write"}))
    assert (f"curl -H 'Authorization: Bearer {token}' "
            "'http://127.0.0.1:8123/api/v1/teams/demo-particuliers/pulse?bucket=week'") in banner
    # Pending advisers find this week's pulse in their web-chat inbox, as buttons.
    inbox = runtime.gateways["web"].inbox("demo-camille-martin")
    prompts = [r for m in inbox for r in m.replies if isinstance(r, SurveyPrompt)]
    assert prompts and all(p.choices for p in prompts)
    again = demo_cli.prepare_demo(runtime, settings)
    assert "Seeded" not in again and "does not reach this week" not in again
    assert "pulse waiting in the web chat" in again


def test_batch_is_all_or_nothing_and_erasure_spares_other_tenants(store: SqlStore) -> None:
    with pytest.raises(RuntimeError), store.batch():
        store.add_tenant(Tenant("acme", "Acme"))
        store.add_team(Team("t1", "acme", "One"))
        raise RuntimeError("boom")
    assert store.get_tenant("acme") is None and store.list_teams("acme") == []
    for tenant in ("acme", "keep"):
        store.add_tenant(Tenant(tenant, tenant))
        store.add_team(Team(f"{tenant}-t", tenant, "T"))
        store.add_person(Person(f"{tenant}-p", tenant, "P"))
        store.add_membership(Membership(f"{tenant}-p", f"{tenant}-t", date(2026, 1, 1)))
        store.link_identity("web", "local", f"{tenant}-p", f"{tenant}-p")
    store.delete_tenant("acme")
    assert store.get_tenant("acme") is None and store.get_person("acme-p") is None
    assert store.person_by_identity("web", "local", "acme-p") is None
    assert store.get_person("keep-p") is not None and store.team_of("keep-p", date(2026, 2, 1))
