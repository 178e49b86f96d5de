// The panels' channel in the real extension host: a training started from the dashboard
// (the page's own message) streams coalesced snapshots and completes; thousands of
// malformed messages fed to the pages' handlers are dropped without an answer.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { getExtension, waitFor } from './helpers';
import type { DashboardPanel } from '../../src/extension/panels/dashboardPanel';
import type { ExplorerPanel } from '../../src/extension/panels/explorerPanel';

/** Deterministic garbage: wrong types, missing fields, unknown types, huge numbers. */
function garbage(i: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[i % xs.length] as T;
  const types = ['explorer/show', 'export/request', 'dashboard/init', 'run/snapshots', 'run/status', 'run/added', 'runs/clear', 'ready', 'nonsense', ''];
  const values: unknown[] = [null, -1, 1e308, NaN, 'x', [], {}, [1, 2], { a: 1 }, true, 'export/request', Array(600).fill(0)];
  switch (i % 8) {
    case 0:
      return pick(values);
    case 1:
      return { type: pick(types) };
    case 2:
      return { type: pick(types), requestId: pick(values), format: pick(['png', 'gif', 3, null]) };
    case 3:
      return { type: 'run/snapshots', runId: i, snapshots: [{ step: pick(values), losses: pick(values) }] };
    case 4:
      return { type: 'explorer/show', curves: [{ id: pick(values), framework: pick(['caffe', 1, null]), name: 'relu', params: {} }], replace: true };
    case 5:
      return { type: 'dashboard/init', form: { dataset: pick(values) }, demos: pick(values), inits: [] };
    case 6:
      return { type: 'run/status', runId: pick(values), status: pick(['done', 'boom', 7]), message: pick(values) };
    default:
      return { type: 'export/request', requestId: -i, format: 'png' };
  }
}

