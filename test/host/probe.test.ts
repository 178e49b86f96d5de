// "Probe activations" in the real extension host: the CodeLens above a PyTorch model class
// runs the model once in /usr/bin/python3 (Debian's torch) and shows each activation site's
// numbers at its line, with a Warning diagnostic on the mostly dead ReLU and the saturated
// sigmoid. examples/pytorch_probe_model.py plants both problems with exact sizes: 20 of 32
// ReLU units get weight 0 and bias -100 (62.5% dead), 12 of the sigmoid's 16 inputs are
// pinned at +-100 (75% saturated); the final torch.tanh is healthy.
// code-server runs with --disable-workspace-trust (trusted); the untrusted refusal is the pure
// probeRefusal, unit-tested in test/unit/probe.present.test.ts.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { examplesFolder, getExtension } from './helpers';

const FILE = 'pytorch_probe_model.py';
const PROBE = 'activationInspector.probeModel';

interface Shown {
  ok: boolean;
  error?: string;
  model?: string;
  inputShape?: string;
  sites?: { name: string; kind: string; line: number | null }[];
  annotations?: { line: number; text: string; health: string }[];
}

/** 0-based line of the first line containing `snippet`. */
function lineOf(doc: vscode.TextDocument, snippet: string): number {
  const i = doc.getText().split('\n').findIndex((l) => l.includes(snippet));
  assert.ok(i >= 0, `${snippet} is not in ${doc.uri.fsPath}`);
  return i;
}

/** Resolves with the probe's diagnostics of `uri` the first time they change to a non-empty set. */
function nextProbeDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const mine = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Activation Inspector probe');
      if (mine.length) {
        sub.dispose();
        resolve(mine);
      }
    });
  });
}

