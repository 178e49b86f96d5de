// Hover timing in-process: bundles bench/hoverBench.ts (scanner + hover markdown as the
// extension ships them), generates a 20,000-line Python file, indexes it once (per version,
// as the extension's cache does) and times hovers at deterministic positions.
// Options: --lines 20000  --hovers 5000  --json FILE. Exits 1 if p95 > 2 ms.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option, positive as positiveOption } from './args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bench', 'hover.cjs');
const positive = (name, dflt) => positiveOption('hover', name, dflt);

mkdirSync(dirname(out), { recursive: true });
await esbuild.build({ entryPoints: [join(root, 'bench', 'hoverBench.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning' });
const { benchmarkHover } = createRequire(import.meta.url)(out);
const r = benchmarkHover({ lines: positive('lines', 20000), hovers: positive('hovers', 5000) });
const ms = (v) => `${v.toFixed(3)} ms`;
console.log(`hover on a ${r.lines.toLocaleString('en')}-line Python file (${r.hovers} hovers, ${r.hits} on activations)`);
console.log(`  index (once per document version)  ${r.indexMs.toFixed(1)} ms`);
console.log(`  first typeset hover (MathJax start) ${r.firstMarkdownMs.toFixed(1)} ms`);
console.log(`  per hover: p50 ${ms(r.p50)}  p95 ${ms(r.p95)}  p99 ${ms(r.p99)}  max ${ms(r.max)}`);
console.log(`  on activations only: p95 ${ms(r.p95Hits)}`);
const json = option('json');
if (json) writeFileSync(json, JSON.stringify(r, null, 2));
if (r.p95 > 2) {
  console.error(`hover p95 ${ms(r.p95)} exceeds the 2 ms budget`);
  process.exit(1);
}
