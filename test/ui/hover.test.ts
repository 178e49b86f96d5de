// Activation hovers as a person sees them: hover an activation in the PyTorch example, a
// notebook cell, a file trained under bfloat16 autocast (the hover's dtype line) and a TF.js
// file; the typeset formulas and the plot are images that load (no broken images), in the
// default light theme and in a dark theme. Screenshots go to test-output/hover-*.png.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { hoverWord, openWorkbench, quickOpen, runCommand, screenshot, patience, webview, type Workbench } from './workbench';

interface ImageState {
  loaded: boolean;
  width: number;
  height: number;
  data: boolean;
}

/**
 * Hovers `word` until our hover titled `title` shows (a late layout shift can move the
 * word away from the mouse: then move off and try again), checks that every image in it
 * has loaded, and saves a screenshot.
 */
async function expectHover(page: Page, lineText: string, word: string, title: string, shot: string): Promise<ImageState[]> {
  const hover = page.locator('.monaco-hover:visible', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await hoverWord(page, lineText, word);
    try {
      await hover.waitFor({ state: 'visible', timeout: patience(10_000) });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await leaveHover(page);
    }
  }
  await page.waitForFunction(
    (el) => el !== null && Array.from(el.querySelectorAll('img')).every((i) => i.complete),
    await hover.elementHandle(),
    { timeout: patience(10_000) },
  );
  const images = await hover.evaluate((el) =>
    Array.from(el.querySelectorAll('img')).map((i) => ({ loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth, height: i.naturalHeight, data: i.src.startsWith('data:image/svg+xml;base64,') })),
  );
  await screenshot(page, shot);
  assert.ok(images.length >= 3, `${shot}: expected f, f′ and the plot, got ${images.length} images`);
  for (const im of images) {
    assert.ok(im.data, `${shot}: an image is not an inline SVG`);
    assert.ok(im.loaded, `${shot}: a broken image`);
  }
  // The plot is the widest-but-fixed 240×120 image.
  assert.ok(images.some((im) => im.width === 240 && im.height === 120), `${shot}: no plot among ${JSON.stringify(images)}`);
  return images;
}

async function leaveHover(page: Page): Promise<void> {
  await page.mouse.move(700, 880); // the status bar: nothing to hover there
  await page.locator('.monaco-hover:visible', { hasText: '—' }).first().waitFor({ state: 'hidden', timeout: patience(10_000) }).catch(() => undefined);
}

describe('activation hovers in the workbench', () => {
  let wb: Workbench;
  let dark = false;
  before(async () => { wb = await openWorkbench(); });
  after(async () => {
    // Later UI tests expect the default theme.
    if (dark && wb) await runCommand(wb.page, 'Preferences: Toggle Between Light/Dark Themes').catch(() => undefined);
    await wb?.close();
  });

  it('PyTorch: nn.LeakyReLU(0.2) in the light theme', async () => {
    const { page } = wb;
    await quickOpen(page, 'pytorch_mlp.py');
    await expectHover(page, 'self.act1 = nn.LeakyReLU(0.2)', 'LeakyReLU', 'Leaky ReLU', 'hover-pytorch-light');
    const text = await page.locator('.monaco-hover:visible', { hasText: 'Leaky ReLU' }).first().innerText();
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
    await expectHover(page, 'self.gate = nn.Sigmoid()', 'Sigmoid', 'In bfloat16', 'hover-dtype-bfloat16-light');
    const text = await page.locator('.monaco-hover:visible', { hasText: 'In bfloat16' }).first().innerText();
    assert.match(text, /Sigmoid/);
    // the sweep's thresholds (docs/precision-tables.md): σ rounds to 1 from 6.25, to 0 below −89
    assert.match(text, /In bfloat16 \(torch\.autocast\("cuda", dtype=torch\.bfloat16\)\): f′ = 0 exactly for x ≤ -89; x ≥ 6\.25 \(float64: nonzero\)\./);
    // the line is near the end of a tall hover: scroll it into view with the wheel, as a person would
    const box = page.locator('.monaco-hover:visible', { hasText: 'In bfloat16' }).first();
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
    await runCommand(page, 'Preferences: Toggle Between Light/Dark Themes');
    dark = true;
    await page.waitForTimeout(1000);
    await quickOpen(page, 'tfjs_model.js');
    await expectHover(page, 'tf.layers.leakyReLU', 'leakyReLU', 'Leaky ReLU', 'hover-tfjs-dark');
    await leaveHover(page);
    // A string activation in the same file: the tanh-free GELU of TF.js.
    await expectHover(page, "activation: 'gelu'", 'gelu', 'GELU', 'hover-tfjs-string-dark');
  });
});
