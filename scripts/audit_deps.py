#!/usr/bin/env python3
"""Audit the locked requirements for known vulnerabilities (`make audit-deps`, CI).

1. pip-audit over the pinned files (`-r requirements/base.txt -r requirements/dev.txt
   --no-deps --disable-pip -f json`), time-bounded. pip-audit asks PyPI's per-release JSON
   (`/pypi/<name>/<version>/json`) for each pin; a package it could not look up comes
   back with a `skip_reason`, and pip-audit still prints "No known vulnerabilities found"
   and exits 0 — so skips are counted here, never taken as clean.
2. For each package pip-audit could not audit, PyPI's per-project JSON
   (`/pypi/<name>/json`): its `vulnerabilities` field covers the latest release only, so
   it audits a pin that *is* the latest release, and nothing else.

Exit 1 when any vulnerability is found. Packages that could not be audited by either
source are reported plainly ("N of M packages could not be audited ... — NOT audited");
that is a warning (exit 0) unless `--strict` is given (exit 1). Where PyPI's per-release
JSON and OSV are reachable, pip-audit audits every pin and step 2 never runs.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_FILES = ("requirements/base.txt", "requirements/dev.txt")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(files) -> dict[str, str]:
    """{canonical name: version} of every `name==version` line of the files."""
    found = {}
    for file in files:
        for line in pathlib.Path(file).read_text(encoding="utf-8").splitlines():
            match = PIN.match(line.strip())
            if match:
                found[canonical(match[1])] = match[2]
    return found


def run_pip_audit(files, timeout: float) -> tuple[dict[str, list], dict[str, str], str]:
    """(vulnerabilities by package, skip reasons by package, a problem or "")."""
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "-f", "json"]
    command += ["--timeout", str(max(5, int(timeout / 4)))]
    for file in files:
        command += ["-r", str(file)]
    try:
        # The command is this interpreter, pip-audit and the given requirement files.
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    except subprocess.TimeoutExpired:
        return {}, {}, f"pip-audit did not finish within {timeout:.0f} s"
    except FileNotFoundError:
        return {}, {}, "pip-audit is not installed (pip install -r requirements/dev.txt)"
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        return {}, {}, f"pip-audit failed (exit {done.returncode}): {tail[0]}"
    vulns, skipped = {}, {}
    for dep in report.get("dependencies", []):
        name = canonical(dep["name"])
        if dep.get("skip_reason"):
            skipped[name] = dep["skip_reason"]
        elif dep.get("vulns"):
            vulns[name] = [v["id"] for v in dep["vulns"]]
    return vulns, skipped, ""


def fetch_project(name: str, timeout: float) -> dict | None:
    url = PROJECT_JSON.format(name=name)  # always https://pypi.org
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError):
        return None


def latest_release_audit(name: str, version: str, project: dict | None) -> tuple[str, list]:
    """("audited", [vulnerability ids]) when `version` is the project's latest release
    (the only one its JSON describes), else ("not audited: <why>", [])."""
    if project is None:
        return "not audited: PyPI's project JSON is unreachable", []
    latest = project.get("info", {}).get("version")
    if latest != version:
        return f"not audited: pinned {version}, latest {latest} (no data for older releases)", []
    ids = [v.get("id", "?") for v in project.get("vulnerabilities", []) if not v.get("withdrawn")]
    return "audited", ids


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-r", "--requirement", action="append", dest="files", metavar="FILE")
    parser.add_argument("--strict", action="store_true", help="fail when a package is unaudited")
    parser.add_argument("--timeout", type=float, default=120, help="seconds for the whole audit")
    args = parser.parse_args(argv)
    files = [ROOT / f for f in (args.files or DEFAULT_FILES)]
    started = time.monotonic()
    pinned = pins(files)
    total = len(pinned)

    vulns, skipped, problem = run_pip_audit(files, args.timeout * 0.6)
    if problem:
        print(f"pip-audit: {problem}")
        skipped = {name: problem for name in pinned}
    unaudited = {name: reason for name, reason in skipped.items() if name in pinned}

    # The per-project JSON for what pip-audit could not look up (latest releases only).
    remaining = max(5.0, args.timeout - (time.monotonic() - started))
    names = sorted(unaudited)
    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = list(pool.map(lambda n: fetch_project(n, min(15.0, remaining)), names))
    for name, project in zip(names, projects, strict=True):
        verdict, ids = latest_release_audit(name, pinned[name], project)
        if verdict == "audited":
            del unaudited[name]
            if ids:
                vulns[name] = ids
        else:
            unaudited[name] = verdict

    for name, ids in sorted(vulns.items()):
        print(f"VULNERABLE {name}=={pinned.get(name, '?')}: {', '.join(ids)}")
    audited = total - len(unaudited)
    print(f"pip-audit: {audited} of {total} pinned packages audited, {len(vulns)} vulnerable.")
    if unaudited:
        print(
            f"pip-audit: {len(unaudited)} of {total} packages could not be audited: the "
            "vulnerability service is unreachable from this machine — NOT audited:"
        )
        for name, reason in sorted(unaudited.items()):
            print(f"  {name}=={pinned[name]}: {reason}")
    if vulns:
        return 1
    if unaudited and args.strict:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
