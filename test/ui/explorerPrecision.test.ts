// The Explorer's precision view as a person uses it: sigmoid from PyTorch, the dtype set to
// bfloat16 with the page's own select → the regions where bfloat16 differs in kind from
// float64 are listed as sentences (the thresholds of docs/precision-tables.md) and hatched on
// the chart, and the error-against-float64 strip draws under the plot; screenshots in the
// dark and the light theme (test-output/explorer-precision-*.png, looked at); the dtype and
// its regions come back after a window reload.
import * as assert from 'assert';
import type { FrameLocator } from 'playwright-core';
import { openWorkbench, patience, quickOpen, runCommand, screenshot, setTheme, webview, type Workbench } from './workbench';

/** Opaque pixels of a canvas, in all or in a band given as fractions of its width and height. */
async function drawnPixels(frame: FrameLocator, selector: string, band = { x0: 0, x1: 1, y0: 0, y1: 1 }): Promise<number> {
  return frame.locator(selector).evaluate((el, b) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const x0 = Math.floor(c.width * b.x0);
    const y0 = Math.floor(c.height * b.y0);
    const w = Math.max(1, Math.floor(c.width * (b.x1 - b.x0)));
    const hgt = Math.max(1, Math.floor(c.height * (b.y1 - b.y0)));
    const d = ctx.getImageData(x0, y0, w, hgt).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n++;
    return n;
  }, band);
}

/** Resolves after the page has painted two more frames (the chart redraws on the next one). */
async function frames(frame: FrameLocator): Promise<void> {
  await frame.locator('body').evaluate(async () => {
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  });
}

// Where the hatched zero-gradient region x ≥ 6.234375 lies on the chart over x ∈ [−10, 10]
// (the right tenth of the plot area), halfway up: no curve passes there (σ ≈ 1, f′ ≈ 0).
const HATCH_BAND = { x0: 0.86, x1: 0.95, y0: 0.3, y1: 0.5 };

describe('Explorer precision view (UI)', () => {
  let wb: Workbench;
  /** Content-Security-Policy violations reported by any frame (the pattern canvases must cause none). */
  const cspErrors: string[] = [];
  before(async () => {
    wb = await openWorkbench();
    wb.page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) cspErrors.push(m.text());
    });
    await quickOpen(wb.page, 'pytorch_mlp.py'); // activates the extension
    await runCommand(wb.page, 'View: Close All Editors');
  });
  after(async () => {
    await wb?.close();
  });

  it('bfloat16 for sigmoid: the regions are listed and hatched, the ULP strip draws', async () => {
    const { page } = wb;
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const frame = webview(page);
    await frame.locator('#plot[data-curves]').waitFor({ timeout: patience(30_000) });
    // only sigmoid, from PyTorch, through the page's controls
    const remove = frame.getByRole('button', { name: /^Remove / });
    while ((await remove.count()) > 0) await remove.first().click();
    await frame.locator('#plot[data-curves="0"]').waitFor();
    await frame.getByRole('combobox', { name: 'Framework to add from' }).selectOption('torch');
    await frame.getByRole('combobox', { name: 'Activation to add' }).selectOption('sigmoid|sigmoid');
    await frame.getByRole('button', { name: 'Add the chosen activation' }).click();
    await frame.locator('#plot[data-curves="1"]').waitFor();
    const dtype = frame.getByRole('combobox', { name: 'Evaluate in this dtype, as each framework computes it' });
    await dtype.selectOption('float64');
    for (const [name, v] of [['x from', '-10'], ['x to', '10']] as const) {
      const box = frame.getByRole('spinbutton', { name });
      await box.fill(v);
      await box.press('Enter');
    }
    assert.deepStrictEqual([await frame.locator('#xmin').inputValue(), await frame.locator('#xmax').inputValue()], ['-10', '10']);
    assert.strictEqual(await frame.locator('#precision').isHidden(), true, 'no precision view in float64');
    await frames(frame);
    const plain = await drawnPixels(frame, '#plot', HATCH_BAND);

    await dtype.selectOption('bfloat16');
    await frame.locator('#regions[data-state="ready"]').waitFor({ timeout: patience(30_000) });
    await frames(frame);
    const items = (await frame.locator('#regions li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepStrictEqual(items, [
      'Underflow: f underflows to 0 for x ≤ -89 in bfloat16 (float64: nonzero) — outside the plotted range',
      'Zero gradient: f′ = 0 exactly for x ≤ -89 in bfloat16 (float64: nonzero) — outside the plotted range',
      'Zero gradient: f′ = 0 exactly for x ≥ 6.25 in bfloat16 (float64: nonzero)',
    ]);
    assert.match(await frame.locator('#regions .regions-head').innerText(), /sigmoid · PyTorch in bfloat16/);
    // the hatching: many more drawn pixels where the region is than in float64
    const hatched = await drawnPixels(frame, '#plot', HATCH_BAND);
    assert.ok(hatched > plain + 500, `hatch band: ${hatched} drawn pixels in bfloat16, ${plain} in float64`);
    // the strip: f and f′ of the one curve, drawn
    await frame.locator('#ulp[data-dtype="bfloat16"][data-series="2"]').waitFor();
    const strip = await drawnPixels(frame, '#ulp');
    assert.ok(strip > 3_000, `ULP strip: ${strip} drawn pixels`);
  });

  it('looks right in the dark and the light theme', async () => {
    const { page } = wb;
    const frame = webview(page);
    for (const dark of [true, false]) {
      await setTheme(page, frame, dark);
      await frame.locator('#regions[data-state="ready"] li').first().waitFor();
      await frames(frame);
      await screenshot(page, `explorer-precision-${dark ? 'dark' : 'light'}`);
      await frame.locator('#regions').scrollIntoViewIfNeeded();
      await frames(frame);
      await screenshot(page, `explorer-precision-regions-${dark ? 'dark' : 'light'}`);
      await frame.locator('main').evaluate(() => window.scrollTo(0, 0));
      assert.ok((await drawnPixels(frame, '#ulp')) > 3_000);
    }
  });

  it('comes back after a window reload in bfloat16 with its regions', async () => {
    const { page } = wb;
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: patience(60_000) });
    const frame = webview(page);
    await frame.locator('#plot[data-curves="1"]').waitFor({ timeout: patience(60_000) });
    assert.strictEqual(await frame.locator('#dtype').inputValue(), 'bfloat16');
    await frame.locator('#regions[data-state="ready"]').waitFor({ timeout: patience(30_000) });
    assert.match(await frame.locator('#regions').innerText(), /f′ = 0 exactly for x ≥ 6\.25 in bfloat16/);
    // back to float64 for the suites after this one
    await frame.locator('#dtype').selectOption('float64');
    await frame.locator('#precision').waitFor({ state: 'hidden' });
  });

  it('ran without Content-Security-Policy violations', () => {
    assert.deepStrictEqual(cspErrors.filter((e) => /vscode-resource|vscode-cdn|webview|chart|explorer/i.test(e)), []);
  });
});