describe('Probe activations (real PyTorch)', () => {
  let settingsDir: string;
  let createdSettings = false;
  before(async () => {
    await getExtension().activate();
    settingsDir = path.join(examplesFolder().uri.fsPath, '.vscode');
    createdSettings = !fs.existsSync(settingsDir);
    await vscode.workspace.getConfiguration('activationInspector').update('python', '/usr/bin/python3', vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.commands.executeCommand('activationInspector.clearProbe');
    await vscode.workspace.getConfiguration('activationInspector').update('python', undefined, vscode.ConfigurationTarget.Workspace);
    if (createdSettings) fs.rmSync(settingsDir, { recursive: true, force: true });
  });

  it('CodeLens → probe → annotations at the sites\' lines and warnings on the unhealthy layers', async () => {
    const uri = vscode.Uri.joinPath(examplesFolder().uri, FILE);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);

    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const probes = lenses.filter((l) => l.command?.command === PROBE);
    // one above the class, one above the factory
    assert.deepStrictEqual(
      probes.map((l) => [l.range.start.line, l.command?.arguments?.[1]]),
      [[lineOf(doc, 'class ProbeDemo'), 'ProbeDemo'], [lineOf(doc, 'def make_probe_demo'), 'make_probe_demo']],
    );
    const lens = probes[0] as vscode.CodeLens;
    assert.match(lens.command?.title ?? '', /Probe activations/);
    // the input shape guessed from nn.Linear(16, …) pre-fills the prompt
    assert.strictEqual(lens.command?.arguments?.[2], '8,16');

    const diagnostics = nextProbeDiagnostics(uri);
    const args = [...(lens.command?.arguments ?? [])];
    const shown = await vscode.commands.executeCommand<Shown>(PROBE, ...args, { inputShape: '64,16' });
    assert.ok(shown?.ok, `probe failed: ${shown?.error}`);
    assert.strictEqual(shown.model, 'ProbeDemo');
    assert.strictEqual(shown.inputShape, '64,16');

    const act1 = lineOf(doc, 'self.act1 = nn.ReLU()');
    const gate = lineOf(doc, 'self.gate = nn.Sigmoid()');
    const tanh = lineOf(doc, 'torch.tanh(g)');
    assert.deepStrictEqual(shown.sites?.map((s) => [s.name, s.kind, s.line]), [
      ['act1', 'relu', act1 + 1],
      ['gate', 'sigmoid', gate + 1],
      ['torch.tanh', 'tanh', tanh + 1],
    ]);
    const a = shown.annotations ?? [];
    assert.deepStrictEqual(a.map((x) => [x.line, x.health]), [[act1, 'bad'], [gate, 'bad'], [tanh, 'ok']]);
    assert.match(a[0]?.text ?? '', /^ReLU · 62\.5% dead · ‖g‖ \d\.\de-?\d+$/);
    assert.match(a[1]?.text ?? '', /^Sigmoid · 75\.0% saturated · ‖g‖ \d\.\de-?\d+$/);
    assert.match(a[2]?.text ?? '', /^Tanh · 0\.0% saturated · ‖g‖ \d\.\de-?\d+$/);

    const diags = (await diagnostics).sort((x, y) => x.range.start.line - y.range.start.line);
    assert.deepStrictEqual(diags.map((d) => [d.range.start.line, d.severity]), [
      [act1, vscode.DiagnosticSeverity.Warning],
      [gate, vscode.DiagnosticSeverity.Warning],
    ]);
    assert.match(diags[0]?.message ?? '', /ReLU "act1": 62\.5% of its units never activate.*Leaky ReLU.*He \(Kaiming\)/);
    assert.strictEqual((diags[0]?.code as { value: string }).value, 'dying-relu');
    assert.match(diags[1]?.message ?? '', /Sigmoid "gate": 75\.0% of its outputs are saturated/);
    assert.strictEqual((diags[1]?.code as { value: string }).value, 'saturation');

    // the editor still shows the file, and an edit drops the (now stale) results
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    const cleared = new Promise<void>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString()) && !vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Activation Inspector probe')) {
          sub.dispose();
          resolve();
        }
      });
    });
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '#'));
    await cleared;
    await vscode.commands.executeCommand('undo');
    if (doc.isDirty) await doc.save();
  });

  it('after a probe, hovers know the installed torch version (hardswish at ±3 changed in 2.7)', async () => {
    // a probe in /usr/bin/python3 (the test runs on its own too): its torch version becomes known to the workspace
    const uri = vscode.Uri.joinPath(examplesFolder().uri, FILE);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const lens = lenses.find((l) => l.command?.command === PROBE);
    assert.ok(lens, 'the Probe activations lens');
    const shown = await vscode.commands.executeCommand<Shown>(PROBE, ...(lens.command?.arguments ?? []), { inputShape: '64,16' });
    assert.ok(shown?.ok, `probe failed: ${shown?.error}`);
    const version = (spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout ?? '').trim();
    assert.match(version, /^\d+\.\d+/, 'torch in /usr/bin/python3');
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch.nn as nn\nact = nn.Hardswish()\n' });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 12));
    const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const older = /^1\.|^2\.[0-6]\./.test(version);
    assert.ok(text.includes(`your torch ${version} gives f′(−3) = ${older ? '−0.5' : '0'}`), text.slice(0, 2000));
  });

  it('remembers the input shape per model and reports a shape error in one line', async () => {
    const uri = vscode.Uri.joinPath(examplesFolder().uri, FILE);
    // remembered from the first test: no prompt, same result
    const again = await vscode.commands.executeCommand<Shown>(PROBE, uri.toString(), 'ProbeDemo');
    assert.ok(again?.ok, `probe failed: ${again?.error}`);
    assert.strictEqual(again.inputShape, '64,16');
    // a shape the model cannot take: the user's line and torch's message
    const bad = await vscode.commands.executeCommand<Shown>(PROBE, uri.toString(), 'ProbeDemo', undefined, { inputShape: '8,10' });
    assert.strictEqual(bad?.ok, false);
    assert.match(bad?.error ?? '', /pytorch_probe_model\.py:\d+: RuntimeError: mat1 and mat2 shapes cannot be multiplied \(8x10 and 16x32\)/);
    // a malformed shape never reaches Python
    const malformed = await vscode.commands.executeCommand<Shown>(PROBE, uri.toString(), 'ProbeDemo', undefined, { inputShape: '8,-1' });
    assert.strictEqual(malformed?.ok, false);
    assert.match(malformed?.error ?? '', /positive integers/);
  });
});
