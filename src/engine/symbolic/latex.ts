// LaTeX for a simplified tree, typeset the way the catalog writes its formulas:
// x\,\sigma(x), \sigma(x)\bigl(1 - \sigma(x)\bigr), e^{-x}, \tfrac12 x, \frac{x}{1 + |x|},
// \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}.
import type { CmpOp, Cond, Expr } from './ast';
import { displayTerms, formatNumber, negate, splitFraction } from './print';
import { splitCoef } from './simplify';

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega']);

const ACT_NAMES: Readonly<Record<string, string>> = {
  relu: 'ReLU', relu6: 'ReLU6', leaky_relu: 'LeakyReLU', hardtanh: 'Hardtanh', hardsigmoid: 'Hardsigmoid', hardswish: 'Hardswish',
  elu: 'ELU', celu: 'CELU', selu: 'SELU', gelu: 'GELU', gelu_tanh: 'GELU_{\\tanh}', silu: 'SiLU', mish: 'Mish', softsign: 'softsign',
  tanhshrink: 'Tanhshrink', log_sigmoid: 'LogSigmoid', softshrink: 'Softshrink', hardshrink: 'Hardshrink', threshold: 'Threshold',
  squareplus: 'squareplus', gaussian: 'gaussian',
};

export function paramLatex(name: string): string {
  if (GREEK.has(name)) return `\\${name}`;
  if (name === 'lambd') return '\\lambda';
  if (name.length === 1) return name;
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m && (m[1] as string).length === 1) return `${m[1] as string}_{${m[2] as string}}`;
  if (m && GREEK.has(m[1] as string)) return `\\${m[1] as string}_{${m[2] as string}}`;
  return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
}

function numLatex(v: number): string {
  if (v === Infinity) return '\\infty';
  if (v === -Infinity) return '-\\infty';
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  return formatNumber(v);
}

const P_ADD = 1;
const P_MUL = 2;
const P_POW = 4;

function big(s: string): string {
  return `\\left(${s}\\right)`;
}

export function toLatex(e: Expr): string {
  return tx(e, 0);
}

/** Does this factor start with a letter-like token, so it needs \, after a symbol? */
function needsThinSpace(prev: string, next: string): boolean {
  if (!prev || !next) return false;
  if (/^\d/.test(next)) return true;
  return /[A-Za-z}\)]$/.test(prev) && /^(\\[A-Za-z]|[A-Za-z])/.test(next) && !/^\\left/.test(next);
}

function joinFactors(parts: string[]): string {
  let s = '';
  for (const p of parts) s += needsThinSpace(s, p) ? `\\,${p}` : p;
  return s;
}

