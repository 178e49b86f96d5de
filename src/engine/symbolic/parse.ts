// Parser for the expression syntax: Python's arithmetic (`**` binds tighter than unary minus
// and is right-associative, so -x**2 = −(x²) and 2**-x**2 = 2^(−(x²))), function calls with
// positional and keyword arguments, comparisons inside `where(c, a, b)` or `a if c else b`, and
// a parenthesized comparison as a 0/1 factor (`x * (x > 0)`, Python's bool in arithmetic).
// Identifiers other than `x`, the constants `pi`/`e`/`inf` and function names are parameters.
// Names may carry the module prefix code writes (`torch.sigmoid`, `np.tanh`, `math.pi`,
// `F.gelu`): the prefixes in MODULE_PREFIXES are dropped; any other dotted name is an error.
// Errors are ExprSyntaxError with the 1-based column of the offending token.
import { UNARY_FUNCTIONS, act, add, clamp, cmp, constant, div, fn, minmax, mul, neg, num, param, pow, sub, where, X } from './ast';
import type { CmpOp, Cond, Expr, UnaryName } from './ast';
import { PRIMITIVE_BY_NAME } from './primitives';

export class ExprSyntaxError extends Error {
  /** 1-based column in the expression text. */
  readonly column: number;
  /** The message without the position, e.g. "expected ')'". */
  readonly reason: string;
  constructor(reason: string, column: number) {
    super(`${reason} at column ${column}`);
    this.name = 'ExprSyntaxError';
    this.reason = reason;
    this.column = column;
  }
}

type TokKind = 'num' | 'name' | 'str' | 'op' | 'end';
interface Token {
  readonly kind: TokKind;
  readonly text: string;
  /** 0-based offset. */
  readonly pos: number;
  readonly value?: number;
}

