// From a qualified name as the code spells it (`tensorflow.keras.layers.LeakyReLU`,
// `flax.linen.activation.gelu`) to the framework binding in the catalog. Paths are first
// normalized to the spellings the catalog uses, then looked up exactly among the paths the
// catalog's bindings list (`torch.relu_`, `tf.math.softsign`: root modules that hold a few
// activations among many other functions are spelled out there); a module that only holds
// activations (`torch.nn.functional`, `jax.nn`) also accepts any of its framework's
// activation names.
import { allEntries, normalizeName } from '../engine/activations/registry';
import type { Framework, FrameworkBinding } from '../engine/activations/types';
import { own } from './tokens';

export interface PathHit {
  readonly framework: Framework;
  readonly binding: FrameworkBinding;
  /** The last segment as written (`LeakyReLU`, `gelu`). */
  readonly name: string;
  /** The normalized qualified path. */
  readonly path: string;
  /** `Class(...)` layers/modules take no input argument; functions take it first. */
  readonly form: 'function' | 'layer' | 'config';
}

// Python aliases of the same modules, longest prefix first.
const PY_REWRITES: readonly [string, string][] = [
  ['tensorflow.', 'tf.'],
  ['tf.compat.v1.', 'tf.'],
  ['tf.compat.v2.', 'tf.'],
  ['tf_keras.', 'tf.keras.'],
  ['tf.keras.src.', 'tf.keras.'],
  ['keras.src.', 'keras.'],
  ['keras.api.', 'keras.'],
  ['tf.keras.activations.activations.', 'tf.keras.activations.'],
  ['keras.activations.activations.', 'keras.activations.'],
  ['keras.ops.nn.', 'keras.ops.'],
  ['keras.layers.activations.', 'keras.layers.'],
  ['keras.layers.core.', 'keras.layers.'],
  ['torch.nn.modules.activation.', 'torch.nn.'],
  ['torch.nn.modules.', 'torch.nn.'],
  ['flax.linen.activation.', 'flax.linen.'],
  ['flax.nnx.nn.activations.', 'flax.linen.'],
  ['flax.nnx.', 'flax.linen.'],
  ['jax._src.nn.functions.', 'jax.nn.'],
  ['jax.nn.functions.', 'jax.nn.'],
];

/** Modules whose every member is (or is named like) an activation. */
const ACTIVATION_MODULES: Readonly<Record<string, Framework>> = {
  'torch.nn.functional': 'torch',
  'torch.nn': 'torch',
  'tf.nn': 'tf',
  'tf.keras.activations': 'tf',
  'tf.keras.layers': 'tf',
  'keras.activations': 'keras',
  'keras.layers': 'keras',
  'keras.ops': 'keras',
  'jax.nn': 'jax',
  'flax.linen': 'jax',
  'tf.layers': 'tfjs',
};

const FRAMEWORK_OF_ROOT: readonly [string, Framework][] = [
  ['torch', 'torch'],
  ['tf', 'tf'],
  ['keras', 'keras'],
  ['jax', 'jax'],
  ['flax', 'jax'],
];

