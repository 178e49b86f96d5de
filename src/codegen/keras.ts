// Experiment → a runnable Keras 3 script: Dense (linear) → [norm] → Activation → [Dropout]
// per hidden layer, the nearest Keras initializer, optimizer and loss, and a custom
// training loop with `train_on_batch` so the step count and batches match the spec.
import type { InitSchemeSpec, TrainingSpec } from '../engine/train/spec';
import { embedData, header, hiddenWidths, kwargs, mapActivation, NUMPY_BATCH_LOOP, py } from './common';

function kerasActivation(spec: TrainingSpec, l: number): string {
  const a = spec.activations[l];
  if (!a) return "'linear'";
  const m = mapActivation(a, 'keras');
  if (!m) return `unsupported(${py(a.name)})`;
  const name = m.binding.names[0] ?? m.id;
  const fnPath = m.binding.paths.find((p) => p.startsWith('keras.activations.') || p.startsWith('keras.ops.'));
  if (/^[A-Z]/.test(name)) {
    // a layer class (e.g. keras.layers.LeakyReLU)
    const cls = m.binding.paths.find((p) => p.startsWith('keras.layers.')) ?? `keras.layers.${name}`;
    return `LAYER:${cls}(${kwargs(m.params)})`;
  }
  const args = kwargs(m.params);
  return args ? `lambda x: ${fnPath ?? `keras.activations.${name}`}(x, ${args})` : `${fnPath ?? `keras.activations.${name}`}`;
}

function kerasInit(init: InitSchemeSpec, seed: number): string {
  const s = init.scheme;
  switch (s) {
    case 'zeros':
      return 'keras.initializers.Zeros()';
    case 'constant':
      return `keras.initializers.Constant(${py(init.value ?? 0)})`;
    case 'uniform':
      return `keras.initializers.RandomUniform(${py(init.a ?? 0)}, ${py(init.b ?? 1)}, seed=${seed})`;
    case 'normal':
      return `keras.initializers.RandomNormal(${py(init.mean ?? 0)}, ${py(init.std ?? 1)}, seed=${seed})`;
    case 'xavier_uniform':
      return `keras.initializers.VarianceScaling(scale=${py((init.gain ?? 1) ** 2)}, mode='fan_avg', distribution='uniform', seed=${seed})`;
    case 'xavier_normal':
      return `keras.initializers.VarianceScaling(scale=${py((init.gain ?? 1) ** 2)}, mode='fan_avg', distribution='untruncated_normal', seed=${seed})`;
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      // torch gain² for leaky_relu(a) is 2/(1+a²); relu: 2
      const a = init.negative_slope ?? 0;
      const scale = init.nonlinearity === 'linear' || init.nonlinearity === 'sigmoid' ? 1 : init.nonlinearity === 'tanh' ? (5 / 3) ** 2 : 2 / (1 + a * a);
      return `keras.initializers.VarianceScaling(scale=${py(scale)}, mode=${py(init.mode ?? 'fan_in')}, distribution='${s === 'kaiming_uniform' ? 'uniform' : 'untruncated_normal'}', seed=${seed})`;
    }
    case 'lecun_normal':
      return `keras.initializers.VarianceScaling(scale=1.0, mode='fan_in', distribution='untruncated_normal', seed=${seed})`;
    case 'orthogonal':
      return `keras.initializers.Orthogonal(gain=${py(init.gain ?? 1)}, seed=${seed})`;
    default:
      // torch.nn.Linear's default: U(−1/√fan_in, 1/√fan_in), i.e. variance 1/(3·fan_in)
      return `keras.initializers.VarianceScaling(scale=1 / 3, mode='fan_in', distribution='uniform', seed=${seed})`;
  }
}

