// Arguments as written: split a call's argument list, and evaluate literal expressions
// (`0.2`, `-0.1`, `1/3`, `1e-2`, `True`, `"tanh"`, `float("inf")`, `math.pi`). Anything else
// (a variable, a call) stays a *symbol*: its source text, never a guessed value.
import { own, type Token } from './tokens';

export type Literal = number | boolean | string | null;

export type ArgValue =
  | { readonly kind: 'value'; readonly value: Literal; readonly text: string }
  | { readonly kind: 'symbol'; readonly text: string };

export interface Arg {
  /** Keyword (Python `name=`, JS object key); undefined for positional arguments. */
  readonly name?: string;
  readonly value: ArgValue;
  /** Token range of the value, [first, last]. */
  readonly first: number;
  readonly last: number;
  /** `*args` / `**kwargs` / `...rest`: the mapping after it is unknown. */
  readonly spread?: boolean;
}

export type Lang = 'python' | 'js';

class NotLiteral extends Error {}

const CONSTANTS: Readonly<Record<string, number>> = {
  'math.pi': Math.PI,
  'math.e': Math.E,
  'math.inf': Infinity,
  'np.inf': Infinity,
  'numpy.inf': Infinity,
  'jnp.inf': Infinity,
  'np.pi': Math.PI,
  'jnp.pi': Math.PI,
  'Math.PI': Math.PI,
  'Math.E': Math.E,
  'Number.POSITIVE_INFINITY': Infinity,
};

/** Source text of tokens [a, b), whitespace collapsed. */
export function sourceOf(text: string, toks: readonly Token[], a: number, b: number): string {
  const ta = toks[a];
  const tb = toks[b - 1];
  if (!ta || !tb) return '';
  return text.slice(ta.start, tb.end).replace(/\s+/g, ' ').trim();
}

/** Evaluates tokens [a, b) as a literal expression, or returns the symbol text. */
export function evalExpr(text: string, toks: readonly Token[], a: number, b: number, lang: Lang): ArgValue {
  const src = sourceOf(text, toks, a, b);
  if (b <= a) return { kind: 'symbol', text: src };
  let pos = a;
  const peek = (): Token | undefined => (pos < b ? toks[pos] : undefined);
  const isOp = (s: string): boolean => {
    const t = peek();
    return !!t && t.kind === 'op' && t.text === s;
  };

  const atom = (): Literal => {
    const t = peek();
    if (!t) throw new NotLiteral();
    if (t.kind === 'num') {
      pos++;
      const s = t.text.replace(/_/g, '');
      if (/[jJn]$/.test(s)) throw new NotLiteral();
      const v = Number(s);
      if (Number.isNaN(v)) throw new NotLiteral();
      return v;
    }
    if (t.kind === 'str') {
      if (t.value === undefined) throw new NotLiteral();
      pos++;
      let s = t.value;
      // Python joins adjacent string literals.
      while (lang === 'python' && peek()?.kind === 'str') {
        const u = toks[pos++] as Token;
        if (u.value === undefined) throw new NotLiteral();
        s += u.value;
      }
      return s;
    }
    if (t.kind === 'op' && t.text === '(') {
      pos++;
      const v = expr(0);
      if (!isOp(')')) throw new NotLiteral();
      pos++;
      return v;
    }
    if (t.kind === 'name') {
      const w = t.text;
      if (lang === 'python') {
        if (w === 'True') return (pos++, true);
        if (w === 'False') return (pos++, false);
        if (w === 'None') return (pos++, null);
        if (w === 'float' && toks[pos + 1]?.text === '(' && toks[pos + 2]?.kind === 'str' && toks[pos + 3]?.text === ')') {
          const v = Number((toks[pos + 2]?.value ?? '').trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
          if (Number.isNaN(v) && !/nan/i.test(toks[pos + 2]?.value ?? '')) throw new NotLiteral();
          pos += 4;
          return v;
        }
      } else {
        if (w === 'true') return (pos++, true);
        if (w === 'false') return (pos++, false);
        if (w === 'null' || w === 'undefined') return (pos++, null);
        if (w === 'Infinity') return (pos++, Infinity);
      }
      const nx = toks[pos + 1];
      const nn = toks[pos + 2];
      if (nx?.text === '.' && nn?.kind === 'name' && pos + 2 < b) {
        const c = own(CONSTANTS, `${w}.${nn.text}`);
        if (c !== undefined) {
          pos += 3;
          return c;
        }
      }
    }
    throw new NotLiteral();
  };

  const unary = (): Literal => {
    const t = peek();
    if (t?.kind === 'op' && (t.text === '-' || t.text === '+')) {
      pos++;
      const v = unary();
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new NotLiteral();
      return t.text === '-' ? -Number(v) : Number(v);
    }
    if ((lang === 'python' && t?.kind === 'name' && t.text === 'not') || (lang === 'js' && t?.kind === 'op' && t.text === '!')) {
      pos++;
      return !unary();
    }
    return power();
  };

  // `**` binds tighter than unary minus on its left and is right-associative.
  const power = (): Literal => {
    const base = atom();
    if (isOp('**')) {
      pos++;
      const e = unary();
      return Math.pow(num(base), num(e));
    }
    return base;
  };

  const PREC: Readonly<Record<string, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '//': 2, '%': 2 };
  const expr = (min: number): Literal => {
    let left = unary();
    for (;;) {
      const t = peek();
      const p = t && t.kind === 'op' ? own(PREC, t.text) : undefined;
      if (!t || p === undefined || p < min || (t.text === '//' && lang === 'js')) return left;
      pos++;
      const right = expr(p + 1);
      left = binary(t.text, left, right);
    }
  };

  try {
    const v = expr(0);
    if (pos !== b) return { kind: 'symbol', text: src };
    return { kind: 'value', value: v, text: src };
  } catch (e) {
    if (e instanceof NotLiteral) return { kind: 'symbol', text: src };
    throw e;
  }
}

