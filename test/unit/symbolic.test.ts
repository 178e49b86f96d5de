// The symbolic core against independent references: random expressions' derivatives vs
// finite differences (away from kinks), catalog primitives vs the catalog's own kernels,
// the two evaluators vs each other, print → parse round trips, kinks and stability notes.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  X, act, add, analyzeExpr, cmp, compileClosure, compileCode, derivative, div, findKinks, fn, key, minmax, mul, num, param, parseExpr,
  prepare, printExpr, simplify, sub, switchingFunctions, where, withLimits, pow, clamp, PRIMITIVES, customKernel, UnboundParameterError,
} from '../../src/engine/symbolic';
import type { Expr, ScalarFn } from '../../src/engine/symbolic';
import { elementwiseKernel } from '../../src/engine/activations/registry';

const PARAMS = { a: 0.7, b: 1.3 };

// ---------------------------------------------------------------------------------------
// Random expressions: bounded building blocks so values stay moderate on x ∈ [−3, 3].

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(X) },
  { weight: 2, arbitrary: fc.integer({ min: -4, max: 4 }).map((k) => num(k / 2)) },
  { weight: 1, arbitrary: fc.constantFrom(param('a'), param('b')) },
);

function exprArb(smoothOnly: boolean): fc.Arbitrary<Expr> {
  const { tree } = fc.letrec<{ tree: Expr }>((tie) => {
    const sub1 = tie('tree');
    const unary: fc.Arbitrary<Expr>[] = [
      sub1.map((u) => fn('sin', u)),
      sub1.map((u) => fn('cos', u)),
      sub1.map((u) => fn('tanh', u)),
      sub1.map((u) => fn('sigmoid', u)),
      sub1.map((u) => fn('softplus', u)),
      sub1.map((u) => fn('erf', u)),
      sub1.map((u) => fn('erfc', u)),
      sub1.map((u) => fn('exp', fn('tanh', u))),
      sub1.map((u) => fn('log', add(num(1), pow(u, num(2))))),
      sub1.map((u) => pow(add(num(1), pow(u, num(2))), num(0.5))),
      sub1.map((u) => fn('log1p', fn('sigmoid', u))),
      sub1.map((u) => fn('expm1', fn('sin', u))),
      sub1.map((u) => act('silu', u)),
      sub1.map((u) => act('gelu', u)),
      sub1.map((u) => act('gelu_tanh', u)),
      sub1.map((u) => act('mish', u)),
      sub1.map((u) => act('squareplus', u, [num(4)])),
    ];
    if (!smoothOnly) {
      unary.push(
        sub1.map((u) => act('relu', u)),
        sub1.map((u) => fn('abs', u)),
        sub1.map((u) => act('leaky_relu', u, [num(0.1)])),
        sub1.map((u) => act('hardswish', u)),
        sub1.map((u) => act('elu', u, [param('a')])),
        sub1.map((u) => act('selu', u)),
        sub1.map((u) => act('softsign', u)),
        sub1.map((u) => act('relu6', u)),
        sub1.map((u) => clamp(u, num(-1), num(1.5))),
      );
    }
    const binary: fc.Arbitrary<Expr>[] = [
      fc.tuple(sub1, sub1).map(([u, v]) => add(u, v)),
      fc.tuple(sub1, sub1).map(([u, v]) => sub(u, v)),
      fc.tuple(sub1, sub1).map(([u, v]) => mul(u, v)),
      fc.tuple(sub1, sub1).map(([u, v]) => div(u, add(num(1), pow(v, num(2))))),
      fc.tuple(sub1, fc.constantFrom(2, 3)).map(([u, k]) => pow(u, num(k))),
    ];
    if (!smoothOnly) {
      binary.push(
        fc.tuple(sub1, sub1).map(([u, v]) => minmax('max', u, v)),
        fc.tuple(sub1, sub1).map(([u, v]) => minmax('min', u, v)),
        fc.tuple(sub1, sub1, sub1).map(([c, u, v]) => where(cmp('>', c, num(0.25)), u, v)),
      );
    }
    return {
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true, maxDepth: 3 }, leaf, ...unary, ...binary),
    };
  });
  return tree;
}

/** Five-point central difference of g at x. */
function fd(g: ScalarFn, x: number, h: number): number {
  return (g(x - 2 * h) - 8 * g(x - h) + 8 * g(x + h) - g(x + 2 * h)) / (12 * h);
}