export function kerasScript(spec: TrainingSpec): string {
  const data = embedData(spec);
  const L = spec.sizes.length - 1;
  const init = 'W' in spec.init ? null : spec.init;
  // one seed per layer: a seeded Keras initializer gives the same draw for the same shape
  const kinit = (l: number): string => (init ? kerasInit(init, spec.seed * 1000 + l) : "'zeros'");
  const binit = "'zeros'"; // (torch's default bias is U(±1/√fan_in); zeros here)
  const reg = spec.l1 || spec.l2 ? `, kernel_regularizer=keras.regularizers.L1L2(l1=${py(spec.l1)}, l2=${py(spec.l2)})` : '';
  const layers: string[] = [`    keras.Input(shape=(${spec.sizes[0]},)),`];
  hiddenWidths(spec).forEach((w, l) => {
    layers.push(`    layers.Dense(${w}, kernel_initializer=${kinit(l)}, bias_initializer=${binit}${reg}),`);
    if (spec.norm === 'batch') layers.push('    layers.BatchNormalization(momentum=0.9, epsilon=1e-5),');
    if (spec.norm === 'layer') layers.push('    layers.LayerNormalization(epsilon=1e-5),');
    const act = kerasActivation(spec, l);
    layers.push(act.startsWith('LAYER:') ? `    ${act.slice(6)},` : `    layers.Activation(${act}),`);
    const p = spec.dropout[l] ?? 0;
    if (p > 0) layers.push(`    layers.Dropout(${py(p)}),`);
  });
  const outAct = spec.output_activation === 'linear' ? '' : `, activation=${py(spec.output_activation)}`;
  layers.push(`    layers.Dense(${spec.sizes[L]}${outAct}, kernel_initializer=${kinit(L - 1)}, bias_initializer=${binit}${reg}),`);
  const o = spec.optimizer;
  const clip = spec.grad_clip_norm === null ? '' : `, global_clipnorm=${py(spec.grad_clip_norm)}`;
  const opt =
    o.kind === 'sgd'
      ? `keras.optimizers.SGD(learning_rate=${py(o.lr)}, momentum=${py(o.momentum)}, nesterov=${py(o.nesterov)}${clip})`
      : o.kind === 'rmsprop'
        ? `keras.optimizers.RMSprop(learning_rate=${py(o.lr)}, rho=${py(o.alpha)}, momentum=${py(o.momentum)}, epsilon=${py(o.eps)}, centered=${py(o.centered)}${clip})`
        : `keras.optimizers.${o.kind === 'adam' ? 'Adam' : 'AdamW'}(learning_rate=${py(o.lr)}, beta_1=${py(o.betas[0])}, beta_2=${py(o.betas[1])}, epsilon=${py(o.eps)}, amsgrad=${py(o.amsgrad)}${o.kind === 'adamw' ? `, weight_decay=${py(o.weight_decay)}` : ''}${clip})`;
  const logits = spec.output_activation === 'linear';
  const loss =
    spec.task === 'binary'
      ? `keras.losses.BinaryCrossentropy(from_logits=${py(logits)})`
      : spec.task === 'multiclass'
        ? 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)'
        : 'keras.losses.MeanSquaredError()';
  const metrics = spec.task === 'binary' ? `[keras.metrics.BinaryAccuracy(threshold=${logits ? 0 : 0.5})]` : spec.task === 'multiclass' ? "['accuracy']" : '[]';
  const explicit = 'W' in spec.init ? spec.init : null;
  return `${header(spec, 'Keras 3')}
# Differences from the PyTorch semantics the dashboard follows: Keras's weight decay (SGD,
# RMSprop) and its initializers' random streams are its own; the loop below keeps the
# same steps and minibatches.
import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(${spec.seed})
keras.backend.set_floatx(${py(spec.precision)})


def unsupported(name):
    raise NotImplementedError(f"{name} has no Keras counterpart")


X_train = np.array(${data.xTrain}, dtype=${py(spec.precision)})
y_train = np.array(${data.yTrain})
${data.xTest ? `X_test = np.array(${data.xTest}, dtype=${py(spec.precision)})\ny_test = np.array(${data.yTest})` : 'X_test = y_test = None'}

model = keras.Sequential([
${layers.join('\n')}
])
${explicit ? `dense = [l for l in model.layers if isinstance(l, layers.Dense)]\nfor layer, W, b in zip(dense, ${py(explicit.W)}, ${py(explicit.b)}):\n    layer.set_weights([np.array(W).T, np.array(b)])  # torch W[out][in] → Keras kernel[in][out]\n` : ''}
model.compile(optimizer=${opt}, loss=${loss}, metrics=${metrics})

STEPS = ${spec.steps}
BATCH_SIZE = ${spec.batch_size ?? 'None'}  # None = full batch
FIXED_BATCHES = ${spec.batches ? py(spec.batches) : 'None'}
rng = np.random.default_rng(${spec.seed})


def batches():
    n = len(X_train)
${NUMPY_BATCH_LOOP}


it = batches()
for step in range(STEPS):
    idx = next(it)
    result = model.train_on_batch(X_train[idx], y_train[idx], return_dict=True)
    if not np.isfinite(result["loss"]):
        print(f"diverged at step {step}: loss = {result['loss']}")
        break
    if step % max(1, STEPS // 10) == 0:
        print(f"step {step:6d}  loss {result['loss']:.6f}")

print("final train:", model.evaluate(X_train, y_train, verbose=0, return_dict=True))
if X_test is not None:
    print("final test:", model.evaluate(X_test, y_test, verbose=0, return_dict=True))

# Dead units: hidden activations that are 0 for every training sample.
acts = [l.output for l in model.layers if isinstance(l, layers.Activation) or l.__class__.__module__.startswith("keras.src.layers.activations")]
probe = keras.Model(model.inputs, acts)
outs = probe.predict(X_train, verbose=0)
outs = outs if isinstance(outs, list) else [outs]
print("dead fraction per hidden layer:", [float(np.mean(np.all(o == 0, axis=0))) for o in outs])
`;
}
