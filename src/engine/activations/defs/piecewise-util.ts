// Shared pieces of the piecewise-linear activations (ReLU family, hard*, shrink, step):
// number formatting for formulas, interval text, one-sided derivatives at kinks, and the
// "slope below zero" kernel that Leaky ReLU, PReLU and RReLU (eval) all are.
import { fmt, makeKernel } from '../kernel';
import type { ActivationMeta, ElementwiseKernel, Kink, NumArray } from '../types';

/** A number for formulas: 0.01, 1/6 → 0.166667, −2 with a real minus sign, ±∞. */
export function show(v: number): string {
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  const s = fmt(v);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** The same for LaTeX (ASCII minus, \infty). */
export function tex(v: number): string {
  if (v === Infinity) return '\\infty';
  if (v === -Infinity) return '-\\infty';
  return fmt(v);
}

/** "[0, 6]", "(−∞, ∞)": an interval; infinite ends are always open. */
export function interval(lo: number, hi: number, loClosed = true, hiClosed = true): string {
  const a = loClosed && Number.isFinite(lo) ? '[' : '(';
  const b = hiClosed && Number.isFinite(hi) ? ']' : ')';
  return `${a}${show(lo)}, ${show(hi)}${b}`;
}

/**
 * One-sided derivatives at a kink of a function whose derivative is constant (or continuous)
 * on each side: probe just inside each piece. `gap` is the distance to the nearest other
 * kink, so the probe never crosses one.
 */
export function sided(df: (x: number) => number, x: number, gap = Infinity): { left: number; right: number } {
  const d = Math.min(1e-9 * Math.max(1, Math.abs(x)), gap / 4);
  return { left: df(x - d), right: df(x + d) };
}

/** Kinks at the given points (sorted), one-sided slopes probed, convention text per point. */
export function kinksAt(df: (x: number) => number, points: readonly number[], note: (x: number) => string | undefined): Kink[] {
  const xs = [...new Set(points)].filter((p) => Number.isFinite(p)).sort((a, b) => a - b);
  return xs.map((x, i) => {
    const gap = Math.min(i > 0 ? x - (xs[i - 1] as number) : Infinity, i + 1 < xs.length ? (xs[i + 1] as number) - x : Infinity);
    const { left, right } = sided(df, x, gap);
    const convention = note(x);
    return convention === undefined ? { x, left, right } : { x, left, right, convention };
  });
}

/** f″ of a piecewise-linear function: 0 everywhere (the convention at kinks), NaN for NaN. */
export const zeroSecond = (x: number): number => (x === x ? 0 : x);

/**
 * x for x > 0, s·x for x < 0, and f′(0) = `atZero` (the framework's convention). This is
 * Leaky ReLU, PReLU (one shared weight) and RReLU in eval mode. Hand-written loops: these
 * run in every training step.
 */
export function slopeKernel(s: number, atZero: number): ElementwiseKernel {
  // s = 0 makes s·(−∞) = NaN; the limit is 0, so route −∞ explicitly in the scalar path.
  const f = (x: number): number => (x > 0 ? x : x === -Infinity ? (s === 0 ? 0 : s * x) : s * x);
  return makeKernel({
    f,
    df: (x) => (x > 0 ? 1 : x < 0 ? s : x === 0 ? atZero : x),
    d2f: zeroSecond,
    forward(x: NumArray, y: NumArray, n = x.length) {
      if (s === 0) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v > 0 ? v : v === v ? 0 : v;
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        y[i] = v > 0 ? v : s * v;
      }
    },
    backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        const g = gy[i] as number;
        gx[i] = v > 0 ? g : v < 0 ? s * g : v === 0 ? atZero * g : NaN;
      }
    },
  });
}

/** Metadata of x ↦ (x > 0 ? x : s·x), true for every real s. */
export function slopeMeta(s: number, uses: readonly string[], cost = 1): ActivationMeta {
  return {
    range: s > 0 ? '(−∞, ∞)' : '[0, ∞)',
    lower: s > 0 ? -Infinity : 0,
    upper: Infinity,
    monotonic: s > 0 ? 'increasing' : s === 0 ? 'non-decreasing' : 'no',
    // C0 even for s = 1 (the identity): some conventions (Keras PReLU: f′(0) = 0) keep a kink.
    smoothness: 'C0',
    zeroCentred: s === 1,
    bounded: false,
    selfNormalizing: false,
    uses,
    cost,
  };
}

/** Formulas of x ↦ (x > 0 ? x : s·x) with the value of s written in. */
export function slopeFormulas(s: number): { f: { latex: string; text: string }; df: { latex: string; text: string }; d2f: { latex: string; text: string } } {
  return {
    f: { latex: `\\begin{cases} x & x > 0 \\\\ ${tex(s)}\\,x & x \\le 0 \\end{cases}`, text: `x if x > 0, else ${show(s)}·x` },
    df: { latex: `\\begin{cases} 1 & x > 0 \\\\ ${tex(s)} & x < 0 \\end{cases}`, text: `1 if x > 0, ${show(s)} if x < 0` },
    d2f: { latex: '0 \\quad (x \\ne 0)', text: '0 (x ≠ 0)' },
  };
}
