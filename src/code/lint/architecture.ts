// Architectures as written: PyTorch `nn.Sequential(...)`, Keras `Sequential([...])` and
// `model.add(...)` chains, Flax `nn.Sequential([...])`, TF.js `tf.sequential({layers})`, and
// functional chains of Dense layers (`x = Dense(64, activation="relu")(x)`). Each becomes a
// list of layers: dense widths, activations (framework, name, literal params), norms,
// dropout. Pure; used by the lint rules and the "Train this architecture" CodeLens.
import type { Token } from '../tokens';
import { argNamed } from './arguments';
import { activationIdOf, kerasKey } from './calleePaths';
import type { Call, LintContext } from './calls';
import { lineOf } from './sourceLines';
import { activationAt, callLayers, callOfArg, elementLayers, firstDenseInput, loopCount, nameAssigned, parseSequential, sequentialFramework, shapeWidth, short, type ArchFramework, type ArchLayer, type Architecture } from './layers';

export { activationAt, callOfArg, loopCount } from './layers';
export type { ActivationRef, ArchFramework, ArchLayer, Architecture, LayerKind } from './layers';

/** All architectures in a document, in source order. */
export function findArchitectures(ctx: LintContext): Architecture[] {
  const out: Architecture[] = [];
  const inner = new Set<number>();
  for (const c of ctx.calls) {
    const fw = sequentialFramework(c);
    if (!fw || inner.has(c.open)) continue;
    const arch = parseSequential(ctx, c, fw, inner);
    if (arch) out.push(arch);
  }
  out.push(...addChains(ctx), ...functionalChains(ctx));
  return out.sort((a, b) => a.start - b.start);
}

function addChains(ctx: LintContext): Architecture[] {
  const byReceiver = new Map<string, Call[]>();
  const toks = ctx.ix.toks;
  for (const c of ctx.calls) {
    if (c.name !== 'add' || !c.method || c.nameTok !== c.start + 2 || toks[c.start]?.kind !== 'name') continue;
    const recv = (toks[c.start] as Token).text;
    const list = byReceiver.get(recv) ?? [];
    list.push(c);
    byReceiver.set(recv, list);
  }
  const out: Architecture[] = [];
  for (const [recv, adds] of byReceiver) {
    const head = ctx.calls.find((c) => (sequentialFramework(c) === 'keras' || sequentialFramework(c) === 'tfjs') && nameAssigned(ctx, c.start) === recv && c.start < (adds[0] as Call).start);
    if (!head) continue;
    const fw = sequentialFramework(head) as ArchFramework;
    const layers: ArchLayer[] = [];
    let inputWidth: number | undefined;
    for (const add of adds) {
      const a = add.args[0];
      if (!a) continue;
      const got = elementLayers(ctx, a, fw, new Set());
      if (got.inputWidth !== undefined) inputWidth = got.inputWidth;
      const n = loopCount(ctx, (toks[add.start] as Token).start);
      for (let r = 0; r < Math.min(n, 64); r++) {
        for (const l of got.layers) layers.push({ ...l, repeated: n > 1 ? n : l.repeated, elem: l.elem ?? (got.layers.length === 1 && n === 1 ? { call: add, arg: a } : undefined) });
      }
    }
    if (!layers.some((l) => l.kind === 'dense')) continue;
    const last = adds[adds.length - 1] as Call;
    out.push({ framework: fw, form: 'add-chain', start: (toks[head.start] as Token).start, end: (toks[last.close] as Token).end, layers, inputWidth: inputWidth ?? firstDenseInput(layers), name: recv });
  }
  return out;
}

