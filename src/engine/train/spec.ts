// The training spec: its types and `parseTrainingSpec`, the validator for untrusted JSON.
//
// A spec is one entry of the reference file's `trainings[]` (PyTorch semantics), optionally
// extended with generated data, initializer schemes, per-layer activations, regularisation,
// normalisation and minibatching. `parseTrainingSpec` returns a spec with every option
// explicit; its errors are one plain sentence naming the field. The unions below (tasks,
// optimizers, data sets, norms) are the only list of each: the message protocol derives its
// own from them.
import { NORM_KINDS, type NormKind } from './norm';

export const TASKS = ['binary', 'multiclass', 'regression'] as const;
export type Task = (typeof TASKS)[number];
export const LOSS_NAMES = ['bce_with_logits_mean', 'cross_entropy_mean', 'mse_mean'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
export const PRECISIONS = ['float64', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const OPTIMIZER_KINDS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];
export { NORM_KINDS, type NormKind };

/** The loss each task uses in the reference (task and loss may both be given; they must agree). */
export const TASK_LOSS: Readonly<Record<Task, LossName>> = {
  binary: 'bce_with_logits_mean',
  multiclass: 'cross_entropy_mean',
  regression: 'mse_mean',
};

export interface ActivationChoice {
  /** A torch functional name (`relu`, `leaky_relu`, `gelu`…), or another framework's with `framework`. */
  readonly name: string;
  /** Parameters in that framework's spelling, e.g. `{ "negative_slope": 0.2 }`. */
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly framework: string;
}

export interface OptimizerSpec {
  readonly kind: OptimizerKind;
  /** torch defaults: SGD 1e-3, Adam/AdamW 1e-3, RMSprop 1e-2. */
  readonly lr: number;
  /** torch defaults: 0, except AdamW 1e-2. */
  readonly weight_decay: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly amsgrad: boolean;
  /** RMSprop smoothing constant. */
  readonly alpha: number;
  readonly centered: boolean;
  /** torch's maximize=True: ascend instead of descend (the gradient is negated first). */
  readonly maximize: boolean;
}

/** Options each optimizer accepts (torch's names); foreach/fused/capturable/differentiable change no numbers. */
const OPTIMIZER_KEYS: Readonly<Record<OptimizerKind, readonly string[]>> = {
  sgd: ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov', 'maximize'],
  adam: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize'],
  adamw: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize'],
  rmsprop: ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'maximize'],
};
const NUMERICALLY_INERT = ['kind', 'foreach', 'fused', 'capturable', 'differentiable'];
const OPTION_DEFAULTS: Readonly<Record<string, unknown>> = {
  momentum: 0, dampening: 0, nesterov: false, betas: [0.9, 0.999], eps: 1e-8, amsgrad: false, alpha: 0.99, centered: false, maximize: false,
};

export const INIT_SCHEMES = [
  'torch_default',
  'zeros',
  'constant',
  'uniform',
  'normal',
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
  'lecun_normal',
  'orthogonal',
] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

/** A named initializer (torch.nn.init semantics) for weights; biases get `bias` (default zeros, or torch's default when scheme is torch_default). */
export interface InitSchemeSpec {
  readonly scheme: InitScheme;
  /** constant value */
  readonly value?: number;
  /** uniform bounds */
  readonly a?: number;
  readonly b?: number;
  /** normal */
  readonly mean?: number;
  readonly std?: number;
  /** Xavier and orthogonal gain; default 1. */
  readonly gain?: number;
  /** Kaiming */
  readonly mode?: 'fan_in' | 'fan_out';
  readonly nonlinearity?: string;
  /** negative slope for nonlinearity leaky_relu (torch's `a`) */
  readonly negative_slope?: number;
  readonly bias?: InitSchemeSpec;
}

export interface ExplicitInit {
  readonly W: number[][][];
  readonly b: number[][];
}

