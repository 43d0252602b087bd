// Render TeX formulas to HTML with KaTeX, for build_scripts/render_maths.py.
//
// Usage: node render_maths.mjs [NODE_MODULES], where NODE_MODULES is the folder that
// contains katex, by default the repository's node_modules, which `npm ci` fills.
// Reads a JSON list of {"tex": string, "display": boolean} on stdin. Exit status:
//   0  stdout is a JSON list of HTML strings, one per formula, in input order.
//   2  KaTeX rejected at least one formula. stdout is a JSON list of
//      {"index": number, "reason": string, "position": number | null}, one per
//      rejected formula, where position is the 0-based offset in the TeX
//      where KaTeX stopped, or null when KaTeX gives none.
//   1  anything else failed (KaTeX not installed, invalid input), with the message on stderr.
//
// KaTeX's warnings about TeX that LaTeX would treat differently (its default
// strict mode, "warn") go to stderr with any exit status.
//
// The output is KaTeX's default, HTML plus MathML, so screen readers read the
// MathML while the HTML is drawn.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const NODE_MODULES = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL("../node_modules", import.meta.url));
const KATEX_MODULE = pathToFileURL(resolve(NODE_MODULES, "katex/dist/katex.mjs"));

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function loadKatex() {
  try {
    return (await import(KATEX_MODULE)).default;
  } catch (error) {
    if (error.code === "ERR_MODULE_NOT_FOUND") {
      fail(`KaTeX not found at ${fileURLToPath(KATEX_MODULE)}: run \`npm ci\` in ${resolve(NODE_MODULES, "..")}.`);
    }
    throw error;
  }
}

function readFormulas() {
  let formulas;
  try {
    formulas = JSON.parse(readFileSync(0, "utf8"));
  } catch (error) {
    fail(`Invalid JSON on stdin: ${error.message}`);
  }
  const valid =
    Array.isArray(formulas) &&
    formulas.every((formula) => typeof formula?.tex === "string" && typeof formula?.display === "boolean");
  if (!valid) {
    fail('Invalid input: expected a JSON list of {"tex": string, "display": boolean}.');
  }
  return formulas;
}

const katex = await loadKatex();
const formulas = readFormulas();

const rendered = [];
const rejected = [];
formulas.forEach(({ tex, display }, index) => {
  try {
    rendered.push(katex.renderToString(tex, { displayMode: display, throwOnError: true }));
  } catch (error) {
    if (!(error instanceof katex.ParseError)) {
      throw error;
    }
    rejected.push({ index, reason: error.rawMessage, position: error.position ?? null });
  }
});

if (rejected.length > 0) {
  process.stdout.write(JSON.stringify(rejected));
  process.exitCode = 2;
} else {
  process.stdout.write(JSON.stringify(rendered));
}
