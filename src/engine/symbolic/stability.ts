// Notes on numerically unstable spellings in an expression *as written* (before
// simplification rewrites them): what goes wrong, from which input, and the stable form.
// The evaluator already uses the stable form; the note is for the user's own code.
import type { Expr } from './ast';
import { children } from './ast';
import { printExpr } from './print';
import { simplify, splitCoef } from './simplify';

export interface StabilityNote {
  /** The unstable sub-expression, printed. */
  readonly written: string;
  /** The stable replacement, printed. */
  readonly stable: string;
  /** One sentence: what goes wrong and where. */
  readonly message: string;
}

/** u in plain words for "for u ≳ 710": `x`, or the printed argument. */
function show(u: Expr): string {
  return printExpr(simplify(u));
}

function isOne(e: Expr): boolean {
  const s = simplify(e);
  return s.kind === 'num' && s.value === 1;
}

/** Splits a raw sum into (1, rest) when one term is the number 1. */
function onePlus(e: Expr): Expr | undefined {
  const s = simplify(e);
  if (s.kind !== 'add') return undefined;
  const i = s.terms.findIndex(isOne);
  if (i < 0) return undefined;
  const rest = s.terms.filter((_, j) => j !== i);
  return rest.length === 1 ? (rest[0] as Expr) : { kind: 'add', terms: rest };
}

export function stabilityNotes(raw: Expr): StabilityNote[] {
  const notes: StabilityNote[] = [];
  const seen = new Set<string>();
  const push = (n: StabilityNote): void => {
    if (!seen.has(n.written)) {
      seen.add(n.written);
      notes.push(n);
    }
  };
  const visit = (e: Expr): void => {
    if (e.kind === 'fn' && e.name === 'log') {
      const rest = onePlus(e.arg);
      if (rest && rest.kind === 'fn' && rest.name === 'exp') {
        const u = show(rest.arg);
        push({
          written: `log(1 + exp(${u}))`,
          stable: `softplus(${u})`,
          message: `log(1 + exp(${u})) overflows for ${u} ≳ 710 in float64, ≳ 89 in float32; use softplus(${u})`,
        });
      } else if (rest) {
        const u = show(rest);
        push({
          written: `log(1 + ${u})`,
          stable: `log1p(${u})`,
          message: `log(1 + ${u}) loses its digits when |${u}| is small (all of them below 1.1e-16 in float64, 6e-8 in float32); use log1p(${u})`,
        });
      }
      const s = simplify(e.arg);
      if (s.kind === 'fn' && s.name === 'sigmoid') {
        const u = show(s.arg);
        push({
          written: `log(sigmoid(${u}))`,
          stable: `-softplus(-${parenthesize(u)})`,
          message: `log(sigmoid(${u})) is -inf for ${u} ≲ -745 in float64, ≲ -104 in float32; use -softplus(-${parenthesize(u)}) (log_sigmoid)`,
        });
      }
    }
    if (e.kind === 'add') {
      // exp(u) − 1 as written (the simplifier has already rewritten s to expm1)
      const rawTerms = flattenAdd(e);
      const minusOne = rawTerms.some((t) => {
        const v = simplify(t);
        return v.kind === 'num' && v.value === -1;
      });
      const expTerm = rawTerms.map((t) => simplify(t)).find((t) => t.kind === 'fn' && t.name === 'exp');
      if (minusOne && expTerm && expTerm.kind === 'fn') {
        const u = show(expTerm.arg);
        push({
          written: `exp(${u}) - 1`,
          stable: `expm1(${u})`,
          message: `exp(${u}) - 1 loses its digits when |${u}| is small (relative error ~1e-16/|${u}|); use expm1(${u})`,
        });
      }
    }
    if (e.kind === 'pow') {
      const ex = simplify(e.exp);
      const rest = ex.kind === 'num' && ex.value === -1 ? onePlus(e.base) : undefined;
      if (rest && rest.kind === 'fn' && rest.name === 'exp') {
        const [c, u] = splitCoef(simplify(rest.arg));
        if (c < 0) {
          const v = show(c === -1 ? u : { kind: 'mul', factors: [{ kind: 'num', value: -c }, u] });
          push({
            written: `1/(1 + exp(-${parenthesize(v)}))`,
            stable: `sigmoid(${v})`,
            message: `1/(1 + exp(-${parenthesize(v)})): exp overflows for ${v} ≲ -710 in float64 (≲ -89 in float32) and its derivative as written is inf/inf = nan there; use sigmoid(${v})`,
          });
        }
      }
    }
    if (e.kind === 'mul') {
      // exp(u)/(1 + exp(u)): inf/inf once u ≳ 710
      const fs = e.factors.map((f) => (f.kind === 'pow' ? f : simplify(f)));
      const ex = fs.find((f) => f.kind === 'fn' && f.name === 'exp');
      const den = fs.find((f) => f.kind === 'pow' && isMinusOne(f.exp) && ex !== undefined && ex.kind === 'fn' && sameOnePlusExp(f.base, ex.arg));
      if (ex && den && ex.kind === 'fn') {
        const u = show(ex.arg);
        push({
          written: `exp(${u})/(1 + exp(${u}))`,
          stable: `sigmoid(${u})`,
          message: `exp(${u})/(1 + exp(${u})) is inf/inf = nan for ${u} ≳ 710 in float64 (≳ 89 in float32); use sigmoid(${u})`,
        });
      }
    }
    children(e).forEach(visit);
  };
  visit(raw);
  return notes;
}

function isMinusOne(e: Expr): boolean {
  const s = simplify(e);
  return s.kind === 'num' && s.value === -1;
}

function sameOnePlusExp(b: Expr, u: Expr): boolean {
  const rest = onePlus(b);
  return rest !== undefined && rest.kind === 'fn' && rest.name === 'exp' && printExpr(simplify(rest.arg)) === printExpr(simplify(u));
}

function flattenAdd(e: Expr): Expr[] {
  if (e.kind !== 'add') return [e];
  return e.terms.flatMap(flattenAdd);
}

function parenthesize(s: string): string {
  return /^[A-Za-z_][A-Za-z_0-9]*$|^\d/.test(s) || /^\w+\(.*\)$/.test(s) ? s : `(${s})`;
}
