// Hovers on activations the user's own code defines, as a person sees them, in
// examples/custom_activations.py: BERT's erf GELU at its use ("identical to GELU"), CLIP's
// QuickGELU at `QuickGELU()` ("approximates GELU"), and the LLaMA-style SwiGLU FeedForward
// on its class name (f(a, b), ∂f/∂a, ∂f/∂b, a = w3(x), b = w1(x)). The typeset formulas and
// the plot are images that load, in the light and the dark theme; screenshots go to
// test-output/hover-custom-*.png.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { leaveHover, openWorkbench, patience, quickOpen, readWordHover, setWorkbenchTheme, type HoverRead, type Workbench } from './workbench';

/** Opens our hover with `title` on `word`, checks its images (inline SVGs that loaded, a plot) and that it fits in the window; saves a PNG. */
async function showHover(page: Page, lineText: string, word: string, title: string, shot: string, minImages: number): Promise<HoverRead> {
  const read = await readWordHover(page, lineText, word, title, shot);
  const { images, box } = read;
  assert.ok(images.length >= minImages, `${shot}: expected ${minImages} images, got ${images.length}`);
  for (const im of images) {
    assert.ok(im.svg !== undefined, `${shot}: an image is not an inline SVG`);
    assert.ok(im.loaded, `${shot}: a broken image`);
  }
  assert.ok(images.some((im) => im.width === 240 && im.height === 120), `${shot}: no plot among ${JSON.stringify(images.map((im) => [im.width, im.height]))}`);
  // The hover fits in the window: nothing cut off at the right or bottom edge.
  const vp = page.viewportSize();
  assert.ok(box && vp && box.x + box.width <= vp.width && box.y >= 0, `${shot}: hover outside the window ${JSON.stringify(box)}`);
  return read;
}

/** Scrolls the editor to a 1-based line with Go to Line (Ctrl+G), as a person would. */
async function goToLine(page: Page, line: number): Promise<void> {
  // The editor has the focus (after Quick Open, and again after each Go to Line).
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input:visible');
  await input.waitFor({ timeout: patience(10_000) });
  await input.fill(`:${line}`);
  // Enter before the picker has read the number does nothing: wait until it offers the line
  await page.locator(`.quick-input-widget input[aria-label*="Go to line ${line}"]`).waitFor({ timeout: patience(10_000) });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: patience(10_000) });
}

async function checkAll(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await goToLine(page, 45);
  const g = await showHover(page, 'h = gelu(self.proj(x))', 'gelu', 'custom activation', `hover-custom-gelu-${theme}`, 3);
  assert.match(g.text, /gelu — custom activation, function defined on line 12/);
  assert.match(g.text, /Catalog: identical to GELU/);
  assert.match(g.text, /As an expression: x \* 0\.5 \* \(1 \+ erf\(x \/ sqrt\(2\)\)\)/);
  await leaveHover(page);
  await goToLine(page, 42);
  const q = await showHover(page, 'self.act = QuickGELU()', 'QuickGELU', 'QuickGELU', `hover-custom-quickgelu-${theme}`, 3);
  assert.match(q.text, /QuickGELU — custom activation, module defined on line 17/);
  assert.match(q.text, /Catalog: approximates GELU, max \|Δ\| 0\.0\d+ on \[−6, 6\]/);
  await leaveHover(page);
  await goToLine(page, 24);
  const s = await showHover(page, 'class FeedForward(nn.Module)', 'FeedForward', 'gated activation', `hover-custom-swiglu-${theme}`, 4);
  assert.match(s.text, /FeedForward — gated activation SwiGLU, defined here \(module\)/);
  assert.match(s.text, /with a = self\.w3\(x\) \(the value\) and b = self\.w1\(x\) \(the gate, through SiLU\)/);
  assert.match(s.text, /Shazeer \(2020\) writes SwiGLU\(x\) = Swish₁\(xW\) ⊗ xV/);
  await leaveHover(page);
}

describe('custom activation hovers in the workbench', () => {
  let wb: Workbench;
  let dark = false;
  before(async () => {
    wb = await openWorkbench();
  });
  after(async () => {
    // Later UI tests expect the default theme.
    if (dark && wb) await setWorkbenchTheme(wb.page, false).catch(() => undefined);
    await wb?.close();
  });

  it('BERT gelu, CLIP QuickGELU and a SwiGLU FeedForward in the light theme', async () => {
    await quickOpen(wb.page, 'custom_activations.py');
    await checkAll(wb.page, 'light');
  });

  it('the same in the dark theme', async () => {
    const { page } = wb;
    dark = true;
    await setWorkbenchTheme(page, true);
    await checkAll(page, 'dark');
  });
});
