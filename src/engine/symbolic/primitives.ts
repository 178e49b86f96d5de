// The catalog's activations as primitives of the expression language. Each one is written
// here in the core language (its *expansion*); its value and derivatives are those of the
// expansion, whose `where` conditions reproduce PyTorch's choices at the kinks (strict or
// non-strict comparison picks which side's derivative autograd returns there). The test
// suite checks every primitive against the catalog kernel named by `catalogId`.
import { add, cmp, constant, div, fn, mul, neg, num, pow, sub, where } from './ast';
import type { Expr } from './ast';

export interface PrimitiveParam {
  /** PyTorch's keyword (`negative_slope`, `alpha`, `lambd`). */
  readonly name: string;
  readonly default: number;
}

export interface Primitive {
  readonly name: string;
  /** Other spellings accepted by the parser (`swish` for `silu`). */
  readonly aliases?: readonly string[];
  /** Numeric parameters after the input, in positional order. */
  readonly params: readonly PrimitiveParam[];
  /** The catalog entry it equals, with canonical params built from ours. */
  readonly catalog?: { readonly id: string; params(p: readonly number[]): Record<string, number | boolean> };
  /** The activation in the core language; `u` is the input, `p` the parameters. */
  expand(u: Expr, p: readonly Expr[]): Expr;
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

const at = (p: readonly Expr[], i: number): Expr => p[i] as Expr;
const gt = (a: Expr, b: Expr): ReturnType<typeof cmp> => cmp('>', a, b);
const half = num(0.5);

export const PRIMITIVES: readonly Primitive[] = [
  { name: 'relu', params: [], catalog: { id: 'relu', params: () => ({}) }, expand: (u) => where(gt(u, num(0)), u, num(0)) },
  {
    name: 'relu6',
    params: [],
    catalog: { id: 'relu6', params: () => ({}) },
    // torch: hardtanh(0, 6); gradient 1 only strictly inside (0, 6)
    expand: (u) => where(cmp('<=', u, num(0)), num(0), where(cmp('>=', u, num(6)), num(6), u)),
  },
  {
    name: 'leaky_relu',
    params: [{ name: 'negative_slope', default: 0.01 }],
    catalog: { id: 'leaky_relu', params: (p) => ({ negative_slope: p[0] as number }) },
    expand: (u, p) => where(gt(u, num(0)), u, mul(at(p, 0), u)),
  },
  {
    name: 'hardtanh',
    params: [{ name: 'min_val', default: -1 }, { name: 'max_val', default: 1 }],
    catalog: { id: 'hardtanh', params: (p) => ({ min_val: p[0] as number, max_val: p[1] as number }) },
    expand: (u, p) => where(cmp('<=', u, at(p, 0)), at(p, 0), where(cmp('>=', u, at(p, 1)), at(p, 1), u)),
  },
  {
    name: 'hardsigmoid',
    aliases: ['hard_sigmoid'],
    params: [],
    catalog: { id: 'hardsigmoid', params: () => ({}) },
    expand: (u) => where(cmp('<=', u, num(-3)), num(0), where(cmp('>=', u, num(3)), num(1), add(div(u, num(6)), half))),
  },
  {
    name: 'hardswish',
    aliases: ['hard_swish'],
    params: [],
    catalog: { id: 'hardswish', params: () => ({}) },
    // torch's backward: 0 for x ≤ −3, x/3 + 1/2 for −3 < x < 3, 1 from 3 on
    expand: (u) => where(cmp('<=', u, num(-3)), num(0), where(cmp('<', u, num(3)), div(mul(u, add(u, num(3))), num(6)), u)),
  },
  {
    name: 'elu',
    params: [{ name: 'alpha', default: 1 }],
    catalog: { id: 'elu', params: (p) => ({ alpha: p[0] as number }) },
    expand: (u, p) => where(gt(u, num(0)), u, mul(at(p, 0), fn('expm1', u))),
  },
  {
    name: 'celu',
    params: [{ name: 'alpha', default: 1 }],
    catalog: { id: 'celu', params: (p) => ({ alpha: p[0] as number }) },
    expand: (u, p) => where(gt(u, num(0)), u, mul(at(p, 0), fn('expm1', div(u, at(p, 0))))),
  },
  {
    name: 'selu',
    params: [],
    catalog: { id: 'selu', params: () => ({}) },
    expand: (u) => mul(num(SELU_SCALE), where(gt(u, num(0)), u, mul(num(SELU_ALPHA), fn('expm1', u)))),
  },
  {
    name: 'gelu',
    params: [],
    catalog: { id: 'gelu', params: () => ({ approximate: false }) },
    // x·Φ(x) = ½x(1 + erf(x/√2))
    expand: (u) => mul(half, u, add(num(1), fn('erf', div(u, pow(num(2), half))))),
  },
  {
    name: 'gelu_tanh',
    params: [],
    catalog: { id: 'gelu', params: () => ({ approximate: true }) },
    // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
    expand: (u) =>
      mul(half, u, add(num(1), fn('tanh', mul(pow(div(num(2), constant('pi')), half), add(u, mul(num(0.044715), pow(u, num(3)))))))),
  },
  {
    name: 'silu',
    aliases: ['swish'],
    params: [],
    catalog: { id: 'silu', params: () => ({}) },
    expand: (u) => mul(u, fn('sigmoid', u)),
  },
  { name: 'mish', params: [], catalog: { id: 'mish', params: () => ({}) }, expand: (u) => mul(u, fn('tanh', fn('softplus', u))) },
  { name: 'softsign', params: [], catalog: { id: 'softsign', params: () => ({}) }, expand: (u) => div(u, add(num(1), fn('abs', u))) },
  { name: 'tanhshrink', params: [], catalog: { id: 'tanhshrink', params: () => ({}) }, expand: (u) => sub(u, fn('tanh', u)) },
  {
    name: 'log_sigmoid',
    aliases: ['logsigmoid'],
    params: [],
    catalog: { id: 'log_sigmoid', params: () => ({}) },
    expand: (u) => neg(fn('softplus', neg(u))),
  },
  {
    name: 'softshrink',
    params: [{ name: 'lambd', default: 0.5 }],
    catalog: { id: 'softshrink', params: (p) => ({ lambd: p[0] as number }) },
    expand: (u, p) => where(gt(u, at(p, 0)), sub(u, at(p, 0)), where(cmp('<', u, neg(at(p, 0))), add(u, at(p, 0)), num(0))),
  },
  {
    name: 'hardshrink',
    params: [{ name: 'lambd', default: 0.5 }],
    catalog: { id: 'hardshrink', params: (p) => ({ lambd: p[0] as number }) },
    expand: (u, p) => where(gt(u, at(p, 0)), u, where(cmp('<', u, neg(at(p, 0))), u, num(0))),
  },
  {
    name: 'threshold',
    params: [{ name: 'threshold', default: 0 }, { name: 'value', default: 0 }],
    catalog: { id: 'threshold', params: (p) => ({ threshold: p[0] as number, value: p[1] as number }) },
    expand: (u, p) => where(gt(u, at(p, 0)), u, at(p, 1)),
  },
  {
    name: 'squareplus',
    params: [{ name: 'b', default: 4 }],
    catalog: { id: 'squareplus', params: (p) => ({ b: p[0] as number }) },
    expand: (u, p) => mul(half, add(u, pow(add(pow(u, num(2)), at(p, 0)), half))),
  },
  { name: 'gaussian', params: [], catalog: { id: 'gaussian', params: () => ({}) }, expand: (u) => fn('exp', neg(pow(u, num(2)))) },
];

/** Name or alias → primitive (parser look-up). */
export const PRIMITIVE_BY_NAME: ReadonlyMap<string, Primitive> = (() => {
  const m = new Map<string, Primitive>();
  for (const p of PRIMITIVES) {
    m.set(p.name, p);
    for (const a of p.aliases ?? []) m.set(a, p);
  }
  return m;
})();

export function primitive(name: string): Primitive {
  const p = PRIMITIVE_BY_NAME.get(name);
  if (!p) throw new Error(`internal: unknown primitive ${name}`);
  return p;
}

/** The expansion of an `act` node. */
export function expandPrimitive(name: string, u: Expr, params: readonly Expr[]): Expr {
  return primitive(name).expand(u, params);
}
