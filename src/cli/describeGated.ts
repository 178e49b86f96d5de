// `list` and `show` for the gated two-input activations (GLU, ReGLU, GeGLU, SwiGLU):
// f(a, b) = a·g(b) with a the value and b the gate (docs/conventions.md, "Gated
// activations"), their partial derivatives, and the framework functions that compute them
// on one tensor split into halves (only GLU has any: torch F.glu / nn.GLU, jax.nn.glu,
// keras.ops.glu) — or a note that a framework has none.
import { GATED_ENTRIES } from '../engine/activations/catalog';
import { normalizeName } from '../engine/activations/registry';
import { FRAMEWORKS, FRAMEWORK_LABELS, type Framework, type GatedEntry } from '../engine/activations/types';

/** The split axis argument and its default in each framework with a GLU function. */
const AXIS: Readonly<Record<Framework, string>> = { torch: 'dim', keras: 'axis', jax: 'axis', tf: 'axis', tfjs: 'axis' };

/** g(b) as each framework spells the catalog's gate (exact GELU: jax.nn.gelu defaults to tanh). */
const GATE_CALL: Readonly<Record<string, Readonly<Record<Framework, string>>>> = {
  sigmoid: { torch: 'torch.sigmoid(b)', keras: 'keras.activations.sigmoid(b)', jax: 'jax.nn.sigmoid(b)', tf: 'tf.sigmoid(b)', tfjs: 'tf.sigmoid(b)' },
  relu: { torch: 'F.relu(b)', keras: 'keras.activations.relu(b)', jax: 'jax.nn.relu(b)', tf: 'tf.nn.relu(b)', tfjs: 'tf.relu(b)' },
  gelu: { torch: 'F.gelu(b)', keras: 'keras.activations.gelu(b)', jax: 'jax.nn.gelu(b, approximate=False)', tf: 'tf.nn.gelu(b)', tfjs: 'b·Φ(b) (TF.js has no gelu op)' },
  silu: { torch: 'F.silu(b)', keras: 'keras.activations.silu(b)', jax: 'jax.nn.silu(b)', tf: 'tf.nn.silu(b)', tfjs: 'tf.mul(b, tf.sigmoid(b))' },
};
const SPLIT: Readonly<Record<Framework, string>> = {
  torch: 'a, b = x.chunk(2, dim=-1)',
  keras: 'a, b = keras.ops.split(x, 2, axis=-1)',
  jax: 'a, b = jnp.split(x, 2, axis=-1)',
  tf: 'a, b = tf.split(x, 2, axis=-1)',
  tfjs: 'const [a, b] = tf.split(x, 2, -1)',
};

/** What a framework without a function for the entry offers instead. */
function noneText(e: GatedEntry, f: Framework): string {
  const g = GATE_CALL[e.def.gate]?.[f] ?? `${e.def.gate}(b)`;
  const product = f === 'tfjs' ? `tf.mul(a, ${g})` : `a * ${g}`;
  return `none (no function computes ${e.def.title}) — from the halves: ${SPLIT[f]}; ${product}`;
}

/** The split-form spellings per framework (the names `list --json` prints), short names first. */
function namesIn(e: GatedEntry, f: Framework): string[] {
  const paths = e.splitBindings.filter((s) => s.framework === f).flatMap((s) => s.paths);
  return [...new Set(paths.map((p) => p.slice(p.lastIndexOf('.') + 1)))];
}

function splitPaths(e: GatedEntry, f: Framework): readonly string[] {
  return e.splitBindings.filter((s) => s.framework === f).flatMap((s) => s.paths);
}

/** The gated entry a name means: its id (`swiglu`, `glu_ab`) or its title (`SwiGLU`, `GeGLU`). */
export function findGated(name: string): GatedEntry | undefined {
  const n = normalizeName(name);
  return GATED_ENTRIES.find((e) => normalizeName(e.def.id) === n || normalizeName(e.def.title) === n);
}

/** Ids and titles, for "did you mean" suggestions. */
export function gatedNames(): string[] {
  return GATED_ENTRIES.flatMap((e) => [e.def.id, e.def.title]);
}

