// The generated PyTorch / Keras / JAX scripts are valid Python (py_compile), embed the exact
// data the engine trains on, and spell the activations with the target framework's names,
// parameters and defaults.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { generateCode, mapActivation, py } from '../../src/codegen';
import { prepareData } from '../../src/engine/train/setup';
import { parseTrainingSpec } from '../../src/engine/train/spec';
import type { CodeTarget } from '../../src/shared/protocol';

const base = {
  task: 'binary',
  sizes: [2, 8, 8, 1],
  data: { kind: 'circle', n: 40, noise: 0.1 },
  test_fraction: 0.25,
  init: { scheme: 'kaiming_uniform' },
  optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 },
  batch_size: 8,
  steps: 20,
  seed: 7,
};

function compiles(src: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'ai-codegen-'));
  try {
    const file = join(dir, 'script.py');
    writeFileSync(file, src);
    execFileSync('python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`py_compile failed:\n${err.stderr?.toString() ?? String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('codegen', () => {
  const targets: CodeTarget[] = ['pytorch', 'keras', 'jax'];
  const variants: [string, Record<string, unknown>][] = [
    ['relu, sgd', { activation: 'relu' }],
    ['leaky_relu 0.2, adam, clip, l2, batch norm, dropout', { activation: { name: 'leaky_relu', params: { negative_slope: 0.2 } }, optimizer: { kind: 'adam', lr: 0.01 }, grad_clip_norm: 1, l2: 1e-4, norm: 'batch', dropout: 0.1 }],
    ['multiclass spiral, rmsprop, torch default init', { task: 'multiclass', sizes: [2, 8, 3], data: { kind: 'spiral', n: 30, classes: 3 }, activation: 'relu6', optimizer: { kind: 'rmsprop', lr: 0.01, momentum: 0.5 }, init: 'torch_default' }],
    ['1-D regression, adamw, zeros, full batch', { task: 'regression', sizes: [1, 6, 1], data: { kind: 'sine', n: 20 }, activation: 'hardtanh', optimizer: { kind: 'adamw', lr: 0.01 }, init: 'zeros', batch_size: null }],
  ];
  for (const [name, patch] of variants) {
    for (const t of targets) {
      it(`${t}: ${name} → valid Python`, () => {
        const spec = parseTrainingSpec({ ...base, ...patch });
        const src = generateCode(t, spec);
        compiles(src);
        assert.ok(src.includes(`${spec.steps}`), 'the step count is in the script');
      });
    }
  }

  it('embeds exactly the training split the engine uses', () => {
    const spec = parseTrainingSpec(base);
    const { train, test } = prepareData(spec);
    const src = generateCode('pytorch', spec);
    // the first and last training rows appear verbatim (repr-exact floats)
    const row = (i: number): string => `[${py(train.X[i * 2])}, ${py(train.X[i * 2 + 1])}]`;
    assert.ok(src.includes(row(0)), 'first training row embedded');
    assert.ok(src.includes(row(train.n - 1)), 'last training row embedded');
    assert.ok(test && test.n === 10, 'a quarter of 40 rows is held out');
    assert.strictEqual((src.match(/^\s+\[-?\d/gm) ?? []).length, train.n + (test?.n ?? 0));
  });

  it('maps activations to each framework’s spelling and parameter names', () => {
    const leaky = { name: 'leaky_relu', params: { negative_slope: 0.2 }, framework: 'torch' };
    assert.deepStrictEqual(mapActivation(leaky, 'tf')?.params, { alpha: 0.2 }, 'tf.nn.leaky_relu calls it alpha');
    assert.deepStrictEqual(mapActivation(leaky, 'jax')?.params, { negative_slope: 0.2 });
    // torch's default slope 0.01 is not Keras's default (0.2): it must be written out
    const torchDefault = { name: 'leaky_relu', params: {}, framework: 'torch' };
    assert.deepStrictEqual(mapActivation(torchDefault, 'keras')?.params, { negative_slope: 0.01 });
    assert.deepStrictEqual(mapActivation(torchDefault, 'tf')?.params, { alpha: 0.01 });
    const src = generateCode('pytorch', parseTrainingSpec({ ...base, activation: leaky }));
    assert.ok(src.includes('nn.LeakyReLU(negative_slope=0.2)'), 'torch module with its own argument name');
    const k = generateCode('keras', parseTrainingSpec({ ...base, activation: leaky }));
    assert.ok(k.includes('keras.activations.leaky_relu(x, negative_slope=0.2)'));
    const j = generateCode('jax', parseTrainingSpec({ ...base, activation: leaky }));
    assert.ok(j.includes('jax.nn.leaky_relu(x, negative_slope=0.2)'));
  });

  it('writes Python literals exactly', () => {
    assert.strictEqual(py(0.1), '0.1');
    assert.strictEqual(py(true), 'True');
    assert.strictEqual(py(null), 'None');
    assert.strictEqual(py("it's"), "'it\\'s'");
    assert.strictEqual(py(-Infinity), "-float('inf')");
    assert.strictEqual(Number(py(1 / 3)), 1 / 3);
  });
});
