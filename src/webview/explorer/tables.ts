// The explorer's three tables: values at chosen points, properties side by side, and one
// activation across frameworks (names, defaults, the derivative each returns at kinks).
import { bindingsOf, resolve } from '../../engine/activations/registry';
import type { Framework } from '../../engine/activations/types';
import { FRAMEWORK_LABELS, FRAMEWORKS } from '../../engine/activations/types';
import { button, fmtNum, h } from '../common/dom';
import type { Evaluated, ExplorerState } from './model';
import { safeKinks } from './model';

export interface LabelledCurve {
  readonly ev: Evaluated;
  readonly label: string;
}

function table(caption: string, head: readonly string[], rows: readonly (readonly (string | Node)[])[]): HTMLTableElement {
  const t = h('table', { class: 'grid' }, h('caption', {}, caption));
  const thead = h('thead');
  const tr = h('tr');
  head.forEach((c, i) => tr.append(h('th', { scope: i === 0 ? 'row' : 'col' }, c)));
  thead.append(tr);
  t.append(thead);
  const tb = h('tbody');
  for (const r of rows) {
    const row = h('tr');
    r.forEach((c, i) => row.append(i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)));
    tb.append(row);
  }
  t.append(tb);
  return t;
}

/** Rows: each curve × shown quantity; columns: the chosen points. */
export function valuesTable(curves: readonly LabelledCurve[], s: ExplorerState): HTMLTableElement {
  const head = ['function', ...s.points.map((p) => `x = ${fmtNum(p)}`)];
  const rows: string[][] = [];
  for (const c of curves) {
    const k = c.ev.kernel;
    const q: [string, (x: number) => number][] = [];
    if (s.show.f) q.push(['f', k.f]);
    if (s.show.df) q.push(['f′', k.df]);
    if (s.show.d2f && k.hasSecond) q.push(['f″', k.d2f]);
    for (const [name, fn] of q) rows.push([`${c.label} ${name}`, ...s.points.map((p) => fmtNum(fn(p)))]);
  }
  return table('Values at the chosen points', head, rows);
}

function kinkText(c: LabelledCurve): string {
  const ks = safeKinks(c.ev);
  if (!ks.length) return 'none (smooth)';
  return ks
    .map((k) => `x=${fmtNum(k.x)}: f′ ${fmtNum(k.left)} → ${fmtNum(k.right)}; returns ${fmtNum(c.ev.kernel.df(k.x))}${k.convention ? ` (${k.convention})` : ''}`)
    .join('; ');
}

/** Properties of every chosen curve, one column each. */
export function propertiesTable(curves: readonly LabelledCurve[]): HTMLTableElement {
  const metas = curves.map((c) => {
    try {
      return c.ev.def.meta(c.ev.params);
    } catch {
      return undefined;
    }
  });
  const forms = curves.map((c) => {
    try {
      return c.ev.def.formulas(c.ev.params, c.ev.conventions);
    } catch {
      return undefined;
    }
  });
  const yesNo = (b: boolean | undefined): string => (b === undefined ? '—' : b ? 'yes' : 'no');
  const rows: string[][] = [
    ['f(x)', ...forms.map((f) => f?.f.text ?? '—')],
    ["f′(x)", ...forms.map((f) => f?.df.text ?? '—')],
    ['range', ...metas.map((m) => m?.range ?? '—')],
    ['monotonic', ...metas.map((m) => m?.monotonic ?? '—')],
    ['smoothness', ...metas.map((m) => m?.smoothness ?? '—')],
    ['zero-centred', ...metas.map((m) => yesNo(m?.zeroCentred))],
    ['bounded', ...metas.map((m) => yesNo(m?.bounded))],
    ['self-normalizing', ...metas.map((m) => yesNo(m?.selfNormalizing))],
    ['kinks, f′ returned', ...curves.map(kinkText)],
    ['cost (ReLU = 1)', ...metas.map((m) => (m ? fmtNum(m.cost, 3) : '—'))],
    ['uses', ...metas.map((m) => m?.uses.join('; ') ?? '—')],
    ['framework notes', ...curves.map((c) => c.ev.binding.notes?.join(' ') ?? '—')],
  ];
  return table('Properties', ['property', ...curves.map((c) => c.label)], rows);
}

/**
 * One activation in every framework that has it: names, parameter defaults (each
 * framework's own spelling), the derivative returned at each kink, and notes. "Use" switches
 * the focused curve to that framework.
 */
export function frameworksTable(focus: LabelledCurve, onUse: (fw: Framework, name: string) => void): HTMLTableElement {
  const id = focus.ev.def.id;
  const rows: (string | Node)[][] = [];
  for (const fw of FRAMEWORKS) {
    for (const b of bindingsOf(fw).filter((x) => x.id === id)) {
      const name = b.names[0] ?? id;
      let kinks = '—';
      try {
        const r = resolve(fw, name, {});
        const k = focus.ev.def.kind === 'elementwise' ? focus.ev.def.kernel(r.params, r.conventions) : undefined;
        const ks = focus.ev.def.kind === 'elementwise' ? focus.ev.def.kinks(r.params, r.conventions) : [];
        kinks = ks.length && k ? ks.map((q) => `f′(${fmtNum(q.x)}) = ${fmtNum(k.df(q.x))}`).join(', ') : 'no kink';
      } catch (e) {
        kinks = (e as Error).message;
      }
      const defaults = b.params.length ? b.params.map((p) => `${p.name}=${String(p.default)}`).join(', ') : '(no parameters)';
      const current = fw === focus.ev.spec.framework && b.names.includes(focus.ev.spec.name);
      const use = current
        ? h('span', { class: 'muted' }, 'shown')
        : button('Use', `Show ${name} as ${FRAMEWORK_LABELS[fw]} defines it`, () => onUse(fw, name));
      rows.push([FRAMEWORK_LABELS[fw], b.names.join(', '), defaults, kinks, b.notes?.join(' ') ?? '', use]);
    }
  }
  return table(`${focus.ev.def.title} across frameworks`, ['framework', 'names', 'defaults', 'kink gradient', 'notes', ''], rows) as HTMLTableElement;
}
