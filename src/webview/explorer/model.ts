// The explorer's state and its evaluation. The webview imports the pure activation engine
// (no vscode, no Node): sliders, zoom and pan re-sample at full resolution on every frame
// without a round trip through the extension host, and the numbers shown are exactly the
// engine's (the same kernels the hovers, CLI and trainer use).
import { allEntries, bindingsOf, isElementwise, resolve, resolveCanonical } from '../../engine/activations/registry';
import type { ElementwiseDef, ElementwiseKernel, Framework, FrameworkBinding, Params, ParamValue } from '../../engine/activations/types';
import { dtypeScalars, type DtypeScalars } from '../../engine/precision/evaluate';
import type { Dtype } from '../../engine/precision/round';
import type { CurveSpec } from '../../shared/protocol';
import type { ExplorerState } from '../../shared/protocol';

export { type ExplorerState, isExplorerState } from '../../shared/protocol';

export const DEFAULT_POINTS = [-5, -2, 0, 3, 6];

export function defaultState(): ExplorerState {
  return {
    v: 1,
    curves: [
      { id: 'relu', framework: 'torch', name: 'relu', params: {} },
      { id: 'leaky_relu', framework: 'torch', name: 'leaky_relu', params: {} },
    ],
    show: { f: true, df: true, d2f: false },
    xmin: -6,
    xmax: 6,
    points: [...DEFAULT_POINTS],
    addFramework: 'torch',
    focus: 0,
  };
}

/** A curve resolved through the registry: what to evaluate and what to show about it. */
export interface Evaluated {
  readonly spec: CurveSpec;
  readonly def: ElementwiseDef;
  readonly binding: FrameworkBinding;
  readonly params: Params;
  readonly conventions: Readonly<Record<string, string>>;
  readonly kernel: ElementwiseKernel;
  /** In a dtype other than float64: the call as the framework computes it there, and in float64 (for regions and ULP errors). */
  readonly precision?: { readonly s: DtypeScalars; readonly f64: DtypeScalars };
}

/** Resolves a curve; throws the registry's CatalogError (a user-facing message) if invalid. */
export function evaluate(c: CurveSpec, dtype: Dtype = 'float64'): Evaluated {
  const r = resolve(c.framework, c.name, {});
  const def = r.entry.def;
  if (!isElementwise(def)) throw new Error(`${def.title} acts on a whole vector; the explorer plots elementwise functions`);
  // Framework defaults, then the user's values, then what the framework pins.
  const merged: Record<string, ParamValue> = { ...r.params };
  // null: a value JSON could not carry (±Infinity), i.e. the framework's default
  for (const [k, v] of Object.entries(c.params)) if (v !== null && def.params.some((p) => p.name === k)) merged[k] = v;
  Object.assign(merged, r.binding.fixed ?? {});
  const rc = resolveCanonical(def.id, merged, r.conventions);
  const kernel = def.kernel(rc.params, rc.conventions);
  const base = { spec: c, def, binding: r.binding, params: rc.params, conventions: rc.conventions };
  if (dtype === 'float64') return { ...base, kernel };
  const s = dtypeScalars(c.framework, def.id, rc.params, rc.conventions, kernel, dtype);
  const f64 = dtypeScalars(c.framework, def.id, rc.params, rc.conventions, kernel, 'float64');
  return { ...base, kernel: inDtype(s, kernel), precision: { s, f64 } };
}

/**
 * The kernel as the framework computes it in `dtype` (src/engine/precision): x rounded to the
 * dtype, y and f′ as stored, so the curves show the staircase and the flat, exactly-zero
 * gradients where they are visible. f″ is NaN where the framework has none.
 */
function inDtype(d: DtypeScalars, k: ElementwiseKernel): ElementwiseKernel {
  const f = (x: number): number => d.f(x);
  const df = (x: number): number => d.df(x);
  const d2f = (x: number): number => d.d2f(x) ?? NaN;
  return {
    f,
    df,
    d2f,
    hasSecond: k.hasSecond,
    forward(x, y, n = x.length) {
      for (let i = 0; i < n; i++) y[i] = f(x[i] as number);
    },
    backward(x, _y, gy, gx, n = x.length) {
      for (let i = 0; i < n; i++) gx[i] = (gy[i] as number) * df(x[i] as number);
    },
  };
}

