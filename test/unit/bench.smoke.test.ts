// `npm run bench` runs end to end: each benchmark script, with the smallest settings, runs
// to its report without an uncaught error (a refactor once left bench/train.mjs reading an
// option helper it had not imported, and npm run bench stopped there). Only that is checked:
// no number is asserted, and a missed speed target (hover's p95 budget exits 1) is a
// measurement, not a failure. bench/probe.mjs is left out: one round times a ResNet-18 probe
// (minutes); its Python side is exercised by test/unit/probe.test.ts.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

const SCRIPTS: readonly { script: string; args: string[]; report: RegExp; node?: string[] }[] = [
  { script: 'run.mjs', node: ['--expose-gc'], args: ['--ids', 'relu,gelu', '--n', '1000', '--runs', '1', '--warmup', '1'], report: /^relu\s/m },
  { script: 'hover.mjs', args: ['--lines', '300', '--hovers', '50'], report: /per hover: p50/ },
  { script: 'lint.mjs', args: ['--lines', '300', '--seconds', '1', '--every', '50'], report: /lint in the worker\s+p50/ },
  { script: 'train.mjs', args: ['--seconds', '0.02', '--rounds', '1', '--only', 'A', '--no-torch', '--no-tfjs'], report: /^A \[2,4,2,1\] tanh/m },
  { script: 'custom-kernel.mjs', args: ['--n', '1000', '--runs', '1'], report: /^training \[2,64,64,1\]/m },
];

describe('npm run bench: every benchmark script runs to its report', function () {
  this.timeout(600_000);

  before(() => {
    // bench/lint.mjs runs the linter's worker bundle from dist/, as the extension ships it
    const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });

  for (const { script, args, report, node = [] } of SCRIPTS) {
    it(`bench/${script} ${args.join(' ')}`, () => {
      const r = spawnSync(process.execPath, [...node, join(root, 'bench', script), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
      const all = `${r.stdout}\n${r.stderr}`;
      assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `an uncaught error:\n${r.stderr}`);
      assert.match(r.stdout, report, `no report:\n${all}`);
      // exit 1 only as a speed target's verdict (printed), never without one
      assert.ok(r.status === 0 || (r.status === 1 && /exceeds|MISSED|OVER/.test(all)), `exit ${r.status}:\n${all}`);
    });
  }
});
