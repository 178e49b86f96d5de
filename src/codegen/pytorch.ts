// Experiment → a runnable PyTorch script (torch ≥ 2.0): nn.Sequential of Linear, optional
// BatchNorm1d/LayerNorm, the activation module (or its functional form), Dropout; the same
// initializer, loss, optimizer, minibatching, penalties and clipping as the spec.
import type { InitSchemeSpec, TrainingSpec } from '../engine/train/spec';
import { embedData, header, hiddenWidths, kwargs, mapActivation, py } from './common';

/** The torch expression of hidden layer l's activation, as an nn.Module. */
function torchActivation(spec: TrainingSpec, l: number): string {
  const a = spec.activations[l];
  if (!a) return 'nn.Identity()';
  const m = mapActivation(a, 'torch');
  if (!m) return `Lambda(lambda x: unsupported(${py(a.name)}))`;
  const moduleCls = m.binding.paths.find((p) => /^torch\.nn\.[A-Z]/.test(p));
  const fn = m.binding.paths.find((p) => /^torch\.nn\.functional\.|^torch\.[a-z]/.test(p));
  const args = kwargs(m.params);
  if (moduleCls) return `${moduleCls.replace(/^torch\.nn\./, 'nn.')}(${args})`;
  if (fn) return `Lambda(lambda x: ${fn}(x${args ? `, ${args}` : ''}))`;
  return `Lambda(lambda x: torch.${m.binding.names[0] ?? m.id}(x${args ? `, ${args}` : ''}))`;
}

function initLines(init: InitSchemeSpec): string[] {
  const s = init.scheme;
  const w: Record<string, string> = {
    zeros: 'nn.init.zeros_(w)',
    constant: `nn.init.constant_(w, ${py(init.value ?? 0)})`,
    uniform: `nn.init.uniform_(w, ${py(init.a ?? 0)}, ${py(init.b ?? 1)})`,
    normal: `nn.init.normal_(w, ${py(init.mean ?? 0)}, ${py(init.std ?? 1)})`,
    xavier_uniform: `nn.init.xavier_uniform_(w, gain=${py(init.gain ?? 1)})`,
    xavier_normal: `nn.init.xavier_normal_(w, gain=${py(init.gain ?? 1)})`,
    kaiming_uniform: `nn.init.kaiming_uniform_(w, a=${py(init.negative_slope ?? 0)}, mode=${py(init.mode ?? 'fan_in')}, nonlinearity=${py(init.nonlinearity ?? 'leaky_relu')})`,
    kaiming_normal: `nn.init.kaiming_normal_(w, a=${py(init.negative_slope ?? 0)}, mode=${py(init.mode ?? 'fan_in')}, nonlinearity=${py(init.nonlinearity ?? 'leaky_relu')})`,
    lecun_normal: 'nn.init.normal_(w, 0.0, 1.0 / math.sqrt(w.shape[1]))  # LeCun normal: std = 1/sqrt(fan_in)',
    orthogonal: `nn.init.orthogonal_(w, gain=${py(init.gain ?? 1)})`,
  };
  if (s === 'torch_default') return ['pass  # keep torch.nn.Linear’s default initialization'];
  const bias = init.bias ? (initLines({ ...init.bias, bias: undefined })[0]?.replace('(w', '(b') ?? 'nn.init.zeros_(b)') : 'nn.init.zeros_(b)';
  return [w[s] ?? 'pass', bias];
}

