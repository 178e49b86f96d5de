// Which `compile(loss=…)` call trains a given Keras model. Tutorials and guides build several
// models in one file, one ending in softmax and compiled with a probabilities loss, a later one
// ending in logits and compiled with `from_logits=True`; the loss of one says nothing about
// another. A model is followed from the statement that builds it — a Sequential's variable, or
// the `keras.Model(…)` that takes a functional stack's output — to the `VAR.compile(…)` calls
// on that variable before it is bound again or its block ends. A model built in a helper
// (`def build_model(): … return model`) is followed to the variables the helper's calls are
// bound to (`model = build_model()`), and their compile calls count.
import type { Token } from '../tokens';
import type { Arg } from '../literals';
import { argNamed } from './arguments';
import { kerasKey } from './calleePaths';
import type { Call, LintContext } from './calls';
import type { Architecture } from './layers';
import { nameAssigned } from './layers';
import { assignmentRegion, lineOf } from './sourceLines';
import { defAt } from './flow';

/** The compile calls on the model `arch` builds, or undefined when it cannot be followed. */
export function compilesOf(ctx: LintContext, arch: Architecture): { call: Call; loss: Arg | undefined }[] | undefined {
  const bound = modelVariable(ctx, arch);
  if (!bound) return undefined;
  const out: { call: Call; loss: Arg | undefined }[] = [];
  const seen = new Set<number>();
  const follow = (b: Bound, depth: number): void => {
    if (depth > MAX_HELPERS || seen.has(b.tok)) return;
    seen.add(b.tok);
    const builder = 'name' in b ? compilesOn(ctx, b, out) : b.builder;
    if (builder < 0) return;
    for (const y of helperResults(ctx, builder)) follow(y, depth + 1);
  };
  follow(bound, 0);
  return out;
}

/** A model as the code holds it: a variable bound at token `tok`, or the value a helper `def` returns at `tok`. */
type Bound = { readonly name: string; readonly tok: number } | { readonly builder: number; readonly tok: number };
const MAX_HELPERS = 3;

/**
 * Pushes the compile calls on `bound.name` in its region (until it is bound again at its level
 * or its block ends); returns the token of the enclosing `def` when the region returns the
 * variable (`return model`), else −1.
 */
function compilesOn(ctx: LintContext, bound: { name: string; tok: number }, out: { call: Call; loss: Arg | undefined }[]): number {
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const region = assignmentRegion(ctx, bound.name, lineOf(ctx, (toks[bound.tok] as Token).start));
  const after = (toks[bound.tok] as Token).end;
  for (const c of ctx.calls) {
    if (!c.method || c.name !== 'compile') continue;
    const at = (toks[c.start] as Token).start;
    if (at < after || at >= region.end) continue;
    const recv = text.slice(at, (toks[c.nameTok - 2] as Token).end);
    if (recv !== bound.name) continue;
    out.push({ call: c, loss: argNamed(c.args, ['loss'], 1) });
  }
  return region.returned ? defAt(ctx, (toks[bound.tok] as Token).start) : -1;
}

/** The variables the calls of the helper `def` at token `def` are bound to (`model = build_model(4)`, `self.net = self.make()`). */
function helperResults(ctx: LintContext, def: number): Bound[] {
  const toks = ctx.ix.toks;
  const fname = toks[def + 1]?.text;
  if (!fname) return [];
  const out: Bound[] = [];
  for (const c of ctx.calls) {
    if (c.name !== fname || c.nameTok === def + 1) continue;
    // a plain call, or a method call on self/cls (a builder method)
    if (c.method && !(c.nameTok === c.start + 2 && /^(self|cls)$/.test(toks[c.start]?.text ?? ''))) continue;
    if (toks[c.close + 1] && toks[c.close + 1]?.kind !== 'nl') continue;
    const name = nameAssigned(ctx, c.start);
    if (name !== undefined) out.push({ name, tok: c.start });
    else if (toks[c.start - 1]?.text === 'return') {
      const outer = defAt(ctx, (toks[c.start] as Token).start);
      if (outer >= 0) out.push({ builder: outer, tok: c.start });
    }
  }
  return out;
}

/** The variable the model is bound to, and the token of that binding; or the helper that returns it. */
function modelVariable(ctx: LintContext, arch: Architecture): Bound | undefined {
  const toks = ctx.ix.toks;
  const tokAt = (offset: number): number => toks.findIndex((t) => t.start === offset);
  const returnedBy = (k: number): Bound | undefined => {
    if (toks[k - 1]?.text !== 'return') return undefined;
    const def = defAt(ctx, (toks[k] as Token).start);
    return def >= 0 ? { builder: def, tok: k } : undefined;
  };
  if (arch.form === 'sequential' || arch.form === 'add-chain') {
    const k = tokAt(arch.start);
    const name = k >= 0 ? nameAssigned(ctx, k) : undefined;
    return name !== undefined ? { name, tok: k } : k >= 0 ? returnedBy(k) : undefined;
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
    return name !== undefined ? { name, tok: c.start } : returnedBy(c.start);
  }
  return undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
