// Property tests over EVERY catalog entry (allEntries(), so entries added later are covered
// without touching this file). For random valid parameters and conventions:
//   - f′ agrees with a central finite difference of f, f″ with one of f′, away from kinks;
//   - metadata holds: outputs within [lower, upper], monotonic claims, bounded ⇔ finite bounds,
//     zero-centred ⇒ both signs, C∞ ⇔ no kinks, each kink's one-sided slopes;
//   - forward/backward over Float64Array and Float32Array equal the scalar functions;
//   - NaN in → NaN out;
//   - vector activations: Jacobian vs finite differences, bounds, output length.
// Failure messages name the activation id, parameters, conventions and x.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { allEntries, CatalogError, resolve, resolveCanonical } from '../../src/engine/activations/registry';
import type { ActivationDef, ConventionSpec, Conventions, ElementwiseDef, ElementwiseKernel, ParamSpec, ParamValue, Params, VectorDef } from '../../src/engine/activations/types';

const EPS = Number.EPSILON;
const RUNS = 120;

// ---------------------------------------------------------------------------------------
// generators

/** A value inside the spec: its ui range where given (clamped to min/max), else min/max, else ±10. */
function paramArb(spec: ParamSpec): fc.Arbitrary<ParamValue> {
  if (spec.type === 'boolean') return fc.boolean();
  if (spec.type === 'enum') return fc.constantFrom(...(spec.options ?? [String(spec.default)]));
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  let lo = Math.max(spec.uiMin ?? (Number.isFinite(min) ? min : -10), min);
  let hi = Math.min(spec.uiMax ?? (Number.isFinite(max) ? max : Math.max(lo, 0) + 10), max);
  if (!Number.isFinite(lo)) lo = -10;
  if (!Number.isFinite(hi)) hi = lo + 10;
  if (lo > hi) [lo, hi] = [hi, lo];
  const minExcluded = lo === spec.min && spec.minExclusive === true;
  const maxExcluded = hi === spec.max && spec.maxExclusive === true;
  if (lo === hi) return fc.constant(lo);
  const any = fc.double({ min: lo, max: hi, minExcluded, maxExcluded, noNaN: true });
  // Values like b = 5e-324 are valid but turn smooth curves into kinks narrower than any
  // finite-difference step (squareplus with b → 0); keep 0 itself, drop 0 < |v| < 1e-6.
  return hi - lo > 1e-3 ? any.filter((v) => v === 0 || Math.abs(v) >= 1e-6) : any;
}

function recordArb<T>(items: readonly { name: string }[], arb: (i: never) => fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  const model: Record<string, fc.Arbitrary<T>> = {};
  for (const it of items) model[it.name] = arb(it as never);
  return fc.record(model);
}

interface Setup {
  params: Params;
  conventions: Conventions;
}

/** Random canonical params + conventions that resolveCanonical accepts (cross checks included). */
function setupArb(def: ActivationDef): fc.Arbitrary<Setup | undefined> {
  const p = recordArb<ParamValue>(def.params, (s: ParamSpec) => paramArb(s));
  const c = recordArb<string>(def.conventions, (s: ConventionSpec) => fc.constantFrom(...s.options.map((o) => o.value)));
  return fc.tuple(p, c).map(([params, conventions]) => {
    try {
      const r = resolveCanonical(def.id, params, conventions);
      return { params: r.params, conventions: r.conventions };
    } catch (e) {
      if (e instanceof CatalogError) return undefined; // e.g. hardtanh min_val ≥ max_val
      throw e;
    }
  });
}

/** A precise description of the failing case, for every assertion message. */
function where(def: ActivationDef, s: Setup, x?: number | readonly number[]): string {
  const xs = x === undefined ? '' : ` x=${Array.isArray(x) ? `[${x.join(', ')}]` : String(x)}`;
  return `${def.id} params=${JSON.stringify(s.params)} conventions=${JSON.stringify(s.conventions)}${xs}`;
}

