// AI009 (BCELoss inside a CUDA autocast region raises) and AI010 (a hand-written activation
// that overflows in float16 where its value fits): positives and negatives, severities,
// positions and messages; the autocast regions they read; and the claim AI010 rests on for
// library activations — none of the catalog's overflows in float16 where its value fits.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { lintCommand, type JsonFinding } from '../../src/cli/lint';
import { processIo } from '../../src/cli/io';
import { indexText } from '../../src/code/api';
import { lintCells, lintText, type LintFinding } from '../../src/code/lint';
import { autocastRegions } from '../../src/code/lint/autocast';
import { buildContext } from '../../src/code/lint/calls';
import { allEntries, resolve } from '../../src/engine/activations/registry';
import { dtypeScalars } from '../../src/engine/precision/evaluate';
import { roundF16 } from '../../src/engine/precision/round';
import { finiteValues } from '../../src/engine/precision/tables';

const STRICT = { onRuleError: (e: unknown): never => { throw e; } };
const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function findings(src: string, code: string): (LintFinding & { text: string; line: number })[] {
  return lintText(src, 'python', STRICT)
    .filter((f) => f.code === code)
    .map((f) => ({ ...f, text: src.slice(f.start, f.end), line: src.slice(0, f.start).split('\n').length }));
}

describe('autocast regions (src/code/lint/autocast.ts)', () => {
  const regions = (src: string) => autocastRegions(buildContext(indexText(src, 'python'))).map((r) => ({ device: r.device, dtype: r.dtype, enabled: r.enabled, body: src.slice(r.start, r.end).trim() }));
  it('reads device, dtype and enabled from each spelling; the region is the with-body', () => {
    const src = `${HEAD}from torch.cuda.amp import autocast\nwith torch.autocast("cuda"):\n    a = 1\nwith torch.cuda.amp.autocast(enabled=False):\n    b = 1\nwith torch.autocast(device_type="cpu"):\n    c = 1\nwith torch.amp.autocast(device_type=dev, dtype=torch.bfloat16):\n    d = 1\nwith autocast(enabled=use_amp), torch.no_grad():\n    e = 1\nf = 1\n`;
    assert.deepEqual(regions(src), [
      { device: 'cuda', dtype: 'float16', enabled: true, body: 'a = 1' },
      { device: 'cuda', dtype: 'float16', enabled: false, body: 'b = 1' },
      { device: 'cpu', dtype: 'bfloat16', enabled: true, body: 'c = 1' },
      { device: 'unknown', dtype: 'bfloat16', enabled: true, body: 'd = 1' },
      { device: 'cuda', dtype: 'float16', enabled: 'maybe', body: 'e = 1' },
    ]);
  });
  it('a context bound first (`ctx = … torch.amp.autocast(...)`, `with ctx:`) and a decorated def', () => {
    const src = `${HEAD}from torch.amp import autocast\nctx = nullcontext() if cpu else torch.amp.autocast(device_type="cuda", dtype=torch.float16)\nwith ctx:\n    a = 1\n@autocast("cuda", enabled=False)\ndef f(x):\n    return x\n`;
    assert.deepEqual(regions(src), [
      { device: 'cuda', dtype: 'float16', enabled: true, body: 'a = 1' },
      { device: 'cuda', dtype: 'float16', enabled: false, body: 'return x' },
    ]);
  });
});

