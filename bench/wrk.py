"""Load from a separate process: wrk with the Lua scripts in bench/lua/."""

import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
TIMEOUT = "30s"  # wrk's default (2 s) would drop slow answers from the percentiles


def version() -> str:
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].split(" Copyright")[0]


def run(url: str, script: str, **options) -> dict:
    """Run bench/lua/<script>.lua against `url` (the options of `start`); the figures its
    done() wrote, plus `errors`: answers the script counted as unexpected and socket
    errors."""
    return start(url, script, **options).result()


class Load:
    """A wrk run in the background: `stop()` ends it early (wrk then reports as if its
    time were up), `result()` waits for it and reads what the script wrote."""

    def __init__(self, command: list[str], variables: dict, tmp):
        self._tmp = tmp
        self._out = Path(tmp.name) / "result.json"
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **variables, "BENCH_OUT": str(self._out)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def result(self) -> dict:
        try:
            stdout, stderr = self.process.communicate()
            if self.process.returncode != 0 or not self._out.exists():
                raise RuntimeError(f"wrk failed: {stderr or stdout}")
            result = json.loads(self._out.read_text())
        finally:
            self._tmp.cleanup()
        result["unexpected"] = result["unexpected"] or {}  # an empty Lua table is written as []
        if not result["requests"]:  # nothing answered in time: there are no percentiles
            result.update(p50_ms=None, p95_ms=None, p99_ms=None, rps=0)
            result["unexpected"]["no answer in time"] = 1
        result["errors"] = sum(result["unexpected"].values()) + sum(
            result["socket_errors"].values()
        )
        return result


def start(
    url: str,
    script: str,
    *,
    connections: int,
    duration: int,
    headers: dict | None = None,
    env: dict | None = None,
    threads: int | None = None,
) -> Load:
    """Start wrk with bench/lua/<script>.lua against `url` for at most `duration` s
    (`threads`: 2 by default; one per connection for a script that must pair each answer
    with its request, since a thread's connections answer in any order)."""
    threads = threads or min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command += ["--timeout", TIMEOUT, "-s", str(LUA / f"{script}.lua")]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    variables = {"BENCH_LUA": str(LUA), **(env or {})}
    return Load([*command, url], variables, tempfile.TemporaryDirectory())
