// Tiny DOM helpers for the webviews: no framework, so the bundles stay small and the
// markup stays inspectable (every control gets an accessible name at creation).

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes (false/undefined skipped) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** A <select> with options; `label` becomes its aria-label. */
export function select(label: string, options: readonly { value: string; text: string; title?: string }[], value: string, id?: string): HTMLSelectElement {
  const s = h('select', { 'aria-label': label, title: label, id });
  for (const o of options) {
    const opt = h('option', { value: o.value, title: o.title }, o.text);
    if (o.value === value) opt.selected = true;
    s.append(opt);
  }
  return s;
}

export function button(text: string, label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', 'aria-label': label, title: label, ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** A labelled checkbox; returns the wrapping <label> and the input. */
export function checkbox(text: string, checked: boolean, onChange: (v: boolean) => void, attrs: Attrs = {}): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', ...attrs });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  const label = h('label', { class: 'check' }, input, ' ', text);
  return { label, input };
}

/** Removes every child. */
export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Formats a number for tables: up to 6 significant digits, ∞ and NaN spelled out. */
export function fmtNum(v: number, digits = 6): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return Object.is(v, -0) ? '−0' : '0';
  const a = Math.abs(v);
  const s = a >= 1e6 || a < 1e-4 ? v.toExponential(digits - 2) : String(Number(v.toPrecision(digits)));
  return s.replace(/^-/, '−');
}

/** Parses a list like "−5, −2, 0, 3, 6" (Unicode minus accepted). Invalid items are dropped. */
export function parseNumberList(s: string): number[] {
  return s
    .replace(/[−–]/g, '-')
    .split(/[\s,;]+/)
    .filter((t) => t.length > 0)
    .map(Number)
    .filter((n) => Number.isFinite(n));
}