/** True when no switching function changes sign (or is 0) on [x − 3h, x + 3h]. */
function awayFromKinks(switchFns: ScalarFn[], x: number, h: number): boolean {
  for (const g of switchFns) {
    const a = g(x - 3 * h);
    const b = g(x + 3 * h);
    const c = g(x);
    if (!(Math.sign(a) === Math.sign(b) && Math.sign(b) === Math.sign(c) && c !== 0)) return false;
    // a switch that crosses zero twice inside the window: check a few interior points too
    for (let k = -2; k <= 2; k++) if (Math.sign(g(x + k * h)) !== Math.sign(c)) return false;
  }
  return true;
}

function checkDerivatives(e: Expr): void {
  const f = prepare(e, PARAMS);
  const d1 = derivative(e);
  const d2 = derivative(d1);
  const ff = compileClosure(f);
  const f1 = compileClosure(d1, PARAMS);
  const f2 = compileClosure(d2, PARAMS);
  const sw = switchingFunctions(f).map((g) => compileClosure(g));
  const h = 1e-3;
  for (let x = -2.95; x <= 3; x += 0.37) {
    if (!awayFromKinks(sw, x, h)) continue;
    const vals = [-2, -1, 0, 1, 2].map((k) => ff(x + k * h));
    if (!vals.every((v) => Number.isFinite(v) && Math.abs(v) < 1e4)) continue;
    const y1 = f1(x);
    const y2 = f2(x);
    if (!Number.isFinite(y1) || !Number.isFinite(y2) || Math.abs(y1) > 1e4 || Math.abs(y2) > 1e4) continue;
    const scale = Math.max(1, ...vals.map(Math.abs));
    const n1 = fd(ff, x, h);
    const n2 = fd(f1, x, h);
    const tol1 = 1e-6 * (scale + Math.abs(y1) + Math.abs(y2));
    const tol2 = 1e-6 * (Math.max(1, Math.abs(y1)) + Math.abs(y2)) * 10;
    assert.ok(Math.abs(y1 - n1) <= tol1, `f′ of ${printExpr(simplify(e))} at ${x}: symbolic ${y1}, finite difference ${n1}\n  f′ = ${printExpr(d1)}`);
    assert.ok(Math.abs(y2 - n2) <= tol2 + 1e-4 * Math.abs(n2), `f″ of ${printExpr(simplify(e))} at ${x}: symbolic ${y2}, finite difference of f′ ${n2}\n  f″ = ${printExpr(d2)}`);
  }
}

