// The set-up form: data, network (widths and an activation per hidden layer), initializer,
// optimizer, batch size, penalties, clipping, normalization, seed and steps. Every input is
// labelled; values are checked with the shared protocol's validator before they are sent.
import { allEntries, isElementwise } from '../../engine/activations/registry';
import type { DatasetKind, NormKind, OptimizerKind, TrainingForm } from '../../shared/protocol';
import { DATASET_CHOICES, NORMS, OPTIMIZERS, isTrainingForm } from '../../shared/protocol';
import { clear, h, select } from '../common/dom';

const DATASET_TEXT: Record<DatasetKind, string> = {
  circle: 'circle (2 classes)',
  xor: 'xor (2 classes)',
  gaussians: 'two gaussians',
  spiral: 'spiral (2 classes)',
  spiral3: 'spiral (3 classes)',
  moons: 'moons (2 classes)',
  sine: 'sine (1-D regression)',
  abs: '|x| (1-D regression)',
  step: 'step (1-D regression)',
  csv: 'CSV file…',
};

export class SetupForm {
  readonly root: HTMLElement;
  private form: TrainingForm;
  private readonly fields = new Map<keyof TrainingForm, HTMLInputElement | HTMLSelectElement>();
  private readonly actsHost = h('div', { class: 'acts', role: 'group', 'aria-label': 'Activation per hidden layer' });
  private readonly error = h('p', { class: 'status error', role: 'alert' });
  private readonly csvInfo = h('span', { class: 'muted small' });

  constructor(
    initial: TrainingForm,
    private inits: readonly string[],
    private readonly onChange: (f: TrainingForm) => void,
  ) {
    this.form = initial;
    this.root = h('div', { class: 'setup' });
    this.build();
  }

  value(): TrainingForm {
    return this.form;
  }

  set(f: TrainingForm, inits?: readonly string[]): void {
    this.form = f;
    if (inits) this.inits = inits;
    this.build();
  }

  private activationOptions(): { value: string; text: string }[] {
    return allEntries()
      .filter((e) => isElementwise(e.def))
      .map((e) => ({ value: e.def.id, text: e.def.title }));
  }

  private num(key: keyof TrainingForm, label: string, attrs: Record<string, string | number>): HTMLElement {
    const input = h('input', { type: 'number', 'aria-label': label, id: `f-${key}`, class: 'num', ...attrs });
    input.value = String(this.form[key] ?? '');
    input.addEventListener('change', () => this.read());
    this.fields.set(key, input);
    return h('label', { class: 'field' }, h('span', {}, label), input);
  }

  private sel(key: keyof TrainingForm, label: string, options: { value: string; text: string }[]): HTMLElement {
    const s = select(label, options, String(this.form[key]), `f-${key}`);
    s.addEventListener('change', () => this.read());
    this.fields.set(key, s);
    return h('label', { class: 'field' }, h('span', {}, label), s);
  }