/** `x = Dense(64, activation="relu")(x)` … statements in a row (Keras functional, Flax compact). */
function functionalChains(ctx: LintContext): Architecture[] {
  const toks = ctx.ix.toks;
  const out: Architecture[] = [];
  let cur: { fw: ArchFramework; layers: ArchLayer[]; start: number; end: number; line: number; inputWidth?: number } | undefined;
  const flush = (): void => {
    if (cur && cur.layers.filter((l) => l.kind === 'dense').length >= 2) out.push({ framework: cur.fw, form: 'functional', start: cur.start, end: cur.end, layers: cur.layers, inputWidth: cur.inputWidth });
    cur = undefined;
  };
  /** `self.fc1(x)` where `self.fc1 = nn.Linear(...)` (or a norm/dropout module): its layer. */
  const torchModule = (c: Call | undefined, span: { start: number; end: number }, label: string): ArchLayer | undefined => {
    if (!c?.instanceOf?.startsWith('torch.nn.') || c.ctorOpen === undefined) return undefined;
    const ctor = ctx.byOpen.get(c.ctorOpen);
    const l = ctor ? callLayers(ctx, ctor, 'torch', new Set(), span, label).layers[0] : undefined;
    return l && (l.kind === 'dense' || l.kind === 'norm' || l.kind === 'dropout') ? l : undefined;
  };
  for (const c of ctx.calls) {
    // statement `name = <call>` whose call starts the expression, or the `return <call>`
    // that ends a PyTorch forward chain (`return F.log_softmax(self.head(x), dim=-1)`)
    const isReturn = toks[c.start - 1]?.text === 'return' && cur?.fw === 'torch';
    if (!isReturn && (toks[c.start - 1]?.text !== '=' || toks[c.start - 2]?.kind !== 'name')) continue;
    const stmtEnd = toks[c.close + 1];
    if (stmtEnd && stmtEnd.kind !== 'nl' && stmtEnd.text !== ';') continue;
    const line = lineOf(ctx, (toks[c.start] as Token).start);
    const found: ArchLayer[] = [];
    let fw: ArchFramework | undefined;
    let inputWidth: number | undefined;
    const span = { start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end };
    if (!c.instanceOf && !(c.path && (kerasKey(c.path) || activationIdOf(ctx.ix, c.path)))) {
      if (cur && line > cur.line + 3) flush();
      continue;
    }
    const label = short(ctx.ix.text.slice(span.start, span.end));
    const tm = torchModule(c, span, label);
    if (tm) {
      found.push(tm);
      fw = 'torch';
    } else if (c.instanceOf && (kerasKey(c.instanceOf) || c.instanceOf.startsWith('flax.linen.'))) {
      fw = kerasKey(c.instanceOf) ? 'keras' : 'flax';
      const inner = ctx.byOpen.get(ctx.ix.partner[c.nameTok] as number);
      const l = inner ? callLayers(ctx, inner, fw, new Set(), span, label).layers[0] : undefined;
      if (l) found.push(l);
    } else if (!c.method && c.path && (kerasKey(c.path) === 'keras.Input' || kerasKey(c.path) === 'keras.layers.Input')) {
      inputWidth = shapeWidth(ctx, argNamed(c.args, ['shape'], 0));
      fw = 'keras';
    } else if (activationIdOf(ctx.ix, c.path ?? c.instanceOf) && c.args.length >= 1) {
      // `x = nn.relu(x)`, `x = self.act(x)`, `x = torch.sigmoid(self.fc1(x))`
      const act = activationAt(ctx, c.nameTok);
      if (act) {
        const a0 = c.args[0] as { first: number; last: number };
        const inner = callOfArg(ctx, a0);
        const dense = torchModule(inner, span, label);
        if (dense?.kind === 'dense') {
          found.push(dense);
          fw = 'torch';
        } else fw = cur?.fw;
        found.push({ kind: 'activation', label, activation: act, ...span });
      }
    }
    if (!fw) {
      if (cur && line > cur.line + 3) flush();
      continue;
    }
    if (cur && (cur.fw !== fw || line > cur.line + 3)) flush();
    if (!cur) cur = { fw, layers: [], start: span.start, end: span.end, line };
    if (inputWidth !== undefined) cur.inputWidth = inputWidth;
    const n = loopCount(ctx, span.start);
    for (let r = 0; r < Math.min(n, 64); r++) for (const l of found) cur.layers.push(n > 1 ? { ...l, repeated: n } : l);
    cur.end = span.end;
    cur.line = line;
    if (isReturn) flush();
  }
  flush();
  return out;
}
