// Lint diagnostics, quick fixes and the architecture CodeLenses inside the real extension
// host: diagnostics appear on the example files and on edited documents, every quick fix
// produces its exact edit, and "Train this architecture" opens the dashboard running the
// parsed stack; "Gradient flow" measures vanishing gradients in a deep sigmoid stack.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { examplesFolder, getExtension, waitFor, PATIENCE } from './helpers';
import type { DashboardPanel } from '../../src/extension/panels/dashboardPanel';

const SOURCE = 'Activation Inspector';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}
const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

async function untitled(content: string, language = 'python'): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function diagnosticsOf(doc: vscode.TextDocument, atLeast = 1): Promise<vscode.Diagnostic[]> {
  await waitFor(() => ours(doc.uri).length >= atLeast, 10_000, `${atLeast} diagnostics on ${doc.uri.toString()}`);
  return ours(doc.uri);
}

/** Applies the quick fix titled `title` for the diagnostic with `code`; returns the new text. */
async function applyFix(doc: vscode.TextDocument, code: string, title: RegExp): Promise<string> {
  const diags = await diagnosticsOf(doc);
  const d = diags.find((x) => codeOf(x) === code);
  assert.ok(d, `no ${code} diagnostic: ${diags.map(codeOf).join(', ')}`);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  const a = actions.find((x) => title.test(x.title));
  assert.ok(a?.edit, `no quick fix ${title} among ${actions.map((x) => x.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(a.edit));
  return doc.getText();
}

describe('lint in the editor', function () {
  this.timeout(60_000 * PATIENCE);
  before(async () => {
    await getExtension().activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows diagnostics on the example files, with a code that links to a command', async () => {
    const keras = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(examplesFolder().uri, 'keras_classifier.py'));
    await vscode.window.showTextDocument(keras);
    const d = (await diagnosticsOf(keras)).find((x) => codeOf(x) === 'AI006');
    assert.ok(d, 'hard_sigmoid is flagged');
    assert.strictEqual(keras.getText(d.range), '"hard_sigmoid"');
    // the file imports Keras 3, whose formula is then the intended one: advice, not a warning
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Information);
    assert.match(d.message, /Keras 3/);
    const target = typeof d.code === 'object' ? d.code.target : undefined;
    assert.strictEqual(target?.scheme, 'command');
    assert.match(target?.path ?? '', /^activationInspector\.(openExplorer|runDemo)$/);

    const tfjs = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(examplesFolder().uri, 'tfjs_model.js'));
    await vscode.window.showTextDocument(tfjs);
    const s = (await diagnosticsOf(tfjs)).find((x) => codeOf(x) === 'AI005');
    assert.strictEqual(s && tfjs.getText(s.range), "'selu'");
  });

  it('lints notebook cells together (a cell sees the imports of earlier cells)', async () => {
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(examplesFolder().uri, 'activations_tour.ipynb'));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code && /jax\.nn\.gelu\(z\)/.test(c.document.getText()));
    assert.ok(cell, 'the tour has a cell calling jax.nn.gelu(z) without approximate');
    const d = (await diagnosticsOf(cell.document)).find((x) => codeOf(x) === 'AI006');
    assert.ok(d, 'the gelu default is reported on its cell');
    assert.strictEqual(cell.document.getText(d.range), 'jax.nn.gelu');
    // the notebook also imports torch: a porting context, so information rather than a hint
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Information);
    const other = nb.getCells().filter((c) => c !== cell && c.kind === vscode.NotebookCellKind.Code);
    for (const c of other) assert.deepStrictEqual(ours(c.document.uri).map(codeOf), [], `cell ${c.index} has no findings`);
  });

  it('flags every rule on an edited document and clears idiomatic code', async () => {
    // One known finding (AI007) beside idiomatic code: seeing exactly it proves the linter ran
    // on this text, so the absence of any other finding means something.
    const doc = await untitled('import torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))\ncriterion = nn.CrossEntropyLoss()\np = nn.Softmax()\n');
    const editor = vscode.window.activeTextEditor as vscode.TextEditor;
    assert.deepStrictEqual((await diagnosticsOf(doc)).map(codeOf), ['AI007'], 'idiomatic code stays silent; only the marker is flagged');
    // typing into the document: diagnostics follow (debounced, linted in the worker)
    await editor.edit((e) => e.insert(new vscode.Position(5, 0), 'nn.init.zeros_(model[0].weight)\n'));
    const diags = await diagnosticsOf(doc, 2);
    assert.deepStrictEqual(diags.map(codeOf).sort(), ['AI003', 'AI007']);
    await editor.edit((e) => e.delete(new vscode.Range(5, 0, 6, 0)));
    // Re-linted: the marker stays, the removed line's finding goes.
    await waitFor(() => ours(doc.uri).map(codeOf).join() === 'AI007', 10_000, 'only the marker after the edit');
  });

  const FIXES: { name: string; code: string; title: RegExp; before: string; after: string }[] = [
    {
      name: 'removes the softmax layer before CrossEntropyLoss',
      code: 'AI001',
      title: /Remove the softmax layer/i,
      before: 'import torch.nn as nn\nmodel = nn.Sequential(\n    nn.Linear(4, 16),\n    nn.ReLU(),\n    nn.Linear(16, 3),\n    nn.Softmax(dim=1),\n)\nloss_fn = nn.CrossEntropyLoss()\n',
      after: 'import torch.nn as nn\nmodel = nn.Sequential(\n    nn.Linear(4, 16),\n    nn.ReLU(),\n    nn.Linear(16, 3),\n)\nloss_fn = nn.CrossEntropyLoss()\n',
    },
    {
      name: 'passes the logits to F.cross_entropy',
      code: 'AI001',
      title: /Remove the softmax/,
      before: 'import torch.nn.functional as F\nloss = F.cross_entropy(F.softmax(logits, dim=1), y)\n',
      after: 'import torch.nn.functional as F\nloss = F.cross_entropy(logits, y)\n',
    },
    {
      name: 'drops activation="softmax" when the loss has from_logits=True',
      code: 'AI001',
      title: /Remove activation=softmax/,
      before: 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")])\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n',
      after: 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)])\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n',
    },
    {
      name: 'adds dim=-1 to nn.Softmax()',
      code: 'AI007',
      title: /Add dim=-1/,
      before: 'import torch.nn as nn\nsm = nn.Softmax()\n',
      after: 'import torch.nn as nn\nsm = nn.Softmax(dim=-1)\n',
    },
    {
      name: 'adds dim=-1 to F.softmax(x)',
      code: 'AI007',
      title: /Add dim=-1/,
      before: 'import torch.nn.functional as F\np = F.softmax(scores)\n',
      after: 'import torch.nn.functional as F\np = F.softmax(scores, dim=-1)\n',
    },
    {
      name: 'replaces a zero initializer with He',
      code: 'AI003',
      title: /He \(Kaiming\)/,
      before: 'import torch.nn as nn\nfc = nn.Linear(8, 8)\nnn.init.zeros_(fc.weight)\nact = nn.ReLU()\n',
      after: 'import torch.nn as nn\nfc = nn.Linear(8, 8)\nnn.init.kaiming_uniform_(fc.weight, nonlinearity="relu")\nact = nn.ReLU()\n',
    },
    {
      name: 'replaces kernel_initializer="zeros"',
      code: 'AI003',
      title: /he_normal/,
      before: 'from keras import layers\nd = layers.Dense(64, activation="relu", kernel_initializer="zeros")\n',
      after: 'from keras import layers\nd = layers.Dense(64, activation="relu", kernel_initializer="he_normal")\n',
    },
    {
      name: 'replaces Xavier with He in a ReLU network',
      code: 'AI005',
      title: /He \(Kaiming\)/,
      before: 'import torch.nn as nn\nnet = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\nnn.init.xavier_normal_(net[0].weight)\n',
      after: 'import torch.nn as nn\nnet = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\nnn.init.kaiming_normal_(net[0].weight, nonlinearity="relu")\n',
    },
    {
      name: 'adds LeCun normal to a SELU Dense layer',
      code: 'AI005',
      title: /LeCun normal/,
      before: 'import keras\nd = keras.layers.Dense(32, activation="selu")\n',
      after: 'import keras\nd = keras.layers.Dense(32, activation="selu", kernel_initializer="lecun_normal")\n',
    },
    {
      name: 'renames LeakyReLU(alpha=…) to negative_slope',
      code: 'AI006',
      title: /negative_slope/,
      before: 'import keras\nact = keras.layers.LeakyReLU(alpha=0.2)\n',
      after: 'import keras\nact = keras.layers.LeakyReLU(negative_slope=0.2)\n',
    },
    {
      name: 'replaces a hand-written ReLU with torch.relu',
      code: 'AI002',
      title: /torch\.relu/,
      // flagged only where the clamp stands as an activation (here: of a pre-activation x @ w)
      before: 'import torch\nh = torch.maximum(x @ w, torch.zeros_like(x @ w))\n',
      after: 'import torch\nh = torch.relu(x @ w)\n',
    },
    {
      name: 'switches a deep sigmoid stack to nn.LeakyReLU',
      code: 'AI004',
      title: /LeakyReLU/,
      before: `import torch.nn as nn\nm = nn.Sequential(${'nn.Linear(4, 4), nn.Sigmoid(), '.repeat(5)}nn.Linear(4, 1))\n`,
      after: `import torch.nn as nn\nm = nn.Sequential(${'nn.Linear(4, 4), nn.LeakyReLU(), '.repeat(5)}nn.Linear(4, 1))\n`,
    },
  ];
  for (const f of FIXES) {
    it(`quick fix ${f.code}: ${f.name}`, async () => {
      const doc = await untitled(f.before);
      assert.strictEqual(await applyFix(doc, f.code, f.title), f.after);
      await waitFor(() => !ours(doc.uri).some((d) => codeOf(d) === f.code), 10_000, `${f.code} to go away after the fix`);
    });
  }

  it('"Train this architecture" opens the dashboard running the parsed stack', async () => {
    const doc = await untitled('import torch.nn as nn\n\nmodel = nn.Sequential(\n    nn.Linear(784, 64),\n    nn.Tanh(),\n    nn.Linear(64, 32),\n    nn.LeakyReLU(0.2),\n    nn.Linear(32, 10),\n)\n');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
    const train = lenses.find((l) => l.command?.command === 'activationInspector.trainArchitecture');
    assert.ok(train?.command, `lenses: ${lenses.map((l) => l.command?.title).join(', ')}`);
    assert.strictEqual(train.range.start.line, 2, 'the lens sits on the nn.Sequential line');
    assert.ok(lenses.some((l) => l.command?.command === 'activationInspector.gradientFlow'));
    const started = (await vscode.commands.executeCommand(train.command.command, ...(train.command.arguments ?? []))) as { spec: { sizes: number[]; activations: { name: string; params: Record<string, unknown> }[]; task: string }; notes: string[] };
    assert.deepStrictEqual(started.spec.sizes, [2, 64, 32, 3]);
    assert.deepStrictEqual(started.spec.activations.map((a) => [a.name, a.params]), [['tanh', {}], ['leaky_relu', { negative_slope: 0.2 }]]);
    assert.strictEqual(started.spec.task, 'multiclass');
    assert.ok(started.notes.some((n) => /input 784 → 2/.test(n)) && started.notes.some((n) => /output 10 → 3/.test(n)), started.notes.join('; '));
    const p = (await vscode.commands.executeCommand('activationInspector.openDashboard')) as DashboardPanel;
    // this architecture's run (a dashboard may first show runs an earlier one saved on close)
    await waitFor(() => p.session.snapshot().length === 1 && p.session.snapshot()[0]?.spec.sizes.join() === '2,64,32,3', 20_000, 'the run to start');
    const run = p.session.snapshot()[0];
    assert.deepStrictEqual(run?.spec.sizes, [2, 64, 32, 3]);
    assert.deepStrictEqual(run?.spec.activations.map((a) => a.name), ['tanh', 'leaky_relu']);
    const tabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const isDashboard = (t: vscode.Tab): boolean => t.input instanceof vscode.TabInputWebview && /activationInspector\.dashboard/.test(t.input.viewType);
    await waitFor(() => tabs().some(isDashboard), 10_000, 'the dashboard tab').catch((e: Error) => {
      throw new Error(`${e.message} (tabs: ${tabs().map((t) => t.label).join(', ')})`);
    });
    await p.session.control('stop');
  });

  it('notebook cells get the lenses too, parsed with the imports of earlier cells', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import torch.nn as nn', 'python'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# The model', 'markdown'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'x = 1\nm = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))', 'python'),
    ]);
    const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(2).document;
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cell.uri)) ?? [];
    const train = lenses.find((l) => l.command?.command === 'activationInspector.trainArchitecture');
    assert.ok(train?.command, `lenses in the cell: ${lenses.map((l) => l.command?.title).join(', ')}`);
    assert.strictEqual(train.range.start.line, 1);
    const r = (await vscode.commands.executeCommand('activationInspector.gradientFlow', { ...(train.command.arguments?.[0] as object), pick: false })) as { spec: { spec: { sizes: number[] } }; layers: unknown[] };
    assert.deepStrictEqual(r.spec.spec.sizes, [2, 4, 1]);
    assert.strictEqual(r.layers.length, 2);
    assert.deepStrictEqual(((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', nb.cellAt(0).document.uri)) ?? []).length, 0, 'no lens on the import cell');
  });

  it('"Gradient flow" measures vanishing gradients through six sigmoid layers, not through ReLU', async () => {
    const deep = await untitled(`import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 32), ${'nn.Sigmoid(), nn.Linear(32, 32), '.repeat(5)}nn.Sigmoid(), nn.Linear(32, 1))\n`);
    const r = (await vscode.commands.executeCommand('activationInspector.gradientFlow', { uri: deep.uri.toString(), offset: deep.getText().indexOf('nn.Sequential'), pick: false })) as { layers: { norm: number }[] };
    assert.strictEqual(r.layers.length, 7);
    const first = r.layers[0]?.norm as number;
    const last = r.layers[6]?.norm as number;
    assert.ok(first > 0 && last / first > 100, `sigmoid: last/first = ${last / first}`);
    const relu = await untitled(`import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 32), ${'nn.ReLU(), nn.Linear(32, 32), '.repeat(5)}nn.ReLU(), nn.Linear(32, 1))\n`);
    const q = (await vscode.commands.executeCommand('activationInspector.gradientFlow', { uri: relu.uri.toString(), offset: relu.getText().indexOf('nn.Sequential'), pick: false })) as { layers: { norm: number }[] };
    const ratio = (q.layers[6]?.norm as number) / (q.layers[0]?.norm as number);
    assert.ok(ratio < last / first / 10, `ReLU ratio ${ratio} vs sigmoid ${last / first}`);
  });
});
