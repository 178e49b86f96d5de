// `list` and `show` for the gated two-input activations (src/cli/describeGated.ts): the
// rows the other entries had stay exactly as they were, the gated rows are added with
// kind "gated" and their two inputs, and `show ID` prints f(a, b), both partials, the
// argument order and each framework's binding — F.glu's split form, or "none".
import * as assert from 'node:assert/strict';
import { runCommand } from '../../src/cli/command';
import { LIST, SHOW } from '../../src/cli/describe';
import type { CliIo } from '../../src/cli/io';
import { GATED_ENTRIES } from '../../src/engine/activations/catalog';
import { allEntries } from '../../src/engine/activations/registry';

async function run(spec: typeof LIST, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => void (out += `${s}\n`),
    err: (s) => void (err += `${s}\n`),
    readFile: () => {
      throw new Error('no files');
    },
    listDir: () => undefined,
  };
  const code = await runCommand(spec, argv, io);
  return { code, out, err };
}

interface Row {
  id: string;
  title: string;
  kind: string;
  names: Record<string, string[]>;
  inputs?: string[];
  gate?: string;
  formula?: string;
  split?: Record<string, string[]>;
  splitOf?: string;
}

describe('CLI: gated activations in list and show', () => {
  it('list --json: every catalog row keeps its shape, then one "gated" row per GLU variant with two inputs', async () => {
    const r = await run(LIST, '--json');
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Row[];
    const n = allEntries().length;
    assert.deepEqual(rows.slice(0, n).map((x) => x.id), allEntries().map((e) => e.def.id));
    for (const x of rows.slice(0, n)) assert.deepEqual(Object.keys(x), ['id', 'title', 'kind', 'names'], x.id);
    const gated = rows.slice(n);
    assert.deepEqual(gated.map((x) => [x.id, x.kind, x.gate, x.inputs]), [
      ['glu_ab', 'gated', 'sigmoid', ['a', 'b']],
      ['reglu', 'gated', 'relu', ['a', 'b']],
      ['geglu', 'gated', 'gelu', ['a', 'b']],
      ['swiglu', 'gated', 'silu', ['a', 'b']],
    ]);
    const glu = gated[0] as Row;
    assert.equal(glu.formula, 'f(a, b) = a·σ(b)');
    assert.deepEqual(glu.names.torch, ['glu', 'GLU']);
    assert.deepEqual(glu.split?.torch, ['torch.nn.functional.glu', 'torch.nn.GLU']);
    assert.deepEqual(glu.split?.jax, ['jax.nn.glu']);
    assert.equal(glu.splitOf, 'glu');
    for (const x of gated.slice(1)) {
      assert.deepEqual(Object.values(x.names).flat(), [], `${x.id}: no framework function`);
      assert.deepEqual(x.split, {});
    }
  });

  it('list --json --framework keeps only rows with names there: GLU for torch, no SwiGLU', async () => {
    const rows = JSON.parse((await run(LIST, '--json', '--framework', 'torch')).out) as Row[];
    assert.ok(rows.every((x) => (x.names.torch ?? []).length > 0));
    assert.ok(rows.some((x) => x.id === 'glu_ab'));
    assert.ok(!rows.some((x) => x.id === 'swiglu'));
    const tf = JSON.parse((await run(LIST, '--json', '--framework', 'tf')).out) as Row[];
    assert.ok(!tf.some((x) => x.kind === 'gated'), 'TensorFlow has no GLU function');
  });

  it('list (text) marks the gated section as two-input f(a, b)', async () => {
    const r = await run(LIST);
    assert.match(r.out, /^36 activations/m);
    assert.match(r.out, /4 gated activations, two inputs f\(a, b\) = a·g\(b\) \(a = value, b = gate/);
    assert.match(r.out, /^ {2}swiglu +SwiGLU +f\(a, b\) = a·b·σ\(b\) +torch: — /m);
    const t = await run(LIST, '--framework', 'torch');
    assert.match(t.out, /glu, GLU +GLU \(two inputs\) on x split into halves \[a, b\] along dim \(default -1\)/);
    assert.match(t.out, /no PyTorch function for ReGLU, GeGLU, SwiGLU/);
  });

  for (const e of GATED_ENTRIES) {
    it(`show ${e.def.id}: f(a, b), ∂f/∂a, ∂f/∂b as the catalog has them, the argument order, and a line per framework`, async () => {
      const r = await run(SHOW, e.def.id);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`^${e.def.title.replace(/[()]/g, '\\$&')} \\(${e.def.id}\\)`));
      assert.match(r.out, /Two inputs: f\(a, b\) = a·g\(b\), a = value, b = gate/);
      for (const f of [e.def.formulas.f, e.def.formulas.dfda, e.def.formulas.dfdb]) assert.ok(r.out.includes(`  ${f.text}\n`), f.text);
      assert.match(r.out, /Shazeer.*a = xV and b = xW here/);
      for (const label of ['PyTorch', 'Keras 3', 'JAX', 'TensorFlow \\(tf.nn / tf.keras 2\\)', 'TensorFlow.js']) assert.match(r.out, new RegExp(`^${label}: `, 'm'));
      // the same entry by its title (GLU itself names the frameworks' one-input function: see below)
      if (e.def.id !== 'glu_ab') assert.equal((await run(SHOW, e.def.title)).out.split('\n')[0], r.out.split('\n')[0]);
    });
  }

  it('show glu_ab: torch F.glu / nn.GLU split x along dim (default -1), the gate is the second half; TF has none', async () => {
    const r = await run(SHOW, 'glu_ab');
    assert.match(r.out, /^PyTorch: torch\.nn\.functional\.glu, torch\.nn\.GLU\n {2}split form: takes one tensor x, splits it into halves \[a, b\] along dim \(default dim=-1; its length must be even\) and returns a·g\(b\) — the gate is the SECOND half/m);
    assert.match(r.out, /^JAX: jax\.nn\.glu$/m);
    assert.match(r.out, /^TensorFlow \(tf\.nn \/ tf\.keras 2\): none \(no function computes GLU \(two inputs\)\) — from the halves: a, b = tf\.split\(x, 2, axis=-1\); a \* tf\.sigmoid\(b\)$/m);
  });

  it('show swiglu --framework torch: no PyTorch function, how to write it with the gate second', async () => {
    const r = await run(SHOW, 'swiglu', '--framework', 'torch');
    assert.match(r.out, /^PyTorch: none \(no function computes SwiGLU\) — from the halves: a, b = x\.chunk\(2, dim=-1\); a \* F\.silu\(b\)$/m);
    assert.doesNotMatch(r.out, /^JAX:/m);
  });

  it('show reglu: the kink at b = 0 with one-sided ∂f/∂b and the catalog value', async () => {
    const r = await run(SHOW, 'reglu');
    assert.match(r.out, /at b = 0: ∂f\/∂b is a·0 on the left, a·1 on the right; the catalog returns a·0/);
  });

  it('show glu (the one-input function) points at its two-input form; GLU keeps meaning the framework function', async () => {
    const r = await run(SHOW, 'glu');
    assert.match(r.out, /^GLU \(gated linear unit\) \(glu\)/);
    assert.match(r.out, /Two-input form: glu_ab \(f\(a, b\) = a·σ\(b\), a = first half, b = second half = gate; show glu_ab\)/);
    assert.doesNotMatch(r.out, /share the mass/, 'the softmax ±inf note is not about GLU');
    assert.match((await run(SHOW, 'GLU', '--framework', 'torch')).out, /^GLU \(gated linear unit\) \(glu\)/);
  });

  it('a misspelt gated name suggests it (exit 2, one line)', async () => {
    const r = await run(SHOW, 'swigl');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown activation "swigl"; did you mean "swiglu"/);
    assert.equal(r.err.trim().split('\n').length, 1);
  });
});
