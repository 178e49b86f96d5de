// What a person sees after "Probe activations": the CodeLens above the model class in
// examples/pytorch_probe_model.py asks for the input shape, runs the model in Debian's
// /usr/bin/python3 (torch), and writes each activation's numbers after the line that built
// it, coloured by health, with warning squiggles on the dead ReLU and the saturated sigmoid.
// Screenshots in the dark and the light theme go to test-output/.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { openWorkbench, patience, quickOpen, runCommand, screenshot, type Workbench } from './workbench';

/** code-server's user settings of this run (written by scripts/vscode/server.mjs). */
const settingsFile = (): string => path.join(process.env.VSCODE_UI_RUN_DIR ?? '', 'user-data', 'User', 'settings.json');

/** The text the editor draws after the first visible line containing `lineText` (decorations' ::after content). */
async function afterText(page: Page, lineText: string): Promise<string> {
  const line = page.locator('.editor-group-container.active .view-line', { hasText: lineText }).first();
  return line.evaluate((el) => {
    const out: string[] = [];
    for (const span of Array.from(el.querySelectorAll('span'))) {
      for (const pseudo of ['::before', '::after']) {
        const c = getComputedStyle(span, pseudo).content;
        if (c && c !== 'none' && c !== 'normal' && c !== '""') out.push(JSON.parse(c) as string);
      }
    }
    return out.join(' ').replace(/\u00a0/g, ' ');
  });
}

/** Waits until the first visible line containing `lineText` carries an annotation matching `re`. */
async function waitForAnnotation(page: Page, lineText: string, re: RegExp): Promise<string> {
  const deadline = Date.now() + patience(60_000);
  for (;;) {
    const t = await afterText(page, lineText);
    if (re.test(t)) return t;
    if (Date.now() > deadline) throw new Error(`no annotation matching ${re} after "${lineText}" (shown: "${t}")`);
    await page.waitForTimeout(200);
  }
}

async function toggleTheme(page: Page, dark: boolean): Promise<void> {
  const want = dark ? /(^|\s)vs-dark(\s|$)/ : /(^|\s)vs(\s|$)/;
  for (let i = 0; i < 3 && !want.test((await page.locator('.monaco-workbench').getAttribute('class')) ?? ''); i++) {
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.waitForTimeout(800);
  }
  assert.match((await page.locator('.monaco-workbench').getAttribute('class')) ?? '', want);
}

describe('Probe activations (UI)', () => {
  let wb: Workbench;
  let saved: string;
  before(async () => {
    // The interpreter with torch, as a user sets it (before the window loads, so it is read at start).
    saved = fs.readFileSync(settingsFile(), 'utf8');
    fs.writeFileSync(settingsFile(), JSON.stringify({ ...JSON.parse(saved), 'activationInspector.python': '/usr/bin/python3' }, null, 2));
    wb = await openWorkbench();
  });
  after(async () => {
    await wb?.close();
    if (saved !== undefined) fs.writeFileSync(settingsFile(), saved);
  });

  it('the CodeLens asks for the input shape and the annotations appear at the sites, dark and light', async () => {
    const { page } = wb;
    await quickOpen(page, 'pytorch_probe_model.py');
    await page.locator('.editor-instance .view-line', { hasText: 'class ProbeDemo' }).waitFor();
    const lens = page.locator('.editor-instance .codelens-decoration a', { hasText: 'Probe activations' }).first();
    await lens.waitFor({ timeout: patience(30_000) });
    await lens.click();
    // the prompt, pre-filled from nn.Linear(16, …)
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: patience(30_000) });
    assert.strictEqual(await input.inputValue(), '8,16');
    await input.fill('64,16');
    await page.keyboard.press('Enter');

    const relu = await waitForAnnotation(page, 'self.act1 = nn.ReLU()', /ReLU · 62\.5% dead · ‖g‖/);
    assert.match(relu, /^ReLU · 62\.5% dead · ‖g‖ \d\.\de-?\d+$/);
    assert.match(await waitForAnnotation(page, 'self.gate = nn.Sigmoid()', /Sigmoid · 75\.0% saturated/), /^Sigmoid · 75\.0% saturated · ‖g‖ \d\.\de-?\d+$/);
    assert.match(await waitForAnnotation(page, 'torch.tanh(g)', /Tanh · 0\.0% saturated/), /^Tanh · 0\.0% saturated · ‖g‖ \d\.\de-?\d+$/);
    // lines without a site carry no annotation
    assert.strictEqual(await afterText(page, 'self.fc2 = nn.Linear(hidden, 16)'), '');
    // warning squiggles on the two unhealthy lines
    await page.locator('.editor-group-container.active .squiggly-warning').nth(1).waitFor({ timeout: patience(30_000) });
    await page.locator('.tab.active', { hasText: 'pytorch_probe_model.py' }).click();
    await page.mouse.move(5, 5);

    await toggleTheme(page, true);
    await page.waitForTimeout(500);
    await screenshot(page, 'probe-annotations-dark');
    await toggleTheme(page, false);
    await waitForAnnotation(page, 'self.act1 = nn.ReLU()', /62\.5% dead/);
    await page.waitForTimeout(500);
    await screenshot(page, 'probe-annotations-light');
    await toggleTheme(page, true);
  });

  it('hovering an annotation shows the numbers and the pre-activation histogram', async () => {
    const { page } = wb;
    const line = page.locator('.editor-group-container.active .view-line', { hasText: 'self.act1 = nn.ReLU()' }).first();
    // the span that carries the annotation (drawn as its ::after content)
    const at = await line.evaluate((el) => {
      for (const span of Array.from(el.querySelectorAll('span'))) {
        const c = getComputedStyle(span, '::after').content;
        if (!c.includes('dead')) continue;
        const r = span.getBoundingClientRect();
        return { x: r.left + Math.max(r.width / 2, 30), y: r.top + r.height / 2 };
      }
      return undefined;
    });
    assert.ok(at, 'no annotation span on the act1 line');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'dead units' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(at.x - 15, at.y);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      try {
        await hover.waitFor({ state: 'visible', timeout: patience(10_000) });
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        await page.mouse.move(5, 5);
      }
    }
    const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /act1/);
    assert.match(text, /dead units\s+62\.5%/);
    assert.match(text, /64×32/);
    assert.match(text, /Pre-activation histogram/);
    // 20 dead units × 64 samples sit at -100, below the histogram's range
    assert.match(text, /< -8\s+█+ 1280/);
    await screenshot(page, 'probe-annotation-hover-dark');
  });
});
