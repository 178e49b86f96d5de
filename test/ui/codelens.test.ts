// What a person sees: the "Train this architecture" CodeLens above a Keras model in the
// editor; clicking it opens the Training Dashboard with that stack (title, adaptation notes
// and the running model's layers); "Gradient flow" lists per-layer gradient norms; a lint
// diagnostic's code links to the explorer. Screenshots go to test-output/.
import * as assert from 'assert';
import { openWorkbench, readWordHover, quickOpen, screenshot, webview, patience, type Workbench } from './workbench';

describe('architecture CodeLens', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
  });
  after(async () => {
    await wb?.close();
  });

  it('clicking "Train this architecture" opens the dashboard showing that stack', async () => {
    const { page } = wb;
    await quickOpen(page, 'keras_classifier.py');
    await page.locator('.editor-instance .view-line', { hasText: 'def build_model' }).waitFor();
    const lens = page.locator('.editor-instance .codelens-decoration a', { hasText: 'Train this architecture' }).first();
    await lens.waitFor({ timeout: patience(30_000) });
    assert.ok(await page.locator('.editor-instance .codelens-decoration a', { hasText: 'Gradient flow' }).first().isVisible(), 'the Gradient flow lens is shown too');
    await screenshot(page, 'codelens-keras');
    await lens.click();

    const frame = webview(page);
    const title = frame.locator('#title');
    await title.filter({ hasText: 'Train this architecture' }).waitFor({ timeout: patience(30_000) });
    const t = (await title.innerText()).replace(/\s+/g, ' ');
    // the stack as written in keras_classifier.py: 20 inputs, 13 hidden layers, 4 softmax outputs
    assert.match(t, /20 → 64 relu → 64 gelu → 64 swish → 32 elu → 32 selu → 32 LeakyReLU → 32 ReLU → 16 PReLU → 16 elu → 16 softplus → 16 tanh → 16 hard_sigmoid → 16 mish → 4 softmax/);
    const note = (await frame.locator('#look-at').innerText()).replace(/\s+/g, ' ');
    assert.match(note, /input 20 → 2/);
    assert.match(note, /output 4 → 3/);
    assert.match(note, /softmax folded into the loss/);
    // the run that trains it: 13 hidden layers (too long a stack for a legend, so counted)
    const row = frame.locator('tr[data-run]').first();
    await row.waitFor({ timeout: patience(30_000) });
    assert.strictEqual(await row.getAttribute('data-run'), 'this model · 13 hidden layers');
    await page.waitForTimeout(1500); // let the charts draw a few snapshots for the screenshot
    await screenshot(page, 'codelens-train-architecture-dashboard');
  });

  it('clicking "Gradient flow" lists the gradient norm of every layer', async () => {
    const { page } = wb;
    // back to the editor tab (the dashboard opened next to it)
    await page.locator('.tab', { hasText: 'keras_classifier.py' }).first().click();
    await page.locator('.tab.active', { hasText: 'keras_classifier.py' }).waitFor();
    const lens = page.locator('.editor-instance .codelens-decoration a', { hasText: 'Gradient flow' }).first();
    await lens.waitFor({ timeout: patience(30_000) });
    await lens.click();
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: patience(30_000) });
    const title = await page.locator('.quick-input-widget .quick-input-title').innerText();
    assert.match(title, /Gradient flow at initialization/);
    // 14 dense layers; the list is virtualised, so read the first rows and the norms they show
    const first = await rows.first().innerText();
    assert.match(first, /dense 1: 2→64 \(relu\)/);
    const norm = /‖∂L\/∂W‖ = ([0-9.e+-]+)/.exec(first);
    assert.ok(norm && Number(norm[1]) > 0, `a positive gradient norm in: ${first}`);
    await screenshot(page, 'codelens-gradient-flow');
    await page.keyboard.press('Escape');
  });

  it("a diagnostic's code links to the explorer on that activation", async () => {
    const { page } = wb;
    await page.locator('.tab', { hasText: 'keras_classifier.py' }).first().click();
    const { hover, text } = await readWordHover(page, 'activation="hard_sigmoid"', 'hard_sigmoid', 'AI006', 'lint-diagnostic-hover');
    assert.match(text, /hard_sigmoid changed formula in Keras 3/);
    await hover.locator('a', { hasText: 'AI006' }).first().click();
    await page.locator('.tab', { hasText: 'Activation Explorer' }).first().waitFor({ timeout: patience(30_000) });
    const cards = webview(page).locator('#cards');
    await cards.waitFor({ timeout: patience(30_000) });
    await cards.locator(':scope', { hasText: 'hard_sigmoid' }).waitFor({ timeout: patience(30_000) });
    assert.match(await cards.innerText(), /hard_sigmoid/);
    await page.waitForTimeout(800);
    await screenshot(page, 'lint-diagnostic-link-explorer');
  });
});
