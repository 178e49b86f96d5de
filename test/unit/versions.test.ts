// Modelled framework versions and the differences between versions, checked against what
// the frameworks return: torch 2.11.0 (the reference fixture), torch 1.13 (a measured
// fixture, and live when /usr/bin/python3 can import torch).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { elementwiseKernel } from '../../src/engine/activations/registry';
import { FRAMEWORKS } from '../../src/engine/activations/types';
import { MODELLED_VERSIONS, majorMinor, versionDifferences, versionLines } from '../../src/engine/activations/versions';
import reference from '../fixtures/pytorch-jax-reference.json';
import { indexText, matchAt } from '../../src/code/api';
import { hoverMarkdown } from '../../src/render/markdown';

interface Measured {
  torch: string;
  hardswish_dy: Record<'-3' | '3', number>;
  softshrink_nan: number | 'nan';
}

const FIX = join(__dirname, '..', 'fixtures', 'versions');
const torch113 = JSON.parse(readFileSync(join(FIX, 'torch-1.13.json'), 'utf8')) as Measured;

/** What the difference table says version `v` gives, as numbers. */
function claimed(v: string): { dyMinus3: number; dy3: number; softshrinkNan: number } {
  const [hs] = versionDifferences('torch', 'hardswish');
  const [ss] = versionDifferences('torch', 'softshrink');
  assert.ok(hs && ss);
  const hv = hs.values[hs.pick(v) as number]?.value ?? '';
  const m = /f′\(−3\) = (−?[\d.]+), f′\(3\) = (−?[\d.]+)/.exec(hv);
  assert.ok(m, hv);
  const num = (s: string): number => Number(s.replace('−', '-'));
  const sv = ss.values[ss.pick(v) as number]?.value;
  return { dyMinus3: num(m[1] as string), dy3: num(m[2] as string), softshrinkNan: sv === 'NaN' ? NaN : Number(sv) };
}

function measured(m: Measured): { dyMinus3: number; dy3: number; softshrinkNan: number } {
  return { dyMinus3: m.hardswish_dy['-3'], dy3: m.hardswish_dy['3'], softshrinkNan: m.softshrink_nan === 'nan' ? NaN : m.softshrink_nan };
}

describe('framework versions', () => {
  it('states a modelled version for every framework', () => {
    for (const f of FRAMEWORKS) assert.match(MODELLED_VERSIONS[f].modelled, /\d/, f);
  });

  it('parses version strings as interpreters print them', () => {
    assert.deepEqual(majorMinor('1.13.0a0'), [1, 13]);
    assert.deepEqual(majorMinor('2.11.0+cu130'), [2, 11]);
    assert.equal(majorMinor('dev'), undefined);
  });

  it('torch 1.13: the table gives what torch 1.13 returned (measured fixture)', () => {
    assert.deepEqual(claimed(torch113.torch), measured(torch113));
  });

  it('torch 2.11: the table gives what the reference data holds, and the engine returns it', () => {
    const about = (reference as { generator: { torch: string } }).generator.torch;
    const c = claimed(about);
    const cases = (reference as { elementwise: { framework: string; fn: string; x: (number | string)[]; y: (number | string)[]; dy: (number | string)[] }[] }).elementwise;
    const hs = cases.find((e) => e.framework === 'torch' && e.fn === 'hardswish');
    const ss = cases.find((e) => e.framework === 'torch' && e.fn === 'softshrink');
    assert.ok(hs && ss);
    assert.equal(hs.dy[hs.x.indexOf(-3)], c.dyMinus3);
    assert.equal(hs.dy[hs.x.indexOf(3)], c.dy3);
    assert.ok(Number.isNaN(c.softshrinkNan) && ss.y[ss.x.indexOf('nan')] === 'nan');
    // the engine models 2.x
    const k = elementwiseKernel('hardswish');
    assert.equal(k.df(-3), c.dyMinus3);
    assert.equal(k.df(3), c.dy3);
  });

  it('torch installed here (/usr/bin/python3), when it can import torch: the table matches it', function () {
    const r = spawnSync('/usr/bin/python3', [join(FIX, 'gen_torch_versions.py')], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      // No torch on this machine: the measured 1.13 fixture above stands in for it.
      assert.ok(r.error || r.status !== 0);
      return;
    }
    const live = JSON.parse(r.stdout) as Measured;
    assert.deepEqual(claimed(live.torch), measured(live));
  });

  it('show-style lines state both versions, and which applies to an installed one', () => {
    const [line] = versionLines('torch', 'hardswish');
    assert.match(line ?? '', /≥ 2\.7.*f′\(−3\) = 0, f′\(3\) = 1; ≤ 2\.6.*f′\(−3\) = −0\.5, f′\(3\) = 1\.5/);
    const [mine] = versionLines('torch', 'hardswish', '1.13.0a0');
    assert.match(mine ?? '', /your torch 1\.13\.0a0 gives f′\(−3\) = −0\.5, f′\(3\) = 1\.5/);
    assert.deepEqual(versionLines('jax', 'hardswish'), []);
  });
});

describe('framework versions in the hover', () => {
  it('a torch hardswish hover states both versions; a JAX one does not', () => {
    const hoverAt = (code: string, needle: string): string => {
      const rm = matchAt(indexText(code, 'python'), code.indexOf(needle) + 1);
      assert.ok(rm, needle);
      return hoverMarkdown(rm, { images: false });
    };
    const torch = hoverAt('import torch.nn as nn\nact = nn.Hardswish()\n', 'Hardswish');
    assert.match(torch, /Versions: f′\(−3\) and f′\(3\) differ between versions: ≥ 2\.7.*≤ 2\.6/);
    const jax = hoverAt('import jax\ny = jax.nn.hard_swish(x)\n', 'hard_swish');
    assert.ok(!jax.includes('Versions:'), jax);
  });

  it('with the installed torch version known (the probe reports it), the hover says which value applies', () => {
    const code = 'import torch.nn as nn\nact = nn.Hardswish()\n';
    const rm = matchAt(indexText(code, 'python'), code.indexOf('Hardswish') + 1);
    assert.ok(rm);
    const old = hoverMarkdown(rm, { images: false, installed: { torch: '1.13.0a0+git' } });
    assert.match(old, /— your torch 1\.13\.0a0\+git gives f′\(−3\) = −0\.5, f′\(3\) = 1\.5/);
    const recent = hoverMarkdown(rm, { images: false, installed: { torch: '2.11.0+cu130' } });
    assert.match(recent, /— your torch 2\.11\.0\+cu130 gives f′\(−3\) = 0, f′\(3\) = 1\./);
    // a version of another framework says nothing about torch's
    assert.ok(!hoverMarkdown(rm, { images: false, installed: { jax: '0.4.30' } }).includes('your torch'));
  });
});
