// Experiment → a runnable JAX script (jax only, no optax/flax): parameters as a list of
// (W, b) with W[in][out], jax.nn activations with the spec's parameters, the initializer
// from jax.nn.initializers, and the optimizer written out with PyTorch's update rules.
import type { InitSchemeSpec, TrainingSpec } from '../engine/train/spec';
import { embedData, header, kwargs, mapActivation, NUMPY_BATCH_LOOP, py } from './common';

function jaxActivation(spec: TrainingSpec, l: number): string {
  const a = spec.activations[l];
  if (!a) return 'lambda x: x';
  const m = mapActivation(a, 'jax');
  if (!m) return `lambda x: unsupported(${py(a.name)})`;
  const path = m.binding.paths.find((p) => p.startsWith('jax.nn.') || p.startsWith('jax.numpy.') || p.startsWith('jnp.')) ?? `jax.nn.${m.binding.names[0] ?? m.id}`;
  const args = kwargs(m.params);
  return args ? `lambda x: ${path}(x, ${args})` : path;
}

function jaxInit(init: InitSchemeSpec): string {
  const I = 'jax.nn.initializers';
  switch (init.scheme) {
    case 'zeros':
      return `${I}.zeros`;
    case 'constant':
      return `${I}.constant(${py(init.value ?? 0)})`;
    case 'uniform':
      return `lambda k, s, d=DTYPE: jax.random.uniform(k, s, d, ${py(init.a ?? 0)}, ${py(init.b ?? 1)})`;
    case 'normal':
      return `lambda k, s, d=DTYPE: ${py(init.mean ?? 0)} + ${py(init.std ?? 1)} * jax.random.normal(k, s, d)`;
    case 'xavier_uniform':
      return `${I}.variance_scaling(${py((init.gain ?? 1) ** 2)}, 'fan_avg', 'uniform')`;
    case 'xavier_normal':
      return `${I}.variance_scaling(${py((init.gain ?? 1) ** 2)}, 'fan_avg', 'normal')`;
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const a = init.negative_slope ?? 0;
      const scale = init.nonlinearity === 'linear' || init.nonlinearity === 'sigmoid' ? 1 : init.nonlinearity === 'tanh' ? (5 / 3) ** 2 : 2 / (1 + a * a);
      return `${I}.variance_scaling(${py(scale)}, ${py(init.mode ?? 'fan_in')}, '${init.scheme === 'kaiming_uniform' ? 'uniform' : 'normal'}')`;
    }
    case 'lecun_normal':
      return `${I}.variance_scaling(1.0, 'fan_in', 'normal')`;
    case 'orthogonal':
      return `${I}.orthogonal(${py(init.gain ?? 1)})`;
    default:
      // torch.nn.Linear's default: U(−1/√fan_in, 1/√fan_in)
      return `${I}.variance_scaling(1 / 3, 'fan_in', 'uniform')`;
  }
}

