// Hovers on activations the user's own code defines, as a person sees them, in
// examples/custom_activations.py: BERT's erf GELU at its use ("identical to GELU"), CLIP's
// QuickGELU at `QuickGELU()` ("approximates GELU"), and the LLaMA-style SwiGLU FeedForward
// on its class name (f(a, b), ∂f/∂a, ∂f/∂b, a = w3(x), b = w1(x)). The typeset formulas and
// the plot are images that load, in the light and the dark theme; screenshots go to
// test-output/hover-custom-*.png.
import * as assert from 'assert';
import type { Locator, Page } from 'playwright-core';
import { hoverWord, openWorkbench, patience, quickOpen, runCommand, screenshot, type Workbench } from './workbench';

/** Hovers `word` on the line containing `lineText` until our hover with `title` shows; checks its images; saves a PNG. */
async function showHover(page: Page, lineText: string, word: string, title: string, shot: string, minImages: number): Promise<{ hover: Locator; text: string }> {
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
  await page.waitForFunction((el) => el !== null && Array.from(el.querySelectorAll('img')).every((i) => i.complete), await hover.elementHandle(), { timeout: patience(10_000) });
  const images = await hover.evaluate((el) => Array.from(el.querySelectorAll('img')).map((i) => ({ loaded: i.complete && i.naturalWidth > 0, w: i.naturalWidth, h: i.naturalHeight, data: i.src.startsWith('data:image/svg+xml;base64,') })));
  await screenshot(page, shot);
  assert.ok(images.length >= minImages, `${shot}: expected ${minImages} images, got ${images.length}`);
  for (const im of images) {
    assert.ok(im.data, `${shot}: an image is not an inline SVG`);
    assert.ok(im.loaded, `${shot}: a broken image`);
  }
  assert.ok(images.some((im) => im.w === 240 && im.h === 120), `${shot}: no plot among ${JSON.stringify(images)}`);
  // The hover fits in the window: nothing cut off at the right or bottom edge.
  const box = await hover.boundingBox();
  const vp = page.viewportSize();
  assert.ok(box && vp && box.x + box.width <= vp.width && box.y >= 0, `${shot}: hover outside the window ${JSON.stringify(box)}`);
  return { hover, text: await hover.innerText() };
}

async function leaveHover(page: Page): Promise<void> {
  await page.mouse.move(700, 880);
  await page.locator('.monaco-hover:visible', { hasText: '—' }).first().waitFor({ state: 'hidden', timeout: patience(10_000) }).catch(() => undefined);
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
    if (dark && wb) await runCommand(wb.page, 'Preferences: Toggle Between Light/Dark Themes').catch(() => undefined);
    await wb?.close();
  });

  it('BERT gelu, CLIP QuickGELU and a SwiGLU FeedForward in the light theme', async () => {
    await quickOpen(wb.page, 'custom_activations.py');
    await checkAll(wb.page, 'light');
  });

  it('the same in the dark theme', async () => {
    const { page } = wb;
    await runCommand(page, 'Preferences: Toggle Between Light/Dark Themes');
    dark = true;
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: patience(30_000) });
    await checkAll(page, 'dark');
  });
});
