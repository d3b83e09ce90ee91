#!/usr/bin/env bash
# Refresh the vendored front-end libraries in kepu/static/vendor/.
#
# Kepu runs on an intranet without internet access, so every browser-side
# library is committed as static files. This script is the only supported way
# to (re)produce them: it fetches the pinned npm tarballs with `npm pack`
# (only the npm registry is needed), extracts the files the app uses, strips
# anything that would make the browser reach outside, and copies each
# package's license next to its files.
#
# Usage: bash scripts/vendor_static.sh
# Needs: npm, tar, python3 (stdlib only).
set -euo pipefail

# ---- pinned versions (change here, re-run, review the diff) ----------------
TABLER_CORE_VERSION="1.6.1"
ECHARTS_VERSION="6.1.0"
TABLER_ICONS_VERSION="3.51.0"
# Older ECharts release: the last line that still ships the China map data.
ECHARTS_MAPS_VERSION="4.9.0"
# QR decoding in the browser for check-in (where the native BarcodeDetector is missing).
JSQR_VERSION="1.4.0"
# Accessibility checks in the browser tests only (injected by the tests, never served in a page).
AXE_CORE_VERSION="4.14.1"

# Outline icons put into the sprite (symbol id = "ti-" + name).
# A "wanted=actual" entry would publish icon "actual" under id "ti-wanted"
# (none needed as of @tabler/icons 3.51.0: every name below exists).
ICONS=(
  home building building-community users user user-check map map-pin
  chart-bar chart-pie file-spreadsheet download upload search filter
  shield-lock shield-check list-details logout login language contrast
  text-size settings plus pencil trash check x alert-triangle alert-circle
  info-circle clipboard-list key history world api chevron-right chevron-down
  menu-2 lock lock-open calendar book eye eye-off refresh file-text id-badge-2
  sitemap device-mobile arrow-left external-link qrcode
  calendar-event checklist flag truck scan ticket camera send rss
  clock report-analytics star certificate
)
# -----------------------------------------------------------------------------

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/kepu/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '[vendor] %s\n' "$*" >&2; }

# fetch PKG VERSION DIRNAME -> extracts to $WORK/DIRNAME/package
fetch() {
  local pkg="$1" version="$2" name="$3" tgz
  log "npm pack $pkg@$version"
  mkdir -p "$WORK/$name"
  tgz="$(cd "$WORK" && npm pack --silent --pack-destination "$WORK" "$pkg@$version" 2>/dev/null | tail -n 1)"
  [[ -f "$WORK/$tgz" ]] || { log "npm pack $pkg@$version failed"; exit 1; }
  tar -xzf "$WORK/$tgz" -C "$WORK/$name"
  local got
  got="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$WORK/$name/package/package.json")"
  [[ "$got" == "$version" ]] || { log "$pkg: expected $version, got $got"; exit 1; }
}