export function jaxScript(spec: TrainingSpec): string {
  const data = embedData(spec);
  const init = 'W' in spec.init ? null : spec.init;
  const explicit = 'W' in spec.init ? spec.init : null;
  const o = spec.optimizer;
  const acts = spec.activations.map((_, l) => `    ${jaxActivation(spec, l)},`).join('\n');
  const out = spec.output_activation === 'sigmoid' ? 'jax.nn.sigmoid' : spec.output_activation === 'tanh' ? 'jnp.tanh' : 'lambda x: x';
  const loss =
    spec.task === 'binary'
      ? '    return jnp.mean(jnp.maximum(out, 0) - out * y + jnp.log1p(jnp.exp(-jnp.abs(out))))  # BCE with logits'
      : spec.task === 'multiclass'
        ? '    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(out), y[:, None], axis=1))  # cross-entropy'
        : '    return jnp.mean((out - y) ** 2)  # MSE';
  const thr = spec.output_activation === 'sigmoid' ? 0.5 : 0;
  return `${header(spec, 'JAX')}
# Needs only jax (no optax/flax). The optimizer follows PyTorch's update rules.
import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", ${spec.precision === 'float64' ? 'True' : 'False'})
DTYPE = jnp.${spec.precision}
SIZES = ${py(spec.sizes)}


def unsupported(name):
    raise NotImplementedError(f"{name} has no JAX counterpart")


X_train = jnp.array(${data.xTrain}, dtype=DTYPE)
y_train = jnp.array(${data.yTrain}${spec.task === 'multiclass' ? ', dtype=jnp.int32' : ', dtype=DTYPE'})${spec.task === 'binary' ? '.reshape(-1, 1)' : ''}
${data.xTest ? `X_test = jnp.array(${data.xTest}, dtype=DTYPE)\ny_test = jnp.array(${data.yTest}${spec.task === 'multiclass' ? ', dtype=jnp.int32' : ', dtype=DTYPE'})${spec.task === 'binary' ? '.reshape(-1, 1)' : ''}` : 'X_test = y_test = None'}

ACTIVATIONS = [
${acts}
]
OUTPUT = ${out}
L1, L2 = ${py(spec.l1)}, ${py(spec.l2)}
CLIP = ${spec.grad_clip_norm === null ? 'None' : py(spec.grad_clip_norm)}
STEPS = ${spec.steps}
BATCH_SIZE = ${spec.batch_size ?? 'None'}  # None = full batch
FIXED_BATCHES = ${spec.batches ? py(spec.batches) : 'None'}
${spec.norm !== 'none' ? `# Note: the spec asks for ${spec.norm} normalization between layers; this script leaves it out.\n` : ''}${spec.dropout.some((p) => p > 0) ? '# Note: dropout is left out of this script (training uses it only as regularisation).\n' : ''}

def init_params(key):
    params = []
${
  explicit
    ? `    for W, b in zip(${py(explicit.W)}, ${py(explicit.b)}):\n        params.append((jnp.array(W, dtype=DTYPE).T, jnp.array(b, dtype=DTYPE)))  # W[in][out]\n    return params`
    : `    w_init = ${jaxInit(init as InitSchemeSpec)}\n    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):\n        key, kw, kb = jax.random.split(key, 3)\n        W = w_init(kw, (n_in, n_out), DTYPE)\n        ${init?.scheme === 'torch_default' ? 'b = jax.random.uniform(kb, (n_out,), DTYPE, -1 / n_in ** 0.5, 1 / n_in ** 0.5)' : 'b = jnp.zeros((n_out,), DTYPE)'}\n        params.append((W, b))\n    return params`
}


def forward(params, x, collect=False):
    hidden = []
    for (W, b), act in zip(params[:-1], ACTIVATIONS):
        x = act(x @ W + b)
        hidden.append(x)
    W, b = params[-1]
    out = OUTPUT(x @ W + b)
    return (out, hidden) if collect else out


def loss_fn(params, x, y):
    out = forward(params, x)
    penalty = sum(L1 * jnp.sum(jnp.abs(W)) + L2 * jnp.sum(W ** 2) for W, _ in params)
    return data_loss(out, y) + penalty


def data_loss(out, y):
${loss}


# ${o.kind} with PyTorch's semantics (lr ${o.lr})
LR, MOMENTUM, DAMPENING, NESTEROV, WD = ${py(o.lr)}, ${py(o.momentum)}, ${py(o.dampening)}, ${py(o.nesterov)}, ${py(o.weight_decay)}
BETA1, BETA2, EPS, ALPHA, CENTERED = ${py(o.betas[0])}, ${py(o.betas[1])}, ${py(o.eps)}, ${py(o.alpha)}, ${py(o.centered)}
KIND = ${py(o.kind)}


def opt_init(params):
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    return {"t": 0, "m": zeros, "v": zeros, "g": zeros}


def opt_update(params, grads, state):
    t = state["t"] + 1
    tm = jax.tree_util.tree_map
    if KIND == "adamw":
        params = tm(lambda p: p * (1 - LR * WD), params)
    elif WD:
        grads = tm(lambda g, p: g + WD * p, grads, params)
    if KIND == "sgd":
        if MOMENTUM:
            m = grads if t == 1 else tm(lambda m, g: MOMENTUM * m + (1 - DAMPENING) * g, state["m"], grads)
            step = tm(lambda m, g: g + MOMENTUM * m, m, grads) if NESTEROV else m
        else:
            m, step = state["m"], grads
        return tm(lambda p, s: p - LR * s, params, step), {**state, "t": t, "m": m}
    if KIND == "rmsprop":
        v = tm(lambda v, g: ALPHA * v + (1 - ALPHA) * g * g, state["v"], grads)
        gm = tm(lambda a, g: ALPHA * a + (1 - ALPHA) * g, state["g"], grads) if CENTERED else state["g"]
        denom = tm(lambda v, a: jnp.sqrt(v - a * a) + EPS, v, gm) if CENTERED else tm(lambda v: jnp.sqrt(v) + EPS, v)
        if MOMENTUM:
            m = tm(lambda m, g, d: MOMENTUM * m + g / d, state["m"], grads, denom)
            return tm(lambda p, m: p - LR * m, params, m), {"t": t, "m": m, "v": v, "g": gm}
        return tm(lambda p, g, d: p - LR * g / d, params, grads, denom), {"t": t, "m": state["m"], "v": v, "g": gm}
    # adam / adamw
    m = tm(lambda m, g: BETA1 * m + (1 - BETA1) * g, state["m"], grads)
    v = tm(lambda v, g: BETA2 * v + (1 - BETA2) * g * g, state["v"], grads)
    c1, c2 = 1 - BETA1 ** t, 1 - BETA2 ** t
    new = tm(lambda p, m, v: p - LR * (m / c1) / (jnp.sqrt(v / c2) + EPS), params, m, v)
    return new, {"t": t, "m": m, "v": v, "g": state["g"]}


grad_fn = jax.jit(jax.value_and_grad(loss_fn))


def clip(grads):
    if CLIP is None:
        return grads
    norm = jnp.sqrt(sum(jnp.sum(g * g) for g in jax.tree_util.tree_leaves(grads)))
    scale = jnp.minimum(1.0, CLIP / (norm + 1e-6))
    return jax.tree_util.tree_map(lambda g: g * scale, grads)


def batches(seed):
    rng = np.random.default_rng(seed)
    n = X_train.shape[0]
${NUMPY_BATCH_LOOP}


def accuracy(params, x, y):
    out = forward(params, x)
    ${spec.task === 'binary' ? `return float(jnp.mean((out > ${thr}) == (y > 0.5)))` : spec.task === 'multiclass' ? 'return float(jnp.mean(jnp.argmax(out, 1) == y))' : 'return None'}


params = init_params(jax.random.PRNGKey(${spec.seed}))
state = opt_init(params)
it = batches(${spec.seed})
for step in range(STEPS):
    idx = next(it)
    loss, grads = grad_fn(params, X_train[idx], y_train[idx])
    if not jnp.isfinite(loss):
        print(f"diverged at step {step}: loss = {loss}")
        break
    params, state = opt_update(params, clip(grads), state)
    if step % max(1, STEPS // 10) == 0:
        print(f"step {step:6d}  loss {float(loss):.6f}")

print("final train loss", float(loss_fn(params, X_train, y_train)), "accuracy", accuracy(params, X_train, y_train))
if X_test is not None:
    print("final test loss", float(loss_fn(params, X_test, y_test)), "accuracy", accuracy(params, X_test, y_test))
_, hidden = forward(params, X_train, collect=True)
print("dead fraction per hidden layer:", [float(jnp.mean(jnp.all(h == 0, axis=0))) for h in hidden])
`;
}