/** `spiral3` is the three-class spiral (`spiral` with `classes` 3, the same points). */
export const DATASET_KINDS = ['circle', 'xor', 'gaussians', 'spiral', 'spiral3', 'moons', 'sine', 'abs', 'step', 'csv'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export interface DatasetSpec {
  readonly kind: DatasetKind;
  /** Number of samples (generators); default 200. */
  readonly n: number;
  readonly noise: number;
  /** spiral and gaussians: number of classes (2 or 3); spiral3: 3. */
  readonly classes: number;
  /** CSV: the file (relative to the spec file) or its text, and the target column (name or index). */
  readonly path?: string;
  readonly text?: string;
  readonly target?: string | number;
}

export interface TrainingSpec {
  readonly id: string;
  readonly task: Task;
  readonly loss: LossName;
  /** Rows are samples. Absent when `data` generates them. */
  readonly X: number[][] | null;
  readonly y: number[] | number[][] | null;
  readonly data: DatasetSpec | null;
  /** Fraction of the data held out as a test set (seeded split); 0 = none. */
  readonly test_fraction: number;
  readonly sizes: number[];
  /** One per hidden layer. */
  readonly activations: ActivationChoice[];
  readonly output_activation: 'linear' | 'sigmoid' | 'tanh';
  readonly init: ExplicitInit | InitSchemeSpec;
  readonly optimizer: OptimizerSpec;
  readonly grad_clip_norm: number | null;
  readonly steps: number;
  readonly batches: number[][] | null;
  /** Seeded shuffled minibatches of this size (each epoch reshuffled) when `batches` is null. */
  readonly batch_size: number | null;
  readonly seed: number;
  readonly precision: Precision;
  /** Penalties added to the loss: l1·Σ|W| + l2·ΣW² over dense weights (not biases). */
  readonly l1: number;
  readonly l2: number;
  /** Inverted dropout probability after each hidden activation (one value or one per hidden layer). */
  readonly dropout: number[];
  /** Normalisation between each hidden dense layer and its activation. */
  readonly norm: NormKind;
}

export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(msg: string): never {
  throw new SpecError(msg);
}
function num(o: Obj, key: string, dflt: number | undefined, check: (v: number) => boolean = Number.isFinite, what = 'a finite number'): number {
  const v = o[key];
  if (v === undefined || v === null) {
    if (dflt === undefined) fail(`"${key}" is required (${what})`);
    return dflt;
  }
  if (typeof v !== 'number' || !check(v)) fail(`"${key}" must be ${what}, got ${JSON.stringify(v)}`);
  return v;
}
const posInt = (v: number): boolean => Number.isInteger(v) && v > 0;
const nonNeg = (v: number): boolean => Number.isFinite(v) && v >= 0;
const prob = (v: number): boolean => Number.isFinite(v) && v >= 0 && v < 1;
function bool(o: Obj, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') fail(`"${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
function oneOf<T extends string>(o: Obj, key: string, options: readonly T[], dflt: T | undefined): T {
  const v = o[key];
  if (v === undefined || v === null) {
    if (dflt === undefined) fail(`"${key}" is required (one of ${options.join(', ')})`);
    return dflt;
  }
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) fail(`"${key}" must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}
function matrix(v: unknown, name: string): number[][] {
  if (!Array.isArray(v) || v.length === 0) fail(`"${name}" must be a non-empty list of rows`);
  return v.map((row, i) => {
    const r = Array.isArray(row) ? row : [row];
    if (r.length === 0 || r.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(`"${name}" row ${i} must hold finite numbers, got ${JSON.stringify(row).slice(0, 80)}`);
    return r as number[];
  });
}

function parseActivation(v: unknown, where: string): ActivationChoice {
  if (typeof v === 'string' && v.length > 0) return { name: v, params: {}, framework: 'torch' };
  if (isObj(v) && typeof v.name === 'string') {
    const params = v.params ?? {};
    if (!isObj(params)) fail(`${where}.params must be an object`);
    for (const [k, x] of Object.entries(params)) {
      if (!['number', 'boolean', 'string'].includes(typeof x)) fail(`${where}.params.${k} must be a number, boolean or string`);
    }
    const framework = v.framework === undefined ? 'torch' : v.framework;
    if (typeof framework !== 'string') fail(`${where}.framework must be a string`);
    return { name: v.name, params: params as ActivationChoice['params'], framework };
  }
  return fail(`${where} must be an activation name like "relu" or {"name": "leaky_relu", "params": {"negative_slope": 0.1}}`);
}

function parseOptimizer(v: unknown): OptimizerSpec {
  if (!isObj(v)) fail('"optimizer" is required: {"kind": "sgd"|"adam"|"adamw"|"rmsprop", "lr": …}');
  const kind = oneOf(v, 'kind', OPTIMIZER_KINDS, undefined);
  for (const k of Object.keys(v)) {
    if (OPTIMIZER_KEYS[kind].includes(k) || NUMERICALLY_INERT.includes(k)) continue;
    // a parsed spec lists every option; another optimizer's option at its default changes nothing
    if (JSON.stringify(v[k]) === JSON.stringify(OPTION_DEFAULTS[k])) continue;
    fail(`optimizer ${kind} has no option "${k}" (options: ${OPTIMIZER_KEYS[kind].join(', ')})`);
  }
  const lr = num(v, 'lr', kind === 'rmsprop' ? 1e-2 : 1e-3, nonNeg, 'a non-negative number');
  const betasRaw = v.betas ?? [0.9, 0.999];
  if (!Array.isArray(betasRaw) || betasRaw.length !== 2 || betasRaw.some((b) => typeof b !== 'number' || !(b >= 0 && b < 1))) {
    fail(`"betas" must be two numbers in [0, 1), got ${JSON.stringify(betasRaw)}`);
  }
  const opt: OptimizerSpec = {
    kind,
    lr,
    weight_decay: num(v, 'weight_decay', kind === 'adamw' ? 1e-2 : 0, nonNeg, 'a non-negative number'),
    momentum: num(v, 'momentum', 0, nonNeg, 'a non-negative number'),
    dampening: num(v, 'dampening', 0),
    nesterov: bool(v, 'nesterov', false),
    betas: [betasRaw[0] as number, betasRaw[1] as number],
    eps: num(v, 'eps', 1e-8, nonNeg, 'a non-negative number'),
    amsgrad: bool(v, 'amsgrad', false),
    alpha: num(v, 'alpha', 0.99, nonNeg, 'a non-negative number'),
    centered: bool(v, 'centered', false),
    maximize: bool(v, 'maximize', false),
  };
  // torch raises the same error: Nesterov needs a momentum and zero dampening.
  if (opt.nesterov && (opt.momentum <= 0 || opt.dampening !== 0)) fail('Nesterov momentum requires "momentum" > 0 and "dampening" = 0');
  return opt;
}

function parseInitScheme(v: Obj, where: string): InitSchemeSpec {
  const scheme = oneOf(v, 'scheme', INIT_SCHEMES, undefined);
  const out: Record<string, unknown> = { scheme };
  for (const k of ['value', 'a', 'b', 'mean', 'std', 'gain', 'negative_slope']) if (v[k] !== undefined) out[k] = num(v, k, undefined);
  if (v.mode !== undefined) out.mode = oneOf(v, 'mode', ['fan_in', 'fan_out'] as const, undefined);
  if (v.nonlinearity !== undefined) {
    if (typeof v.nonlinearity !== 'string') fail(`${where}.nonlinearity must be a string like "relu"`);
    out.nonlinearity = v.nonlinearity;
  }
  if (v.bias !== undefined) {
    const b = typeof v.bias === 'string' ? { scheme: v.bias } : v.bias;
    if (!isObj(b)) fail(`${where}.bias must be an initializer`);
    out.bias = parseInitScheme(b, `${where}.bias`);
  }
  return out as unknown as InitSchemeSpec;
}

function parseInit(v: unknown, sizes: number[]): ExplicitInit | InitSchemeSpec {
  if (v === undefined || v === null) return { scheme: 'torch_default' };
  if (typeof v === 'string') return parseInitScheme({ scheme: v }, 'init');
  if (!isObj(v)) fail('"init" must be {"W": …, "b": …} or an initializer like {"scheme": "kaiming_uniform"}');
  if (v.scheme !== undefined) return parseInitScheme(v, 'init');
  const W = v.W, b = v.b;
  const L = sizes.length - 1;
  if (!Array.isArray(W) || W.length !== L || !Array.isArray(b) || b.length !== L) fail(`"init" needs W and b lists with one entry per layer (${L})`);
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l] as number, nOut = sizes[l + 1] as number;
    const Wl = matrix(W[l], `init.W[${l}]`);
    if (Wl.length !== nOut || Wl.some((r) => r.length !== nIn)) fail(`init.W[${l}] must be ${nOut}×${nIn} (W[out][in], as torch.nn.Linear.weight)`);
    const bl = b[l];
    if (!Array.isArray(bl) || bl.length !== nOut || bl.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(`init.b[${l}] must hold ${nOut} finite numbers`);
  }
  return { W: W as number[][][], b: b as number[][] };
}

function parseData(v: unknown): DatasetSpec {
  if (!isObj(v)) fail('"data" must be an object like {"kind": "spiral", "n": 200, "noise": 0.1}');
  const kind = oneOf(v, 'kind', DATASET_KINDS, undefined);
  const d: Record<string, unknown> = {
    kind,
    n: num(v, 'n', 200, (x) => posInt(x) && x >= 4, 'an integer ≥ 4'),
    noise: num(v, 'noise', kind === 'circle' || kind === 'moons' || kind === 'spiral' || kind === 'spiral3' ? 0.1 : 0.05, nonNeg, 'a non-negative number'),
    classes: kind === 'spiral3' ? num(v, 'classes', 3, (x) => x === 3, '3 for spiral3') : num(v, 'classes', 2, (x) => x === 2 || x === 3, '2 or 3'),
  };
  if (kind === 'csv') {
    if (typeof v.path !== 'string' && typeof v.text !== 'string') fail('CSV data needs "path" (a file) or "text"');
    if (typeof v.target !== 'string' && typeof v.target !== 'number') fail('CSV data needs "target": the column name or index holding the labels');
    if (typeof v.path === 'string') d.path = v.path;
    if (typeof v.text === 'string') d.text = v.text;
    d.target = v.target;
  }
  return d as unknown as DatasetSpec;
}

/** Validates a spec (a reference `trainings[]` entry, `expect` allowed and ignored). */
export function parseTrainingSpec(raw: unknown): TrainingSpec {
  if (!isObj(raw)) fail('the spec must be a JSON object (one entry of trainings[])');
  let task = raw.task === undefined ? undefined : oneOf(raw, 'task', TASKS, undefined);
  const LOSS_ALIASES: Record<string, LossName> = { mse: 'mse_mean', bce_with_logits: 'bce_with_logits_mean', cross_entropy: 'cross_entropy_mean' };
  const lossRaw = typeof raw.loss === 'string' && LOSS_ALIASES[raw.loss] ? { loss: LOSS_ALIASES[raw.loss] } : raw;
  const loss0 = raw.loss === undefined ? undefined : oneOf(lossRaw, 'loss', LOSS_NAMES, undefined);
  if (!task && !loss0) fail('"task" (binary, multiclass, regression) or "loss" is required');
  task ??= (Object.keys(TASK_LOSS) as Task[]).find((t) => TASK_LOSS[t] === loss0) as Task;
  const loss = loss0 ?? TASK_LOSS[task];
  if (TASK_LOSS[task] !== loss) fail(`task "${task}" uses loss "${TASK_LOSS[task]}", not "${loss}"`);

  const sizesRaw = raw.sizes;
  if (!Array.isArray(sizesRaw) || sizesRaw.length < 2 || sizesRaw.some((s) => !posInt(s as number))) fail('"sizes" must list at least two positive integer layer widths, input first, e.g. [2, 8, 1]');
  const sizes = sizesRaw as number[];
  const nHidden = sizes.length - 2;
  const nOut = sizes[sizes.length - 1] as number;
  if (task === 'binary' && nOut !== 1) fail(`a binary task needs one output unit, sizes ends with ${nOut}`);
  if (task === 'multiclass' && nOut < 2) fail('a multiclass task needs at least two output units');

  // a parsed spec carries `activations` (one per hidden layer): parsing is idempotent
  const actRaw = raw.activation ?? (Array.isArray(raw.activations) ? raw.activations : 'relu');
  const activationParams = raw.activation_params;
  let activations: ActivationChoice[];
  if (Array.isArray(actRaw)) {
    if (actRaw.length !== nHidden) fail(`"activation" lists ${actRaw.length} activations but there are ${nHidden} hidden layers`);
    activations = actRaw.map((a, i) => parseActivation(a, `activation[${i}]`));
  } else {
    const one = parseActivation(actRaw, 'activation');
    if (activationParams !== undefined) {
      if (!isObj(activationParams)) fail('"activation_params" must be an object');
      activations = Array.from({ length: nHidden }, () => ({ ...one, params: { ...one.params, ...(activationParams as ActivationChoice['params']) } }));
    } else activations = Array.from({ length: nHidden }, () => one);
  }

  const hasXY = raw.X !== undefined && raw.X !== null;
  const data = raw.data !== undefined && raw.data !== null ? parseData(raw.data) : null;
  if (!hasXY && !data) fail('the spec needs data: "X" and "y", or "data" (a generator or a CSV file)');
  let X: number[][] | null = null;
  let y: number[] | number[][] | null = null;
  if (hasXY) {
    X = matrix(raw.X, 'X');
    if (!Array.isArray(raw.y) || raw.y.length !== X.length) fail(`"y" must have one entry per row of X (${X.length})`);
    y = raw.y as number[] | number[][];
    X.forEach((r, i) => r.length !== sizes[0] && fail(`X row ${i} has ${r.length} columns but sizes[0] is ${sizes[0]}`));
    checkTargets(y, task, nOut);
  }

  const dropRaw = raw.dropout ?? 0;
  const dropout = Array.isArray(dropRaw) ? dropRaw : Array.from({ length: nHidden }, () => dropRaw);
  if (dropout.length !== nHidden || dropout.some((p) => typeof p !== 'number' || !prob(p))) fail('"dropout" must be a probability in [0, 1) or one per hidden layer');

  const steps = num(raw, 'steps', undefined, (s) => Number.isInteger(s) && s >= 0, 'a non-negative integer');
  let batches: number[][] | null = null;
  if (raw.batches !== undefined && raw.batches !== null) {
    if (!Array.isArray(raw.batches) || raw.batches.length === 0) fail('"batches" must be null or a non-empty list of index lists');
    const n = X ? X.length : Infinity;
    batches = raw.batches.map((bt, i) => {
      if (!Array.isArray(bt) || bt.length === 0 || bt.some((j) => !Number.isInteger(j) || (j as number) < 0 || (j as number) >= n)) fail(`batches[${i}] must be a non-empty list of row indices below ${n}`);
      return bt as number[];
    });
  }
  const clip = raw.grad_clip_norm;
  if (clip !== undefined && clip !== null && (typeof clip !== 'number' || !(clip >= 0) || !Number.isFinite(clip))) fail(`"grad_clip_norm" must be null or a non-negative number (torch: 0 zeroes every gradient), got ${JSON.stringify(clip)}`);

  return {
    id: typeof raw.id === 'string' ? raw.id : 'training',
    task,
    loss,
    X,
    y,
    data,
    test_fraction: num(raw, 'test_fraction', 0, (f) => f >= 0 && f < 1, 'a fraction in [0, 1)'),
    sizes,
    activations,
    output_activation: raw.output_activation === 'identity' || raw.output_activation === 'none' ? 'linear' : oneOf(raw, 'output_activation', ['linear', 'sigmoid', 'tanh'] as const, 'linear'),
    init: parseInit(raw.init, sizes),
    optimizer: parseOptimizer(raw.optimizer),
    grad_clip_norm: typeof clip === 'number' ? clip : null,
    steps,
    batches,
    batch_size: raw.batch_size === undefined || raw.batch_size === null ? null : num(raw, 'batch_size', undefined, posInt, 'a positive integer'),
    seed: num(raw, 'seed', 0, Number.isSafeInteger, 'an integer'),
    precision: oneOf(raw, 'precision', PRECISIONS, 'float64'),
    l1: num(raw, 'l1', 0, nonNeg, 'a non-negative number'),
    l2: num(raw, 'l2', 0, nonNeg, 'a non-negative number'),
    dropout: dropout as number[],
    norm: oneOf(raw, 'norm', NORM_KINDS, 'none'),
  };
}

/** Labels must fit the task: 0/1 for binary, class indices for multiclass, nOut values for regression. */
export function checkTargets(y: readonly unknown[], task: Task, nOut: number): void {
  y.forEach((t, i) => {
    const v = Array.isArray(t) ? t : [t];
    if (v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(`y[${i}] must be finite numbers, got ${JSON.stringify(t)}`);
    if (task === 'regression') {
      if (v.length !== nOut) fail(`y[${i}] has ${v.length} values but the network has ${nOut} outputs`);
    } else if (v.length !== 1) fail(`y[${i}] must be one label, got ${JSON.stringify(t)}`);
    else if (task === 'binary' && !(v[0] >= 0 && v[0] <= 1)) fail(`y[${i}] = ${v[0]}: binary targets must be in [0, 1]`);
    else if (task === 'multiclass' && !(Number.isInteger(v[0]) && v[0] >= 0 && v[0] < nOut)) fail(`y[${i}] = ${v[0]}: class labels must be integers 0…${nOut - 1}`);
  });
}