# copy_licenses SRC_PACKAGE_DIR DEST_DIR [no-sub]: LICENSE*, NOTICE and
# licenses/* (third-party parts of the code; skipped with "no-sub")
copy_licenses() {
  local src="$1" dest="$2" sub="${3:-}" found=0 f
  for f in "$src"/LICENSE "$src"/LICENSE.md "$src"/LICENSE.txt "$src"/license "$src"/NOTICE; do
    if [[ -f "$f" ]]; then
      cp "$f" "$dest/$(basename "$f" | sed 's/^license$/LICENSE/; s/^LICENSE\.\(md\|txt\)$/LICENSE/')"
      [[ "$(basename "$f")" == NOTICE ]] || found=1
    fi
  done
  if [[ -d "$src/licenses" && "$sub" != no-sub ]]; then
    cp "$src"/licenses/* "$dest/"
  fi
  return $(( found == 0 ))
}

fetch "@tabler/core"  "$TABLER_CORE_VERSION"  tabler-core
fetch "echarts"       "$ECHARTS_VERSION"      echarts
fetch "@tabler/icons" "$TABLER_ICONS_VERSION" tabler-icons
fetch "echarts"       "$ECHARTS_MAPS_VERSION" echarts-maps
fetch "jsqr"          "$JSQR_VERSION"         jsqr
fetch "axe-core"      "$AXE_CORE_VERSION"     axe-core

rm -rf "$VENDOR/tabler" "$VENDOR/echarts" "$VENDOR/tabler-icons" "$VENDOR/china-geo" "$VENDOR/jsqr" \
  "$VENDOR/axe-core"
mkdir -p "$VENDOR/tabler" "$VENDOR/echarts" "$VENDOR/tabler-icons" "$VENDOR/china-geo" "$VENDOR/jsqr" \
  "$VENDOR/axe-core"

# ---- @tabler/core ------------------------------------------------------------
src="$WORK/tabler-core/package"
cp "$src/dist/css/tabler.min.css" "$VENDOR/tabler/tabler.min.css"
cp "$src/dist/js/tabler.min.js"   "$VENDOR/tabler/tabler.min.js"
# Source-map comments point at .map files we do not ship; Django's
# ManifestStaticFilesStorage fails collectstatic on a missing referenced file.
sed -i -E '/^\/\/# sourceMappingURL=/d' "$VENDOR/tabler/tabler.min.js"
sed -i -E 's#/\*\# sourceMappingURL=[^*]*\*/##' "$VENDOR/tabler/tabler.min.css"
# Strip any external fetch from the CSS: @import of remote CSS (e.g. Google
# Fonts), and url(http...) / url(//...) references. (1.6.1 has none: it uses
# system fonts and data: URIs only, so these are no-ops kept as a guard.)
sed -i -E \
  -e 's#@import +url\( *["'"'"']?(https?:)?//[^)]*\)[^;]*;##g' \
  -e 's#@import +["'"'"'](https?:)?//[^"'"'"']*["'"'"'][^;]*;##g' \
  -e 's#url\( *["'"'"']?(https?:)?//[^)]*\)#none#g' \
  "$VENDOR/tabler/tabler.min.css"
if grep -Eq '@import|url\( *["'"'"']?(https?:)?//|fonts\.googleapis|fonts\.gstatic' "$VENDOR/tabler/tabler.min.css"; then
  log "tabler.min.css still references something external; inspect it"; exit 1
fi
if ! copy_licenses "$src" "$VENDOR/tabler"; then
  # The @tabler/core npm tarball ships no LICENSE file; its package.json and
  # the file headers say MIT. Write the MIT text with the headers' copyright.
  cat > "$VENDOR/tabler/LICENSE" <<'EOF'
MIT License

Copyright (c) 2018-2026 The Tabler Authors
Copyright (c) 2018-2026 codecalm.net Paweł Kuna

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF
fi

# ---- echarts (charts) ----------------------------------------------------------
src="$WORK/echarts/package"
cp "$src/dist/echarts.min.js" "$VENDOR/echarts/echarts.min.js"
sed -i -E '/^\/\/# sourceMappingURL=/d' "$VENDOR/echarts/echarts.min.js"
copy_licenses "$src" "$VENDOR/echarts" || { log "echarts: no LICENSE"; exit 1; }

# ---- jsQR (QR decoding for check-in) -------------------------------------------
src="$WORK/jsqr/package"
cp "$src/dist/jsQR.js" "$VENDOR/jsqr/jsQR.js"
sed -i -E '/^\/\/# sourceMappingURL=/d' "$VENDOR/jsqr/jsQR.js"
copy_licenses "$src" "$VENDOR/jsqr" || { log "jsqr: no LICENSE"; exit 1; }

# ---- axe-core (accessibility rules; used only by the browser tests) -----------
src="$WORK/axe-core/package"
cp "$src/axe.min.js" "$VENDOR/axe-core/axe.min.js"
sed -i -E '/^\/\/# sourceMappingURL=/d' "$VENDOR/axe-core/axe.min.js"
copy_licenses "$src" "$VENDOR/axe-core" || { log "axe-core: no LICENSE"; exit 1; }

# ---- @tabler/icons -> one SVG sprite ------------------------------------------
src="$WORK/tabler-icons/package"
copy_licenses "$src" "$VENDOR/tabler-icons" || { log "@tabler/icons: no LICENSE"; exit 1; }
python3 - "$src" "$VENDOR/tabler-icons/sprite.svg" "$TABLER_ICONS_VERSION" "${ICONS[@]}" <<'PY'
import os
import re
import sys
import xml.etree.ElementTree as ET

pkg, out, version, *wanted = sys.argv[1:]
SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)