/** Canonical defaults of a binding (so switching framework shows that framework's defaults). */
export function frameworkDefaults(framework: Framework, name: string): Params {
  return resolve(framework, name, {}).params;
}

/** The binding of the same activation in another framework, preferring the same spelling. */
export function counterpart(c: CurveSpec, framework: Framework): FrameworkBinding | undefined {
  const list = bindingsOf(framework).filter((b) => b.id === c.id);
  return list.find((b) => b.names.includes(c.name)) ?? list[0];
}

/** Elementwise activations a framework offers, one entry per binding spelling. */
export function choicesFor(framework: Framework): { value: string; text: string; title: string }[] {
  const out: { value: string; text: string; title: string }[] = [];
  for (const e of allEntries()) {
    if (!isElementwise(e.def)) continue;
    for (const b of e.bindings) {
      if (b.framework !== framework) continue;
      const name = b.names[0] ?? e.def.id;
      out.push({ value: `${e.def.id}|${name}`, text: name === e.def.title ? name : `${name} — ${e.def.title}`, title: e.def.summary });
    }
  }
  return out;
}

/** The framework's own spelling of a canonical parameter, if it exposes it. */
export function frameworkParamName(b: FrameworkBinding, canonical: string): string | undefined {
  return b.params.find((p) => p.canonical === canonical)?.name;
}

export interface Series {
  readonly xs: Float64Array;
  readonly f: Float64Array;
  readonly df: Float64Array;
  readonly d2f: Float64Array;
}

/**
 * Samples f, f′, f″ over [xmin, xmax] with n evenly spaced points plus each kink and its
 * immediate neighbours, so jumps and corners are drawn where they are, not smeared.
 */
export function sample(ev: Evaluated, xmin: number, xmax: number, n = 600): Series {
  const xsList: number[] = [];
  for (let i = 0; i < n; i++) xsList.push(xmin + ((xmax - xmin) * i) / (n - 1));
  const eps = (xmax - xmin) * 1e-6;
  for (const k of safeKinks(ev)) {
    if (k.x > xmin && k.x < xmax) xsList.push(k.x - eps, k.x, k.x + eps);
  }
  xsList.sort((a, b) => a - b);
  const xs = Float64Array.from(xsList);
  const f = new Float64Array(xs.length);
  const df = new Float64Array(xs.length);
  const d2f = new Float64Array(xs.length);
  const k = ev.kernel;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    f[i] = k.f(x);
    df[i] = k.df(x);
    d2f[i] = k.hasSecond ? k.d2f(x) : NaN;
  }
  return { xs, f, df, d2f };
}

/** A curve given by its scalar functions (the "Custom…" expression). */
export interface FnCurve {
  readonly label: string;
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  readonly d2f: (x: number) => number;
}

/** f, f′, f″ of a function curve over [xmin, xmax], n evenly spaced points. */
export function sampleFns(c: FnCurve, xmin: number, xmax: number, n = 600): Series {
  const xs = new Float64Array(n);
  const f = new Float64Array(n);
  const df = new Float64Array(n);
  const d2f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xmin + ((xmax - xmin) * i) / (n - 1);
    xs[i] = x;
    f[i] = c.f(x);
    df[i] = c.df(x);
    d2f[i] = c.d2f(x);
  }
  return { xs, f, df, d2f };
}

export function safeKinks(ev: Evaluated): readonly { x: number; left: number; right: number; convention?: string }[] {
  try {
    return ev.def.kinks(ev.params, ev.conventions);
  } catch {
    return [];
  }
}

/** A short label for legends and tables: "LeakyReLU (PyTorch, slope 0.2)". */
export function curveLabel(ev: Evaluated, frameworkLabel: string): string {
  const ps = ev.def.params
    .filter((p) => frameworkParamName(ev.binding, p.name) !== undefined)
    .map((p) => {
      const v = ev.params[p.name];
      // 6 significant digits: slider steps like 0.01 + 40 × 0.005 must not show float noise
      return `${frameworkParamName(ev.binding, p.name)}=${typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v)}`;
    });
  return `${ev.spec.name}${ps.length ? `(${ps.join(', ')})` : ''} · ${frameworkLabel}`;
}
