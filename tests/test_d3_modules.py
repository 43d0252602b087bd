"""The D3 modules the site ships instead of the full D3 bundle, and the contour paths drawn without d3-geo."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import REPOSITORY_ROOT
from vendor_files import D3_TARGET, VENDOR_DIR

WIDGETS_DIR = REPOSITORY_ROOT / "docs/javascripts"
NODE_MODULES = REPOSITORY_ROOT / "node_modules"
D3_NAME = re.compile(r"\bd3\.(\w+)")

# Runs the built D3 file as a classic script in a fresh context and prints which of
# the names in argv[2] (a JSON list) it leaves undefined on the global d3.
MISSING_NAMES_SCRIPT = """
const fs = require("fs");
const vm = require("vm");
const context = {};
context.globalThis = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), context);
const names = JSON.parse(process.argv[2]);
console.log(JSON.stringify(names.filter((name) => context.d3[name] === undefined)));
"""

# Draws the contours of a smooth 61 × 61 grid at 50 levels with contourPath and with
# d3.geoPath over a d3.geoTransform, which the widget used before, and prints the
# levels where the two path strings differ.
CONTOUR_COMPARISON_SCRIPT = """
import fs from "node:fs";
import vm from "node:vm";
const [nodeModules, heatmapModule] = process.argv.slice(1);
const context = {};
context.globalThis = context;
vm.createContext(context);
for (const module of ["d3-array", "d3-geo", "d3-contour"]) {
  vm.runInContext(fs.readFileSync(`${nodeModules}/${module}/dist/${module}.min.js`, "utf8"), context);
}
globalThis.d3 = context.d3;
const { contourPath } = await import(heatmapModule);
const n = 61;
const values = [];
for (let row = 0; row < n; row += 1) {
  for (let column = 0; column < n; column += 1) {
    values.push(Math.sin(column / 7) * Math.cos(row / 5) + ((column - 30) ** 2 + (row - 20) ** 2) / 900);
  }
}
const toScreen = (column, row) => [37.123 + column * 6.54321, 410.5 - row * 6.1111];
const transform = d3.geoTransform({ point(column, row) { this.stream.point(...toScreen(column, row)); } });
const differing = [];
for (const level of d3.range(-1, 4, 0.1)) {
  const contour = d3.contours().size([n, n]).contour(values, level);
  if ((d3.geoPath(transform)(contour) ?? "") !== contourPath(contour, toScreen)) {
    differing.push(level);
  }
}
console.log(JSON.stringify(differing));
"""


def _d3_names_used() -> list[str]:
    names = set()
    for script in WIDGETS_DIR.rglob("*.js"):
        names.update(D3_NAME.findall(script.read_text(encoding="utf-8")))
    return sorted(names)


def test_widgets_use_some_d3_names():
    assert "scaleLinear" in _d3_names_used()


def test_d3_file_defines_names_widgets_use(built_site):
    d3_file = built_site.path / VENDOR_DIR / D3_TARGET
    result = subprocess.run(
        ["node", "-e", MISSING_NAMES_SCRIPT, str(d3_file), json.dumps(_d3_names_used())],
        capture_output=True, text=True, check=True,
    )
    missing = json.loads(result.stdout)
    assert missing == [], f"{D3_TARGET} lacks d3.{', d3.'.join(missing)}; add their modules to D3_MODULES in vendor_files.py"


def test_d3_file_is_smaller_than_full_bundle(built_site):
    d3_file = built_site.path / VENDOR_DIR / D3_TARGET
    assert d3_file.stat().st_size < (NODE_MODULES / "d3/dist/d3.min.js").stat().st_size / 2


def test_contour_path_matches_geo_path():
    heatmap = (WIDGETS_DIR / "widgets/descent/heatmap.js").as_uri()
    result = subprocess.run(
        ["node", "--input-type=module", "-e", CONTOUR_COMPARISON_SCRIPT, str(NODE_MODULES), heatmap],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(result.stdout) == []