export function pytorchScript(spec: TrainingSpec): string {
  const data = embedData(spec);
  const L = spec.sizes.length - 1;
  const layers: string[] = [];
  hiddenWidths(spec).forEach((w, l) => {
    const nIn = spec.sizes[l] as number;
    layers.push(`    nn.Linear(${nIn}, ${w}),`);
    if (spec.norm === 'batch') layers.push(`    nn.BatchNorm1d(${w}),`);
    if (spec.norm === 'layer') layers.push(`    nn.LayerNorm(${w}),`);
    layers.push(`    ${torchActivation(spec, l)},`);
    const p = spec.dropout[l] ?? 0;
    if (p > 0) layers.push(`    nn.Dropout(${py(p)}),`);
  });
  layers.push(`    nn.Linear(${spec.sizes[L - 1]}, ${spec.sizes[L]}),`);
  if (spec.output_activation === 'sigmoid') layers.push('    nn.Sigmoid(),');
  if (spec.output_activation === 'tanh') layers.push('    nn.Tanh(),');

  const o = spec.optimizer;
  const opt =
    o.kind === 'sgd'
      ? `torch.optim.SGD(model.parameters(), ${kwargs({ lr: o.lr, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weight_decay: o.weight_decay })})`
      : o.kind === 'rmsprop'
        ? `torch.optim.RMSprop(model.parameters(), ${kwargs({ lr: o.lr, alpha: o.alpha, eps: o.eps, weight_decay: o.weight_decay, momentum: o.momentum, centered: o.centered })})`
        : `torch.optim.${o.kind === 'adam' ? 'Adam' : 'AdamW'}(model.parameters(), lr=${py(o.lr)}, betas=(${py(o.betas[0])}, ${py(o.betas[1])}), ${kwargs({ eps: o.eps, weight_decay: o.weight_decay, amsgrad: o.amsgrad })})`;
  const loss = spec.task === 'binary' ? 'nn.BCEWithLogitsLoss()' : spec.task === 'multiclass' ? 'nn.CrossEntropyLoss()' : 'nn.MSELoss()';
  const yType = spec.task === 'multiclass' ? 'torch.long' : 'DTYPE';
  const yShape = spec.task === 'binary' ? '.reshape(-1, 1)' : '';
  const init = 'W' in spec.init ? null : spec.init;
  const explicit = 'W' in spec.init ? spec.init : null;
  const threshold = spec.output_activation === 'sigmoid' ? 0.5 : 0;

  return `${header(spec, 'PyTorch')}
import math

import torch
from torch import nn

torch.manual_seed(${spec.seed})
DTYPE = torch.${spec.precision}
torch.set_default_dtype(DTYPE)


def unsupported(name):
    raise NotImplementedError(f"{name} has no PyTorch counterpart")


class Lambda(nn.Module):
    """Wraps a functional activation as a module."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


X_train = torch.tensor(${data.xTrain}, dtype=DTYPE)
y_train = torch.tensor(${data.yTrain}, dtype=${yType})${yShape}
${data.xTest ? `X_test = torch.tensor(${data.xTest}, dtype=DTYPE)\ny_test = torch.tensor(${data.yTest}, dtype=${yType})${yShape}` : 'X_test = y_test = None'}

model = nn.Sequential(
${layers.join('\n')}
)
linears = [m for m in model if isinstance(m, nn.Linear)]
${
  explicit
    ? `W_init = ${py(explicit.W)}\nb_init = ${py(explicit.b)}\nwith torch.no_grad():\n    for layer, W, b in zip(linears, W_init, b_init):\n        layer.weight.copy_(torch.tensor(W))\n        layer.bias.copy_(torch.tensor(b))`
    : `with torch.no_grad():\n    for layer in linears:\n        w, b = layer.weight, layer.bias\n${initLines(init as InitSchemeSpec).map((l) => `        ${l}`).join('\n')}`
}

loss_fn = ${loss}
optimizer = ${opt}
STEPS = ${spec.steps}
BATCH_SIZE = ${spec.batch_size ?? 'None'}  # None = full batch
FIXED_BATCHES = ${spec.batches ? py(spec.batches) : 'None'}
L1, L2 = ${py(spec.l1)}, ${py(spec.l2)}
CLIP = ${spec.grad_clip_norm === null ? 'None' : py(spec.grad_clip_norm)}
generator = torch.Generator().manual_seed(${spec.seed})


def batches():
    """Yields index tensors: fixed batches cycled, else reshuffled minibatches each epoch."""
    n = X_train.shape[0]
    while True:
        if FIXED_BATCHES is not None:
            for b in FIXED_BATCHES:
                yield torch.tensor(b)
        elif BATCH_SIZE is None or BATCH_SIZE >= n:
            yield torch.arange(n)
        else:
            order = torch.randperm(n, generator=generator)
            for i in range(0, n, BATCH_SIZE):
                yield order[i:i + BATCH_SIZE]


def evaluate(X, y):
    model.eval()
    with torch.no_grad():
        out = model(X)
        loss = loss_fn(out, y).item()
        ${spec.task === 'binary' ? `acc = ((out > ${threshold}).to(y.dtype) == y).float().mean().item()` : spec.task === 'multiclass' ? 'acc = (out.argmax(1) == y).float().mean().item()' : 'acc = None'}
    model.train()
    return loss, acc


def dead_fractions(X):
    """Per hidden layer: share of units whose activation is 0 for every sample."""
    fractions, h = [], X
    model.eval()
    with torch.no_grad():
        for m in model:
            h = m(h)
            if not isinstance(m, (nn.Linear, nn.BatchNorm1d, nn.LayerNorm, nn.Dropout)) and m is not model[-1]:
                fractions.append((h == 0).all(dim=0).float().mean().item())
    model.train()
    return fractions


model.train()
it = batches()
for step in range(STEPS):
    idx = next(it)
    optimizer.zero_grad()
    loss = loss_fn(model(X_train[idx]), y_train[idx])
    if L1 or L2:
        loss = loss + sum(L1 * l.weight.abs().sum() + L2 * (l.weight ** 2).sum() for l in linears)
    if not torch.isfinite(loss):
        print(f"diverged at step {step}: loss = {loss.item()}")
        break
    loss.backward()
    if CLIP is not None:
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
    optimizer.step()
    if step % max(1, STEPS // 10) == 0:
        print(f"step {step:6d}  loss {loss.item():.6f}")

train_loss, train_acc = evaluate(X_train, y_train)
print(f"final train loss {train_loss:.6f}  accuracy {train_acc}")
if X_test is not None:
    test_loss, test_acc = evaluate(X_test, y_test)
    print(f"final test loss {test_loss:.6f}  accuracy {test_acc}")
print("dead fraction per hidden layer:", dead_fractions(X_train))
`;
}