def find_icon(name):
    for rel in (f"icons/outline/{name}.svg", f"icons/{name}.svg"):
        p = os.path.join(pkg, rel)
        if os.path.isfile(p):
            return p
    return None

symbols = []
for entry in wanted:
    sym_id, _, actual = entry.partition("=")
    actual = actual or sym_id
    path = find_icon(actual)
    if path is None:
        sys.exit(f"icon '{actual}' not found in @tabler/icons {version}; "
                 f"add a 'wanted=replacement' entry to ICONS")
    root = ET.parse(path).getroot()
    if root.get("viewBox") != "0 0 24 24":
        sys.exit(f"icon '{actual}': unexpected viewBox {root.get('viewBox')}")
    parts = []
    for child in root:
        # Drop Tabler's invisible 24x24 bounding-box helper path.
        if child.get("stroke") == "none" and child.get("d") == "M0 0h24v24H0z":
            continue
        s = ET.tostring(child, encoding="unicode", short_empty_elements=True)
        s = s.replace(f' xmlns="{SVG}"', "").replace(f"{{{SVG}}}", "")
        s = re.sub(r"\s+/>", "/>", s.strip())
        parts.append(s)
    # fill/stroke/linecap/linejoin come from the icon's root <svg>. stroke-width
    # is deliberately NOT set here so it inherits from the referencing <svg>:
    # Tabler's CSS sets it per context (.icon 1.5, .icon-lg 1, .badge .icon 2).
    attrs = " ".join(
        f'{k}="{root.get(k)}"'
        for k in ("fill", "stroke", "stroke-linecap", "stroke-linejoin")
        if root.get(k) is not None
    )
    symbols.append(f'<symbol id="ti-{sym_id}" viewBox="0 0 24 24" {attrs}>'
                   + "".join(parts) + "</symbol>")
    if actual != sym_id:
        print(f"[vendor] icon ti-{sym_id}: using '{actual}'", file=sys.stderr)

with open(out, "w", encoding="utf-8") as fh:
    fh.write(f'<svg xmlns="{SVG}" style="display:none">\n'
             f"<!-- @tabler/icons {version} (MIT), outline; generated by "
             f"scripts/vendor_static.sh -->\n")
    fh.write("\n".join(symbols) + "\n</svg>\n")
print(f"[vendor] sprite: {len(symbols)} icons", file=sys.stderr)
PY

# ---- China GeoJSON from echarts 4.9.0 map data ---------------------------------
src="$WORK/echarts-maps/package"
copy_licenses "$src" "$VENDOR/china-geo" no-sub || { log "echarts $ECHARTS_MAPS_VERSION: no LICENSE"; exit 1; }
python3 - "$src/map/json" "$VENDOR/china-geo" <<'PY'
"""Decode ECharts' compressed map JSON into plain GeoJSON.

ECharts 4 map files may carry "UTF8Encoding": true: each ring is a string of
(x, y) character pairs, zigzag- and delta-encoded from geometry.encodeOffsets
and quantised by UTF8Scale (default 1024). This is a port of decode() /
decodePolygon() in echarts 4.9.0 src/coord/geo/parseGeoJson.js.
"""
import glob
import json
import os
import sys

src_dir, out_dir = sys.argv[1:]

# echarts file name -> GB/T 2260 province-level code (2 digits).
# Note the pinyin clash: shanxi = 山西 (14), shanxi1 = 陕西 (61).
PROVINCES = {
    "beijing": "11", "tianjin": "12", "hebei": "13", "shanxi": "14",
    "neimenggu": "15", "liaoning": "21", "jilin": "22", "heilongjiang": "23",
    "shanghai": "31", "jiangsu": "32", "zhejiang": "33", "anhui": "34",
    "fujian": "35", "jiangxi": "36", "shandong": "37", "henan": "41",
    "hubei": "42", "hunan": "43", "guangdong": "44", "guangxi": "45",
    "hainan": "46", "chongqing": "50", "sichuan": "51", "guizhou": "52",
    "yunnan": "53", "xizang": "54", "shanxi1": "61", "gansu": "62",
    "qinghai": "63", "ningxia": "64", "xinjiang": "65", "taiwan": "71",
    "xianggang": "81", "aomen": "82",
}
NDIGITS = 4


