// What a person sees: VS Code (code-server) with the packaged .vsix installed, opened on
// examples/. Screenshots go to test-output/.
import * as assert from 'assert';
import { EXAMPLES, explorerNames, openWorkbench, quickOpen, screenshot, showOutputChannel, visibleEditorText, patience, type Workbench } from './workbench';

describe('workbench with the installed extension', () => {
  let wb: Workbench;
  before(async () => { wb = await openWorkbench(); });
  after(async () => { await wb?.close(); });

  it('shows every example in the explorer', async () => {
    const names = await explorerNames(wb.page);
    for (const name of EXAMPLES) assert.ok(names.includes(name), `explorer lacks ${name}: ${names.join(', ')}`);
  });

  it('opens the PyTorch example and the extension logs its activation', async () => {
    const { page } = wb;
    await quickOpen(page, 'pytorch_mlp.py');
    await page.locator('.editor-instance .view-line', { hasText: 'class TinyMLP' }).waitFor();
    await showOutputChannel(page, 'Activation Inspector');
    const line = page.locator('.output-view .view-line', { hasText: 'Activation Inspector activated' });
    await line.waitFor({ timeout: patience(20_000) });
    await screenshot(page, 'workbench-examples-activated');
  });

  it('shows the activations of each text example in the editor', async () => {
    const { page } = wb;
    const expected: [string, string][] = [
      ['keras_classifier.py', 'Dense(64, activation="relu")'],
      ['jax_flax_mlp.py', 'jax.nn.silu'],
      ['tfjs_model.js', "activation: 'relu'"],
    ];
    for (const [file, snippet] of expected) {
      await quickOpen(page, file);
      await page.locator('.editor-instance .view-line', { hasText: snippet }).first().waitFor();
      assert.ok((await visibleEditorText(page)).includes(snippet));
    }
  });

  it('renders the notebook cells', async () => {
    const { page } = wb;
    await quickOpen(page, 'activations_tour.ipynb');
    const cell = page.locator('.notebook-editor .cell-list-container .code-cell-row', { hasText: 'nn.LeakyReLU(0.2)' });
    await cell.first().waitFor({ timeout: patience(30_000) });
    await screenshot(page, 'notebook');
  });
});
