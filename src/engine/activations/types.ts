// The shapes every activation in the catalog shares. Pure TypeScript: no vscode, no DOM.
//
// Vocabulary
// - An *activation* (ActivationDef) is one mathematical family with canonical parameters,
//   e.g. `leaky_relu` with `negative_slope`.
// - A *binding* (FrameworkBinding) is how one framework spells and configures it: its
//   names (`leaky_relu`, `LeakyReLU`), its parameter names and defaults, and its
//   *conventions* — the derivative it returns at kinks, or a formula variant.
// - A *kernel* is what you evaluate: an activation fixed to concrete parameters and
//   conventions, with scalar f, f′, f″ and allocation-free loops over typed arrays.

export type Framework = 'torch' | 'keras' | 'jax' | 'tf' | 'tfjs';
export const FRAMEWORKS: readonly Framework[] = ['torch', 'keras', 'jax', 'tf', 'tfjs'];

export const FRAMEWORK_LABELS: Readonly<Record<Framework, string>> = {
  torch: 'PyTorch',
  keras: 'Keras 3',
  jax: 'JAX',
  tf: 'TensorFlow (tf.nn / tf.keras 2)',
  tfjs: 'TensorFlow.js',
};

export type ParamValue = number | boolean | string;
/** Canonical parameter values, by canonical name. */
export type Params = Readonly<Record<string, ParamValue>>;
/** Convention choices (kink gradients, formula variants), by convention name. */
export type Conventions = Readonly<Record<string, string>>;

export interface ParamSpec {
  /** Canonical name (PyTorch's spelling where PyTorch has the parameter). */
  readonly name: string;
  readonly type: 'number' | 'boolean' | 'enum';
  /** Canonical default; frameworks may override in their binding. */
  readonly default: ParamValue;
  /** Valid numeric range (inclusive unless the matching *Exclusive flag is set). */
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** For enums: the allowed values. */
  readonly options?: readonly string[];
  /** A slider range for UIs when min/max are unbounded. */
  readonly uiMin?: number;
  readonly uiMax?: number;
  readonly doc: string;
}

export interface ConventionSpec {
  readonly name: string;
  readonly doc: string;
  /** Allowed values, each with a one-line explanation. The first is the default. */
  readonly options: readonly { readonly value: string; readonly doc: string }[];
}

/** Scalar evaluation. Every function is total: NaN in → NaN out, ±Infinity → the limit. */
export interface ScalarFns {
  f(x: number): number;
  df(x: number): number;
  /** Second derivative; NaN only for NaN input (kinks return the convention's value). */
  d2f(x: number): number;
}

export type NumArray = Float64Array | Float32Array;

export interface ElementwiseKernel extends ScalarFns {
  /** False when the framework has no second derivative at all (torch hardsigmoid). */
  readonly hasSecond: boolean;
  /** y[i] = f(x[i]) for i < n (default x.length). No allocation. */
  forward(x: NumArray, y: NumArray, n?: number): void;
  /** gx[i] = gy[i] · f′(x[i]). `y` is the forward output (some kernels reuse it). */
  backward(x: NumArray, y: NumArray, gy: NumArray, gx: NumArray, n?: number): void;
}

export type Smoothness = 'C0' | 'C1' | 'C2' | 'C∞' | 'discontinuous';

export interface ActivationMeta {
  /** Output range in plain text, e.g. "[0, ∞)". */
  readonly range: string;
  /** Numeric bounds of the output (±Infinity when unbounded). */
  readonly lower: number;
  readonly upper: number;
  readonly monotonic: 'increasing' | 'non-decreasing' | 'decreasing' | 'no';
  readonly smoothness: Smoothness;
  readonly zeroCentred: boolean;
  readonly bounded: boolean;
  readonly selfNormalizing: boolean;
  /** Typical uses, short phrases. */
  readonly uses: readonly string[];
  /** Relative cost per element, ReLU = 1. */
  readonly cost: number;
}

export interface Kink {
  /** Where the derivative (or the function) is not defined classically. */
  readonly x: number;
  /** One-sided first derivatives. */
  readonly left: number;
  readonly right: number;
  /** Which convention decides the value returned at x, if any. */
  readonly convention?: string;
}

export interface Formula {
  /** LaTeX, for typesetting. */
  readonly latex: string;
  /** Plain Unicode text, readable without typesetting. */
  readonly text: string;
}

/** The mini-training demos an activation's hover links to (ids of the demo commands). */
export const DEMO_TITLES = { 'dying-relu': 'dying ReLU', 'vanishing-gradients': 'vanishing gradients', sparsity: 'sparsity' } as const;
export type DemoId = keyof typeof DEMO_TITLES;

/**
 * What lint rules, hovers and the trainer's advice need to know about an activation's
 * family, written once beside its definition.
 */
export interface ActivationTags {
  /**
   * `relu`: identity for x > 0 and a kink at 0 (ReLU, leaky/parametric/randomized ReLU, ReLU6):
   * He (Kaiming) initialization fits, Glorot does not. `elu`: ReLU-like with a smooth
   * exponential negative side.
   */
  readonly family?: 'relu' | 'elu';
  /** f′ → 0 on both sides: deep stacks of it without normalization vanish gradients. */
  readonly saturating?: boolean;
  /** The demo about this activation's main pitfall (default: sparsity). */
  readonly demo?: DemoId;
}

/** What every activation definition has, elementwise or vector. */
interface DefCommon {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly tags?: ActivationTags;
  readonly params: readonly ParamSpec[];
  readonly conventions: readonly ConventionSpec[];
  /**
   * Cross-parameter checks that ranges cannot express (hardtanh min_val < max_val). Returns a
   * message naming the canonical parameters, or undefined when `p` is valid.
   */
  validate?(p: Params): string | undefined;
}