def code_units(s):
    # JS charCodeAt() works on UTF-16 code units; mirror that exactly.
    b = s.encode("utf-16-le", "surrogatepass")
    return [b[i] | (b[i + 1] << 8) for i in range(0, len(b), 2)]


def decode_ring(encoded, offset, scale):
    units = code_units(encoded)
    prev_x, prev_y = offset
    ring = []
    for i in range(0, len(units) - 1, 2):
        x = units[i] - 64
        y = units[i + 1] - 64
        x = (x >> 1) ^ (-(x & 1))  # zigzag
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x                 # delta
        y += prev_y
        prev_x, prev_y = x, y
        ring.append([x / scale, y / scale])
    return ring


def clean_ring(ring):
    out = []
    for x, y in ring:
        p = [round(x, NDIGITS), round(y, NDIGITS)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))  # GeoJSON rings are closed
    return out if len(out) >= 4 else None


def clean_polygon(rings):
    rings = [clean_ring(r) for r in rings]
    if not rings or rings[0] is None:
        return None
    return [r for r in rings if r is not None]


def convert(doc):
    encoded = bool(doc.get("UTF8Encoding"))
    scale = doc.get("UTF8Scale") or 1024
    # Some source features lack an id while an empty duplicate of the same
    # name carries it (xizang.json: 山南市); recover the code by name.
    code_by_name = {}
    for feat in doc["features"]:
        code = feat.get("id") or (feat.get("properties") or {}).get("id")
        name = (feat.get("properties") or {}).get("name")
        if code and name:
            code_by_name.setdefault(name, code)
    features = []
    for feat in doc["features"]:
        geom = feat.get("geometry")
        props = feat.get("properties") or {}
        if not geom or not geom.get("coordinates"):
            continue
        gtype, coords = geom["type"], geom["coordinates"]
        offs = geom.get("encodeOffsets")
        if gtype == "Polygon":
            polys = [[decode_ring(r, offs[i], scale) if encoded else r
                      for i, r in enumerate(coords)]]
        elif gtype == "MultiPolygon":
            polys = [[decode_ring(r, offs[p][i], scale) if encoded else r
                      for i, r in enumerate(poly)]
                     for p, poly in enumerate(coords)]
        else:
            sys.exit(f"unexpected geometry type {gtype}")
        polys = [p for p in (clean_polygon(p) for p in polys) if p]
        if not polys:
            continue
        geometry = ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
                    else {"type": "MultiPolygon", "coordinates": polys})
        out_props = {"name": props["name"]}
        adcode = (feat.get("id") or props.get("id") or props.get("adcode")
                  or code_by_name.get(props["name"]))
        if adcode not in (None, ""):
            out_props["adcode"] = int(adcode)
        if props.get("cp"):
            # label anchor; ECharts reads properties.cp as the region centre
            out_props["cp"] = [round(float(v), NDIGITS) for v in props["cp"]]
        features.append({"type": "Feature", "properties": out_props,
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def write(doc, name):
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    return len(doc["features"])


found = {os.path.splitext(os.path.basename(p))[0]: p
         for p in glob.glob(os.path.join(src_dir, "province", "*.json"))}
unknown = sorted(set(found) - set(PROVINCES))
missing = sorted(set(PROVINCES) - set(found))
if unknown or missing:
    sys.exit(f"province files changed: unknown={unknown} missing={missing}")

with open(os.path.join(src_dir, "china.json"), encoding="utf-8") as fh:
    n = write(convert(json.load(fh)), "china.json")
print(f"[vendor] china.json: {n} features", file=sys.stderr)
for stem, code in sorted(PROVINCES.items(), key=lambda kv: kv[1]):
    with open(found[stem], encoding="utf-8") as fh:
        write(convert(json.load(fh)), f"{code}.json")
print(f"[vendor] {len(PROVINCES)} province files written", file=sys.stderr)
PY

log "done: $(cd "$VENDOR" && find tabler echarts tabler-icons china-geo jsqr axe-core -type f | wc -l) files in ${VENDOR#"$ROOT"/}"