describe('AI009 BCELoss under CUDA autocast', () => {
  it('information on the loss call inside an enabled CUDA autocast block, naming the block and the fix', () => {
    const src = `${HEAD}crit = nn.BCELoss()\nwith torch.cuda.amp.autocast():\n    out = model(x)\n    loss = crit(out, y)\n`;
    const f = findings(src, 'AI009');
    assert.equal(f.length, 1);
    const [a] = f;
    assert.ok(a);
    assert.equal(a.severity, 'information');
    assert.equal(a.text, 'crit(out, y)');
    assert.equal(a.line, 7);
    assert.match(a.message, /^nn\.BCELoss raises a RuntimeError here \(`torch\.cuda\.amp\.autocast\(\)`, line 5\)/);
    assert.match(a.message, /BCEWithLogitsLoss/);
    assert.match(a.message, /enabled=False/);
    assert.deepEqual(a.fixes, []);
  });

  it('bfloat16 CUDA autocast raises too (the ban does not depend on the dtype); F.binary_cross_entropy and nn.BCELoss()(…)', () => {
    const src = `${HEAD}with torch.autocast(device_type="cuda", dtype=torch.bfloat16):\n    l1 = F.binary_cross_entropy(p, t)\n    l2 = nn.BCELoss()(p, t)\n`;
    assert.deepEqual(findings(src, 'AI009').map((f) => [f.text, f.severity]), [['F.binary_cross_entropy(p, t)', 'information'], ['nn.BCELoss()(p, t)', 'information']]);
  });

  it('information when the device or enabled= is an expression', () => {
    const src = `${HEAD}with torch.autocast(device_type=device.type):\n    l1 = F.binary_cross_entropy(p, t)\nwith torch.cuda.amp.autocast(enabled=args.amp):\n    l2 = F.binary_cross_entropy(p, t)\n`;
    const f = findings(src, 'AI009');
    assert.deepEqual(f.map((x) => x.severity), ['information', 'information']);
    assert.match(f[0]?.message ?? '', /if this autocast runs on CUDA/);
    assert.match(f[1]?.message ?? '', /whenever this autocast is enabled/);
  });

  it('silent: enabled=False (block or decorator), CPU and MPS autocast, BCEWithLogitsLoss, code after the block', () => {
    const src = `${HEAD}from torch.amp import autocast\n@autocast("cuda", enabled=False)\ndef term(p, t):\n    return F.binary_cross_entropy(p.float(), t)\nwith torch.cuda.amp.autocast():\n    l0 = nn.BCEWithLogitsLoss()(z, t)\n    l1 = term(p, t)\n    with torch.autocast("cuda", enabled=False):\n        l2 = F.binary_cross_entropy(p.float(), t)\nl3 = F.binary_cross_entropy(p, t)\nwith torch.autocast("cpu"):\n    l4 = F.binary_cross_entropy(p, t)\nwith torch.autocast("mps"):\n    l5 = F.binary_cross_entropy(p, t)\n`;
    assert.deepEqual(findings(src, 'AI009'), []);
  });

  it("follows the file's own functions called in the region (information, with the calling line)", () => {
    const src = `${HEAD}class MaskLoss(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.bce = nn.BCELoss()\n    def forward(self, p, m):\n        return self.bce(p, m)\ndef helper(p, t):\n    return F.binary_cross_entropy(p, t)\ncrit = MaskLoss()\nwith torch.cuda.amp.autocast():\n    loss = crit(p, m) + helper(p, t)\n`;
    const f = findings(src, 'AI009');
    assert.deepEqual(f.map((x) => [x.text, x.severity, x.line]), [['self.bce(p, m)', 'information', 9], ['F.binary_cross_entropy(p, t)', 'information', 11]]);
    for (const x of f) assert.match(x.message, /called at line 14 inside the region/);
  });

  it('with a sigmoid inline, AI008 (the sigmoid) and AI009 (the call) mark different ranges', () => {
    const src = `${HEAD}with torch.autocast("cuda"):\n    loss = F.binary_cross_entropy(torch.sigmoid(z), y)\n`;
    const all = lintText(src, 'python', STRICT).map((f) => [f.code, src.slice(f.start, f.end)]);
    assert.deepEqual(all, [['AI009', 'F.binary_cross_entropy(torch.sigmoid(z), y)'], ['AI008', 'torch.sigmoid(z)']]);
  });
});

