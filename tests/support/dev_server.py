"""`invoke livereload` (what `make serve` runs) in a subprocess of a project
copy, for the tests and the benchmarks that watch it serve."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path


class DevServer:
    """`invoke <task> <args>` in `project` on `port`, its output in
    `project/serve.log`; `env` replaces the environment it starts from; stop()
    is Ctrl-C."""

    def __init__(
        self, project: Path, port: int, task: str = "livereload", env: dict | None = None, args: tuple[str, ...] = ()
    ):
        self.project, self.port = project, port
        self.log = project / "serve.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "invoke", task, *args],
                cwd=project,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, as in a terminal
                env={**(os.environ if env is None else env), "PORT": str(port), "COLUMNS": "400"},
            )

    def text(self) -> str:
        return self.log.read_text()

    def get(self, name: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{name}", timeout=5) as response:
            return response.read().decode("utf-8")

    def try_get(self, name: str) -> str | None:
        try:
            return self.get(name)
        except (OSError, urllib.error.URLError):
            return None

    def total(self) -> int | None:
        text = self.try_get("tally.json")
        return json.loads(text)["total"] if text else None

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C a process started in its own session, as a terminal would; kill
    it if it has not stopped within ten seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