const OPS = ['**', '<=', '>=', '==', '!=', '(', ')', ',', '+', '-', '*', '/', '<', '>', '=', '%'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const numMatch = /^(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (numMatch) {
      const text = numMatch[0];
      const value = Number(text.replace(/_/g, ''));
      if (!Number.isFinite(value) && !/^\d/.test(text)) throw new ExprSyntaxError(`bad number "${text}"`, i + 1);
      out.push({ kind: 'num', text, pos: i, value });
      i += text.length;
      if (/^[A-Za-z_]/.test(src.slice(i))) throw new ExprSyntaxError(`unexpected "${src[i] as string}" after the number ${text} (write ${text}*${src[i] as string} for a product)`, i + 1);
      continue;
    }
    const nameMatch = /^[A-Za-z_][A-Za-z_0-9]*(?:\s*\.\s*[A-Za-z_][A-Za-z_0-9]*)*/.exec(src.slice(i));
    if (nameMatch) {
      const dotted = nameMatch[0].replace(/\s+/g, '');
      const parts = dotted.split('.');
      let prefix = parts.length - 1;
      while (prefix > 0 && !MODULE_PREFIXES.has(parts.slice(0, prefix).join('.'))) prefix--;
      if (prefix !== parts.length - 1) {
        throw new ExprSyntaxError(`unknown name "${dotted}" (module prefixes understood: ${[...MODULE_PREFIXES].filter((m) => !m.includes('.')).join(', ')}, …)`, i + 1);
      }
      out.push({ kind: 'name', text: parts[parts.length - 1] as string, pos: i + nameMatch[0].length - (parts[parts.length - 1] as string).length });
      i += nameMatch[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprSyntaxError('unterminated string', i + 1);
      out.push({ kind: 'str', text: src.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character "${c}"`, i + 1);
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

/** Module paths whose functions and constants are the expression language's own: `torch.tanh` is `tanh`. */
const MODULE_PREFIXES: ReadonlySet<string> = new Set([
  'math', 'np', 'numpy', 'jnp', 'jax.numpy', 'jax.nn', 'jax.scipy.special', 'torch', 'torch.nn.functional', 'F', 'nn.functional',
  'torch.special', 'scipy.special', 'special', 'tf', 'tf.math', 'tf.nn', 'tf.keras.activations', 'keras.activations', 'keras.ops', 'ops',
]);

const CONSTANTS: Readonly<Record<string, () => Expr>> = {
  pi: () => constant('pi'),
  e: () => constant('e'),
  inf: () => num(Infinity),
};

/** The NumPy/PyTorch spellings of functions the language has under another name (np.maximum, expit). */
const ALIASES: Readonly<Record<string, string>> = {
  maximum: 'max', minimum: 'min', fmax: 'max', fmin: 'min', expit: 'sigmoid', fabs: 'abs', absolute: 'abs', power: 'pow', float_power: 'pow',
};

/** Function names the parser knows besides the primitives (for messages and completions). */
export const FUNCTION_NAMES: readonly string[] = [...UNARY_FUNCTIONS, 'sqrt', 'pow', 'min', 'max', 'clamp', 'clip', 'where'];
/** Also callable, but still free as parameter names (`x ** power`). */
const EXTRA_CALLABLE: readonly string[] = ['square', 'rsqrt', 'reciprocal', ...Object.keys(ALIASES)];

/** Every callable name: elementary functions and the catalog primitives. */
export function knownFunctions(): string[] {
  return [...FUNCTION_NAMES, ...EXTRA_CALLABLE, ...PRIMITIVE_BY_NAME.keys()].sort();
}

interface Arg {
  readonly name?: string;
  readonly value?: Expr;
  readonly cond?: Cond;
  readonly str?: string;
  readonly pos: number;
}

/** Parses `src` into an (unsimplified) expression tree; throws ExprSyntaxError. */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src);
  let k = 0;
  const peek = (): Token => toks[k] as Token;
  const next = (): Token => toks[k++] as Token;
  const isOp = (t: Token, o: string): boolean => t.kind === 'op' && t.text === o;
  const fail = (reason: string, t: Token = peek()): never => {
    throw new ExprSyntaxError(reason, t.pos + 1);
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end of the expression' : `"${t.text}"`);
  // (x > 0) read as a 0/1 value, remembered so that it still works as a condition: x if (x > 0) else 0
  const parenConds = new WeakMap<Expr, Cond>();
  const condOf = (r: { expr?: Expr; cond?: Cond }): Cond | undefined => r.cond ?? (r.expr ? parenConds.get(r.expr) : undefined);
  const expect = (o: string): Token => {
    const t = peek();
    if (!isOp(t, o)) fail(`expected '${o}' but found ${describe(t)}`);
    return next();
  };

  // ternary := comparison ['if' comparison 'else' ternary]
  function ternaryOrCond(): { expr?: Expr; cond?: Cond; pos: number } {
    const start = peek().pos;
    const first = comparison();
    const t = peek();
    if (t.kind === 'name' && t.text === 'if') {
      if (!first.expr) fail('a comparison cannot be the value of `a if c else b`', toks[k - 1] as Token);
      next();
      const c = { cond: condOf(comparison()) };
      if (!c.cond) fail("expected a comparison (<, <=, >, >=, ==) after 'if'");
      const el = peek();
      if (!(el.kind === 'name' && el.text === 'else')) fail(`expected 'else' but found ${describe(el)}`);
      next();
      const other = ternary();
      return { expr: where(c.cond as Cond, first.expr as Expr, other), pos: start };
    }
    return { ...first, pos: start };
  }
  function ternary(): Expr {
    const t = peek();
    const r = ternaryOrCond();
    if (!r.expr) fail('a comparison can only be the condition of where(c, a, b) or `a if c else b`, or a 0/1 factor in parentheses such as x * (x > 0)', t);
    return r.expr as Expr;
  }
  function comparison(): { expr?: Expr; cond?: Cond } {
    const left = additive();
    const t = peek();
    if (t.kind === 'op' && ['<', '<=', '>', '>=', '=='].includes(t.text)) {
      next();
      const right = additive();
      const t2 = peek();
      if (t2.kind === 'op' && ['<', '<=', '>', '>=', '=='].includes(t2.text)) fail('chained comparisons are not supported; use where() twice', t2);
      return { cond: cmp(t.text as CmpOp, left, right) };
    }
    if (isOp(t, '!=')) fail("'!=' is not supported; swap the branches and use '=='", t);
    return { expr: left };
  }
  function additive(): Expr {
    let e = term();
    for (;;) {
      const t = peek();
      if (isOp(t, '+')) {
        next();
        e = add(e, term());
      } else if (isOp(t, '-')) {
        next();
        e = sub(e, term());
      } else return e;
    }
  }
  function term(): Expr {
    let e = unary();
    for (;;) {
      const t = peek();
      if (isOp(t, '*')) {
        next();
        e = mul(e, unary());
      } else if (isOp(t, '/')) {
        next();
        e = div(e, unary());
      } else if (isOp(t, '%')) fail("'%' is not supported", t);
      else return e;
    }
  }
  function unary(): Expr {
    const t = peek();
    if (isOp(t, '-')) {
      next();
      return neg(unary());
    }
    if (isOp(t, '+')) {
      next();
      return unary();
    }
    return power();
  }
  function power(): Expr {
    const base = primary();
    if (isOp(peek(), '**')) {
      next();
      return pow(base, unary()); // right-associative; the exponent may carry a sign
    }
    return base;
  }
  function primary(): Expr {
    const t = next();
    if (t.kind === 'num') return num(t.value as number);
    if (isOp(t, '(')) {
      const r = ternaryOrCond();
      expect(')');
      // (x > 0) in arithmetic is Python's bool: 1 where it holds, else 0
      if (r.expr) return r.expr;
      const bool = where(r.cond as Cond, num(1), num(0));
      parenConds.set(bool, r.cond as Cond);
      return bool;
    }
    if (t.kind === 'name') {
      if (isOp(peek(), '(')) return call(t);
      if (t.text === 'x') return X;
      if (t.text === 'if' || t.text === 'else') fail(`unexpected '${t.text}'`, t);
      const c = CONSTANTS[t.text];
      if (c) return c();
      if (FUNCTION_NAMES.includes(t.text) || PRIMITIVE_BY_NAME.has(t.text)) fail(`${t.text} is a function; call it as ${t.text}(x)`, t);
      return param(t.text);
    }
    if (t.kind === 'end') return fail('unexpected end of the expression', t);
    if (t.kind === 'str') return fail('a string can only be a keyword value such as approximate="tanh"', t);
    return fail(`unexpected "${t.text}"`, t);
  }
  function args(): Arg[] {
    expect('(');
    const out: Arg[] = [];
    if (isOp(peek(), ')')) {
      next();
      return out;
    }
    for (;;) {
      const t = peek();
      let name: string | undefined;
      if (t.kind === 'name' && isOp(toks[k + 1] as Token, '=')) {
        name = t.text;
        k += 2;
      }
      const v = peek();
      // errors about a keyword argument point at its name
      const pos = name !== undefined ? t.pos : v.pos;
      if (v.kind === 'str') {
        next();
        out.push({ name, str: v.text, pos });
      } else {
        const r = ternaryOrCond();
        out.push({ name, value: r.expr, cond: r.cond, pos: name !== undefined ? pos : r.pos });
      }
      if (isOp(peek(), ',')) {
        next();
        if (isOp(peek(), ')')) break; // trailing comma
        continue;
      }
      break;
    }
    expect(')');
    return out;
  }
  function call(nameTok: Token): Expr {
    const name = ALIASES[nameTok.text] ?? nameTok.text;
    const argPos = peek().pos;
    const a = args();
    const bad = (reason: string, at: number = nameTok.pos): never => {
      throw new ExprSyntaxError(reason, at + 1);
    };
    const value = (arg: Arg): Expr => {
      if (arg.str !== undefined) bad(`${name}: a string is not a number here`, arg.pos);
      if (arg.cond) bad(`${name}: a comparison is not a value here`, arg.pos);
      return arg.value as Expr;
    };
    const positional = (n: number): Expr[] => {
      if (a.some((q) => q.name !== undefined)) bad(`${name}() takes no keyword arguments`, (a.find((q) => q.name) as Arg).pos);
      if (a.length !== n) bad(`${name}() takes ${n} argument${n === 1 ? '' : 's'}, got ${a.length}`, a.length > n ? (a[n] as Arg).pos : argPos);
      return a.map(value);
    };
    if ((UNARY_FUNCTIONS as readonly string[]).includes(name) || name === 'sqrt') {
      if (name === 'softplus' && a.length > 1) return softplusCall(a, value, bad, nameTok);
      const [u] = positional(1) as [Expr];
      return name === 'sqrt' ? pow(u, num(0.5)) : fn(name as UnaryName, u);
    }
    switch (name) {
      case 'square': return pow(positional(1)[0] as Expr, num(2));
      case 'rsqrt': return pow(positional(1)[0] as Expr, num(-0.5));
      case 'reciprocal': return pow(positional(1)[0] as Expr, num(-1));
      case 'pow': {
        const [b, e] = positional(2) as [Expr, Expr];
        return pow(b, e);
      }
      case 'min':
      case 'max': {
        if (a.length < 2) bad(`${name}() takes at least 2 arguments, got ${a.length}`, argPos);
        if (a.some((q) => q.name !== undefined)) bad(`${name}() takes no keyword arguments`);
        const vs = a.map(value);
        return vs.slice(1).reduce((acc, v) => minmax(name, acc, v), vs[0] as Expr);
      }
      case 'clamp':
      case 'clip': {
        const [u, lo, hi] = bindArgs(name, a, [
          { name: 'input', alt: ['x', 'a'] },
          { name: 'min', alt: ['a_min', 'lo', 'clip_value_min'], default: num(-Infinity) },
          { name: 'max', alt: ['a_max', 'hi', 'clip_value_max'], default: num(Infinity) },
        ], value, bad) as [Expr, Expr, Expr];
        return clamp(u, lo, hi);
      }
      case 'where': {
        if (a.length !== 3 || a.some((q) => q.name !== undefined)) bad(`where() takes 3 arguments: where(condition, value_if_true, value_if_false)`, argPos);
        const c = a[0] as Arg;
        const cond = condOf({ expr: c.value, cond: c.cond });
        if (!cond) bad('where(): the first argument must be a comparison such as x > 0', c.pos);
        return where(cond as Cond, value(a[1] as Arg), value(a[2] as Arg));
      }
    }
    const prim = PRIMITIVE_BY_NAME.get(name);
    if (prim) {
      if (prim.name === 'gelu') {
        // F.gelu(x, 'tanh'): the approximation may come second, positionally
        const approx = a.find((q) => q.name === 'approximate') ?? (a.length === 2 && a[1]?.name === undefined && a[1]?.str !== undefined ? a[1] : undefined);
        const rest = a.filter((q) => q !== approx);
        const u = bindArgs(name, rest, [{ name: 'input', alt: ['x'] }], value, bad)[0] as Expr;
        if (approx === undefined) return act('gelu', u);
        const v = approx.str ?? (approx.value?.kind === 'param' ? approx.value.name : undefined);
        if (v === 'tanh') return act('gelu_tanh', u);
        if (v === 'none') return act('gelu', u);
        return bad("gelu(): approximate must be 'none' or 'tanh'", approx.pos);
      }
      const spec = [{ name: 'input', alt: ['x'] }, ...prim.params.map((p) => ({ name: p.name, default: num(p.default) }))];
      const vs = bindArgs(name, a, spec, value, bad);
      return act(prim.name, vs[0] as Expr, vs.slice(1));
    }
    const known = knownFunctions();
    const near = known.filter((f) => editDistance(f, name) <= 2);
    return bad(`unknown function '${name}'${near.length ? `; did you mean ${near.map((s) => `'${s}'`).join(', ')}?` : ''}`);
  }
  function softplusCall(a: Arg[], value: (q: Arg) => Expr, bad: (r: string, at?: number) => never, _t: Token): Expr {
    const [u, beta, threshold] = bindArgs('softplus', a, [
      { name: 'input', alt: ['x'] },
      { name: 'beta', default: num(1) },
      { name: 'threshold', default: num(Infinity) },
    ], value, bad) as [Expr, Expr, Expr];
    // torch: softplus(βx)/β, and x itself once βx > threshold
    const smooth = div(fn('softplus', mul(beta, u)), beta);
    if (threshold.kind === 'num' && threshold.value === Infinity) return smooth;
    return where(cmp('>', mul(beta, u), threshold), u, smooth);
  }

  const e = ternary();
  const t = peek();
  if (t.kind !== 'end') {
    if (isOp(t, ')')) fail("unmatched ')'", t);
    fail(`unexpected ${describe(t)}; expected an operator or the end`, t);
  }
  return e;
}

interface ParamSlot {
  readonly name: string;
  readonly alt?: readonly string[];
  readonly default?: Expr;
}

function bindArgs(fnName: string, a: readonly Arg[], spec: readonly ParamSlot[], value: (q: Arg) => Expr, bad: (r: string, at?: number) => never): Expr[] {
  const out: (Expr | undefined)[] = spec.map(() => undefined);
  let i = 0;
  for (const q of a) {
    if (q.name === undefined) {
      if (i >= spec.length) bad(`${fnName}() takes at most ${spec.length} argument${spec.length === 1 ? '' : 's'}`, q.pos);
      out[i++] = value(q);
      continue;
    }
    const j = spec.findIndex((s) => s.name === q.name || (s.alt ?? []).includes(q.name as string));
    if (j < 0) bad(`${fnName}() has no parameter '${q.name}' (parameters: ${spec.slice(1).map((s) => s.name).join(', ') || 'none'})`, q.pos);
    if (out[j] !== undefined) bad(`${fnName}(): '${q.name}' given twice`, q.pos);
    out[j] = value(q);
  }
  return spec.map((s, j) => {
    const v = out[j] ?? s.default;
    if (!v) return bad(`${fnName}() needs its ${s.name === 'input' ? 'input' : `'${s.name}'`} argument`);
    return v;
  });
}

function editDistance(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] as number;
      d[j] = Math.min((d[j] as number) + 1, (d[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] as number;
}
