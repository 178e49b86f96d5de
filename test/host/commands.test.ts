// Every Activation Inspector command, run inside the real extension host: each opens what
// it should, exports write valid files, the copied scripts are valid Python.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { getExtension, waitFor, PATIENCE } from './helpers';
import type { ExplorerPanel } from '../../src/extension/panels/explorerPanel';
import type { DashboardPanel } from '../../src/extension/panels/dashboardPanel';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-host-'));

function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));
}

/** PNG: signature, then IHDR with the width and height. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  assert.deepStrictEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.strictEqual(b.subarray(12, 16).toString('ascii'), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function assertSvg(file: string, minPaths: number): void {
  const s = fs.readFileSync(file, 'utf8');
  assert.match(s, /^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
  assert.ok(s.trimEnd().endsWith('</svg>'), 'closed <svg>');
  const paths = s.match(/<path d="M[\d.,\-LM]+"/g) ?? [];
  assert.ok(paths.length >= minPaths, `${paths.length} line paths, expected ≥ ${minPaths}`);
  // balanced groups: a cheap well-formedness check
  assert.strictEqual((s.match(/<g[ >]/g) ?? []).length, (s.match(/<\/g>/g) ?? []).length);
}

async function explorer(args?: unknown): Promise<ExplorerPanel> {
  const p = (await vscode.commands.executeCommand('activationInspector.openExplorer', args)) as ExplorerPanel | undefined;
  assert.ok(p, 'openExplorer returned its panel');
  await p.whenReady();
  return p;
}

describe('commands', function () {
  this.timeout(60_000 * PATIENCE);

  before(async () => {
    await getExtension().activate();
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('are all contributed in the "Activation Inspector" category and registered', async () => {
    const contributed = (getExtension().packageJSON as { contributes: { commands: { command: string; category: string }[] } }).contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const ids = contributed.map((c) => c.command).filter((c) => c.startsWith('activationInspector.') && !c.includes('explain'));
    for (const want of ['openExplorer', 'compare', 'openDashboard', 'runDemo', 'exportChart', 'exportData', 'copyAsPyTorch', 'copyAsKeras', 'copyAsJAX', 'stopTraining']) {
      assert.ok(ids.includes(`activationInspector.${want}`), `${want} contributed`);
    }
    for (const c of contributed.filter((x) => ids.includes(x.command))) {
      assert.strictEqual(c.category, 'Activation Inspector');
      assert.ok(registered.has(c.command), `${c.command} registered`);
    }
  });

  it('Open Explorer opens the explorer webview, with a hover’s arguments', async () => {
    const p = await explorer({ id: 'leaky_relu', framework: 'keras', name: 'LeakyReLU', params: { negative_slope: 0.1 } });
    assert.strictEqual(p.panel.viewType, 'activationInspector.explorer');
    assert.strictEqual(p.panel.title, 'Activation Explorer');
    assert.strictEqual(webviewTabs('activationInspector.explorer').length, 1);
    const json = JSON.parse(await p.requestExport('json')) as { curves: { id: string; framework: string; name: string; params: Record<string, unknown>; atPoints: { x: number; f: number; df: number }[] }[] };
    const c = json.curves[json.curves.length - 1];
    assert.ok(c);
    assert.deepStrictEqual([c.id, c.framework, c.name, c.params.negative_slope], ['leaky_relu', 'keras', 'LeakyReLU', 0.1]);
    // values at the default points −5, −2, 0, 3, 6: leaky_relu(x) = x or 0.1·x
    assert.deepStrictEqual(c.atPoints.map((q) => q.x), [-5, -2, 0, 3, 6]);
    assert.deepStrictEqual(c.atPoints.map((q) => q.f), [-0.5, -0.2, 0, 3, 6]);
    assert.deepStrictEqual(c.atPoints.map((q) => q.df), [0.1, 0.1, 0.1, 1, 1]);
    // a second call reuses the same panel
    const again = await explorer();
    assert.strictEqual(again, p);
    assert.strictEqual(webviewTabs('activationInspector.explorer').length, 1);
  });

  it('Compare Activations… shows the chosen functions as the chosen framework defines them', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.compare', { ids: ['gelu', 'relu', 'elu'], framework: 'jax' })) as ExplorerPanel;
    await p.whenReady();
    const json = JSON.parse(await p.requestExport('json')) as { curves: { id: string; framework: string; params: Record<string, unknown>; atPoints: { x: number; f: number }[] }[] };
    assert.deepStrictEqual(json.curves.map((c) => `${c.framework}.${c.id}`), ['jax.gelu', 'jax.relu', 'jax.elu']);
    // jax.nn.gelu defaults to the tanh approximation: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))
    const gelu = json.curves[0];
    assert.ok(gelu);
    const x = 3;
    const want = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    const got = gelu.atPoints.find((q) => q.x === 3)?.f as number;
    assert.ok(Math.abs(got - want) < 1e-12, `jax gelu(3) = ${got}, want ${want}`);
    // elu(−2) = e^−2 − 1 (alpha 1)
    const elu = json.curves[2]?.atPoints.find((q) => q.x === -2)?.f as number;
    assert.ok(Math.abs(elu - Math.expm1(-2)) < 1e-12);
  });

  it('Export Chart and Export Data write valid PNG, SVG, CSV and JSON for the explorer', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.compare', { ids: ['relu', 'sigmoid'], framework: 'torch' })) as ExplorerPanel;
    await p.whenReady();
    p.panel.reveal();
    const png = path.join(tmp, 'explorer.png');
    const svg = path.join(tmp, 'explorer.svg');
    const csv = path.join(tmp, 'explorer.csv');
    const json = path.join(tmp, 'explorer.json');
    await vscode.commands.executeCommand('activationInspector.exportChart', { panel: 'explorer', format: 'png', uri: png });
    await vscode.commands.executeCommand('activationInspector.exportChart', { panel: 'explorer', format: 'svg', uri: svg });
    await vscode.commands.executeCommand('activationInspector.exportData', { panel: 'explorer', format: 'csv', uri: csv });
    await vscode.commands.executeCommand('activationInspector.exportData', { panel: 'explorer', format: 'json', uri: json });
    const size = pngSize(png);
    assert.ok(size.width > 100 && size.height > 100, `PNG ${size.width}×${size.height}`);
    assertSvg(svg, 4); // f and f′ of two curves
    const rows = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    assert.strictEqual(rows.length, 402, 'header + 401 samples');
    assert.match(rows[0] ?? '', /^"x","relu/);
    for (const r of rows.slice(1)) {
      const cells = r.split(',').map(Number);
      assert.strictEqual(cells.length, 7);
      const [x, f, df, , s] = cells as [number, number, number, number, number];
      assert.strictEqual(f, Math.max(0, x));
      assert.strictEqual(df, x > 0 ? 1 : 0);
      assert.ok(Math.abs(s - 1 / (1 + Math.exp(-x))) < 1e-15, `sigmoid(${x})`);
    }
    const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as { curves: unknown[] };
    assert.strictEqual(parsed.curves.length, 2);
  });

  it('Open Training Dashboard opens the dashboard webview', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await p.whenReady();
    assert.strictEqual(p.panel.viewType, 'activationInspector.dashboard');
    assert.strictEqual(webviewTabs('activationInspector.dashboard').length, 1);
  });

  it('Open Training Dashboard with spec JSON starts those trainings', async () => {
    const raw = { task: 'regression', sizes: [1, 12, 1], data: { kind: 'sine', n: 80 }, activation: 'tanh', optimizer: { kind: 'adam', lr: 0.02 }, steps: 300, seed: 5 };
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard', {
      runs: [{ label: 'tanh', raw }, { label: 'sigmoid', raw: { ...raw, activation: 'sigmoid' } }],
      title: 'From JSON',
    })) as DashboardPanel;
    await waitFor(() => p.session.snapshot().map((r) => r.info.label).join() === 'tanh,sigmoid' && p.session.running === 0, 30_000, 'both runs');
    const runs = p.session.snapshot();
    assert.deepStrictEqual(runs.map((r) => [r.status, r.result?.loss_per_step.length]), [['done', 300], ['done', 300]]);
    // a 1-D regression: the dashboard shows the fitted curve
    const last = runs[0]?.result?.final_loss as number;
    assert.ok(last < (runs[0]?.result?.loss_per_step[0] as number), 'the loss went down');
  });

  it('Run Demo… runs the dying-ReLU comparison: ReLU ends with more dead units than Leaky ReLU', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.runDemo', { id: 'dying-relu' })) as DashboardPanel;
    assert.ok(p);
    await waitFor(() => p.session.running === 0 && p.session.snapshot().every((r) => r.status === 'done'), 50_000, 'the demo to finish');
    const runs = p.session.snapshot();
    assert.deepStrictEqual(runs.map((r) => r.info.label), ['ReLU', 'Leaky ReLU', 'ELU']);
    const dead = (label: string): number => {
      const r = runs.find((x) => x.info.label === label)?.result;
      assert.ok(r, `${label} has a result`);
      return r.final_dead_fraction_per_hidden_layer.reduce((a, b) => a + b, 0) / r.final_dead_fraction_per_hidden_layer.length;
    };
    assert.ok(dead('ReLU') > 0.2, `ReLU dead fraction ${dead('ReLU')}`);
    assert.strictEqual(dead('Leaky ReLU'), 0);
    assert.strictEqual(dead('ELU'), 0);
  });

  it('Export Chart and Export Data write valid files for the dashboard', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    await p.whenReady();
    const files = ['png', 'svg', 'csv', 'json'].map((f) => path.join(tmp, `dashboard.${f}`));
    await vscode.commands.executeCommand('activationInspector.exportChart', { panel: 'dashboard', format: 'png', uri: files[0] });
    await vscode.commands.executeCommand('activationInspector.exportChart', { panel: 'dashboard', format: 'svg', uri: files[1] });
    await vscode.commands.executeCommand('activationInspector.exportData', { panel: 'dashboard', format: 'csv', uri: files[2] });
    await vscode.commands.executeCommand('activationInspector.exportData', { panel: 'dashboard', format: 'json', uri: files[3] });
    const size = pngSize(files[0] as string);
    assert.ok(size.width > 300 && size.height > 300, `PNG ${size.width}×${size.height}`);
    assertSvg(files[1] as string, 6);
    const rows = fs.readFileSync(files[2] as string, 'utf8').trimEnd().split('\n');
    assert.match(rows[0] ?? '', /^run,step,train_loss,test_loss,train_accuracy,test_accuracy,dead_L1,/);
    const runsInCsv = new Set(rows.slice(1).map((r) => r.split(',')[0]));
    assert.deepStrictEqual([...runsInCsv], ['"ReLU"', '"Leaky ReLU"', '"ELU"']);
    for (const r of rows.slice(1)) assert.ok(Number.isFinite(Number(r.split(',')[2])), `train loss in ${r}`);
    const json = JSON.parse(fs.readFileSync(files[3] as string, 'utf8')) as { runs: { label: string; spec: { sizes: number[] }; result: { final_loss: number } }[] };
    assert.deepStrictEqual(json.runs.map((r) => r.spec.sizes), [[2, 32, 32, 1], [2, 32, 32, 1], [2, 32, 32, 1]]);
    assert.ok(json.runs.every((r) => Number.isFinite(r.result.final_loss)));
  });

  it('Copy Experiment as PyTorch / Keras / JAX puts a valid Python script on the clipboard', async () => {
    for (const [cmd, marker] of [['copyAsPyTorch', 'import torch'], ['copyAsKeras', 'import keras'], ['copyAsJAX', 'import jax']] as const) {
      const code = (await vscode.commands.executeCommand(`activationInspector.${cmd}`, { run: 'Leaky ReLU', open: false })) as string;
      assert.ok(code.includes(marker), `${cmd} script imports its framework`);
      assert.strictEqual(await vscode.env.clipboard.readText(), code, 'the script is on the clipboard');
      const file = path.join(tmp, `${cmd}.py`);
      fs.writeFileSync(file, code);
      execFileSync('python3', ['-m', 'py_compile', file]);
    }
    const torch = (await vscode.commands.executeCommand('activationInspector.copyAsPyTorch', { run: 'Leaky ReLU', open: false })) as string;
    assert.ok(torch.includes('nn.LeakyReLU(negative_slope=0.01)'));
    assert.ok(torch.includes('torch.optim.Adam(model.parameters(), lr=0.1'));
    assert.ok(torch.includes('STEPS = 1500'));
  });

  it('Stop Training stops a running comparison', async () => {
    const p = (await vscode.commands.executeCommand('activationInspector.runDemo', { id: 'vanishing-gradients' })) as DashboardPanel;
    await waitFor(() => p.session.snapshot().some((r) => r.history.length > 1), 20_000, 'the first snapshots');
    await vscode.commands.executeCommand('activationInspector.stopTraining');
    await waitFor(() => p.session.running === 0, 2_000, 'the workers to stop');
    const statuses = p.session.snapshot().map((r) => r.status);
    assert.ok(statuses.every((s) => s === 'stopped' || s === 'done'), statuses.join(','));
    assert.ok(statuses.includes('stopped'), 'at least one run was still going');
  });
});
