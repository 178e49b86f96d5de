// How a custom activation relates to the catalog: compared numerically on a grid over
// [−6, 6] with every elementwise catalog activation — at its default parameters, at each
// boolean/enum option and formula convention, and with parameters of the same name as the
// custom function's set to its values (Keras's leaky_relu slope 0.2). "identical" when
// max |Δ| < 1e-12·scale (scale = max(1, max |f|)) on the grid and at probe points beyond it
// (relu6 and relu agree on [−6, 6]); "approximates" when within 2 % of the scale;
// otherwise the closest entry is only named. Among identical entries the one whose id the
// code's name contains wins (the longest: `celu` with α = 1 is also ELU), then the one with fewer
// changed parameters.
import { allEntries, elementwiseKernel, isElementwise } from '../../engine/activations/registry';
import type { ElementwiseDef, ParamValue } from '../../engine/activations/types';
import { type CE, evaluate } from './cexpr';

export interface CatalogRelation {
  readonly kind: 'identical' | 'approximates' | 'none';
  /** The closest catalog entry (absent when nothing could be compared). */
  readonly id?: string;
  readonly title?: string;
  /** Parameters/conventions of that entry which differ from its defaults. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly conventions?: Readonly<Record<string, string>>;
  readonly maxAbsDiff?: number;
  /** The grid: [a, b] and the number of points. */
  readonly range: readonly [number, number];
  /** max(1, max |f|) on the grid. */
  readonly scale?: number;
}

export const RELATION_RANGE: readonly [number, number] = [-6, 6];
const POINTS = 2401;
const IDENTICAL = 1e-12;
const APPROX = 0.02;
const PROBES = [-50, -20, -10, -8, -7, 7, 8, 10, 20, 50];

interface Candidate {
  readonly def: ElementwiseDef;
  readonly params: Record<string, ParamValue>;
  readonly conventions: Record<string, string>;
}

function candidates(def: ElementwiseDef, custom: Readonly<Record<string, number>>): Candidate[] {
  const base: Record<string, ParamValue> = {};
  for (const p of def.params) if (p.type === 'number' && Object.prototype.hasOwnProperty.call(custom, p.name)) base[p.name] = custom[p.name] as number;
  const out: Candidate[] = [{ def, params: base, conventions: {} }];
  for (const p of def.params) {
    if (p.type === 'boolean') out.push({ def, params: { ...base, [p.name]: !p.default }, conventions: {} });
    if (p.type === 'enum') for (const o of p.options ?? []) if (o !== p.default) out.push({ def, params: { ...base, [p.name]: o }, conventions: {} });
  }
  for (const c of def.conventions) {
    for (const o of c.options.slice(1)) out.push({ def, params: base, conventions: { [c.name]: o.value } });
  }
  return out;
}

const cache = new Map<string, CatalogRelation>();

