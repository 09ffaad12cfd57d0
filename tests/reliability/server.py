"""A real `miroir serve` (or any `miroir` command) in a subprocess; its memory from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = "from cli.entry import main; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a CLI subprocess: this checkout first, no MIROIR_* from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIROIR_")}
    env.update(PYTHONPATH=str(ROOT), MIROIR_DATABASE_URL=f"sqlite:///{tmp_path / 'miroir.db'}")
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], cwd: Path,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`miroir ARGS` as a person runs it (the console script's own entry point)."""
    return subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=cwd, text=True,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


def rss_kb(pid: int) -> int:
    """Resident memory of a process, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def peak_kb(pid: int) -> int:
    """Peak resident memory since the last reset_peak (VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for {pid}")


def reset_peak(pid: int) -> None:
    """Make VmHWM start again from the current RSS (Linux clear_refs, value 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


@dataclass
class Server:
    """A running `miroir serve` subprocess."""

    process: subprocess.Popen[bytes]
    url: str
    port: int
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(tmp: Path, *args: str, ready_timeout: float = 90, **settings: str) -> Server:
    """`miroir serve [args]` in a subprocess, with extra MIROIR_* settings; waits for /healthz."""
    port = free_port()
    env = cli_env(tmp, MIROIR_PORT=str(port), MIROIR_SCHEDULER_ENABLED="false",
                  MIROIR_CLASSIFIER_BACKEND="lexicon", MIROIR_LOG_LEVEL="warning", **settings)
    log = tmp / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-c", CLI, "serve", *args], env=env, cwd=tmp,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server(process, f"http://127.0.0.1:{port}", port, log)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"miroir serve exited with {process.returncode}:\n{server.output()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    pytest.fail(f"miroir serve did not answer within {ready_timeout} s:\n{server.output()}")


def stop_server(server: Server) -> None:
    """Ctrl+C, then a kill if it has not stopped within 15 s."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