/** x for derivative checks: the plot range widened, sometimes well beyond it. */
function xArb(def: ElementwiseDef): fc.Arbitrary<number> {
  const w = Math.max(8, 2 * Math.max(Math.abs(def.plotRange[0]), Math.abs(def.plotRange[1])));
  return fc.oneof(fc.double({ min: -w, max: w, noNaN: true }), fc.double({ min: -200, max: 200, noNaN: true }));
}

/** Any double, the special ones often: for bounds, monotonicity and vectorised equality. */
const anyX = fc.oneof(
  fc.double({ noNaN: true }),
  fc.double({ min: -20, max: 20, noNaN: true }),
  fc.constantFrom(0, -0, 1e-310, -1e-310, 1e300, -1e300, Infinity, -Infinity, 6, -3, 3),
);

function kinkDistance(def: ElementwiseDef, s: Setup, x: number): number {
  let d = Infinity;
  for (const k of def.kinks(s.params, s.conventions)) d = Math.min(d, Math.abs(x - k.x));
  return d;
}

// ---------------------------------------------------------------------------------------
// finite differences

/**
 * Checks dg(x) against central differences of g with step h ≈ 1e-5·max(1,|x|) (near the
 * optimal ε^(1/3) for central differences), kept below a quarter of the distance to a kink.
 * Richardson extrapolation of D(h), D(h/2) removes the O(h²) term; the tolerance is
 * relative 1e-6, plus the observed truncation |D(h) − D(h/2)|, plus rounding noise of g
 * amplified by 1/h (64 ulps of slack for g's own error).
 */
function fdMismatch(g: (x: number) => number, dg: (x: number) => number, x: number, dist: number): string | undefined {
  const h = Math.min(1e-5 * Math.max(1, Math.abs(x)), dist / 4);
  const d = (hh: number): number => {
    const xp = x + hh;
    const xm = x - hh;
    return (g(xp) - g(xm)) / (xp - xm);
  };
  const gs = [g(x - h), g(x), g(x + h)];
  if (!gs.every(Number.isFinite)) return undefined; // overflow region: nothing to compare
  const d1 = d(h);
  const d2 = d(h / 2);
  const rich = d2 + (d2 - d1) / 3;
  const want = dg(x);
  const noise = (64 * EPS * Math.max(...gs.map(Math.abs))) / h;
  const tol = 1e-6 * Math.abs(want) + 1e-10 + 2 * Math.abs(d1 - d2) + 4 * noise;
  if (Math.abs(want - rich) <= tol) return undefined;
  return `analytic ${want}, finite difference ${rich} (h=${h}, D(h)=${d1}, D(h/2)=${d2}, tol ${tol})`;
}

/** Relative closeness with NaN ≡ NaN and exact infinities. */
function near(a: number, b: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.abs(b) + abs;
}

// ---------------------------------------------------------------------------------------
// elementwise