/** The relation of f (with its parameters at `params`) to the catalog. */
export function catalogRelation(expr: CE, params: Readonly<Record<string, number>>, key?: string, name = ''): CatalogRelation {
  const ck = key !== undefined ? `${key}|${JSON.stringify(params)}|${name}` : undefined;
  const hit = ck !== undefined ? cache.get(ck) : undefined;
  if (hit) return hit;
  const [a, b] = RELATION_RANGE;
  const xs = new Float64Array(POINTS);
  const ys = new Float64Array(POINTS);
  let scale = 1;
  for (let i = 0; i < POINTS; i++) {
    const x = a + ((b - a) * i) / (POINTS - 1);
    xs[i] = x;
    const y = evaluate(expr, x, params);
    ys[i] = y;
    if (Number.isFinite(y)) scale = Math.max(scale, Math.abs(y));
  }
  const probeY = PROBES.map((x) => evaluate(expr, x, params));
  const norm = name.toLowerCase().replace(/^self\./, '').replace(/[^a-z0-9]/g, '');
  // The longest catalog id the code's name contains (leaky_relu: leaky_relu over relu).
  const nameHit = (id: string): number => {
    const n = id.replace(/_/g, '');
    return norm.includes(n) ? -n.length : 0;
  };
  const changed = (c: Candidate): number => Object.keys(c.params).length + Object.keys(c.conventions).length;
  let best: { c: Candidate; d: number; probe: number } | undefined;
  const better = (c: Candidate, d: number, probe: number): boolean => {
    if (!best) return true;
    const id = Math.max(d, probe) < IDENTICAL * scale;
    const bid = Math.max(best.d, best.probe) < IDENTICAL * scale;
    if (id !== bid) return id;
    if (id) {
      const n = nameHit(c.def.id) - nameHit(best.c.def.id);
      if (n) return n < 0;
      return changed(c) < changed(best.c);
    }
    return Math.max(d, probe / 1e3) < Math.max(best.d, best.probe / 1e3);
  };
  const diffOf = (y: number, z: number): number => {
    const diff = Math.abs(y - z);
    // NaN on one side only: not the same function
    return diff === diff ? diff : y !== y && z !== z ? 0 : Infinity;
  };
  for (const entry of allEntries()) {
    const def = entry.def;
    if (!isElementwise(def)) continue;
    for (const c of candidates(def, params)) {
      let d = 0;
      let probe = 0;
      try {
        const k = elementwiseKernel(def.id, c.params, c.conventions);
        for (let i = 0; i < POINTS; i++) d = Math.max(d, diffOf(ys[i] as number, k.f(xs[i] as number)));
        PROBES.forEach((x, i) => (probe = Math.max(probe, diffOf(probeY[i] as number, k.f(x)))));
      } catch {
        continue; // parameters the entry rejects
      }
      if (better(c, d, probe)) best = { c, d, probe };
    }
  }
  let r: CatalogRelation;
  if (!best || !Number.isFinite(best.d)) r = { kind: 'none', range: RELATION_RANGE };
  else {
    // Parameters set to the custom function's values that equal the entry's defaults are not news.
    const shown = Object.fromEntries(Object.entries(best.c.params).filter(([k, v]) => best?.c.def.params.find((p) => p.name === k)?.default !== v));
    best = { ...best, c: { ...best.c, params: shown } };
    const kind = Math.max(best.d, best.probe) < IDENTICAL * scale ? 'identical' : best.d <= APPROX * scale ? 'approximates' : 'none';
    r = {
      kind,
      id: best.c.def.id,
      title: best.c.def.title,
      ...(Object.keys(best.c.params).length ? { params: best.c.params } : {}),
      ...(Object.keys(best.c.conventions).length ? { conventions: best.c.conventions } : {}),
      maxAbsDiff: best.d,
      range: RELATION_RANGE,
      scale,
    };
  }
  if (ck !== undefined) {
    if (cache.size > 200) cache.delete(cache.keys().next().value as string);
    cache.set(ck, r);
  }
  return r;
}

/** "identical to SiLU", "approximates GELU (exact), max |Δ| 0.0203 on [−6, 6]". */
export function relationText(r: CatalogRelation): string {
  if (!r.id || !r.title) return 'not comparable with the catalog';
  const opts = [...Object.entries(r.params ?? {}), ...Object.entries(r.conventions ?? {})].map(([k, v]) => `${k}=${typeof v === 'string' ? v : String(v)}`);
  const name = `${r.title}${opts.length ? ` (${opts.join(', ')})` : ''}`;
  const d = r.maxAbsDiff ?? NaN;
  const range = `[−${Math.abs(r.range[0])}, ${r.range[1]}]`;
  if (r.kind === 'identical') return `identical to ${name}`;
  if (r.kind === 'approximates') return `approximates ${name}, max |Δ| ${d.toPrecision(3)} on ${range}`;
  // A far nearest entry says nothing.
  if (!(d <= 0.5 * (r.scale ?? 1))) return 'no catalog activation is close';
  return `no catalog activation is close (nearest: ${name}, max |Δ| ${d.toPrecision(3)} on ${range})`;
}
