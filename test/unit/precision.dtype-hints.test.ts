// Finding the reduced precision a Python file runs its activations in (src/code/dtype.ts).
import * as assert from 'node:assert/strict';
import { dtypeHintAt, findDtypeHints } from '../../src/code/dtype';
import { explainText } from '../../src/cli/explain';

describe('dtype hints in Python source', () => {
  const cases: [string, string | undefined][] = [
    ['with torch.autocast("cuda", dtype=torch.bfloat16):', 'bfloat16'],
    ['with torch.autocast(device_type="cuda", dtype=torch.float16):', 'float16'],
    ['with torch.autocast("cuda"):', 'float16'],
    ['with torch.autocast("cpu"):', 'bfloat16'],
    ['with torch.cpu.amp.autocast():', 'bfloat16'],
    ['with torch.cuda.amp.autocast():', 'float16'],
    ['with torch.autocast("cuda", dtype=amp_dtype):', undefined],
    ['with torch.autocast("cuda", enabled=False):', undefined],
    ['model = Net().half()', 'float16'],
    ['model = model.bfloat16()', 'bfloat16'],
    ['x = x.to(torch.bfloat16)', 'bfloat16'],
    ['model.to(device, dtype=torch.half)', 'float16'],
    ['torch.set_default_dtype(torch.float16)', 'float16'],
    ['mixed_precision.set_global_policy("mixed_float16")', 'float16'],
    ["keras.mixed_precision.set_global_policy('mixed_bfloat16')", 'bfloat16'],
    ['keras.config.set_dtype_policy("bfloat16")', 'bfloat16'],
    ['dense = nn.Dense(128, dtype=jnp.bfloat16)', 'bfloat16'],
    ['# model.half()', undefined],
    ['x = torch.float32', undefined],
  ];
  for (const [src, want] of cases) {
    it(`${src} → ${want ?? 'none'}`, () => {
      const hits = findDtypeHints(`import torch\n${src}\n`);
      assert.deepEqual(hits.map((h) => h.dtype), want ? [want] : []);
      if (want) assert.equal(hits[0]?.line, 1);
    });
  }

  it('the hint nearest above a line applies, else the first below', () => {
    const src = 'import torch\nmodel = Net()\nwith torch.autocast("cuda", dtype=torch.bfloat16):\n    y = model(x)\nmodel.half()\n';
    assert.equal(dtypeHintAt(src, 1)?.dtype, 'bfloat16'); // none above: the first below
    assert.equal(dtypeHintAt(src, 3)?.dtype, 'bfloat16');
    assert.equal(dtypeHintAt(src, 4)?.dtype, 'float16');
    assert.equal(dtypeHintAt('import torch\n', 0), undefined);
  });

  it('the hover says what the dtype does to this activation (explain = the hover text)', () => {
    const src = 'import torch\nimport torch.nn as nn\nact = nn.Sigmoid()\nmodel = nn.Sequential(nn.Linear(2, 2), act).to(torch.bfloat16)\n';
    const r = explainText(src, 'm.py', 3, 10, { images: false });
    assert.match(r.markdown ?? '', /\*\*Precision:\*\* In bfloat16 \(`\.to\(torch\.bfloat16\)`\): f′ = 0 exactly for x ≤ -89; x ≥ 6\.25/);
    const half = explainText('import torch.nn as nn\nact = nn.SELU()\nnet.half()\n', 'm.py', 2, 10, { images: false });
    assert.match(half.markdown ?? '', /In float16 \(`\.half\(\)`\): f overflows to ∞ for x ≥ 62368; f′ = 0 exactly for x ≤ -17\.9063/);
    const plain = explainText('import torch.nn as nn\nact = nn.Sigmoid()\n', 'm.py', 2, 10, { images: false });
    assert.doesNotMatch(plain.markdown ?? '', /\*\*Precision:\*\*/);
  });
});
