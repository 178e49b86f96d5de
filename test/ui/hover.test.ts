// Activation hovers as a person sees them: hover an activation in the PyTorch example, a
// notebook cell, a file trained under bfloat16 autocast (the hover's dtype line) and a TF.js
// file; the typeset formulas and the plot are images that load (no broken images), in the
// default light theme and in a dark theme. Screenshots go to test-output/hover-*.png.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { leaveHover, openWorkbench, quickOpen, readWordHover, runCommand, setWorkbenchTheme, screenshot, patience, webview, type HoverRead, type Workbench } from './workbench';

/** Opens our hover titled `title` on `word`, checks that every image in it loaded (f, f′ and the 240×120 plot, inline SVGs); saves a screenshot. */
async function expectHover(page: Page, lineText: string, word: string, title: string, shot: string): Promise<HoverRead> {
  const read = await readWordHover(page, lineText, word, title, shot);
  const { images } = read;
  assert.ok(images.length >= 3, `${shot}: expected f, f′ and the plot, got ${images.length} images`);
  for (const im of images) {
    assert.ok(im.svg !== undefined, `${shot}: an image is not an inline SVG`);
    assert.ok(im.loaded, `${shot}: a broken image`);
  }
  assert.ok(images.some((im) => im.width === 240 && im.height === 120), `${shot}: no plot among ${JSON.stringify(images.map((im) => [im.width, im.height]))}`);
  return read;
}

describe('activation hovers in the workbench', () => {
  let wb: Workbench;
  let dark = false;
  before(async () => { wb = await openWorkbench(); });
  after(async () => {
    // Later UI tests expect the default theme.
    if (dark && wb) await setWorkbenchTheme(wb.page, false).catch(() => undefined);
    await wb?.close();
  });

  it('PyTorch: nn.LeakyReLU(0.2) in the light theme', async () => {
    const { page } = wb;
    await quickOpen(page, 'pytorch_mlp.py');
    const { text } = await expectHover(page, 'self.act1 = nn.LeakyReLU(0.2)', 'LeakyReLU', 'Leaky ReLU', 'hover-pytorch-light');
    assert.match(text, /PyTorch/);
    assert.match(text, /LeakyReLU\(negative_slope=0\.2\)/);
    assert.match(text, /f′\(0\) = 0\.2 in PyTorch/);
    await leaveHover(page);
  });

  it('notebook cell with the imports in an earlier cell', async () => {
    const { page } = wb;
    await quickOpen(page, 'activations_tour.ipynb');
    await expectHover(page, 'nn.GELU(approximate="tanh")', 'GELU', 'GELU', 'hover-notebook-light');
    await leaveHover(page);
  });

  it('PyTorch under torch.autocast(dtype=torch.bfloat16): the hover says what bfloat16 does to sigmoid', async () => {
    const { page } = wb;
    await quickOpen(page, 'pytorch_mixed_precision.py');
    const { text, hover: box } = await expectHover(page, 'self.gate = nn.Sigmoid()', 'Sigmoid', 'In bfloat16', 'hover-dtype-bfloat16-light');
    assert.match(text, /Sigmoid/);
    // the sweep's thresholds (docs/precision-tables.md): σ rounds to 1 from 6.25, to 0 below −89
    assert.match(text, /In bfloat16 \(torch\.autocast\("cuda", dtype=torch\.bfloat16\)\): f′ = 0 exactly for x ≤ -89; x ≥ 6\.25 \(float64: nonzero\)\./);
    // the line is near the end of a tall hover: scroll it into view with the wheel, as a person would
    await box.hover();
    await page.mouse.wheel(0, 1000);
    const line = box.locator('p', { hasText: 'In bfloat16' }).first();
    await page.waitForFunction(
      ([h, l]) => {
        const a = (h as Element).getBoundingClientRect();
        const b = (l as Element).getBoundingClientRect();
        return b.top >= a.top && b.bottom <= a.bottom;
      },
      [await box.elementHandle(), await line.elementHandle()],
      { timeout: patience(10_000) },
    );
    await screenshot(page, 'hover-dtype-bfloat16-line-light');
    // its "Open in Explorer" opens the explorer in bfloat16, the regions listed
    await box.locator('a', { hasText: 'Open in Explorer' }).click();
    const frame = webview(page);
    await frame.locator('#regions[data-state="ready"] li').first().waitFor({ timeout: patience(60_000) });
    assert.strictEqual(await frame.locator('#dtype').inputValue(), 'bfloat16');
    assert.match(await frame.locator('#regions').innerText(), /Sigmoid · PyTorch in bfloat16[^]*f′ = 0 exactly for x ≥ 6\.25 in bfloat16 \(float64: nonzero\)/);
    await runCommand(page, 'View: Close All Editors');
  });

  it('TF.js and the dark theme', async () => {
    const { page } = wb;
    dark = true;
    await setWorkbenchTheme(page, true);
    await page.waitForTimeout(1000);
    await quickOpen(page, 'tfjs_model.js');
    await expectHover(page, 'tf.layers.leakyReLU', 'leakyReLU', 'Leaky ReLU', 'hover-tfjs-dark');
    await leaveHover(page);
    // A string activation in the same file: the tanh-free GELU of TF.js.
    await expectHover(page, "activation: 'gelu'", 'gelu', 'GELU', 'hover-tfjs-string-dark');
  });
});
