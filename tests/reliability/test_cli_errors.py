"""Configuration problems end in ONE line saying what to set, exit code 2, on every command; and
Ctrl+C at any moment of `miroir serve --demo` stops it without a traceback.

Each case runs the real console-script entry point in a subprocess, as a person would.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.reliability.server import CLI, cli_env, free_port, run_cli

# Every command that reads the settings, with arguments that would otherwise be valid.
COMMANDS = [
    ["serve"], ["db", "upgrade"], ["apikey", "create", "--name", "x"], ["apikey", "list"],
    ["apikey", "revoke", "abc"], ["tenant", "create", "acme"], ["tenant", "list"],
    ["import", "roster", "{csv}"], ["import", "csat", "{csv}", "--profile", "generic"],
    ["scheduler"], ["deliveries"], ["cadence", "team-a"],
    ["model", "recalibrate", "--tenant", "acme"], ["secrets", "reencrypt"],
]
SECRET = "s" * 40


def run_all(tmp_path: Path, commands: list[list[str]], **env: str,
            ) -> list[tuple[list[str], subprocess.CompletedProcess[str]]]:
    csv = tmp_path / "file.csv"
    csv.write_text("a,b\n1,2\n")
    base = cli_env(tmp_path, **env)
    argv = [[str(csv) if a == "{csv}" else a for a in c] for c in commands]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores: two commands at a time
        done = list(pool.map(lambda a: run_cli(a, base, tmp_path), argv))
    return list(zip(commands, done, strict=True))


def assert_one_line(results: list[tuple[list[str], subprocess.CompletedProcess[str]]],
                    needle: str) -> None:
    for command, done in results:
        err = done.stderr.strip().splitlines()
        where = f"miroir {' '.join(command)}: rc={done.returncode}\n{done.stderr[-1500:]}"
        assert done.returncode == 2, where
        assert "Traceback" not in done.stdout + done.stderr, where
        assert len(err) == 1 and err[0].startswith("Configuration error: "), where
        assert needle in err[0], where


def test_a_missing_secret_is_one_line_and_exit_2_on_every_command(tmp_path: Path) -> None:
    results = run_all(tmp_path, COMMANDS)
    assert_one_line(results, "MIROIR_SECRET_KEY")
    serve = dict((" ".join(c), d) for c, d in results)["serve"]
    assert "openssl rand -hex 32" in serve.stderr and "--demo" in serve.stderr


@pytest.mark.parametrize(("variable", "value", "needle"), [
    ("MIROIR_DATABASE_URL", "miroir.db", "MIROIR_DATABASE_URL must look like"),
    ("MIROIR_PUBLIC_URL", "miroir.example.com", "MIROIR_PUBLIC_URL must be"),
    ("MIROIR_PORT", "eighty", "MIROIR_PORT"),
    ("MIROIR_DELIVERY_RATE_OVERRIDES", "{not json", "MIROIR_DELIVERY_RATE_OVERRIDES"),
])
def test_bad_values_name_the_variable(tmp_path: Path, variable: str, value: str,
                                      needle: str) -> None:
    commands = [["serve"], ["tenant", "create", "acme"]]
    assert_one_line(run_all(tmp_path, commands, MIROIR_SECRET_KEY=SECRET, **{variable: value}),
                    needle)


def test_bad_platform_settings_stop_serve_before_any_work(tmp_path: Path) -> None:
    results = run_all(tmp_path, [["serve"]], MIROIR_SECRET_KEY=SECRET,
                      MIROIR_SLACK_TENANTS="T1=acme", MIROIR_SLACK_SIGNING_SECRET="x",
                      MIROIR_SLACK_CLIENT_ID="1.2", MIROIR_SLACK_CLIENT_SECRET="y")
    assert_one_line(results, "MIROIR_SLACK_TENANTS is not valid JSON")
    assert not (tmp_path / "miroir.db").exists(), "refused before migrating anything"


def test_a_database_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    dead = "postgresql+psycopg://miroir@127.0.0.1:9/miroir"
    commands = [["serve"], ["db", "upgrade"], ["apikey", "list"]]
    assert_one_line(run_all(tmp_path, commands, MIROIR_SECRET_KEY=SECRET,
                            MIROIR_DATABASE_URL=dead), "MIROIR_DATABASE_URL")


def ctrl_c(tmp_path: Path, when: str, delay: float = 0.0) -> tuple[int, str]:
    """Start `miroir serve --demo`, press Ctrl+C at `when`, return (exit code, output)."""
    port = free_port()
    env = cli_env(tmp_path, MIROIR_PORT=str(port))  # the real classifier and ticker, as shipped
    log = tmp_path / f"ctrl-c-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-u", "-c", CLI, "serve", "--demo"],
                                   env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while when and when not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"never saw {when!r}:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.05)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"still running 60 s after Ctrl+C:\n{log.read_text(errors='replace')}")
    return code, log.read_text(errors="replace")


@pytest.mark.parametrize(("when", "delay"), [
    ("", 0.3),  # still importing
    ("Running upgrade", 0.0),  # migrating
    ("Uvicorn running", 0.0),  # ticker just started: the classification job is in a thread
], ids=["importing", "migrating", "ready"])
def test_ctrl_c_at_any_time_stops_without_a_traceback(tmp_path: Path, when: str,
                                                     delay: float) -> None:
    code, output = ctrl_c(tmp_path, when, delay)
    assert "Traceback" not in output and "CancelledError" not in output, output[-3000:]
    assert code in (0, 1, 130), (code, output[-2000:])