export interface ElementwiseDef extends DefCommon {
  readonly kind: 'elementwise';
  /** Build a kernel; `p` holds every canonical param (validated), `c` every convention. */
  kernel(p: Params, c: Conventions): ElementwiseKernel;
  /** f, f′ and (where useful) f″ written with the given parameter values. */
  formulas(p: Params, c: Conventions): { f: Formula; df: Formula; d2f?: Formula };
  meta(p: Params): ActivationMeta;
  kinks(p: Params, c: Conventions): readonly Kink[];
  /** A sensible x-range for plots. */
  readonly plotRange: readonly [number, number];
}

/** Vector-valued activations (softmax family, GLU, sparsemax) over the last axis. */
export interface VectorResult {
  readonly y: Float64Array;
  /** jacobian[i][j] = ∂y[i]/∂x[j] */
  readonly jacobian: Float64Array[];
}

export interface VectorDef extends DefCommon {
  readonly kind: 'vector';
  apply(x: Float64Array, p: Params, c: Conventions): VectorResult;
  formulas(p: Params, c: Conventions): { f: Formula; df: Formula };
  meta(p: Params): ActivationMeta;
  /** Output length for an input of length n (GLU halves it). */
  outputLength(n: number): number;
}

export type ActivationDef = ElementwiseDef | VectorDef;

/** How one framework names and configures one activation. */
export interface FrameworkBinding {
  readonly framework: Framework;
  /** Canonical activation id. */
  readonly id: string;
  /**
   * The framework's spellings, first is the preferred one: functional names, layer or module
   * class names, string identifiers (`"relu"`), tensor methods. Matched case-sensitively
   * first, then case- and underscore-insensitively.
   */
  readonly names: readonly string[];
  /** Fully qualified paths, for hovers and the scanner (e.g. `torch.nn.functional.gelu`). */
  readonly paths: readonly string[];
  /** The framework's parameters, in positional order after the input. */
  readonly params: readonly BindingParam[];
  /** Canonical params this framework pins (not user-settable). */
  readonly fixed?: Params;
  /** Kink and formula conventions this framework follows. */
  readonly conventions: Conventions;
  /** Deliberate notes about this framework's behaviour (shown in hovers and `show`). */
  readonly notes?: readonly string[];
}

export interface BindingParam {
  /** The framework's own name (`negative_slope`, `alpha`, `lambd`). */
  readonly name: string;
  /** The canonical parameter it sets. */
  readonly canonical: string;
  /** This framework's default, in the framework's own representation. */
  readonly default: ParamValue;
  /**
   * Maps the framework's representation to the canonical one (torch `approximate="tanh"`
   * → canonical `approximate=true`). Identity when absent. Throws a plain Error for
   * values the framework would reject.
   */
  toCanonical?(v: ParamValue): ParamValue;
  /** Accepted framework values for enum-like params (shown in errors and UIs). */
  readonly options?: readonly ParamValue[];
  /** Other accepted spellings (Keras 2's `alpha` for Keras 3's `negative_slope`). */
  readonly aliases?: readonly string[];
}

/** One catalog entry: the math and every framework's view of it. */
export interface CatalogEntry {
  readonly def: ActivationDef;
  readonly bindings: readonly FrameworkBinding[];
}

/**
 * Gated activations (the GLU family) as two-input functions f(a, b) = a · g(b): `a` is the
 * value (linear) input, `b` the gate input, g an elementwise catalog activation. This is the
 * order of torch F.glu, jax.nn.glu and keras.activations.glu, which split x into halves
 * [a, b] and gate with the SECOND half. Shazeer's "GLU Variants Improve Transformer" (2020)
 * writes the gate first: GLU(x) = σ(xW) ⊗ xV, i.e. a = xV, b = xW here.
 * Kept apart from `ActivationDef` (elementwise | vector) so its consumers stay exhaustive.
 */
export interface GatedDef {
  readonly kind: 'gated';
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Catalog id of g, the elementwise activation applied to the gate input b. */
  readonly gate: string;
  /** f(a, b) = a · g(b). */
  f(a: number, b: number): number;
  /** ∂f/∂a = g(b). */
  dfda(a: number, b: number): number;
  /** ∂f/∂b = a · g′(b) (g′ at a kink: the catalog's default convention). */
  dfdb(a: number, b: number): number;
  /** Second partials: ∂²f/∂a² = 0, ∂²f/∂a∂b = g′(b), ∂²f/∂b² = a · g″(b). */
  d2fdadb(a: number, b: number): number;
  d2fdb2(a: number, b: number): number;
  readonly formulas: { readonly f: Formula; readonly dfda: Formula; readonly dfdb: Formula };
  /** Where this order (a = value, b = gate) sits against the paper's and the frameworks'. */
  readonly conventions: readonly string[];
  /** Kinks of g along b (ReGLU: b = 0), where ∂f/∂b jumps from a·left to a·right. */
  readonly gateKinks: readonly Kink[];
  /** Plot range for both inputs. */
  readonly plotRange: readonly [number, number];
}

/** A gated entry: the math, and the framework functions that compute it (if any). */
export interface GatedEntry {
  readonly def: GatedDef;
  /**
   * Framework functions computing it on one tensor split into halves [a, b] along an axis
   * (`torch.nn.functional.glu`): they are the vector catalog entry `splitOf`, which keeps
   * its own contract (jacobian, even-length check).
   */
  readonly splitBindings: readonly { readonly framework: Framework; readonly paths: readonly string[] }[];
  readonly splitOf?: string;
  /** Where the variant lives as a module rather than a function (for hovers and docs). */
  readonly modules: readonly string[];
}
