// Finding the reduced precision a Python file runs its activations in (src/code/dtype.ts).
import * as assert from 'node:assert/strict';
import { findDtypeHints } from '../../src/code/dtype';

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
});
