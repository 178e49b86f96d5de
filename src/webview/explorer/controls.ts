// One card per curve: its framework, its parameters (slider + number box, checkbox or
// select, all labelled), and a remove button. Parameters a framework pins are shown
// disabled; parameters it does not expose are still adjustable (canonical names).
import { bindingsOf } from '../../engine/activations/registry';
import type { Framework, ParamSpec, ParamValue } from '../../engine/activations/types';
import { FRAMEWORK_LABELS, FRAMEWORKS } from '../../engine/activations/types';
import type { CurveSpec } from '../../shared/protocol';
import { button, fmtNum, h, select } from '../common/dom';
import type { Evaluated } from './model';
import { frameworkParamName } from './model';

export interface CardCallbacks {
  /** Live update while a slider moves (no history, no re-layout). */
  setParam(index: number, name: string, value: ParamValue): void;
  setFramework(index: number, fw: Framework): void;
  remove(index: number): void;
  focus(index: number): void;
}

function sliderRange(p: ParamSpec): { min: number; max: number; step: number } {
  let min = p.uiMin ?? p.min ?? -5;
  let max = p.uiMax ?? p.max ?? 5;
  if (!(max > min)) max = min + 1;
  const step = Number(((max - min) / 200).toPrecision(2));
  if (p.minExclusive && min === p.min) min += step;
  if (p.maxExclusive && max === p.max) max -= step;
  return { min, max, step };
}

function paramControl(index: number, spec: ParamSpec, ev: Evaluated, cb: CardCallbacks, color: string): HTMLElement {
  const fwName = frameworkParamName(ev.binding, spec.name);
  const pinned = ev.binding.fixed !== undefined && spec.name in ev.binding.fixed;
  const shown = fwName ?? spec.name;
  const label = `${ev.spec.name} ${shown}`;
  const value = ev.params[spec.name];
  const wrap = h('div', { class: 'param', title: spec.doc });
  const caption = h('span', { class: 'param-name' }, shown);
  if (spec.type === 'number') {
    const r = sliderRange(spec);
    const v = typeof value === 'number' ? value : Number(spec.default);
    const slider = h('input', { type: 'range', min: r.min, max: r.max, step: r.step, 'aria-label': `${label} slider`, disabled: pinned, style: undefined });
    slider.value = String(Math.min(r.max, Math.max(r.min, v)));
    slider.style.accentColor = color;
    const box = h('input', { type: 'number', step: r.step, 'aria-label': `${label} value`, disabled: pinned, class: 'num' });
    box.value = String(v);
    if (spec.min !== undefined) box.min = String(spec.min);
    if (spec.max !== undefined) box.max = String(spec.max);
    slider.addEventListener('input', () => {
      box.value = slider.value;
      cb.setParam(index, spec.name, Number(slider.value));
    });
    box.addEventListener('change', () => {
      const n = Number(box.value);
      if (!Number.isFinite(n)) return;
      slider.value = String(n);
      cb.setParam(index, spec.name, n);
    });
    wrap.append(caption, slider, box);
  } else if (spec.type === 'boolean') {
    const input = h('input', { type: 'checkbox', 'aria-label': label, disabled: pinned });
    input.checked = value === true;
    input.addEventListener('change', () => cb.setParam(index, spec.name, input.checked));
    wrap.append(h('label', { class: 'check' }, input, ' ', caption));
  } else {
    const s = select(label, (spec.options ?? []).map((o) => ({ value: o, text: o })), String(value));
    s.disabled = pinned;
    s.addEventListener('change', () => cb.setParam(index, spec.name, s.value));
    wrap.append(caption, s);
  }
  return wrap;
}

/** The card for a valid curve. */
export function curveCard(index: number, ev: Evaluated, label: string, color: string, focused: boolean, cb: CardCallbacks): HTMLElement {
  const fwOptions = FRAMEWORKS.filter((fw) => bindingsOf(fw).some((b) => b.id === ev.def.id)).map((fw) => ({ value: fw, text: FRAMEWORK_LABELS[fw] }));
  const fwSel = select(`Framework for ${ev.spec.name}`, fwOptions, ev.spec.framework);
  fwSel.addEventListener('change', () => cb.setFramework(index, fwSel.value as Framework));
  const card = h('section', { class: `card${focused ? ' focused' : ''}`, 'aria-label': label });
  card.style.borderLeftColor = color;
  const title = h('h3', {}, h('span', { class: 'swatch', 'aria-hidden': 'true' }), ` ${ev.def.title} `, h('code', {}, ev.spec.name));
  (title.firstChild as HTMLElement).style.background = color;
  card.append(
    h(
      'div',
      { class: 'card-head' },
      title,
      fwSel,
      button('⇄', `Compare ${ev.spec.name} across frameworks`, () => cb.focus(index), { class: 'icon' }),
      button('✕', `Remove ${ev.spec.name}`, () => cb.remove(index), { class: 'icon' }),
    ),
  );
  // Only what this framework lets you set: other canonical parameters would turn the curve
  // into a function the framework does not offer under this name.
  const shown = ev.def.params.filter((p) => frameworkParamName(ev.binding, p.name) !== undefined);
  for (const p of shown) card.append(paramControl(index, p, ev, cb, color));
  if (!shown.length) card.append(h('p', { class: 'muted small' }, 'No parameters in this framework.'));
  const kinks = ev.def.kinks(ev.params, ev.conventions);
  if (kinks.length) {
    card.append(h('p', { class: 'muted small' }, `At the kink${kinks.length > 1 ? 's' : ''}: ` + kinks.map((k) => `f′(${fmtNum(k.x)}) = ${fmtNum(ev.kernel.df(k.x))}`).join(', ')));
  }
  return card;
}

/** The card for a curve that failed to resolve (bad restored state, bad command args). */
export function errorCard(index: number, c: CurveSpec, message: string, cb: CardCallbacks): HTMLElement {
  return h(
    'section',
    { class: 'card error', 'aria-label': `${c.name}: error` },
    h('div', { class: 'card-head' }, h('h3', {}, c.name), button('✕', `Remove ${c.name}`, () => cb.remove(index), { class: 'icon' })),
    h('p', { role: 'alert' }, message),
  );
}