function num(v: Literal): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new NotLiteral();
}

function binary(op: string, l: Literal, r: Literal): Literal {
  if (op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
  const a = num(l);
  const b = num(r);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '//':
      return Math.floor(a / b);
    default:
      return a - b * Math.floor(a / b);
  }
}

/** Splits tokens strictly between `open` and `close` at top-level commas: [first, last] pairs. */
export function splitTopLevel(toks: readonly Token[], partner: Int32Array, open: number, close: number): [number, number][] {
  const parts: [number, number][] = [];
  let start = open + 1;
  let i = open + 1;
  while (i < close) {
    const t = toks[i] as Token;
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{' || t.text === '${')) {
      const p = partner[i] as number;
      i = p > i && p < close ? p + 1 : i + 1;
      continue;
    }
    if (t.kind === 'op' && t.text === ',') {
      if (i > start) parts.push([start, i - 1]);
      start = i + 1;
    }
    i++;
  }
  if (close > start) parts.push([start, close - 1]);
  return parts;
}

/** Parses a call's arguments: `(` at `open`, `)` at `close`. */
export function parseArgs(text: string, toks: readonly Token[], partner: Int32Array, open: number, close: number, lang: Lang): Arg[] {
  const out: Arg[] = [];
  for (const [a, z] of splitTopLevel(toks, partner, open, close)) {
    const t0 = toks[a] as Token;
    if (t0.kind === 'op' && (t0.text === '*' || t0.text === '**' || t0.text === '...')) {
      out.push({ value: { kind: 'symbol', text: sourceOf(text, toks, a, z + 1) }, first: a, last: z, spread: true });
      continue;
    }
    const t1 = toks[a + 1];
    if (lang === 'python' && t0.kind === 'name' && t1?.kind === 'op' && t1.text === '=' && a + 2 <= z) {
      out.push({ name: t0.text, value: evalExpr(text, toks, a + 2, z + 1, lang), first: a + 2, last: z });
      continue;
    }
    out.push({ value: evalExpr(text, toks, a, z + 1, lang), first: a, last: z });
  }
  return out;
}

/** Parses a JS object literal `{ key: value, … }` (`{` at `open`): keyed args. */
export function parseObject(text: string, toks: readonly Token[], partner: Int32Array, open: number, close: number): Arg[] {
  const out: Arg[] = [];
  for (const [a, z] of splitTopLevel(toks, partner, open, close)) {
    const t0 = toks[a] as Token;
    const t1 = toks[a + 1];
    if (t0.kind === 'op' && t0.text === '...') {
      out.push({ value: { kind: 'symbol', text: sourceOf(text, toks, a, z + 1) }, first: a, last: z, spread: true });
    } else if ((t0.kind === 'name' || t0.kind === 'str' || t0.kind === 'num') && t1?.text === ':' && a + 2 <= z) {
      const key = t0.kind === 'str' ? (t0.value ?? '') : t0.text;
      out.push({ name: key, value: evalExpr(text, toks, a + 2, z + 1, 'js'), first: a + 2, last: z });
    } else if (t0.kind === 'name' && a === z) {
      out.push({ name: t0.text, value: { kind: 'symbol', text: t0.text }, first: a, last: z });
    }
  }
  return out;
}
