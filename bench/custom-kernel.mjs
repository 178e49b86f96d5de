// `node bench/custom-kernel.mjs`: custom activations typed as expressions against the
// catalog's hand-written kernels, in one process (ratios, not absolute speeds):
//   1. kernels: forward + backward over --n elements (default 1e6), float32 and float64:
//      catalog SiLU vs `x * sigmoid(x)` compiled to generated loops (Node) and to a closure
//      tree (what a webview without 'unsafe-eval' gets); same for BERT's gelu vs exact GELU.
//   2. training (when the training spec accepts {"expr": …}): the same network trained with
//      "silu" and with {"expr": "x * sigmoid(x)"}; target: custom ≤ 1.5× the built-in time.
// Best of --runs R (default 7) interleaved runs. Options: --n N --runs R --json FILE.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const N = Number(option('n') ?? 1e6);
const RUNS = Number(option('runs') ?? 7);

const out = join(root, 'dist', 'bench', 'custom-kernel.cjs');
mkdirSync(dirname(out), { recursive: true });
await esbuild.build({
  stdin: {
    contents: [
      "export { elementwiseKernel } from './src/engine/activations/registry';",
      "export { analyzeExpr, customKernel } from './src/engine/symbolic';",
      "export * as train from './bench/custom-train';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  logLevel: 'warning',
});
const E = require(out);

function inputs(T) {
  const x = new T(N);
  let s = 7;
  for (let i = 0; i < N; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s / 4294967296) * 12 - 6;
  }
  return { x, y: new T(N), gy: new T(N).fill(1), gx: new T(N) };
}

/** Milliseconds for forward + backward over N elements, best of RUNS (interleaved by the caller). */
function once(kernel, buf) {
  const t0 = performance.now();
  kernel.forward(buf.x, buf.y);
  kernel.backward(buf.x, buf.y, buf.gy, buf.gx);
  return performance.now() - t0;
}

const cases = [
  { label: 'SiLU', builtin: () => E.elementwiseKernel('silu'), expr: 'x * sigmoid(x)' },
  { label: 'GELU (exact)', builtin: () => E.elementwiseKernel('gelu', { approximate: false }), expr: 'x * 0.5 * (1 + erf(x / sqrt(2)))' },
  { label: 'Mish', builtin: () => E.elementwiseKernel('mish'), expr: 'x * tanh(log(1 + exp(x)))' },
];

const report = { n: N, runs: RUNS, kernels: [], training: null };
for (const dtype of ['float32', 'float64']) {
  const T = dtype === 'float32' ? Float32Array : Float64Array;
  const buf = inputs(T);
  for (const c of cases) {
    const a = E.analyzeExpr(c.expr);
    const engines = { builtin: c.builtin(), code: E.customKernel(a, {}, 'code'), closure: E.customKernel(a, {}, 'closure') };
    const best = { builtin: Infinity, code: Infinity, closure: Infinity };
    for (let r = 0; r < RUNS + 2; r++) {
      for (const [k, kern] of Object.entries(engines)) {
        const ms = once(kern, buf);
        if (r >= 2) best[k] = Math.min(best[k], ms); // two warm-up rounds
      }
    }
    const row = { dtype, activation: c.label, expr: c.expr, ms: best, codeRatio: best.code / best.builtin, closureRatio: best.closure / best.builtin };
    report.kernels.push(row);
    console.log(
      `${dtype} ${c.label.padEnd(13)} built-in ${best.builtin.toFixed(1).padStart(6)} ms   ` +
        `expr → code ${best.code.toFixed(1).padStart(6)} ms (${row.codeRatio.toFixed(2)}×)   ` +
        `expr → closures ${best.closure.toFixed(1).padStart(6)} ms (${row.closureRatio.toFixed(2)}×)`,
    );
  }
}

if (E.train.available()) {
  report.training = [];
  for (const precision of ['float32', 'float64']) {
    const t = E.train.compare(RUNS, precision);
    report.training.push(t);
    console.log(
      `training ${t.label}: built-in silu ${t.builtinMs.toFixed(0)} ms, {"expr": "x * sigmoid(x)"} ${t.customMs.toFixed(0)} ms → ` +
        `${t.ratio.toFixed(2)}× (target ≤ 1.5×) ${t.ratio <= 1.5 ? 'ok' : 'MISSED'}; final losses ${t.builtinLoss.toPrecision(8)} / ${t.customLoss.toPrecision(8)}`,
    );
  }
} else {
  console.log('training: the training spec does not accept {"expr": …} activations in this build; skipped');
}

const jsonOut = option('json');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 2));