function elementwiseProperties(def: ElementwiseDef): void {
  const setup = setupArb(def);
  const kernel = (s: Setup): ElementwiseKernel => def.kernel(s.params, s.conventions);

  it('f′ agrees with finite differences of f away from kinks', () => {
    fc.assert(
      fc.property(setup, xArb(def), (s, x) => {
        fc.pre(s !== undefined);
        const dist = kinkDistance(def, s, x);
        fc.pre(dist > 1e-3);
        const k = kernel(s);
        const bad = fdMismatch(k.f, k.df, x, dist);
        assert.ok(bad === undefined, `f′ of ${where(def, s, x)}: ${bad}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('f″ agrees with finite differences of f′ where f″ is continuous', () => {
    fc.assert(
      fc.property(setup, xArb(def), (s, x) => {
        fc.pre(s !== undefined);
        const k = kernel(s);
        if (!k.hasSecond) return; // the framework has no f″ (torch hardsigmoid)
        const dist = kinkDistance(def, s, x);
        fc.pre(dist > 1e-3);
        // f″ may jump where f′ is continuous (ELU with α = 1 at 0): finite differences converge
        // to the mean of the one-sided values there, so such points are skipped.
        const h = 1e-4 * Math.max(1, Math.abs(x));
        const l = k.d2f(x - h);
        const r = k.d2f(x + h);
        fc.pre(Math.abs(l - r) <= 1e-2 * (1 + Math.abs(l)) + 1e3 * h * (1 + Math.abs(l)));
        const bad = fdMismatch(k.df, k.d2f, x, dist);
        assert.ok(bad === undefined, `f″ of ${where(def, s, x)}: ${bad}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('outputs stay within meta.lower…meta.upper; bounded ⇔ finite bounds; zero-centred ⇒ both signs', () => {
    fc.assert(
      fc.property(setup, fc.array(anyX, { minLength: 1, maxLength: 20 }), (s, xs) => {
        fc.pre(s !== undefined);
        const m = def.meta(s.params);
        const k = kernel(s);
        assert.equal(m.bounded, Number.isFinite(m.lower) && Number.isFinite(m.upper), `meta.bounded of ${where(def, s)} (lower ${m.lower}, upper ${m.upper})`);
        assert.ok(m.lower <= m.upper, `meta.lower > meta.upper for ${where(def, s)}`);
        if (m.zeroCentred) assert.ok(m.lower < 0 && m.upper > 0, `zero-centred but range [${m.lower}, ${m.upper}] for ${where(def, s)}`);
        for (const x of xs) {
          const y = k.f(x);
          if (Number.isNaN(y) && !Number.isFinite(x)) {
            // NaN at ±∞ is right only when f has no limit there (sine): f must not settle.
            const far = [1e6, 1e6 + 1, 1e6 + 2].map((t) => k.f(Math.sign(x) * t));
            const settles = far.every((v) => Math.abs(v - (far[0] as number)) <= 1e-6 * (1 + Math.abs(far[0] as number)));
            assert.ok(!settles, `f(${x}) = NaN but f tends to ${far[0]} (f(${Math.sign(x) * 1e6}) = ${far[0]}); ±∞ should give the limit, for ${where(def, s, x)}`);
            continue;
          }
          const slack = 1e-12 * Math.max(Math.abs(m.lower === -Infinity ? 0 : m.lower), Math.abs(m.upper === Infinity ? 0 : m.upper), 1);
          assert.ok(y >= m.lower - slack && y <= m.upper + slack, `f = ${y} outside [${m.lower}, ${m.upper}] for ${where(def, s, x)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('monotonic claims hold on sorted samples and in f′', () => {
    fc.assert(
      fc.property(setup, fc.array(anyX, { minLength: 2, maxLength: 30 }), fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 10 }), (s, xs, moderate) => {
        fc.pre(s !== undefined);
        const mono = def.meta(s.params).monotonic;
        if (mono === 'no') return; // nothing claimed
        const k = kernel(s);
        const sorted = [...xs].sort((a, b) => a - b);
        const dir = mono === 'decreasing' ? -1 : 1;
        for (let i = 1; i < sorted.length; i++) {
          const a = k.f(sorted[i - 1] as number);
          const b = k.f(sorted[i] as number);
          const slack = 4 * EPS * Math.max(Math.abs(a), Math.abs(b));
          assert.ok(dir * (b - a) >= -slack || a === b, `meta.monotonic = ${mono} but f(${sorted[i - 1]}) = ${a}, f(${sorted[i]}) = ${b} for ${where(def, s)}`);
        }
        const m = def.meta(s.params);
        for (const x of moderate) {
          if (kinkDistance(def, s, x) <= 1e-6) continue;
          const d = k.df(x);
          // Strictly monotonic functions may still have f′ underflow to 0 where f has
          // saturated at one of its bounds (sigmoid at −8 with a steep slope): allow that.
          const y = k.f(x);
          const saturated = Math.abs(y - m.lower) <= 1e-9 * (1 + Math.abs(y)) || Math.abs(y - m.upper) <= 1e-9 * (1 + Math.abs(y));
          const strict = mono === 'increasing' ? d > 0 : mono === 'decreasing' ? d < 0 : d >= 0;
          // An isolated f′ = 0 (tanhshrink at 0) is fine if f still moves strictly around x.
          const moves = d === 0 && dir * (k.f(x + 1e-3) - k.f(x - 1e-3)) > 0;
          const ok = strict || moves || (saturated && (mono === 'increasing' ? d >= 0 : d <= 0));
          assert.ok(ok, `meta.monotonic = ${mono} but f′ = ${d} for ${where(def, s, x)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('kinks: one-sided slopes match f′ beside them; C∞ ⇔ no kinks', () => {
    fc.assert(
      fc.property(setup, (s) => {
        fc.pre(s !== undefined);
        const k = kernel(s);
        const kinks = def.kinks(s.params, s.conventions);
        const smooth = def.meta(s.params).smoothness;
        const listed = kinks.map((q) => `${q.x} (slopes ${q.left} | ${q.right}${q.left === q.right ? ', degenerate' : ''})`).join(', ');
        if (smooth === 'C∞') assert.equal(kinks.length, 0, `smoothness C∞ but kinks listed at ${listed} for ${where(def, s)}`);
        const xs = kinks.map((q) => q.x).sort((a, b) => a - b);
        let gap = Infinity;
        for (let i = 1; i < xs.length; i++) gap = Math.min(gap, (xs[i] as number) - (xs[i - 1] as number));
        fc.pre(gap > 1e-9); // kinks closer than that (e.g. max_value = 5e-324) leave no room between
        for (const q of kinks) {
          assert.notEqual(smooth, 'C∞', `kink at ${q.x} but smoothness C∞ for ${where(def, s)}`);
          const d = Math.min(1e-7 * Math.max(1, Math.abs(q.x)), gap / 4);
          const l = k.df(q.x - d);
          const r = k.df(q.x + d);
          assert.ok(near(l, q.left, 1e-4, 1e-6), `kink at ${q.x}: left slope ${q.left} but f′(x − ${d}) = ${l} for ${where(def, s)}`);
          assert.ok(near(r, q.right, 1e-4, 1e-6), `kink at ${q.x}: right slope ${q.right} but f′(x + ${d}) = ${r} for ${where(def, s)}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  for (const T of [Float64Array, Float32Array]) {
    const f32 = T === Float32Array;
    it(`forward/backward over ${T.name} equal the scalar f, f′`, () => {
      fc.assert(
        fc.property(setup, fc.array(anyX, { minLength: 1, maxLength: 40 }), fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 40, maxLength: 40 }), (s, xsRaw, gys) => {
          fc.pre(s !== undefined);
          const k = kernel(s);
          const x = T.from(xsRaw);
          const n = x.length;
          const y = new T(n + 1).fill(12345); // one extra slot: n must bound the loops
          const gy = T.from(gys.slice(0, n));
          const gx = new T(n + 1).fill(12345);
          k.forward(x, y, n);
          k.backward(x, y, gy, gx, n);
          assert.equal(y[n], 12345, `forward wrote past n for ${where(def, s)}`);
          assert.equal(gx[n], 12345, `backward wrote past n for ${where(def, s)}`);
          for (let i = 0; i < n; i++) {
            const xi = x[i] as number;
            const fy = f32 ? Math.fround(k.f(xi)) : k.f(xi);
            const g = gy[i] as number;
            const fg = g * k.df(xi);
            const e = f32 ? Math.fround(fg) : fg;
            // float64: a few ulps; float32: one float ulp, and backward may reuse the stored
            // (rounded) y, so allow that rounding times |g|·(1 + |y|).
            const floor = f32 ? 1e-44 : 1e-300; // subnormal results may differ by one unit
            assert.ok(near(y[i] as number, fy, f32 ? 2.4e-7 : 1e-15, floor), `forward y = ${y[i]} but f = ${fy} for ${where(def, s, xi)}`);
            const absSlack = floor + (Number.isFinite(fy) ? (f32 ? 2.4e-7 : 4.5e-16) * Math.abs(g) * (1 + Math.abs(fy)) : 0);
            assert.ok(near(gx[i] as number, e, f32 ? 2.4e-6 : 1e-12, absSlack), `backward gx = ${gx[i]} but gy·f′ = ${e} (gy = ${g}) for ${where(def, s, xi)}`);
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('NaN in → NaN out (f, f′, f″, forward, backward)', () => {
    fc.assert(
      fc.property(setup, (s) => {
        fc.pre(s !== undefined);
        const k = kernel(s);
        assert.ok(Number.isNaN(k.f(NaN)), `f(NaN) = ${k.f(NaN)} for ${where(def, s)}`);
        assert.ok(Number.isNaN(k.df(NaN)), `f′(NaN) = ${k.df(NaN)} for ${where(def, s)}`);
        assert.ok(Number.isNaN(k.d2f(NaN)), `f″(NaN) = ${k.d2f(NaN)} for ${where(def, s)}`);
        for (const T of [Float64Array, Float32Array]) {
          const x = T.from([NaN, 1]);
          const y = new T(2);
          const gx = new T(2);
          k.forward(x, y);
          k.backward(x, y, T.from([1, 1]), gx);
          assert.ok(Number.isNaN(y[0] as number), `${T.name} forward(NaN) = ${y[0]} for ${where(def, s)}`);
          assert.ok(Number.isNaN(gx[0] as number), `${T.name} backward at NaN = ${gx[0]} (gy = 1) for ${where(def, s)}`);
        }
      }),
      { numRuns: 20 },
    );
  });
}

// ---------------------------------------------------------------------------------------
// vector

function vectorProperties(def: VectorDef): void {
  const setup = setupArb(def);
  const vec = (lo: number, hi: number): fc.Arbitrary<number[]> =>
    fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: 1, maxLength: 8 }).map((a) => (a.length % 2 ? [...a, 0.5] : a));

  it('Jacobian agrees with finite differences (away from kinks)', () => {
    fc.assert(
      fc.property(setup, vec(-10, 10), (s, arr) => {
        fc.pre(s !== undefined);
        const x = Float64Array.from(arr);
        const out = def.apply(x, s.params, s.conventions);
        for (let j = 0; j < x.length; j++) {
          const col = (v: number): Float64Array => {
            const xx = Float64Array.from(x);
            xx[j] = v;
            return def.apply(xx, s.params, s.conventions).y;
          };
          const h = 1e-6 * Math.max(1, Math.abs(x[j] as number));
          const [p, m] = [col((x[j] as number) + h), col((x[j] as number) - h)];
          for (let i = 0; i < out.y.length; i++) {
            const y0 = out.y[i] as number;
            const fwd = ((p[i] as number) - y0) / h;
            const bwd = (y0 - (m[i] as number)) / h;
            // A kink (sparsemax's support changing) within h shows as one-sided slopes that
            // disagree; smooth maps differ only by h·∂²y. Skip the kink, compare elsewhere.
            if (Math.abs(fwd - bwd) > 1e-4 * (1 + Math.abs(fwd))) continue;
            const d = (fwd + bwd) / 2;
            const a = (out.jacobian[i] as Float64Array)[j] as number;
            const tol = 1e-6 * (1 + Math.abs(a)) * (1 + Math.abs(x[i] as number));
            assert.ok(Math.abs(a - d) <= tol, `J[${i}][${j}] = ${a}, finite difference ${d} for ${where(def, s, arr)}`);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('shape, bounds and NaN propagation', () => {
    fc.assert(
      fc.property(setup, vec(-1e3, 1e3), (s, arr) => {
        fc.pre(s !== undefined);
        const m = def.meta(s.params);
        assert.equal(m.bounded, Number.isFinite(m.lower) && Number.isFinite(m.upper), `meta.bounded of ${where(def, s)}`);
        const out = def.apply(Float64Array.from(arr), s.params, s.conventions);
        assert.equal(out.y.length, def.outputLength(arr.length), `outputLength for ${where(def, s, arr)}`);
        assert.equal(out.jacobian.length, out.y.length, `Jacobian rows for ${where(def, s, arr)}`);
        for (const row of out.jacobian) assert.equal(row.length, arr.length, `Jacobian columns for ${where(def, s, arr)}`);
        for (const v of out.y) assert.ok(v >= m.lower - 1e-12 && v <= m.upper + 1e-12, `y = ${v} outside [${m.lower}, ${m.upper}] for ${where(def, s, arr)}`);
        const withNaN = Float64Array.from(arr);
        withNaN[0] = NaN;
        const bad = def.apply(withNaN, s.params, s.conventions);
        assert.ok(Number.isNaN(bad.y[0] as number), `NaN in x[0] but y[0] = ${bad.y[0]} for ${where(def, s, [...withNaN])}`);
      }),
      { numRuns: 80 },
    );
  });
}

/** Registry-wide integrity: every binding resolves with its own defaults, names are unambiguous
 *  (entries without bindings — Gaussian, sine, binary step — are fine). */
function catalogIntegrity(): void {
  it('every binding resolves by each of its names, with its defaults, to its own activation', () => {
    const seen = new Map<string, string>();
    for (const e of allEntries()) {
      for (const b of e.bindings) {
        assert.equal(b.id, e.def.id, `binding ${b.framework} ${b.names[0]} sits under ${e.def.id} but names id ${b.id}`);
        for (const name of b.names) {
          const key = `${b.framework}:${name}`;
          assert.ok(!seen.has(key), `${b.framework} name "${name}" is used by both ${seen.get(key)} and ${e.def.id}`);
          seen.set(key, e.def.id);
          let r;
          try {
            r = resolve(b.framework, name);
          } catch (err) {
            assert.fail(`${b.framework} ${name} (${e.def.id}) does not resolve with its defaults: ${(err as Error).message}`);
          }
          assert.equal(r.entry.def.id, e.def.id, `${b.framework} ${name} resolves to ${r.entry.def.id}, not ${e.def.id}`);
        }
      }
    }
  });

  it('every entry has formulas (LaTeX and text), a title, a summary, uses and a cost', () => {
    for (const e of allEntries()) {
      const d = e.def;
      const r = resolveCanonical(d.id);
      const fs = d.formulas(r.params, r.conventions) as { f: { latex: string; text: string }; df: { latex: string; text: string }; d2f?: { latex: string; text: string } };
      for (const [k, v] of Object.entries(fs)) {
        if (v === undefined) continue;
        assert.ok(v.latex.trim() && v.text.trim(), `${d.id}: formula ${k} needs both LaTeX and text`);
      }
      assert.ok(d.title.trim() && d.summary.trim(), `${d.id}: title and summary`);
      const m = d.meta(r.params);
      assert.ok(m.uses.length > 0 && m.cost > 0 && m.range.trim(), `${d.id}: meta.uses, meta.cost and meta.range`);
    }
  });
}

describe('properties of every catalog entry', () => {
  it('the catalog is not empty', () => assert.ok(allEntries().length > 0));
  describe('catalog integrity', catalogIntegrity);
  for (const entry of allEntries()) {
    const def = entry.def;
    describe(`${def.id} (${def.kind})`, () => {
      if (def.kind === 'elementwise') elementwiseProperties(def);
      else vectorProperties(def);
    });
  }
});