describe('symbolic: derivatives of random expressions vs finite differences', function () {
  this.timeout(120000);

  it('smooth expressions: f′ and f″ agree with central differences', () => {
    fc.assert(fc.property(exprArb(true), (e) => checkDerivatives(e)), { numRuns: 120, seed: 13 });
  });

  it('expressions with where/max/min/abs/clamp/relu: agree away from the kinks', () => {
    fc.assert(fc.property(exprArb(false), (e) => checkDerivatives(e)), { numRuns: 200, seed: 1313 });
  });

  it('the generated-code and closure evaluators agree, and printing then parsing gives the same tree', () => {
    fc.assert(
      fc.property(exprArb(false), (e) => {
        const s = simplify(e);
        const text = printExpr(s);
        const back = simplify(parseExpr(text));
        assert.equal(key(back), key(s), `round trip of ${text} gave ${printExpr(back)}`);
        const d1 = derivative(e);
        const a = compileClosure(d1, PARAMS);
        const b = compileCode(d1, PARAMS);
        for (let x = -3; x <= 3; x += 0.29) {
          const u = a(x);
          const v = b(x);
          assert.ok(Object.is(u, v) || Math.abs(u - v) <= 1e-13 * Math.max(1, Math.abs(u)), `${printExpr(d1)} at ${x}: closure ${u}, code ${v}`);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

// ---------------------------------------------------------------------------------------

function grid(): number[] {
  const xs: number[] = [];
  for (let x = -30; x <= 30; x += 0.0731) xs.push(x);
  xs.push(-1e-9, 1e-9, 0.5, -0.5, 1e-300, -700, 700, 5e-8);
  return xs;
}

function maxErr(a: ScalarFn, b: ScalarFn, xs: number[], skip: (x: number) => boolean = () => false): { err: number; at: number } {
  let err = 0;
  let at = NaN;
  for (const x of xs) {
    if (skip(x)) continue;
    const u = a(x);
    const v = b(x);
    if (Object.is(u, v)) continue;
    const e = Math.abs(u - v) / Math.max(1, Math.abs(v));
    if (!(e <= err)) {
      err = e;
      at = x;
    }
  }
  return { err, at };
}

describe('symbolic: expressions equal to catalog entries', () => {
  it('x * sigmoid(x) equals the catalog SiLU: f, f′, f″ to 1e-14', () => {
    const a = analyzeExpr('x * sigmoid(x)');
    const k = elementwiseKernel('silu');
    for (const [name, g, r] of [['f', a.expr.f, k.f], ['f′', a.expr.df, k.df], ['f″', a.expr.d2f, k.d2f]] as const) {
      const { err, at } = maxErr(withLimits(compileClosure(g)), r, [...grid(), Infinity, -Infinity]);
      assert.ok(err <= 1e-14, `${name}: max error ${err} at x = ${at}`);
    }
  });

  it("BERT's gelu, x * 0.5 * (1 + erf(x / sqrt(2))), equals the catalog's exact GELU", () => {
    const a = analyzeExpr('x * 0.5 * (1 + erf(x / math_sqrt2))'.replace('math_sqrt2', 'sqrt(2.0)'));
    const k = elementwiseKernel('gelu', { approximate: false });
    for (const [name, g, r] of [['f', a.expr.f, k.f], ['f′', a.expr.df, k.df], ['f″', a.expr.d2f, k.d2f]] as const) {
      const { err, at } = maxErr(compileClosure(g), r, grid());
      assert.ok(err <= 1e-14, `${name}: max error ${err} at x = ${at}`);
    }
  });

  it('every primitive equals its catalog kernel (f, f′; f″ away from kinks), defaults and other parameters', () => {
    for (const p of PRIMITIVES) {
      if (!p.catalog) continue;
      const variants: number[][] = [p.params.map((q) => q.default)];
      if (p.params.length) variants.push(p.params.map((q, i) => (q.name === 'max_val' ? 2.5 : q.name === 'min_val' ? -0.5 : q.default + 0.35 + i)));
      for (const values of variants) {
        const e = act(p.name, X, values.map(num));
        const k = elementwiseKernel(p.catalog.id, p.catalog.params(values));
        const kinks = findKinks(e).map((q) => q.x);
        const f2skip = (x: number): boolean => x === 0 || kinks.some((q) => Math.abs(q - x) < 1e-9) || values.some((v) => Math.abs(Math.abs(x) - v) < 1e-9);
        const f = compileClosure(e);
        const d1 = compileClosure(derivative(e));
        const d2 = compileClosure(derivative(derivative(e)));
        const xs = [...grid(), ...kinks];
        const label = `${p.name}(x, ${values.join(', ')})`;
        let r = maxErr(f, k.f, xs);
        assert.ok(r.err <= 1e-13, `${label} f: ${r.err} at ${r.at}`);
        r = maxErr(d1, k.df, xs);
        assert.ok(r.err <= 1e-13, `${label} f′: ${r.err} at ${r.at} (symbolic ${d1(r.at)}, catalog ${k.df(r.at)})`);
        r = maxErr(d2, k.d2f, xs, f2skip);
        assert.ok(r.err <= 1e-12, `${label} f″: ${r.err} at ${r.at} (symbolic ${d2(r.at)}, catalog ${k.d2f(r.at)})`);
      }
    }
  });
});

describe('symbolic: parser', () => {
  for (const [src, col, pattern] of [
    ['x * (sigmoid(x)', 16, /expected '\)'/],
    ['x +', 4, /unexpected end/],
    ['x * sigmod(x)', 5, /unknown function 'sigmod'; did you mean 'sigmoid'/],
    ['3x', 2, /write 3\*x/],
    ['x > 0', 1, /comparison can only be the condition/],
    ['where(x, 1, 0)', 7, /must be a comparison/],
    ['exp(x, 2)', 8, /takes 1 argument/],
    ['leaky_relu(x, slope=0.1)', 15, /no parameter 'slope'/],
    ['x ** ', 6, /unexpected end/],
    ['(x + 1))', 8, /unmatched '\)'/],
    ['x $ 2', 3, /unexpected character "\$"/],
    ['gelu(x, approximate="fast")', 9, /approximate must be/],
    ['0 < x < 1 if x else 0', 7, /chained comparisons/],
    ['x * foo.tanh(x)', 5, /unknown name "foo\.tanh"/],
    ['x.sigmoid()', 1, /unknown name "x\.sigmoid"/],
  ] as const) {
    it(`"${src}" → error at column ${col}`, () => {
      assert.throws(() => parseExpr(src), (e: Error & { column?: number }) => {
        assert.equal(e.column, col, e.message);
        assert.match(e.message, pattern);
        assert.match(e.message, new RegExp(`at column ${col}$`));
        return true;
      });
    });
  }

  it("a parenthesized comparison is Python's bool in arithmetic: 1 where it holds, else 0", () => {
    const f = compileClosure(parseExpr('x * (x > 0) + 0.2 * x * (x <= 0)'));
    const df = compileClosure(derivative(parseExpr('x * (x > 0) + 0.2 * x * (x <= 0)')));
    const leaky = elementwiseKernel('leaky_relu', { negative_slope: 0.2 });
    for (const x of [-3, -0.5, 0, 0.25, 4]) {
      assert.ok(Math.abs(f(x) - leaky.f(x)) <= 1e-15, `f(${x})`);
      assert.ok(Math.abs(df(x) - leaky.df(x)) <= 1e-15, `f′(${x})`);
    }
    assert.equal(compileClosure(parseExpr('(x >= 1)'))(1), 1);
    assert.equal(compileClosure(parseExpr('(x >= 1)'))(0.5), 0);
  });

  it('drops the module prefixes code writes: torch.sigmoid, np.tanh, math.pi, F.gelu', () => {
    const same = (a: string, b: string): void => {
      const fa = compileClosure(parseExpr(a));
      const fb = compileClosure(parseExpr(b));
      for (const x of [-2, -0.3, 0.7, 3]) assert.equal(fa(x), fb(x), `${a} vs ${b} at ${x}`);
    };
    same('x * torch.sigmoid(1.702 * x)', 'x * sigmoid(1.702 * x)');
    same('np.tanh(x) + jnp.exp(-x)', 'tanh(x) + exp(-x)');
    same('x * math.pi / math.e', 'x * pi / e');
    same('F.gelu(x, approximate="tanh")', 'gelu(x, approximate="tanh")');
    same('torch.nn.functional.leaky_relu(x, 0.2)', 'leaky_relu(x, 0.2)');
    same('tf.math.softplus(x)', 'softplus(x)');
  });

  it('follows Python precedence: ** right-associative and above unary minus', () => {
    const at = (s: string, x: number): number => compileClosure(parseExpr(s), { a: 2 })(x);
    assert.equal(at('-x**2', 3), -9);
    assert.equal(at('2**-x', 1), 0.5);
    assert.equal(at('2**3**2', 0), 512);
    assert.equal(at('-2**2', 0), -4);
    assert.equal(at('x - 1 - 1', 5), 3);
    assert.equal(at('x / 2 / 2', 8), 2);
    assert.equal(at('a * x if x > 0 else -x', -3), 3);
    assert.equal(at('a * x if x > 0 else -x', 3), 6);
    assert.equal(at('clamp(x, min=0)', -1), 0);
    assert.equal(at('pow(x, 2) + max(x, 1, 2)', 3), 12);
  });

  it('names other than x, functions and pi/e are parameters; a missing value is named', () => {
    const a = analyzeExpr('x * sigmoid(beta * x) + alpha');
    assert.deepEqual(a.params, ['alpha', 'beta']);
    assert.throws(() => compileClosure(a.expr.f, { beta: 1 }), (e: unknown) => e instanceof UnboundParameterError && /"alpha"/.test(e.message));
  });
});

describe('symbolic: simplification and stable evaluation', () => {
  it('rewrites unstable spellings and notes them', () => {
    const cases: [string, string, RegExp][] = [
      ['log(1 + exp(x))', 'softplus(x)', /overflows for x ≳ 710 in float64, ≳ 89 in float32; use softplus\(x\)/],
      ['x / (1 + exp(-x))', 'x*sigmoid(x)', /use sigmoid\(x\)/],
      ['exp(x) / (1 + exp(x))', 'sigmoid(x)', /nan for x ≳ 710/],
      ['alpha * (exp(x) - 1)', 'alpha*expm1(x)', /use expm1\(x\)/],
      ['log(1 + x**2)', 'log1p(x**2)', /use log1p\(x\*\*2\)/],
      ['log(sigmoid(x))', '-softplus(-x)', /-softplus\(-x\)/],
    ];
    for (const [src, simplified, note] of cases) {
      const a = analyzeExpr(src);
      assert.equal(a.text.f, simplified, src);
      assert.equal(a.notes.length, 1, `${src}: ${JSON.stringify(a.notes)}`);
      assert.match((a.notes[0] as { message: string }).message, note);
    }
    assert.deepEqual(analyzeExpr('softplus(x) + x * sigmoid(x)').notes, []);
  });

  it('the rewritten forms stay finite where the written ones overflow', () => {
    const f = compileClosure(parseExpr('log(1 + exp(x))'));
    assert.equal(f(800), 800);
    assert.equal(f(-800), 0);
    const d = compileClosure(derivative(parseExpr('x / (1 + exp(-x))')));
    assert.equal(d(-800), -0);
    assert.equal(d(800), 1);
    const s = compileClosure(parseExpr('exp(x) / (1 + exp(x))'));
    assert.equal(s(800), 1);
    // 1 − σ(x) is evaluated as σ(−x): full relative accuracy in the tail
    const t = compileClosure(parseExpr('1 - sigmoid(x)'));
    assert.ok(Math.abs(t(40) / Math.exp(-40) - 1) < 1e-14);
  });

  it('kinks come with one-sided derivatives and the value at the tie', () => {
    assert.deepEqual(findKinks(parseExpr('relu(x)')), [{ x: 0, left: 0, right: 1, at: 0, continuous: true }]);
    assert.deepEqual(findKinks(parseExpr('leaky_relu(x, 0.2)')), [{ x: 0, left: 0.2, right: 1, at: 0.2, continuous: true }]);
    assert.deepEqual(findKinks(parseExpr('max(x, 0.1 * x)')), [{ x: 0, left: 0.1, right: 1, at: 0.55, continuous: true }]);
    assert.deepEqual(findKinks(parseExpr('abs(x - 1)')), [{ x: 1, left: -1, right: 1, at: 0, continuous: true }]);
    assert.deepEqual(findKinks(parseExpr('hardswish(x)')).map((k) => [k.x, k.left, k.right, k.at]), [[-3, 0, -0.5, 0], [3, 1.5, 1, 1]]);
    assert.deepEqual(findKinks(parseExpr('clamp(x, -1, 1)')).map((k) => k.x), [-1, 1]);
    assert.deepEqual(findKinks(parseExpr('where(x > 1, 1, 0)')), [{ x: 1, left: 0, right: 0, at: 0, continuous: false }]);
    // ELU with α = 1 is C¹: not a kink. With α = 2 it is.
    assert.deepEqual(findKinks(parseExpr('elu(x)')), []);
    assert.deepEqual(findKinks(parseExpr('elu(x, 2)')).map((k) => [k.x, k.left, k.right]), [[0, 2, 1]]);
    // a nonlinear switch: |sin(x)| has kinks at multiples of π
    const ks = findKinks(parseExpr('abs(sin(x))'), {}, [-4, 4]).map((k) => k.x);
    assert.equal(ks.length, 3);
    assert.ok(Math.abs((ks[0] as number) + Math.PI) < 1e-12 && (ks[1] as number) === 0 && Math.abs((ks[2] as number) - Math.PI) < 1e-12, String(ks));
  });

  it('the training kernel (generated loops) matches the scalar functions for both dtypes', () => {
    const a = analyzeExpr('x * sigmoid(beta * x)');
    for (const mode of ['code', 'closure'] as const) {
      const k = customKernel(a, { beta: 1.5 }, mode);
      for (const T of [Float64Array, Float32Array]) {
        const x = T.from([-3, -0.5, 0, 0.25, 4, 100]);
        const y = new T(x.length);
        const gx = new T(x.length);
        const gy = T.from([1, 2, 3, 4, 5, 6]);
        k.forward(x, y);
        k.backward(x, y, gy, gx);
        x.forEach((v, i) => {
          const want = T.from([v * (1 / (1 + Math.exp(-1.5 * v)))])[0] as number;
          assert.ok(Math.abs((y[i] as number) - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${mode} ${T.name} f(${v})`);
          assert.equal(gx[i], T.from([(gy[i] as number) * k.df(v)])[0], `${mode} ${T.name} f′(${v})`);
        });
      }
    }
  });
});
