// The explorer's gated section: choose GLU / ReGLU / GeGLU / SwiGLU and see f(a, b), ∂f/∂a
// and ∂f/∂b as heatmaps on canvases (diverging colours, 0 neutral), each with its formula
// and value range, plus the argument-order note (frameworks gate the second half).
import { clear, fmtNum, h, select } from '../common/dom';
import type { GatedQuantity } from './gatedModel';
import { GATED_IDS, GATED_QUANTITIES, diverging, gatedDef, gatedGrid } from './gatedModel';

const N = 161;
const RANGE: readonly [number, number] = [-4, 4];
const NAMES: Record<GatedQuantity, string> = { f: 'f(a, b)', dfda: '∂f/∂a', dfdb: '∂f/∂b' };

export class GatedView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly chooser: HTMLSelectElement;

  constructor(private id: string, private readonly onChoose: (id: string) => void) {
    this.chooser = select(
      'Gated activation to show',
      [{ value: '', text: 'Gated activation…' }, ...GATED_IDS.map((g) => ({ value: g, text: gatedDef(g)?.title ?? g }))],
      id,
      'gated',
    );
    this.chooser.addEventListener('change', () => {
      this.id = this.chooser.value;
      this.onChoose(this.id);
      this.render();
    });
    this.body = h('div', { id: 'gated-body' });
    this.el = h('section', { 'aria-label': 'Gated activations' }, h('h2', {}, 'Gated activations f(a, b)'), h('label', {}, 'Show: ', this.chooser), this.body);
  }

  render(): void {
    clear(this.body);
    const def = gatedDef(this.id);
    if (!def) {
      this.body.append(h('p', { class: 'muted small' }, 'GLU, ReGLU, GeGLU and SwiGLU take two inputs: a value a and a gate b. Choose one to see f and its partial derivatives as heatmaps.'));
      return;
    }
    const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
    const figures = h('div', { class: 'heatmaps' });
    const formula = { f: def.formulas.f.text, dfda: def.formulas.dfda.text, dfdb: def.formulas.dfdb.text };
    for (const q of GATED_QUANTITIES) {
      const g = gatedGrid(def, q, N, RANGE[0], RANGE[1]);
      const maxAbs = Math.max(Math.abs(g.min), Math.abs(g.max));
      const cv = h('canvas', {
        width: N,
        height: N,
        class: 'heatmap',
        id: `gated-${q}`,
        role: 'img',
        tabindex: 0,
        'aria-label': `${def.title} ${NAMES[q]} heatmap: ${formula[q]}, a across from ${RANGE[0]} to ${RANGE[1]}, b up from ${RANGE[0]} to ${RANGE[1]}, values ${fmtNum(g.min)} to ${fmtNum(g.max)}`,
      });
      const ctx = cv.getContext('2d');
      if (ctx) {
        const img = ctx.createImageData(N, N);
        for (let i = 0; i < g.values.length; i++) img.data.set(diverging(g.values[i] as number, maxAbs, dark), 4 * i);
        ctx.putImageData(img, 0, 0);
      }
      figures.append(
        h(
          'figure',
          { class: 'heatmap-fig' },
          h('div', { class: 'heatmap-axes' }, h('span', { class: 'axis-b', 'aria-hidden': 'true' }, `b ↑ [${RANGE[0]}, ${RANGE[1]}]`), cv),
          h('figcaption', { class: 'small' }, h('code', {}, formula[q]), h('br'), `a → [${RANGE[0]}, ${RANGE[1]}]; blue ${fmtNum(-maxAbs)} · 0 · red ${fmtNum(maxAbs)}`),
        ),
      );
    }
    this.body.append(figures, ...def.conventions.map((c) => h('p', { class: 'muted small' }, c)));
    this.body.dataset.drawn = def.id;
  }
}
