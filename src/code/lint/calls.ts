// What the lint rules look at: every call of a document with its callee resolved to a
// qualified path by the one name resolver (`F.softmax` → `torch.nn.functional.softmax`,
// `criterion(...)` → an instance of `torch.nn.CrossEntropyLoss`). Built once per document on
// top of the scanner's DocIndex. Reading arguments: ./arguments; lines: ./sourceLines.
import type { DocIndex } from '../docIndex';
import { parseArgs, parseObject, type Arg } from '../literals';
import { lineStarts } from '../lines';
import { resolveNames, type ResolveOptions } from '../names';
import type { Token } from '../tokens';

export interface Call {
  /** Qualified, normalized path of the callee (`torch.nn.Linear`), when it resolves. */
  readonly path?: string;
  /** The callee is an instance: a name bound to `X(...)`, or `X(...)(...)`. X's path. */
  readonly instanceOf?: string;
  /** For instances: the `(` of the constructor call (`nn.Softmax(dim=1)`), when known. */
  readonly ctorOpen?: number;
  /** Last name of the callee as written (`softmax`, `criterion`). */
  readonly name: string;
  /** Token index where the callee expression starts (for methods: the receiver's start). */
  readonly start: number;
  /** Token index of the callee's last name (or of `)` for `X(...)(...)`). */
  readonly nameTok: number;
  readonly open: number;
  readonly close: number;
  /** `x.softmax(...)`, `h(x).sigmoid()`: a method on a value, not a module function. */
  readonly method: boolean;
  readonly args: readonly Arg[];
}

export interface LintContext {
  readonly ix: DocIndex;
  readonly calls: readonly Call[];
  /** Call by its `(` token index. */
  readonly byOpen: ReadonlyMap<number, Call>;
  readonly lineStarts: readonly number[];
}

/** Lint accepts the conventional aliases (`nn`, `F`, bare Keras layers): see FRAMEWORK_ROOTS. */
export const LINT_RESOLVE: ResolveOptions = { guess: true };
const KEYWORDS = new Set(['def', 'class', 'if', 'elif', 'while', 'for', 'return', 'yield', 'and', 'or', 'not', 'in', 'is', 'lambda', 'assert', 'with', 'await', 'function', 'typeof', 'new']);

export function buildContext(ix: DocIndex): LintContext {
  const calls: Call[] = [];
  const byOpen = new Map<number, Call>();
  const toks = ix.toks;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'op' || t.text !== '(') continue;
    const close = ix.partner[i] as number;
    if (close < i) continue;
    const c = callAt(ix, i, close, byOpen);
    if (c) {
      calls.push(c);
      byOpen.set(i, c);
    }
  }
  return { ix, calls, byOpen, lineStarts: lineStarts(ix.text) };
}

function argsOf(ix: DocIndex, open: number, close: number): Arg[] {
  const toks = ix.toks;
  if (ix.lang === 'js' && toks[open + 1]?.text === '{' && (ix.partner[open + 1] as number) + 1 === close) {
    return parseObject(ix.text, toks, ix.partner, open + 1, ix.partner[open + 1] as number);
  }
  return parseArgs(ix.text, toks, ix.partner, open, close, ix.lang);
}

/** A call whose arguments are parsed on first use (most calls are never asked). */
function lazyCall(ix: DocIndex, f: Omit<Call, 'args'>): Call {
  let parsed: readonly Arg[] | undefined;
  return {
    ...f,
    get args(): readonly Arg[] {
      parsed ??= argsOf(ix, f.open, f.close);
      return parsed;
    },
  };
}

function callAt(ix: DocIndex, open: number, close: number, byOpen: Map<number, Call>): Call | undefined {
  const c = callShape(ix, open, close, byOpen);
  return c ? lazyCall(ix, c) : undefined;
}

function callShape(ix: DocIndex, open: number, close: number, byOpen: Map<number, Call>): Omit<Call, 'args'> | undefined {
  const toks = ix.toks;
  const k = open - 1;
  const last = toks[k];
  if (!last) return undefined;
  if (last.text === ')') {
    // `nn.Softmax(dim=1)(x)`: calling the instance the inner call created.
    const innerOpen = ix.partner[k] as number;
    const inner = byOpen.get(innerOpen);
    if (!inner || inner.method || !inner.path) return undefined;
    return { instanceOf: inner.path, ctorOpen: innerOpen, name: inner.name, start: inner.start, nameTok: k, open, close, method: false };
  }
  if (last.kind !== 'name') return undefined;
  if (KEYWORDS.has(last.text) && toks[k - 1]?.text !== '.') return undefined;
  if (toks[k - 1]?.kind === 'name' && (toks[k - 1]?.text === 'def' || toks[k - 1]?.text === 'function' || toks[k - 1]?.text === 'class')) return undefined;
  let s = k;
  while ((toks[s - 1]?.text === '.' || toks[s - 1]?.text === '?.') && toks[s - 2]?.kind === 'name') s -= 2;
  const before = toks[s - 1];
  if (before && (before.text === '.' || before.text === '?.')) {
    // Receiver is an expression (`h(x).softmax(1)`, `y[0].clamp(min=0)`, `self.fc(x).clamp(min=0)`).
    return { name: last.text, start: exprStart(ix, s - 2), nameTok: k, open, close, method: true };
  }
  const q = resolveNames(ix, s, k, LINT_RESOLVE);
  if (q?.path) return { path: q.path, name: last.text, start: s, nameTok: k, open, close, method: false };
  if (q?.instanceOf) return { instanceOf: q.instanceOf, ctorOpen: q.ctorOpen, name: last.text, start: s, nameTok: k, open, close, method: false };
  // A method on a local value (`x.clamp(min=0)`, `model.add(...)`): keep the receiver.
  return { name: last.text, start: s, nameTok: k, open, close, method: k > s };
}

/** First token of the postfix expression ending at token j (`self.fc(x)[0]` → `self`). */
function exprStart(ix: DocIndex, j: number): number {
  const toks = ix.toks;
  for (let guard = 0; guard < 10_000 && j > 0; guard++) {
    const t = toks[j] as Token;
    if (t.text === ')' || t.text === ']') {
      const p = ix.partner[j] as number;
      if (p < 0 || p >= j) return j;
      j = p;
      const before = toks[j - 1];
      if (before?.kind === 'name' && !KEYWORDS.has(before.text)) j--;
      else if (before?.text === ')' || before?.text === ']') j--;
      else return j;
      continue;
    }
    if ((toks[j - 1]?.text === '.' || toks[j - 1]?.text === '?.') && toks[j - 2] && (toks[j - 2]?.kind === 'name' || toks[j - 2]?.text === ')' || toks[j - 2]?.text === ']')) {
      j -= 2;
      continue;
    }
    return j;
  }
  return Math.max(0, j);
}
