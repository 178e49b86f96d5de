// Which `compile(loss=…)` call trains a given Keras model. Tutorials and guides build several
// models in one file, one ending in softmax and compiled with a probabilities loss, a later one
// ending in logits and compiled with `from_logits=True`; the loss of one says nothing about
// another. A model is followed from the statement that builds it — a Sequential's variable, or
// the `keras.Model(…)` that takes a functional stack's output — to the `VAR.compile(…)` calls
// on that variable before it is bound again or its block ends.
import type { Token } from '../tokens';
import type { Arg } from '../literals';
import { argNamed } from './arguments';
import { kerasKey } from './calleePaths';
import type { Call, LintContext } from './calls';
import type { Architecture } from './layers';
import { nameAssigned } from './layers';
import { indentOf, lineOf } from './sourceLines';

/** The compile calls on the model `arch` builds, or undefined when it cannot be followed. */
export function compilesOf(ctx: LintContext, arch: Architecture): { call: Call; loss: Arg | undefined }[] | undefined {
  const bound = modelVariable(ctx, arch);
  if (!bound) return undefined;
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const startLine = lineOf(ctx, (toks[bound.tok] as Token).start);
  const indent = indentOf(ctx, startLine);
  // the region: until the variable is bound again at this level, or the block ends
  let end = text.length;
  for (let line = startLine + 1; line < ctx.lineStarts.length; line++) {
    const s = ctx.lineStarts[line] as number;
    const e = ctx.lineStarts[line + 1] ?? text.length;
    const src = text.slice(s, e);
    if (src.trim() === '' || /^\s*#/.test(src)) continue;
    const ind = indentOf(ctx, line);
    if (ind < indent) {
      end = s;
      break;
    }
    if (ind === indent && new RegExp(`^\\s*${escape(bound.name)}\\s*=[^=]`).test(src)) {
      end = s;
      break;
    }
  }
  const after = (toks[bound.tok] as Token).end;
  const out: { call: Call; loss: Arg | undefined }[] = [];
  for (const c of ctx.calls) {
    if (!c.method || c.name !== 'compile') continue;
    const at = (toks[c.start] as Token).start;
    if (at < after || at >= end) continue;
    const recv = text.slice(at, (toks[c.nameTok - 2] as Token).end);
    if (recv !== bound.name) continue;
    out.push({ call: c, loss: argNamed(c.args, ['loss'], 1) });
  }
  return out;
}

/** The variable the model is bound to, and the token of that binding. */
function modelVariable(ctx: LintContext, arch: Architecture): { name: string; tok: number } | undefined {
  const toks = ctx.ix.toks;
  const tokAt = (offset: number): number => toks.findIndex((t) => t.start === offset);
  if (arch.form === 'sequential' || arch.form === 'add-chain') {
    const k = tokAt(arch.start);
    const name = k >= 0 ? nameAssigned(ctx, k) : undefined;
    return name !== undefined ? { name, tok: k } : undefined;
  }
  if (arch.form !== 'functional') return undefined;
  // the stack's output variable: `outputs = layers.Dense(10, activation="softmax")(x)`
  const last = arch.layers[arch.layers.length - 1];
  if (!last) return undefined;
  const k = tokAt(last.start);
  const out = k >= 0 ? nameAssigned(ctx, k) : undefined;
  if (out === undefined) return undefined;
  // then the keras.Model(...) that names it among its arguments
  const word = new RegExp(`(^|[^\\w.])${escape(out)}($|[^\\w])`);
  for (const c of ctx.calls) {
    if (c.open <= k || !c.path || !/^keras\.(models\.)?Model$/.test(kerasKey(c.path) ?? '')) continue;
    const args = ctx.ix.text.slice((toks[c.open] as Token).end, (toks[c.close] as Token).start);
    if (!word.test(args)) continue;
    const name = nameAssigned(ctx, c.start);
    return name !== undefined ? { name, tok: c.start } : undefined;
  }
  return undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