describe('panels', function () {
  this.timeout(60_000);

  before(async () => {
    await getExtension().activate();
  });

  it('a training started from the dashboard page streams coalesced snapshots and completes', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await p.whenReady();
    const posted0 = p.session.posted;
    const live0 = p.session.liveBoundaries;
    const form = { ...p.form, dataset: 'spiral', hidden: [16, 16], activations: ['tanh', 'relu'], steps: 20_000, batchSize: 8, optimizer: 'adam', lr: 0.01 };
    // exactly what the page posts when Start is pressed
    const t0 = Date.now();
    p.receive({ type: 'train/start', form });
    await waitFor(() => p.session.snapshot().length === 1 && p.session.snapshot()[0]?.status === 'done', 50_000, 'the training to complete');
    const seconds = (Date.now() - t0) / 1000;
    const run = p.session.snapshot()[0];
    assert.ok(run?.result);
    assert.strictEqual(run.result.loss_per_step.length, 20_000);
    assert.ok(run.history.length >= 2, 'several snapshots streamed');
    assert.ok(run.history[run.history.length - 1]?.step === 20_000, 'the last snapshot is the final step');
    assert.deepStrictEqual(run.spec.sizes, [2, 16, 16, 1]);
    const messages = p.session.posted - posted0;
    // coalescing: at most one snapshot message per run per 33 ms frame (+ status/added/clear)
    const bound = Math.ceil((seconds * 1000) / 33) + 10;
    console.log(`      ${run.history.length} snapshots kept, ${messages} messages in ${seconds.toFixed(2)} s (bound ${bound})`);
    assert.ok(messages <= bound, `${messages} messages > ${bound}`);
    // the decision boundary was redrawn from the snapshots' parameters while the run trained
    // (at most every BOUNDARY_MS = 100 ms; the run lasts well over a second)
    const live = p.session.liveBoundaries - live0;
    console.log(`      ${live} live boundary redraws`);
    assert.ok(live >= 3 && live <= (seconds * 1000) / 100 + 1, `${live} live boundaries in ${seconds} s`);
    // the last step's gradient norms come from the worker itself (no host back-fill)
    assert.ok(run.history[run.history.length - 1]?.weightGradNorms.every((g) => g > 0));
    // stored snapshots are slim: no per-step losses, no parameters
    assert.ok(run.history.every((s) => s.losses.length === 0 && s.params === undefined));
  });

  it('the dying-ReLU demo: every run streams a comparably dense history, with real final gradient norms', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await p.whenReady();
    assert.ok(await p.runDemo('dying-relu'));
    await waitFor(() => p.session.snapshot().length === 3 && p.session.snapshot().every((r) => r.status === 'done'), 50_000, 'the three runs');
    const runs = p.session.snapshot();
    const report = runs.map((r) => {
      const steps = r.history.map((s) => s.step);
      const gap = Math.max(...steps.slice(1).map((s, i) => s - (steps[i] as number)));
      return { label: r.info.label, points: steps.length, gap, norms: r.history[r.history.length - 1]?.weightGradNorms ?? [] };
    });
    console.log(`      ${report.map((r) => `${r.label}: ${r.points} snapshots, largest gap ${r.gap} steps`).join('; ')}`);
    for (const r of report) {
      assert.strictEqual(runs.find((x) => x.info.label === r.label)?.history.slice(-1)[0]?.step, 1500);
      // a cold first snapshot once spaced a whole run's snapshots ~850 of its 1500 steps apart
      assert.ok(r.gap <= 375, `${r.label}: no snapshot for ${r.gap} of 1500 steps`);
      assert.ok(r.norms.length === 3 && r.norms.every((g) => g > 0), `${r.label}: final gradient norms ${r.norms.join(', ')}`);
    }
    const counts = report.map((r) => r.points);
    assert.ok(Math.min(...counts) >= Math.max(...counts) / 3, `snapshot counts ${counts.join(', ')}`);
  });

  it('comparison mode: "+ Compare" adds runs next to the ones shown', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await p.whenReady();
    const base = { ...p.form, dataset: 'moons', hidden: [8, 8], steps: 400, batchSize: 16, optimizer: 'sgd', lr: 0.1 };
    p.receive({ type: 'train/start', form: { ...base, activations: ['relu', 'relu'] } });
    await waitFor(() => p.session.snapshot().length === 1 && p.session.snapshot()[0]?.info.label === 'relu/relu · sgd lr 0.1', 10_000, 'the first run');
    p.receive({ type: 'train/start', form: { ...base, activations: ['tanh', 'tanh'] }, append: true });
    p.receive({ type: 'train/start', form: { ...base, activations: ['relu', 'relu'] }, append: true });
    await waitFor(() => p.session.snapshot().length === 3 && p.session.running === 0, 30_000, 'three runs to finish').catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(p.session.snapshot().map((r) => [r.info.label, r.status, r.message]))} running=${p.session.running}`);
    });
    const runs = p.session.snapshot();
    assert.deepStrictEqual(runs.map((r) => r.status), ['done', 'done', 'done']);
    assert.deepStrictEqual(runs.map((r) => r.info.label), ['relu/relu · sgd lr 0.1', 'tanh/tanh · sgd lr 0.1', 'relu/relu · sgd lr 0.1 (2)']);
    // same spec and seed: the repeated run reproduces the first exactly
    assert.deepStrictEqual(runs[2]?.result?.loss_per_step, runs[0]?.result?.loss_per_step);
    assert.notDeepStrictEqual(runs[1]?.result?.loss_per_step, runs[0]?.result?.loss_per_step);
  });

  it('pause, step and resume continue the same training exactly', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await p.whenReady();
    const form = { ...p.form, dataset: 'circle', samples: 1000, hidden: [64, 64], activations: ['relu', 'relu'], steps: 1_000_000, batchSize: 64, optimizer: 'sgd', lr: 0.01 };
    p.receive({ type: 'train/start', form });
    await waitFor(() => p.session.snapshot()[0]?.info.label === 'relu/relu · sgd lr 0.01' && (p.session.snapshot()[0]?.history.length ?? 0) > 2, 20_000, 'snapshots');
    p.receive({ type: 'train/control', command: 'pause' });
    const state = (): string => JSON.stringify(p.session.snapshot().map((r) => [r.status, r.message, r.history.slice(-1)[0]?.step])) + ` running=${p.session.running}`;
    await waitFor(() => p.session.snapshot()[0]?.status === 'paused' && p.session.running === 0, 20_000, 'the pause (and its boundary replay)').catch((e: Error) => {
      throw new Error(`${e.message}: ${state()}`);
    });
    const at = p.session.snapshot()[0]?.history.slice(-1)[0]?.step ?? -1;
    p.receive({ type: 'train/control', command: 'step' });
    await waitFor(() => p.session.running === 0 && (p.session.snapshot()[0]?.history.slice(-1)[0]?.step ?? 0) === at + 1, 20_000, 'one step');
    const r = p.session.snapshot()[0];
    assert.strictEqual(r?.status, 'paused');
    assert.strictEqual(r?.result?.loss_per_step.length, at + 1, 'the step replayed to exactly one more step');
    p.receive({ type: 'train/control', command: 'stop' });
    await waitFor(() => p.session.running === 0, 5_000, 'stop');
  });

  it('thousands of malformed messages to both pages are dropped: no answer, pages still work', async () => {
    const ex = (await vscode.commands.executeCommand('activationInspector.openExplorer')) as ExplorerPanel;
    await ex.whenReady();
    const dash = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await dash.whenReady();
    for (const panel of [ex, dash]) {
      panel.panel.reveal();
      await panel.whenReady();
      const before = panel.received;
      for (let i = 0; i < 3000; i++) await panel.panel.webview.postMessage(garbage(i));
      // a valid request afterwards is answered: the page survived and kept listening
      const svg = await panel.requestExport('svg');
      assert.match(svg, /<svg /);
      assert.strictEqual(panel.received - before, 1, `${panel.kind}: only the export answer came back`);
    }
    // and the host's validator drops garbage from the pages
    const rejected = ex.rejected;
    for (let i = 0; i < 3000; i++) ex.receive(garbage(i));
    assert.ok(ex.rejected - rejected >= 2990, `rejected ${ex.rejected - rejected} of 3000`);
  });
});
