"""A private PostgreSQL cluster that a test starts, stops and restarts: never the shared one.

initdb and pg_ctl come from Debian's /usr/lib/postgresql/<version>/bin; the cluster lives in a
temporary folder on a free loopback port. PostgreSQL refuses to run as root, so as root it runs
as the `postgres` system user (runuser).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def pg_bin() -> Path | None:
    """The newest installed server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0)
    return Path(found[-1]).parent if found else None


class PrivateCluster:
    """initdb once; start() / stop() as often as a test likes; remove() at the end."""

    def __init__(self, port: int) -> None:
        bin_dir = pg_bin()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server in /usr/lib/postgresql/*/bin")
        self.bin, self.port = bin_dir, port
        self.root = Path(tempfile.mkdtemp(prefix="miroir-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            uid, gid = pwd.getpwnam(self.user)[2:4]
            os.chown(self.root, uid, gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/miroir"

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c shared_buffers=16MB -c max_connections=40")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def create_database(self) -> None:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres",
                             autocommit=True, connect_timeout=10) as conn:
            conn.execute("CREATE DATABASE miroir")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w",
                                     "stop"), capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    def _cmd(self, tool: str, *args: str) -> list[str]:
        command = [str(self.bin / tool), *args]
        return ["runuser", "-u", self.user, "--", *command] if self.user else command

    def _run(self, tool: str, *args: str) -> None:
        started = time.monotonic()
        done = subprocess.run(self._cmd(tool, *args), capture_output=True, text=True, timeout=120,
                              cwd=self.root)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed after {time.monotonic() - started:.1f} s: "
                               f"{done.stderr.strip()[-2000:]}\n{log}")
