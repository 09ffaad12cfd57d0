"""`miroir apikey list|revoke`, `miroir tenant create|list`, `miroir secrets reencrypt`, and a
CSAT import into a tenant that does not exist yet, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import text
from typer.testing import CliRunner

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from adapters.slack.sealed import SealedInstallationStore
from adapters.slack.tokens import PREFIX, TokenCipher
from cli.main import cli
from pulse.core.apikeys import authenticate
from pulse.core.model import Tenant

runner = CliRunner()
LOG = logging.getLogger("test")
KEY = "k" * 40


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    for name in ("MIROIR_DEMO", "MIROIR_DEFAULT_TENANT", "MIROIR_SECRET_KEY_PREVIOUS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MIROIR_DATABASE_URL", db_url)
    monkeypatch.setenv("MIROIR_SECRET_KEY", KEY)
    return SqlStore(make_engine(db_url))


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_apikey_list_and_revoke(env: SqlStore) -> None:
    env.add_tenant(Tenant("acme", "Acme"))
    env.add_tenant(Tenant("rival", "Rival"))
    code, out = invoke("apikey", "create", "--tenant", "acme", "--name", "dashboard")
    assert code == 0, out
    token = out.strip().splitlines()[-1]
    key_id = token.split("_")[1]
    assert invoke("apikey", "create", "--tenant", "rival", "--name", "other",
                  "--scope", "cx:write")[0] == 0
    code, listed = invoke("apikey", "list")
    assert code == 0 and key_id in listed and "dashboard" in listed and "other" in listed
    assert "analytics:read" in listed and token not in listed  # never the token
    assert "other" not in invoke("apikey", "list", "--tenant", "acme")[1]
    assert authenticate(env, token) is not None
    code, out = invoke("apikey", "revoke", key_id)
    assert code == 0 and "revoked" in out
    assert authenticate(env, token) is None, "a revoked key no longer authenticates"
    assert "already revoked" in invoke("apikey", "revoke", f"mk_{key_id}_whatever")[1]
    assert key_id not in invoke("apikey", "list", "--active")[1]
    assert key_id in invoke("apikey", "list")[1]  # still listed, with its revocation date
    code, out = invoke("apikey", "revoke", "nope")
    assert code == 1 and "No API key 'nope'" in out


def test_tenant_create_and_list(env: SqlStore) -> None:
    code, out = invoke("tenant", "create", "acme", "--name", "Acme Corp",
                       "--timezone", "America/Santiago", "--locale", "en")
    assert code == 0 and "created" in out, out
    tenant = env.get_tenant("acme")
    assert tenant is not None and (tenant.name, tenant.timezone, tenant.locale) == (
        "Acme Corp", "America/Santiago", "en")
    code, out = invoke("tenant", "create", "acme", "--name", "Other")
    assert code == 0 and "already exists" in out
    assert env.get_tenant("acme").name == "Acme Corp"  # type: ignore[union-attr]
    assert "America/Santiago" in invoke("tenant", "list")[1]
    for bad in (["bad id!"], ["x", "--timezone", "Mars/Base"], ["x", "--locale", "de"]):
        code, out = invoke("tenant", "create", *bad)
        assert code == 2, (bad, out)
    assert env.get_tenant("x") is None


def test_csat_import_into_a_new_tenant_points_at_tenant_create(
    env: SqlStore, tmp_path: Path
) -> None:
    fft = tmp_path / "fft.csv"
    fft.write_text("Comment ID,Trust,Respondent ID,Date,Service type 1,FFT categorical answer\n"
                   "c1,NEAS,R1,30/09/2021,PTS - Patient Transport,1\n"
                   "c2,NEAS,R2,01/10/2021,PTS - Patient Transport,2\n")
    args = ["import", "csat", str(fft), "--profile", "nhs_fft", "--tenant", "nhs",
            "--create-teams"]
    code, out = invoke(*args)
    assert code == 2 and "miroir tenant create nhs" in out and "unknown_tenant" not in out
    assert invoke("tenant", "create", "nhs", "--timezone", "Europe/London")[0] == 0
    code, out = invoke(*args)
    assert code == 0, out
    assert '"inserted": 2' in out and "Teams created: NEAS · PTS - Patient Transport" in out


def test_secrets_reencrypt_after_a_rotation(env: SqlStore,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    old = "o" * 40
    monkeypatch.setenv("MIROIR_SLACK_CLIENT_ID", "111.222")
    store = SealedInstallationStore("111.222", env.engine, TokenCipher([old]), LOG)
    store.save(Installation(app_id="A1", enterprise_id=None, team_id="T1", user_id="U1",
                            bot_token="xoxb-1-secret", bot_id="B1", bot_user_id="UB1",
                            installed_at=time.time()))
    code, out = invoke("secrets", "reencrypt")  # MIROIR_SECRET_KEY is the new one only
    assert code == 2 and "MIROIR_SECRET_KEY_PREVIOUS" in out
    monkeypatch.setenv("MIROIR_SECRET_KEY_PREVIOUS", old)
    code, out = invoke("secrets", "reencrypt")
    assert code == 0 and "2 Slack installation rows re-encrypted" in out, out
    fresh = SealedInstallationStore("111.222", env.engine, TokenCipher([KEY]), LOG)
    bot = fresh.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-1-secret"
    with env.engine.connect() as conn:
        stored = conn.execute(text("SELECT bot_token FROM slack_bots")).scalar_one()
    assert stored.startswith(PREFIX)