/** `list --json` rows: the shape of the other rows plus what makes them two-input. */
export function gatedRows(): {
  id: string;
  title: string;
  kind: 'gated';
  names: Record<string, string[]>;
  inputs: ['a', 'b'];
  gate: string;
  formula: string;
  split: Record<string, readonly string[]>;
  splitOf?: string;
}[] {
  return GATED_ENTRIES.map((e) => ({
    id: e.def.id,
    title: e.def.title,
    kind: 'gated' as const,
    names: Object.fromEntries(FRAMEWORKS.map((f) => [f, namesIn(e, f)])),
    inputs: ['a', 'b'] as ['a', 'b'],
    gate: e.def.gate,
    formula: e.def.formulas.f.text,
    split: Object.fromEntries(FRAMEWORKS.map((f) => [f, splitPaths(e, f)] as const).filter(([, p]) => p.length > 0)),
    ...(e.splitOf ? { splitOf: e.splitOf } : {}),
  }));
}

/** The plain-text `list` section: one line per gated entry (or, for one framework, the ones it computes). */
export function gatedListLines(fw?: Framework): string[] {
  if (fw) {
    const have = GATED_ENTRIES.filter((e) => namesIn(e, fw).length);
    const lacking = GATED_ENTRIES.filter((e) => !namesIn(e, fw).length).map((e) => e.def.title);
    const lines = ['', `Gated, two inputs f(a, b) = a·g(b) (a = value, b = gate): ${have.length}`];
    for (const e of have) lines.push(`  ${namesIn(e, fw).join(', ').padEnd(40)} ${e.def.title} on x split into halves [a, b] along ${AXIS[fw]} (default -1)`);
    if (lacking.length) lines.push(`  no ${FRAMEWORK_LABELS[fw]} function for ${lacking.join(', ')} (see show ID)`);
    return lines;
  }
  const lines = ['', `${GATED_ENTRIES.length} gated activations, two inputs f(a, b) = a·g(b) (a = value, b = gate; frameworks split x into halves [a, b])`];
  for (const e of GATED_ENTRIES) {
    const per = FRAMEWORKS.map((f) => `${f}: ${namesIn(e, f).join('/') || '—'}`).join('  ');
    lines.push(`  ${e.def.id.padEnd(16)} ${e.def.title.padEnd(22)} ${e.def.formulas.f.text.padEnd(22)} ${per}`);
  }
  return lines;
}

/** `show` for a gated entry: formula, partials, kinks, conventions and each framework's binding (or none). */
export function describeGated(e: GatedEntry, only?: Framework): string {
  const d = e.def;
  const lines = [`${d.title} (${d.id}) — ${d.summary}`, '', `Two inputs: f(a, b) = a·g(b), a = value, b = gate; g = the catalog's ${d.gate}.`];
  lines.push(
    '',
    'Formula:',
    `  ${d.formulas.f.text}`,
    `  ${d.formulas.dfda.text}`,
    `  ${d.formulas.dfdb.text}`,
    `  ∂²f/∂a² = 0;  ∂²f/∂a∂b = g′(b);  ∂²f/∂b² = a·g″(b)`,
  );
  for (const k of d.gateKinks) {
    lines.push(`  at b = ${k.x}: ∂f/∂b is a·${k.left} on the left, a·${k.right} on the right; the catalog returns a·${d.dfdb(1, k.x)} (${d.gate}′(${k.x}) = ${d.dfdb(1, k.x)})`);
  }
  const fws = FRAMEWORKS.filter((f) => !only || f === only);
  for (const f of fws) {
    const paths = splitPaths(e, f);
    if (!paths.length) {
      lines.push('', `${FRAMEWORK_LABELS[f]}: ${noneText(e, f)}`);
      continue;
    }
    lines.push('', `${FRAMEWORK_LABELS[f]}: ${paths.join(', ')}`);
    lines.push(`  split form: takes one tensor x, splits it into halves [a, b] along ${AXIS[f]} (default ${AXIS[f]}=-1; its length must be even) and returns a·g(b) — the gate is the SECOND half`);
    if (e.splitOf) lines.push(`  the one-input form is the vector entry ${e.splitOf} (show ${e.splitOf}, eval --fn ${e.splitOf} for its Jacobian)`);
  }
  if (e.modules.length) lines.push('', `As modules: ${e.modules.join('; ')}.`);
  lines.push('', 'Argument order:', ...d.conventions.map((c) => `  ${c}`));
  return lines.join('\n');
}

/** The line `show glu` adds: where its two-input form is. */
export function twoInputLine(id: string): string | undefined {
  const e = GATED_ENTRIES.find((g) => g.splitOf === id);
  return e && `Two-input form: ${e.def.id} (${e.def.formulas.f.text}, a = first half, b = second half = gate; show ${e.def.id}).`;
}
