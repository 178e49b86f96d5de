// One-input numeric helpers that real code is full of, and that are not activations: noise
// schedules, resolution shifts, colour curves, preconditionings, an array backend's own
// `def cos(x)`, a `def log(t, eps)` guard, a normal CDF. They compute an elementwise function
// of one input, so only their names and inputs tell them apart (src/code/custom/intent.ts).
// Every snippet is written here in the shape found in public diffusion and array-backend code
// (diffusers, guided-diffusion, denoising-diffusion-pytorch, keras backends); none is copied.
// Each rejection is paired with an activation of the same shape that must stay recognised.
import * as assert from 'node:assert/strict';
import { customAt, customDefinitions, rejectionAt } from '../../src/code/custom/index';

const HEADER = 'import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n';

/** The names customDefinitions recognises in `src`. */
function recognised(src: string): string[] {
  return customDefinitions(HEADER + src, 'python').map((r) => r.def.name);
}

function why(src: string, name: string): string | undefined {
  const text = HEADER + src;
  const i = text.indexOf(name);
  assert.ok(i >= 0, `${name} not in the snippet`);
  return rejectionAt(text, 'python', i);
}

describe('custom activations: one-input helpers that are not activations get no hover', () => {
  const rejected: [string, string, RegExp][] = [
    ['a resolution shift', 'def calculate_shift(image_seq_len, base_seq_len=256, max_shift=1.15, base_shift=0.5):\n    return (image_seq_len / base_seq_len) ** 0.5 * max_shift + base_shift\n', /reads as a utility/],
    ['a preconditioning', 'def get_noise_scale(sigmas):\n    return 1000 * 0.25 * torch.log(sigmas + 1e-44)\n', /reads as a utility/],
    ['a colour curve', 'def _srgb_curve(u):\n    return torch.where(u <= 0.04045, u / 12.92, ((u + 0.055) / 1.055) ** 2.4)\n', /schedule, noise, colour or length word/],
    ['a log-SNR schedule over t', 'def beta_log_snr(t):\n    return -torch.log(torch.expm1(1e-4 + 10 * t ** 2))\n', /input is named t/],
    ['a guarded log', 'def log(t, eps=1e-20):\n    return torch.log(t.clamp(min=eps))\n', /log is a math function/],
    ["an array backend's cos", 'def cos(x):\n    return torch.cos(x)\n', /cos is a math function/],
    ['square', 'def square(x):\n    return x * x\n', /square is a math function/],
    ['a normal CDF', 'def approx_normal_cdf(x):\n    return 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))\n', /schedule, noise, colour or length word/],
    ['a resampling kernel', 'def _triangle_kernel(x):\n    return torch.clamp(1 - torch.abs(x), min=0)\n', /schedule, noise, colour or length word/],
    ['an inverse sigmoid', 'def inverse_sigmoid(x, eps=1e-5):\n    x = x.clamp(min=0, max=1)\n    return torch.log(x.clamp(min=eps) / (1 - x).clamp(min=eps))\n', /inverse of a function/],
    ['a learning-rate lambda', 'sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1.0 / (2.0 + step))\n', /input is named step/],
  ];
  for (const [label, src, pattern] of rejected) {
    it(`${label}: no match, and it says why`, () => {
      assert.deepEqual(recognised(src), [], `${label} was recognised`);
      const name = /def (\w+)|lambda/.exec(src)?.[1] ?? 'lambda';
      assert.match(why(src, name) ?? '', pattern);
    });
  }

  it('a cosine noise schedule passed as a lambda to betas_for_alpha_bar', () => {
    const src = 'betas = betas_for_alpha_bar(1000, lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2)\n';
    assert.deepEqual(recognised(src), []);
    const text = HEADER + src;
    assert.equal(customAt(text, 'python', text.indexOf('lambda')), null);
  });

  it('activations of the same shapes stay recognised: a name that says activation wins over its input name', () => {
    const src = [
      'def swish(t, beta=1.0):\n    return t * torch.sigmoid(beta * t)\n',
      'def squared_relu(x):\n    return F.relu(x) ** 2\n',
      'def nonlinearity(x):\n    return x * torch.sigmoid(x)\n',
      'class MPSiLU(nn.Module):\n    def forward(self, x):\n        return F.silu(x) / 0.596\n',
      'class Sine(nn.Module):\n    def __init__(self, w0=30.0):\n        super().__init__()\n        self.w0 = w0\n\n    def forward(self, x):\n        return torch.sin(self.w0 * x)\n',
      'act = lambda t: t * torch.sigmoid(t)\n',
      'def hard_sigmoid_fwd(x):\n    return (x + 3).clamp(min=0, max=6) / 6\n',
      'def ssp(x):\n    return F.softplus(x) - math.log(2.0)\n',
    ].join('\n\n');
    assert.deepEqual(recognised(src).sort(), ['MPSiLU', 'Sine', 'act', 'hard_sigmoid_fwd', 'nonlinearity', 'ssp', 'squared_relu', 'swish'].sort());
  });
});
