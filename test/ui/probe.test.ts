// What a person sees after "Probe activations": the CodeLens above the model class in
// examples/pytorch_probe_model.py asks for the input shape, runs the model in Debian's
// /usr/bin/python3 (torch), and writes each activation's numbers after the line that built
// it, coloured by health, with warning squiggles on the dead ReLU and the saturated sigmoid.
// Screenshots in the dark and the light theme go to test-output/.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { openWorkbench, patience, quickOpen, readHover, runCommand, screenshot, setWorkbenchTheme, webview, type Workbench } from './workbench';

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

    await setWorkbenchTheme(page, true);
    await page.waitForTimeout(500);
    await screenshot(page, 'probe-annotations-dark');
    await setWorkbenchTheme(page, false);
    await waitForAnnotation(page, 'self.act1 = nn.ReLU()', /62\.5% dead/);
    await page.waitForTimeout(500);
    await screenshot(page, 'probe-annotations-light');
    await setWorkbenchTheme(page, true);
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
    const { text } = await readHover(page, 'dead units', async () => {
      await page.mouse.move(at.x - 15, at.y);
      await page.mouse.move(at.x, at.y, { steps: 4 });
    }, { shot: 'probe-annotation-hover-dark', selector: '.monaco-hover:not(.hidden)' });
    assert.match(text, /act1/);
    assert.match(text, /dead units\s+62\.5%/);
    assert.match(text, /64×32/);
    assert.match(text, /Pre-activation histogram/);
    // 20 dead units × 64 samples sit at -100, below the histogram's range
    assert.match(text, /< -8\s+█+ 1280/);
  });

  it('"Open Run Folder" follows a growing run file and charts each site over the steps', async () => {
    const { page } = wb;
    // A run folder as activation_inspector.watch writes it (header, then one line per logged step).
    const dir = fs.mkdtempSync(path.join(process.env.VSCODE_UI_RUN_DIR ?? '', 'realrun-'));
    const hist = { edges: [-8, 8], counts: [1], under: 0, over: 0 };
    const site = (name: string, kind: string, line: number, dead: number | null, sat: number | null, g: number) => ({
      name, kind, file: '/train.py', line, shape: [32, 64], dead_fraction: dead, zero_fraction: 0.5, saturated_fraction: sat,
      mean: 0, std: 1, grad_norm: g, nan: 0, inf: 0, histogram: hist,
    });
    const step = (n: number) => JSON.stringify({ step: n, time: n, sites: [site('act1', 'relu', 12, 0.1 * n / 10, null, 1 / n), site('gate', 'sigmoid', 14, null, 0.05 * n / 10, 0.5 / n)] });
    const file = path.join(dir, 'run-1.jsonl');
    fs.writeFileSync(file, [JSON.stringify({ format: 1, run: 'run-1', started: 0, every: 10, model: 'Net', torch: '1.13', pid: 1 }), step(10), step(20)].join('\n') + '\n');

    // the extension is up once its CodeLens shows (the palette lists its commands from then on)
    await quickOpen(page, 'pytorch_probe_model.py');
    await page.locator('.editor-instance .codelens-decoration a', { hasText: 'Probe activations' }).first().waitFor({ timeout: patience(30_000) });
    const frame = webview(page);
    const section = frame.locator('#real-run');
    // The simple file dialog lists the folder as the path is typed; on a busy machine Enter can
    // arrive before it has, and accept the folder it started in. Then the section names that
    // folder instead: ask again, giving the dialog longer each time.
    for (let attempt = 1; ; attempt++) {
      await runCommand(page, 'Open Run Folder (Real Run)');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: patience(30_000) });
      await input.fill(`${dir}/`);
      await page.waitForTimeout(1000 * attempt);
      await page.keyboard.press('Enter');
      const dialog = page.locator('.quick-input-widget');
      try {
        await dialog.waitFor({ state: 'hidden', timeout: patience(10_000) });
      } catch {
        // the dialog navigated into the folder: accept it with OK
        await dialog.locator('a.monaco-button, .monaco-button', { hasText: 'OK' }).first().click();
        await dialog.waitFor({ state: 'hidden', timeout: patience(10_000) });
      }
      await section.locator('h2', { hasText: 'Real run' }).waitFor({ timeout: patience(30_000) });
      try {
        await section.locator('h2', { hasText: dir }).waitFor({ timeout: patience(2_000) });
        break;
      } catch {
        if (attempt === 3) throw new Error(`the dialog kept choosing another folder: ${await section.locator('h2').first().innerText()}`);
      }
    }
    await section.locator('h2', { hasText: dir }).waitFor({ timeout: patience(30_000) });
    await frame.locator('#real-run[data-steps="2"]').waitFor({ timeout: patience(30_000) });
    assert.deepStrictEqual(await section.locator('figure.real-run-site figcaption').allInnerTexts(), ['act1 (relu, line 12)', 'gate (sigmoid, line 14)']);
    assert.match(await section.locator('h3').first().innerText(), /run-1 · Net/);

    // the training logs another step: the charts follow
    fs.appendFileSync(file, step(30) + '\n');
    await frame.locator('#real-run[data-steps="3"]').waitFor({ timeout: patience(60_000) });
    // a half-written line is not read
    fs.appendFileSync(file, '{"step": 40, "sites": [');
    await section.scrollIntoViewIfNeeded();
    await setWorkbenchTheme(page, true);
    await page.waitForTimeout(800);
    await screenshot(page, 'probe-real-run-dark');
    await setWorkbenchTheme(page, false);
    await frame.locator('body.vscode-light').waitFor({ timeout: patience(30_000) });
    await page.waitForTimeout(800);
    await screenshot(page, 'probe-real-run-light');
    assert.strictEqual(await section.getAttribute('data-steps'), '3');
    await setWorkbenchTheme(page, true);
  });
});