export function normalizePyPath(path: string): string {
  let p = path;
  for (let guard = 0; guard < 4; guard++) {
    let changed = false;
    for (const [from, to] of PY_REWRITES) {
      if (p === from.slice(0, -1)) {
        p = to.slice(0, -1);
        changed = true;
      } else if (p.startsWith(from)) {
        p = to + p.slice(from.length);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return p;
}

export function frameworkOfPyPath(path: string): Framework | undefined {
  const root = path.split('.')[0] ?? '';
  const hit = FRAMEWORK_OF_ROOT.find(([r]) => r === root);
  return hit?.[1];
}

interface Indexes {
  python: Map<string, FrameworkBinding>;
  js: Map<string, FrameworkBinding>;
}
let indexes: Indexes | undefined;

/** Path → binding, built once from the catalog (tfjs paths kept apart from Python's). */
function getIndexes(): Indexes {
  if (indexes) return indexes;
  const python = new Map<string, FrameworkBinding>();
  const js = new Map<string, FrameworkBinding>();
  for (const e of allEntries()) {
    for (const b of e.bindings) {
      for (const p of b.paths) {
        if (b.framework === 'tfjs') {
          if (!js.has(p)) js.set(p, b);
        } else {
          const n = normalizePyPath(p);
          if (!python.has(n)) python.set(n, b);
        }
      }
    }
  }
  indexes = { python, js };
  return indexes;
}

/** Test hook: drop the cached indexes (the catalog is static in production). */
export function resetPathIndexes(): void {
  indexes = undefined;
}

function bindingByName(fw: Framework, name: string, loose: boolean): FrameworkBinding | undefined {
  const all = allEntries().flatMap((e) => e.bindings.filter((b) => b.framework === fw));
  const exact = all.find((b) => b.names.includes(name));
  if (exact || !loose) return exact;
  const n = normalizeName(name);
  return all.find((b) => b.names.some((m) => normalizeName(m) === n));
}

function formOf(fw: Framework, module: string, name: string): PathHit['form'] {
  if (fw === 'tfjs') return module === 'tf.layers' ? 'config' : 'function';
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90 ? 'layer' : 'function';
}

// `K.relu(x, alpha, max_value, threshold)` with `import tensorflow.keras.backend as K` or
// `from keras import backend as K`: the backend's activations are tf.keras 2's (the same
// signature and formulas as `tf.keras.activations`; Keras 3 dropped them from `keras.backend`,
// so code calling them is Keras 2 code).
const BACKEND_MODULES = new Set(['tf.keras.backend', 'keras.backend']);
const BACKEND_ACTIVATIONS = new Set(['relu', 'elu', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax', 'softplus', 'softsign']);

/** Looks up a Python qualified path (already alias-expanded). */
export function lookupPyPath(raw: string): PathHit | undefined {
  const path = normalizePyPath(raw);
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const module = path.slice(0, dot);
  const name = path.slice(dot + 1);
  const exact = getIndexes().python.get(path);
  if (exact) return { framework: exact.framework, binding: exact, name, path, form: formOf(exact.framework, module, name) };
  if (BACKEND_MODULES.has(module) && BACKEND_ACTIVATIONS.has(name)) {
    const b = getIndexes().python.get(`tf.keras.activations.${name}`);
    if (b) return { framework: b.framework, binding: b, name, path, form: 'function' };
  }
  const fw = own(ACTIVATION_MODULES, module);
  if (fw && fw !== 'tfjs') {
    const b = bindingByName(fw, name, true);
    if (b) return { framework: fw, binding: b, name, path, form: formOf(fw, module, name) };
  }
  return undefined;
}

/** Looks up a TF.js path (`tf.relu`, `tf.layers.leakyReLU`). */
export function lookupJsPath(path: string): PathHit | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const module = path.slice(0, dot);
  const name = path.slice(dot + 1);
  const exact = getIndexes().js.get(path);
  if (exact) return { framework: 'tfjs', binding: exact, name, path, form: formOf('tfjs', module, name) };
  if (module === 'tf' || module === 'tf.layers') {
    const b = bindingByName('tfjs', name, module === 'tf.layers');
    if (b) return { framework: 'tfjs', binding: b, name, path, form: formOf('tfjs', module, name) };
  }
  return undefined;
}

/** The binding a string identifier (`"relu"`, `"hard_sigmoid"`) names in a framework. */
export function lookupString(fw: Framework, s: string): FrameworkBinding | undefined {
  const t = s.trim();
  if (!t || t.length > 40) return undefined;
  // String identifiers name functions: prefer a binding that lists the exact string.
  return bindingByName(fw, t, false) ?? bindingByName(fw, t, true);
}
