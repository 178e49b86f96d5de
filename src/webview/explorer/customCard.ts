// The "Custom…" card: a text box for the expression (checked as the user types, the parse
// error marked with a caret under its column), one slider + number box per parameter, and
// f, f′, f″ as text. Built once; `show` updates it in place so the text box keeps focus.
import { button, clear, h } from '../common/dom';
import type { CustomModel, CustomState } from './custom';
import { caretLine } from './custom';

export interface CustomCallbacks {
  /** The text changed (every keystroke). */
  setExpr(text: string): void;
  /** A slider or number box moved. */
  setParam(name: string, value: number): void;
  close(): void;
}

export class CustomCard {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly marker: HTMLElement;
  private readonly error: HTMLElement;
  private readonly sliders: HTMLElement;
  private readonly formulas: HTMLElement;
  private readonly swatch: HTMLElement;
  /** Parameter names the sliders were built for (rebuilt only when they change). */
  private built = '';

  constructor(private readonly cb: CustomCallbacks) {
    this.input = h('input', { type: 'text', id: 'custom-expr', class: 'expr', spellcheck: 'false', autocomplete: 'off', size: 32, 'aria-label': 'Custom activation f(x) =', 'aria-describedby': 'custom-error' });
    this.input.addEventListener('input', () => cb.setExpr(this.input.value));
    this.marker = h('div', { class: 'caret-line', id: 'custom-caret', 'aria-hidden': 'true' });
    // a long text scrolls inside the box: the caret line scrolls with it
    this.input.addEventListener('scroll', () => (this.marker.scrollLeft = this.input.scrollLeft));
    this.error = h('p', { class: 'small', id: 'custom-error', role: 'alert' });
    this.sliders = h('div', { id: 'custom-params', role: 'group', 'aria-label': 'Custom activation parameters' });
    this.formulas = h('div', { class: 'small formulas', id: 'custom-formulas' });
    this.swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    this.el = h(
      'section',
      { class: 'card custom', id: 'custom-card', 'aria-label': 'Custom activation' },
      h('div', { class: 'card-head' }, h('h3', {}, this.swatch, ' Custom activation'), button('✕', 'Close the custom activation', () => cb.close(), { class: 'icon' })),
      h('label', { class: 'expr-label' }, h('span', { class: 'nowrap' }, 'f(x) ='), h('span', { class: 'expr-wrap' }, this.input, this.marker)),
      this.error,
      this.sliders,
      this.formulas,
    );
  }

  focus(): void {
    this.input.focus();
  }

  /** Shows `state` (the text only when it differs, so typing is never disturbed) and `m`. */
  show(state: CustomState, m: CustomModel, color: string): void {
    if (this.input.value !== state.expr) this.input.value = state.expr;
    this.el.style.borderLeftColor = m.ok ? color : '';
    this.swatch.style.background = m.ok ? color : 'transparent';
    this.el.classList.toggle('error', !m.ok);
    this.input.setAttribute('aria-invalid', String(!m.ok));
    if (!m.ok) {
      this.marker.textContent = m.column !== undefined ? caretLine(m.column) : '';
      this.marker.dataset.column = m.column !== undefined ? String(m.column) : '';
      this.marker.scrollLeft = this.input.scrollLeft;
      this.error.textContent = m.message;
      clear(this.formulas);
      return; // sliders stay as they were: a half-typed name must not discard them
    }
    this.marker.textContent = '';
    this.marker.dataset.column = '';
    this.error.textContent = '';
    const names = m.sliders.map((s) => s.name).join(',');
    if (names !== this.built) {
      this.built = names;
      clear(this.sliders);
      for (const s of m.sliders) this.sliders.append(this.slider(s.name, s.value, s.min, s.max, s.step, color));
      if (!m.sliders.length) this.sliders.append(h('p', { class: 'muted small' }, 'No parameters: any other name than x becomes one.'));
    }
    clear(this.formulas);
    const t = m.analysis.text;
    this.formulas.append(
      h('div', {}, 'f = ', h('code', {}, t.f)),
      h('div', {}, 'f′ = ', h('code', {}, t.df)),
      h('div', {}, 'f″ = ', h('code', {}, t.d2f)),
      ...m.analysis.notes.map((n) => h('div', { class: 'muted' }, n.message)),
    );
  }

  private slider(name: string, value: number, min: number, max: number, step: number, color: string): HTMLElement {
    const range = h('input', { type: 'range', min, max, step, 'aria-label': `custom ${name} slider` });
    range.value = String(value);
    range.style.accentColor = color;
    const box = h('input', { type: 'number', step, class: 'num', 'aria-label': `custom ${name} value` });
    box.value = String(value);
    range.addEventListener('input', () => {
      box.value = range.value;
      this.cb.setParam(name, Number(range.value));
    });
    box.addEventListener('change', () => {
      const v = Number(box.value);
      if (box.value.trim() === '' || !Number.isFinite(v)) return;
      range.value = String(v);
      this.cb.setParam(name, v);
    });
    return h('div', { class: 'param' }, h('span', { class: 'param-name' }, name), range, box);
  }
}
