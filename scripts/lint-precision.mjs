#!/usr/bin/env node
// Precision and recall of `activation-inspector lint` on the real-code corpus
// (test/fixtures/realcode: MANIFEST.json lists the files, labels.json the hand labels).
//
//   npm run build && node scripts/realcode-corpus.mjs        # once: materialize the corpus
//   node scripts/lint-precision.mjs --part tuning|heldout|fresh [--corpus DIR] [--check] [--json]
//
// Every finding the linter prints is looked up in labels.json by `<part>/<owner>__<repo>/<path>:<line>:<code>`:
//   "true"   — the code is almost surely wrong here (a warning is deserved),
//   "advice" — a correct remark but not a bug (right as information, wrong as a warning),
//   "false"  — the finding is wrong.
// `expected` lists real problems (file, code, acceptable lines); a finding at one of them counts
// as found (and as true) even when it has no entry of its own.
// Warning precision = true / warnings; information precision = (true + advice) / information.
// --check exits 1 when a finding has no label (labels must cover what the linter prints).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}
const part = arg('--part');
if (part !== 'tuning' && part !== 'heldout' && part !== 'fresh') {
  process.stderr.write('usage: lint-precision.mjs --part tuning|heldout|fresh [--corpus DIR] [--check] [--json]\n');
  process.exit(2);
}
const corpus = resolve(arg('--corpus', process.env.REALCODE_DIR ?? join(root, '..', 'realcode')));
if (!existsSync(join(corpus, part))) {
  process.stderr.write(`lint-precision: no corpus at ${join(corpus, part)} (run scripts/realcode-corpus.mjs)\n`);
  process.exit(2);
}
const labels = JSON.parse(readFileSync(join(root, 'test/fixtures/realcode/labels.json'), 'utf8'));

/** Runs the built CLI on the part; returns its JSON findings with corpus-relative paths. */
function lint() {
  let out;
  try {
    out = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'lint', part, '--json'], { cwd: corpus, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.status !== 1) {
      process.stderr.write(`lint-precision: lint exited ${e.status}: ${String(e.stderr).split('\n')[0]}\n`);
      process.exit(2);
    }
    out = e.stdout;
  }
  return JSON.parse(String(out));
}

const findings = lint();
const expected = (labels.expected ?? []).filter((x) => x.file.startsWith(`${part}/`));
const found = new Set();
const rules = {};
const unlabelled = [];
const row = (code) => (rules[code] ??= { warning: { n: 0, ok: 0 }, information: { n: 0, ok: 0 }, expected: 0, found: 0 });
const seen = new Set();
for (const f of findings) {
  const key = `${f.file}:${f.line}:${f.code}`;
  if (seen.has(key)) continue; // two findings on one line count once (as they are labelled)
  seen.add(key);
  const exp = expected.findIndex((x) => x.file === f.file && x.code === f.code && x.lines.includes(f.line));
  let label = labels.findings[key]?.label;
  if (exp >= 0) {
    found.add(exp);
    label ??= 'true';
  }
  if (!label) {
    unlabelled.push(`${key} ${f.severity} ${f.message.slice(0, 100)}`);
    continue;
  }
  const sev = f.severity === 'error' ? 'warning' : f.severity;
  if (sev !== 'warning' && sev !== 'information') continue;
  const r = row(f.code)[sev];
  r.n++;
  if (label === 'true' || (sev === 'information' && label === 'advice')) r.ok++;
}
expected.forEach((x, i) => {
  row(x.code).expected++;
  if (found.has(i)) row(x.code).found++;
});

const pct = (ok, n) => (n === 0 ? '   -  ' : `${((100 * ok) / n).toFixed(1).padStart(5)}%`);
const total = { warning: { n: 0, ok: 0 }, information: { n: 0, ok: 0 }, expected: 0, found: 0 };
for (const r of Object.values(rules)) {
  for (const s of ['warning', 'information']) {
    total[s].n += r[s].n;
    total[s].ok += r[s].ok;
  }
  total.expected += r.expected;
  total.found += r.found;
}
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ part, files: findings.length, rules, total, unlabelled }, null, 1)}\n`);
} else {
  process.stdout.write(`part ${part}: ${seen.size} findings\n`);
  process.stdout.write('rule    warnings  precision   information  precision   recall (expected found)\n');
  for (const [code, r] of [...Object.entries(rules).sort(), ['all', total]]) {
    process.stdout.write(
      `${code.padEnd(6)} ${String(r.warning.ok).padStart(4)}/${String(r.warning.n).padEnd(4)}  ${pct(r.warning.ok, r.warning.n)}    ${String(r.information.ok).padStart(4)}/${String(r.information.n).padEnd(4)}  ${pct(r.information.ok, r.information.n)}    ${pct(r.found, r.expected)} (${r.found}/${r.expected})\n`,
    );
  }
  for (const u of unlabelled) process.stdout.write(`unlabelled: ${u}\n`);
}
if (process.argv.includes('--check') && unlabelled.length > 0) process.exit(1);