describe('AI010 hand-written activation that overflows in float16', () => {
  const softplus = 'def softplus(x):\n    return torch.log(1 + torch.exp(x))\n';

  it('.half(): information on the definition with the threshold, the op and the library function', () => {
    const src = `${HEAD}${softplus}model = Net().half()\n`;
    const f = findings(src, 'AI010');
    assert.equal(f.length, 1);
    const [a] = f;
    assert.ok(a);
    assert.equal(a.severity, 'information');
    assert.equal(a.text, 'softplus');
    assert.equal(a.line, 4);
    assert.equal(a.message, 'In float16 (`.half()`, line 6) every op of softplus stores its result in float16: exp(x) overflows (65504 is the largest float16) for x ≥ 11.09, so log(1 + exp(x)) is inf although its value (11.09 at x = 11.09) fits in float16. Use softplus(x) (F.softplus): it computes log(1 + exp(x)) without overflow.');
  });

  it('silent under CUDA autocast (exp and log run in float32) and in bfloat16', () => {
    assert.deepEqual(findings(`${HEAD}${softplus}with torch.autocast("cuda"):\n    y = softplus(h)\n`, 'AI010'), []);
    assert.deepEqual(findings(`${HEAD}${softplus}model = Net().bfloat16()\n`, 'AI010'), []);
    assert.deepEqual(findings(`${HEAD}${softplus}with torch.autocast("cpu"):\n    y = softplus(h)\n`, 'AI010'), []);
    assert.deepEqual(findings(`${HEAD}${softplus}`, 'AI010'), []);
  });

  it('under autocast an op off the float32 list still overflows: x * x in ISRU for |x| ≥ 256', () => {
    const src = `${HEAD}def isru(x):\n    return x / torch.sqrt(1 + x * x)\nwith torch.autocast("cuda"):\n    y = isru(h)\n`;
    const f = findings(src, 'AI010');
    assert.equal(f.length, 1);
    assert.match(f[0]?.message ?? '', /^Under float16 autocast \(`torch\.autocast\("cuda"\)`, line 6\) x \* x is computed in float16 .* for \|x\| ≥ 256, so x \/ sqrt\(1 \+ x \* x\) is 0 instead of 1\./);
  });

  it('silent for a saturating spelling (Mish as first written), library ops, and elementwise helpers that are no activation', () => {
    const src = `${HEAD}def mish(x):\n    return x * torch.tanh(torch.log(1 + torch.exp(x)))\ndef sp(x):\n    return F.softplus(x)\ndef log_snr(t):\n    return -torch.log(torch.expm1(1e-4 + 10 * t ** 2))\nmodel = Net().half()\n`;
    assert.deepEqual(findings(src, 'AI010'), []);
  });

  it('catalog activations need no rule: in float16 none is ±inf where its float64 value fits (every finite input, torch-opmath)', () => {
    const xs = finiteValues('float16');
    const bad: string[] = [];
    for (const e of allEntries()) {
      if (e.def.kind !== 'elementwise') continue;
      const b = e.bindings.find((x) => x.framework === 'torch') ?? e.bindings[0];
      if (!b) continue;
      const r = resolve(b.framework, b.names[0] as string, {});
      const k = e.def.kernel(r.params, r.conventions);
      const s = dtypeScalars(b.framework, e.def.id, r.params, r.conventions, k, 'float16');
      for (const x of xs) {
        const y = s.f(x);
        if ((y === Infinity || y === -Infinity) && Number.isFinite(roundF16(k.f(x)))) {
          bad.push(`${e.def.id}(${x}) = ${y}`);
          break;
        }
      }
    }
    assert.deepEqual(bad, []);
  });
});

describe('AI009/AI010 in notebooks', () => {
  it('cells are linted together (imports in the first cell); findings land in their cell at the flagged text', () => {
    const cells = [HEAD, 'with torch.autocast("cuda"):\n    l = F.binary_cross_entropy(p, t)\n', 'def softplus(x):\n    return torch.log(1 + torch.exp(x))\nm = net.half()\n'];
    const got = lintCells(cells, STRICT).map(({ cell, finding }) => [cell, finding.code, cells[cell]?.slice(finding.start, finding.end)]);
    assert.deepEqual(got, [[1, 'AI009', 'F.binary_cross_entropy(p, t)'], [2, 'AI010', 'softplus']]);
  });
});

describe('lint CLI JSON with the new rules', () => {
  it('same keys for AI009/AI010 findings; information only exits 0', async () => {
    let out = '';
    const code = await lintCommand([join(__dirname, '..', 'fixtures', 'lint', 'pos', 'real_amp_bce_in_block.py'), join(__dirname, '..', 'fixtures', 'lint', 'pos', 'real_half_softplus.py'), '--json'], { ...processIo, out: (s) => void (out += `${s}\n`), err: () => undefined });
    assert.equal(code, 0);
    const found = JSON.parse(out) as JsonFinding[];
    assert.deepEqual([...new Set(found.map((f) => f.code))].sort(), ['AI009', 'AI010']);
    assert.deepEqual([...new Set(found.map((f) => f.severity))], ['information']);
    for (const f of found) assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message']);
  });
});