  private build(): void {
    clear(this.root);
    this.fields.clear();
    const widths = h('input', { type: 'text', 'aria-label': 'Hidden layer widths, comma separated', id: 'f-hidden', size: 14 });
    widths.value = this.form.hidden.join(', ');
    widths.addEventListener('change', () => this.read());
    this.fields.set('hidden', widths);
    this.csvInfo.textContent = this.form.dataset === 'csv' ? (this.form.csvText ? `${this.form.csvText.split('\n').length - 1} rows loaded` : 'use “Load CSV…”') : '';
    this.root.append(
      h(
        'fieldset',
        {},
        h('legend', {}, 'Data'),
        this.sel('dataset', 'Data set', DATASET_CHOICES.map((d) => ({ value: d, text: DATASET_TEXT[d] }))),
        this.csvInfo,
        this.form.dataset === 'csv'
          ? (() => {
              const t = h('input', { type: 'text', 'aria-label': 'CSV target column (name or index)', id: 'f-csvTarget', size: 8 });
              t.value = this.form.csvTarget ?? '';
              t.addEventListener('change', () => this.read());
              this.fields.set('csvTarget', t);
              return h('label', { class: 'field' }, h('span', {}, 'Target column'), t);
            })()
          : null,
        this.num('samples', 'Samples', { min: 4, max: 100000, step: 1 }),
        this.num('noise', 'Noise', { min: 0, max: 10, step: 0.01 }),
        this.num('testFraction', 'Test fraction', { min: 0, max: 0.9, step: 0.05 }),
      ),
      h('fieldset', {}, h('legend', {}, 'Network'), h('label', { class: 'field' }, h('span', {}, 'Hidden widths'), widths), this.actsHost,
        this.sel('init', 'Initializer', this.inits.map((i) => ({ value: i, text: i }))),
        this.sel('norm', 'Normalization', NORMS.map((n) => ({ value: n, text: n }))),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Training'),
        this.sel('optimizer', 'Optimizer', OPTIMIZERS.map((o) => ({ value: o, text: o }))),
        this.num('lr', 'Learning rate', { min: 0, step: 'any' }),
        this.num('momentum', 'Momentum', { min: 0, max: 0.999, step: 0.05 }),
        this.num('batchSize', 'Batch size (0 = full)', { min: 0, step: 1 }),
        this.num('l1', 'L1', { min: 0, step: 'any' }),
        this.num('l2', 'L2', { min: 0, step: 'any' }),
        this.num('clip', 'Clip grad norm (0 = off)', { min: 0, step: 'any' }),
        this.num('seed', 'Seed', { min: 0, step: 1 }),
        this.num('steps', 'Steps', { min: 1, step: 1 }),
      ),
      this.error,
    );
    this.buildActs();
  }

  private buildActs(): void {
    clear(this.actsHost);
    const opts = this.activationOptions();
    this.form.hidden.forEach((_, i) => {
      const s = select(`Activation of hidden layer ${i + 1}`, opts, this.form.activations[i] ?? 'relu', `f-act-${i}`);
      s.addEventListener('change', () => this.read());
      this.actsHost.append(h('label', { class: 'field' }, h('span', {}, `Layer ${i + 1}`), s));
    });
  }

  /** Reads every field; keeps the last valid form and reports what is wrong otherwise. */
  private read(): void {
    const get = (k: keyof TrainingForm): string => this.fields.get(k)?.value ?? '';
    const n = (k: keyof TrainingForm): number => Number(get(k));
    const hidden = get('hidden')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(Number);
    const acts = hidden.map((_, i) => (this.actsHost.querySelector(`#f-act-${i}`) as HTMLSelectElement | null)?.value ?? this.form.activations[i] ?? this.form.activations[this.form.activations.length - 1] ?? 'relu');
    const next: TrainingForm = {
      ...this.form,
      dataset: get('dataset') as DatasetKind,
      samples: n('samples'),
      noise: n('noise'),
      testFraction: n('testFraction'),
      hidden,
      activations: acts,
      init: get('init'),
      norm: get('norm') as NormKind,
      optimizer: get('optimizer') as OptimizerKind,
      lr: n('lr'),
      momentum: n('momentum'),
      batchSize: n('batchSize'),
      l1: n('l1'),
      l2: n('l2'),
      clip: n('clip'),
      seed: n('seed'),
      steps: n('steps'),
      ...(this.fields.has('csvTarget') ? { csvTarget: get('csvTarget') } : {}),
    };
    if (!isTrainingForm(next)) {
      this.error.textContent = 'Some values are out of range (widths 1–1024, learning rate > 0, momentum < 1, test fraction < 1, integer seed and steps).';
      return;
    }
    this.error.textContent = '';
    const rebuild = next.hidden.length !== this.form.hidden.length || next.dataset !== this.form.dataset;
    this.form = next;
    if (rebuild) this.build();
    this.onChange(next);
  }
}