function tx(e: Expr, outer: number): string {
  switch (e.kind) {
    case 'num':
      return e.value < 0 && outer > P_ADD ? big(numLatex(e.value)) : numLatex(e.value);
    case 'x':
      return 'x';
    case 'param':
      return paramLatex(e.name);
    case 'const':
      return e.name === 'pi' ? '\\pi' : 'e';
    case 'add': {
      let s = '';
      displayTerms(e.terms).forEach((t, i) => {
        if (i === 0) s = tx(t, P_ADD);
        else if (splitCoef(t)[0] < 0) s += ` - ${tx(negate(t), P_MUL)}`;
        else s += ` + ${tx(t, P_MUL)}`;
      });
      return outer > P_ADD ? big(s) : s;
    }
    case 'mul': {
      const f = splitFraction(e);
      const coef = f.coefText ?? (f.p === 1 && f.num.length ? '' : String(f.p));
      const numParts = f.num.map((x) => tx(x, P_MUL + 0.5));
      const denParts = f.den.map((x) => tx(x, P_MUL + 0.5));
      let s: string;
      const frac = (p: number, q: number): string => (p < 10 && q < 10 ? `\\tfrac${p}${q}` : `\\tfrac{${p}}{${q}}`);
      if (!denParts.length && f.q !== 1 && f.coefText === undefined) {
        // \tfrac{x}{3} for a lone symbol, else \tfrac12 x
        const lone = f.num.length === 1 && f.p === 1 && ['x', 'param', 'const'].includes((f.num[0] as Expr).kind);
        s = lone ? `\\tfrac{${numParts[0] as string}}{${f.q}}` : joinFactors([frac(f.p, f.q), ...numParts]);
        if (!lone && numParts.length) s = s.replace(/^(\\tfrac\d\d|\\tfrac\{\d+\}\{\d+\})(?:\\,)?/, '$1 ');
      } else if (denParts.length) {
        const topParts = [coef, ...numParts].filter((p) => p);
        const top = topParts.length === 1 && f.num.length === 1 && !coef ? tx(f.num[0] as Expr, 0) : joinFactors(topParts) || '1';
        const bottomParts = [f.q !== 1 && f.coefText === undefined ? String(f.q) : '', ...denParts].filter((p) => p);
        const bottom = bottomParts.length === 1 && f.den.length === 1 ? tx(f.den[0] as Expr, 0) : joinFactors(bottomParts);
        s = `\\frac{${top}}{${bottom}}`;
      } else s = joinFactors([coef, ...numParts].filter((p) => p));
      if (f.negative) s = `-${s}`;
      return f.negative && outer > P_ADD ? big(s) : s;
    }
    case 'pow': {
      if (e.exp.kind === 'num' && e.exp.value === 0.5) return `\\sqrt{${tx(e.base, 0)}}`;
      if (e.exp.kind === 'num' && e.exp.value < 0) return tx({ kind: 'mul', factors: [e] }, outer);
      // tanh(u)^2 → \tanh^{2}(u)
      if (e.base.kind === 'fn' && ['tanh', 'sin', 'cos', 'tan', 'sinh', 'cosh'].includes(e.base.name)) {
        return `\\${e.base.name}^{${tx(e.exp, 0)}}${big(tx(e.base.arg, 0))}`;
      }
      const base = tx(e.base, P_POW + 1);
      return `${e.base.kind === 'pow' || e.base.kind === 'add' || e.base.kind === 'mul' || (e.base.kind === 'num' && e.base.value < 0) ? base : base}^{${tx(e.exp, 0)}}`;
    }
    case 'fn':
      return fnLatex(e.name, e.arg);
    case 'minmax':
      return `\\${e.op}\\left(${tx(e.a, 0)}, ${tx(e.b, 0)}\\right)`;
    case 'clamp':
      return `\\min\\left(\\max\\left(${tx(e.arg, 0)}, ${tx(e.lo, 0)}\\right), ${tx(e.hi, 0)}\\right)`;
    case 'where':
      return casesLatex(e);
    case 'act': {
      const name = ACT_NAMES[e.name] ?? e.name.replace(/_/g, '\\_');
      const args = [e.arg, ...e.params].map((a) => tx(a, 0)).join(',\\ ');
      return `\\operatorname{${name}}\\left(${args}\\right)`;
    }
  }
}

function fnLatex(name: string, u: Expr): string {
  const a = tx(u, 0);
  const p = big(a);
  switch (name) {
    case 'exp': return `e^{${a}}`;
    case 'log': return `\\log${p}`;
    case 'log1p': return `\\log${big(`1 + ${a}`)}`;
    case 'expm1': return `\\left(e^{${a}} - 1\\right)`;
    case 'abs': return `\\left|${a}\\right|`;
    case 'sign': return `\\operatorname{sign}${p}`;
    case 'sigmoid': return `\\sigma${p}`;
    case 'softplus': return `\\operatorname{softplus}${p}`;
    case 'erf': return `\\operatorname{erf}${p}`;
    case 'erfc': return `\\operatorname{erfc}${p}`;
    default: return `\\${name}${p}`;
  }
}

const TEX_OP: Readonly<Record<CmpOp, string>> = { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=' };
const NEGATE: Readonly<Record<CmpOp, CmpOp | undefined>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': undefined };

function condLatex(c: Cond, op: CmpOp = c.op): string {
  return `${tx(c.left, P_ADD)} ${TEX_OP[op]} ${tx(c.right, P_ADD)}`;
}

/** Nested where(c1, a, where(c2, b, c)) → one cases block; the last row gets the negated condition when there are two rows. */
function casesLatex(e: Expr & { kind: 'where' }): string {
  const rows: string[] = [];
  let cur: Expr = e;
  while (cur.kind === 'where') {
    rows.push(`${tx(cur.then, 0)} & ${condLatex(cur.cond)}`);
    const next: Expr = cur.else;
    if (next.kind !== 'where') {
      const neg = NEGATE[cur.cond.op];
      const last = rows.length === 1 && neg ? condLatex(cur.cond, neg) : '\\text{otherwise}';
      rows.push(`${tx(next, 0)} & ${last}`);
    }
    cur = next;
  }
  return `\\begin{cases} ${rows.join(' \\\\ ')} \\end{cases}`;
}
