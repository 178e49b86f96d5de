// The GLU family as two-input functions f(a, b) = a · g(b) (see GatedDef for the argument
// order against Shazeer's paper): GLU (g = σ), ReGLU (g = ReLU), GeGLU (g = exact GELU),
// SwiGLU (g = SiLU = Swish with β = 1). The gate kernels are the catalog's own, so values,
// derivatives and kink conventions are exactly those of sigmoid/relu/gelu/silu.
//
//   f      = a·g(b)
//   ∂f/∂a  = g(b)             ∂²f/∂a² = 0
//   ∂f/∂b  = a·g′(b)          ∂²f/∂a∂b = g′(b)        ∂²f/∂b² = a·g″(b)
import type { ElementwiseDef, ElementwiseKernel, GatedDef, GatedEntry, Kink, Params } from '../types';

interface Variant {
  readonly id: string;
  readonly title: string;
  readonly gate: string;
  /** g in LaTeX and in text. */
  readonly g: readonly [string, string];
  readonly gp: readonly [string, string];
  readonly summary: string;
  readonly modules: readonly string[];
}

const VARIANTS: readonly Variant[] = [
  {
    id: 'glu_ab', title: 'GLU (two inputs)', gate: 'sigmoid', g: ['\\sigma(b)', 'σ(b)'], gp: ['\\sigma(b)(1-\\sigma(b))', 'σ(b)(1 − σ(b))'],
    summary: 'Gated linear unit (Dauphin et al. 2017): the value a scaled by a sigmoid gate σ(b).',
    modules: ['torch.nn.GLU (split form)'],
  },
  {
    id: 'reglu', title: 'ReGLU', gate: 'relu', g: ['\\max(0, b)', 'max(0, b)'], gp: ['[b > 0]', '[b > 0]'],
    summary: 'GLU variant with a ReLU gate (Shazeer 2020): a · max(0, b).',
    modules: ['x-transformers GLU(activation=nn.ReLU())'],
  },
  {
    id: 'geglu', title: 'GeGLU', gate: 'gelu', g: ['\\mathrm{GELU}(b)', 'GELU(b)'], gp: ['(\\Phi(b) + b\\,\\varphi(b))', '(Φ(b) + b·φ(b))'],
    summary: 'GLU variant with an exact (erf) GELU gate (Shazeer 2020): a · GELU(b).',
    modules: ['diffusers.models.activations.GEGLU'],
  },
  {
    id: 'swiglu', title: 'SwiGLU', gate: 'silu', g: ['b\\,\\sigma(b)', 'b·σ(b)'], gp: ['\\sigma(b)(1 + b(1-\\sigma(b)))', 'σ(b)(1 + b(1 − σ(b)))'],
    summary: 'GLU variant with a Swish/SiLU gate (Shazeer 2020), the feed-forward of LLaMA and PaLM: a · SiLU(b).',
    modules: ['diffusers.models.activations.SwiGLU', 'LLaMA FeedForward: w2(F.silu(w1(x)) * w3(x)), gate = w1(x)'],
  },
];

const CONVENTIONS = [
  'Here f(a, b) = a·g(b): a is the value input, b the gate input.',
  'torch.nn.functional.glu / nn.GLU, jax.nn.glu and keras.activations.glu split x into halves [a, b] along an axis and return a·σ(b): the gate is the SECOND half.',
  'Shazeer, "GLU Variants Improve Transformer" (2020) writes the gate first: GLU(x) = σ(xW) ⊗ xV, ReGLU = max(0, xW) ⊗ xV, GEGLU = GELU(xW) ⊗ xV, SwiGLU = Swish₁(xW) ⊗ xV, i.e. a = xV and b = xW here.',
];

function defaults(def: ElementwiseDef): Params {
  const p: Record<string, Params[string]> = {};
  for (const s of def.params) p[s.name] = s.default;
  return p;
}

function defaultConventions(def: ElementwiseDef): Record<string, string> {
  const c: Record<string, string> = {};
  for (const s of def.conventions) c[s.name] = s.options[0]?.value ?? '';
  return c;
}

/** f(a, b) = a·g(b) with a = 0 exactly 0 (no 0·∞ = NaN where g(b) is infinite and a is 0). */
function times(a: number, gb: number): number {
  return a === 0 && !Number.isNaN(gb) ? 0 : a * gb;
}

function gatedDef(v: Variant, g: ElementwiseDef): GatedDef {
  const p = defaults(g);
  const c = defaultConventions(g);
  const k: ElementwiseKernel = g.kernel(p, c);
  const [gl, gt] = v.g;
  const [pl, pt] = v.gp;
  return {
    kind: 'gated',
    id: v.id,
    title: v.title,
    summary: v.summary,
    gate: v.gate,
    f: (a, b) => times(a, k.f(b)),
    dfda: (_a, b) => k.f(b),
    dfdb: (a, b) => times(a, k.df(b)),
    d2fdadb: (_a, b) => k.df(b),
    d2fdb2: (a, b) => times(a, k.d2f(b)),
    formulas: {
      f: { latex: `f(a, b) = a\\,${gl}`, text: `f(a, b) = a·${gt}` },
      dfda: { latex: `\\frac{\\partial f}{\\partial a} = ${gl}`, text: `∂f/∂a = ${gt}` },
      dfdb: { latex: `\\frac{\\partial f}{\\partial b} = a\\,${pl}`, text: `∂f/∂b = a·${pt}` },
    },
    conventions: CONVENTIONS,
    gateKinks: g.kinks(p, c) as readonly Kink[],
    plotRange: [-4, 4],
  };
}

/**
 * The gated entries, built on the catalog's elementwise defs (passed in by catalog.ts so this
 * file does not import the registry).
 */
export function gatedEntries(elementwise: (id: string) => ElementwiseDef): readonly GatedEntry[] {
  return VARIANTS.map((v) => ({
    def: gatedDef(v, elementwise(v.gate)),
    // Only GLU has framework functions; they take one tensor and split it (vector entry 'glu').
    splitBindings:
      v.id === 'glu_ab'
        ? [
            { framework: 'torch', paths: ['torch.nn.functional.glu', 'torch.nn.GLU'] },
            { framework: 'jax', paths: ['jax.nn.glu'] },
            { framework: 'keras', paths: ['keras.activations.glu', 'keras.ops.glu'] },
          ]
        : [],
    splitOf: v.id === 'glu_ab' ? 'glu' : undefined,
    modules: v.modules,
  }));
}
