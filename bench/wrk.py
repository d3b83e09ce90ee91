"""Load from a separate process: wrk with the Lua scripts in bench/lua/."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
TIMEOUT = "30s"  # wrk's default (2 s) would drop slow answers from the percentiles


def version() -> str:
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].split(" Copyright")[0]


def run(
    url: str,
    script: str,
    *,
    connections: int,
    duration: int,
    headers: dict | None = None,
    env: dict | None = None,
) -> dict:
    """Run bench/lua/<script>.lua against `url`; the figures its done() wrote, plus
    `errors`: answers the script counted as unexpected and socket errors."""
    threads = min(2, connections)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
        command += ["--timeout", TIMEOUT, "-s", str(LUA / f"{script}.lua")]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        variables = {"BENCH_LUA": str(LUA), "BENCH_OUT": str(out), **(env or {})}
        completed = subprocess.run(
            [*command, url], env={**os.environ, **variables}, capture_output=True, text=True
        )
        if completed.returncode != 0 or not out.exists():
            raise RuntimeError(f"wrk failed: {completed.stderr or completed.stdout}")
        result = json.loads(out.read_text())
    result["unexpected"] = result["unexpected"] or {}  # an empty Lua table is written as []
    if not result["requests"]:  # nothing answered in time: there are no percentiles
        result.update(p50_ms=None, p95_ms=None, p99_ms=None, rps=0)
        result["unexpected"]["no answer in time"] = 1
    result["errors"] = sum(result["unexpected"].values()) + sum(result["socket_errors"].values())
    return result
