// The two webview panels and the hover in VS Code's high-contrast themes ("Default High
// Contrast" and "Default High Contrast Light"), as a person with low vision or without a
// mouse uses them: the page takes the theme's foreground and background, chart lines and
// text stand out from the background, every control is reached with Tab, has an
// accessible name and shows a focus outline, and the charts are redrawn when the theme
// changes. Screenshots: test-output/contrast-*.png (looked at).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { leaveHover, openWorkbench, pickQuickItem, quickOpen, readHover, runCommand, screenshot, webview, patience, type Workbench } from './workbench';

type HcTheme = 'Default High Contrast' | 'Default High Contrast Light';
const WORKBENCH_CLASS: Record<HcTheme, string> = { 'Default High Contrast': 'hc-black', 'Default High Contrast Light': 'hc-light' };
const BODY_CLASS: Record<HcTheme, string> = { 'Default High Contrast': 'vscode-high-contrast', 'Default High Contrast Light': 'vscode-high-contrast-light' };

/** code-server's user settings of this run (written by scripts/vscode/server.mjs). */
function settingsFile(): string {
  return path.join(process.env.VSCODE_UI_RUN_DIR ?? '', 'user-data', 'User', 'settings.json');
}

/**
 * Sets the user settings through "Preferences: Open User Settings (JSON)" as a person
 * would (the "Preferences: Color Theme" picker lists only a failed marketplace search
 * when code-server is offline). The settings editor is moved to a group of its own, so a
 * panel open in the first group stays visible while the theme changes (the webviews do
 * not retain their context when hidden). `beforeSave` runs once that panel is back.
 */
async function writeSettings(page: Page, settings: Record<string, unknown>, beforeSave?: () => Promise<void>): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: patience(15_000) });
  if (beforeSave) {
    await runCommand(page, 'View: Move Editor into Right Group');
    await page.locator('.editor-group-container').nth(1).waitFor();
  }
  await beforeSave?.();
  const editor = page.locator('.editor-group-container.active .monaco-editor textarea').first();
  await editor.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // one line, one insertion: no auto-indented lines or auto-closed brackets
  await page.keyboard.insertText(JSON.stringify(settings));
  await page.keyboard.press('Control+S');
  const want = JSON.stringify(settings);
  let saved = '';
  for (let i = 0; i < 50; i++) {
    saved = fs.readFileSync(settingsFile(), 'utf8');
    if (saved.trim() === want) break;
    await page.waitForTimeout(100);
  }
  assert.deepStrictEqual(JSON.parse(saved), settings, `settings.json saved as ${saved}`);
}

/** Closes the settings editor (and its group), leaving the panels open. */
async function closeSettings(page: Page): Promise<void> {
  const tab = page.locator('.tab', { hasText: 'settings.json' }).first();
  if ((await tab.count()) === 0) return;
  await tab.hover();
  await tab.locator('.tab-actions .action-label').first().click();
  await tab.waitFor({ state: 'detached', timeout: patience(10_000) });
}

/** Both high-contrast themes, the one not showing now first (so each step is a real change). */
async function themeOrder(page: Page): Promise<HcTheme[]> {
  const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
  return /(^|\s)hc-black(\s|$)/.test(cls) ? ['Default High Contrast Light', 'Default High Contrast'] : ['Default High Contrast', 'Default High Contrast Light'];
}

/** Sets `workbench.colorTheme` and waits until the workbench carries the theme's class. */
async function setTheme(page: Page, theme: HcTheme, beforeSave?: () => Promise<void>): Promise<void> {
  const settings = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>;
  await writeSettings(page, { ...settings, 'workbench.colorTheme': theme }, beforeSave);
  await page.locator(`.monaco-workbench.${WORKBENCH_CLASS[theme]}`).waitFor({ timeout: patience(30_000) });
}

/** A fingerprint of a canvas's image and how many of its drawn pixels stand out from `bg`. */
async function canvasInfo(frame: FrameLocator, selector: string): Promise<{ image: string; drawn: number; strong: number }> {
  return frame.locator(selector).first().evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) return { image: '', drawn: 0, strong: 0 };
    const bg = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g)?.map(Number) ?? [0, 0, 0];
    // WCAG relative luminance and contrast ratio
    const lum = (r: number, g: number, b: number): number => {
      const f = (v: number): number => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const lb = lum(bg[0] ?? 0, bg[1] ?? 0, bg[2] ?? 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    let strong = 0;
    for (let i = 0; i < d.length; i += 4) {
      const a = (d[i + 3] as number) / 255;
      if (a === 0) continue;
      drawn++;
      // the pixel as seen on the page background
      const mix = (k: number): number => (d[i + k] as number) * a + (bg[k] ?? 0) * (1 - a);
      const l = lum(mix(0), mix(1), mix(2));
      if ((Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05) >= 3) strong++;
    }
    return { image: c.toDataURL(), drawn, strong };
  });
}

/** The page's colours next to the theme variables they should come from, resolved by the browser. */
async function pageColors(frame: FrameLocator): Promise<{ color: string; bg: string; fgVar: string; bgVar: string; contrast: number }> {
  return frame.locator('body').evaluate((body) => {
    const resolve = (v: string): string => {
      const probe = document.createElement('span');
      probe.style.color = `var(${v})`;
      body.appendChild(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    };
    const s = getComputedStyle(body);
    const rgb = (c: string): number[] => c.match(/\d+(\.\d+)?/g)?.map(Number) ?? [0, 0, 0];
    const lum = (c: string): number => {
      const [r, g, b] = rgb(c).map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const a = lum(s.color);
    const b = lum(s.backgroundColor);
    return { color: s.color, bg: s.backgroundColor, fgVar: resolve('--vscode-foreground'), bgVar: resolve('--vscode-editor-background'), contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
  });
}

/** [r, g, b] of a computed CSS colour such as "rgb(0, 64, 192)". */
function rgbOf(c: string): number[] {
  return (c.match(/\d+(\.\d+)?/g) ?? []).map(Number).slice(0, 3);
}

/** WCAG contrast ratio of two sRGB colours given as [r, g, b] in 0–255. */
function contrast(a: number[], b: number[]): number {
  const lum = (c: number[]): number => {
    const [r = 0, g = 0, bl = 0] = c.map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const la = lum(a);
  const lb = lum(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The series colours (read from the swatches next to each curve's or run's name) stand out
 * from the page (≥ 4.5:1) and from each other (hues ≥ 40° apart).
 */
async function checkSeriesColors(frame: FrameLocator, swatches: string, n: number, bg: string, what: string): Promise<void> {
  const colors = await frame.locator(swatches).evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  const hue = (c: string): number => {
    const [r = 0, g = 0, b = 0] = rgbOf(c);
    const mx = Math.max(r, g, b);
    const d = mx - Math.min(r, g, b);
    if (d === 0) return NaN; // grey: fails the hue test below
    const h = mx === r ? ((g - b) / d) % 6 : mx === g ? (b - r) / d + 2 : (r - g) / d + 4;
    return (h * 60 + 360) % 360;
  };
  console.log(`      ${what}: colours ${colors.join(', ')}`);
  assert.strictEqual(colors.length, n, `${what}: ${colors.length} swatches`);
  for (let i = 0; i < colors.length; i++) {
    assert.ok(contrast(rgbOf(colors[i] as string), rgbOf(bg)) >= 4.5, `${what}: colour ${colors[i]} on ${bg}`);
    for (let j = 0; j < i; j++) {
      const dh = Math.abs(hue(colors[i] as string) - hue(colors[j] as string));
      assert.ok(Math.min(dh, 360 - dh) >= 40, `${what}: ${j} and ${i} look alike (${colors[j]}, ${colors[i]})`);
    }
  }
}

interface Stop { tag: string; role: string; name: string; outline: string; outlineWidth: number; outlineColor: string; label: string }

/**
 * Presses Tab from the top of the page until focus leaves the page or comes back to the
 * first stop; returns every stop with its outline and accessible-name source.
 */
async function tabStops(page: Page, frame: FrameLocator, max = 120): Promise<Stop[]> {
  await frame.locator('body').evaluate(() => { (document.activeElement as HTMLElement | null)?.blur(); window.scrollTo(0, 0); });
  await frame.locator('body').click({ position: { x: 2, y: 2 } });
  const stops: Stop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const s = await frame.locator('body').evaluate((): (Stop & { key: string }) | undefined => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return undefined;
      const st = getComputedStyle(el);
      if (!el.dataset.tabKey) el.dataset.tabKey = String(Math.random());
      const type = (el.getAttribute('type') ?? '').toLowerCase();
      const tag = el.tagName.toLowerCase();
      const role = el.getAttribute('role')
        ?? (tag === 'button' || tag === 'summary' ? 'button'
          : tag === 'select' ? 'combobox'
            : tag === 'input' ? ({ range: 'slider', number: 'spinbutton', checkbox: 'checkbox', radio: 'radio' } as Record<string, string>)[type] ?? 'textbox'
              : tag === 'a' ? 'link' : '');
      const label = el.getAttribute('aria-label') ?? el.getAttribute('title') ?? (el.closest('label')?.textContent ?? el.textContent ?? '').trim();
      return { key: el.dataset.tabKey, tag: `${tag}${type ? `[${type}]` : ''}#${el.id}`, role, name: label, label: el.getAttribute('aria-label') ?? '', outline: st.outlineStyle, outlineWidth: parseFloat(st.outlineWidth), outlineColor: st.outlineColor };
    });
    if (!s || seen.has(s.key)) break;
    seen.add(s.key);
    stops.push(s);
  }
  return stops;
}

/** Interactive elements on the page that a person can use (visible, enabled). */
async function controlCount(frame: FrameLocator): Promise<number> {
  return frame.locator('body').evaluate(() => Array.from(document.querySelectorAll('button, input, select, summary, a[href], [tabindex]'))
    .filter((el) => {
      const h = el as HTMLElement & { disabled?: boolean };
      return !h.disabled && h.tabIndex >= 0 && h.getClientRects().length > 0 && getComputedStyle(h).visibility !== 'hidden';
    }).length);
}

/** Checks keyboard access, names and outlines on the page shown in `frame`. */
async function checkKeyboard(page: Page, frame: FrameLocator, what: string, bg: string): Promise<void> {
  const stops = await tabStops(page, frame);
  const controls = await controlCount(frame);
  console.log(`      ${what}: ${stops.length} Tab stops, ${controls} visible enabled controls`);
  assert.ok(stops.length >= controls, `${what}: only ${stops.length} of ${controls} controls reached with Tab`);
  for (const s of stops) {
    assert.ok(s.name.length > 0, `${what}: ${s.tag} has no accessible name`);
    assert.notStrictEqual(s.outline, 'none', `${what}: ${s.tag} shows no focus outline`);
    // high contrast: a 2 px ring whose colour stands out from the page (WCAG non-text contrast ≥ 3:1)
    assert.ok(s.outlineWidth >= 2, `${what}: ${s.tag} outline ${s.outlineWidth}px`);
    const ring = contrast(rgbOf(s.outlineColor), rgbOf(bg));
    assert.ok(ring >= 3, `${what}: ${s.tag} outline ${s.outlineColor} on ${bg}: ${ring.toFixed(1)}:1`);
  }
  // The names are the ones assistive technology reads (Playwright's accessibility tree).
  for (const s of stops.filter((x) => x.label && x.role && x.role !== 'img')) {
    assert.ok((await frame.getByRole(s.role as 'button', { name: s.label, exact: true }).count()) >= 1, `${what}: no ${s.role} named "${s.label}"`);
  }
}

describe('High-contrast themes and keyboard access (UI)', () => {
  let wb: Workbench;
  let original = '';
  before(async () => {
    original = fs.readFileSync(settingsFile(), 'utf8');
    wb = await openWorkbench();
    // tsx compiles this file with esbuild's keepNames: the functions passed to evaluate()
    // call __name(), which the page must define (frames created from now on get it).
    await wb.page.context().addInitScript('globalThis.__name = (f) => f;');
    await quickOpen(wb.page, 'pytorch_mlp.py'); // activates the extension
    await runCommand(wb.page, 'View: Close All Editors');
  });
  after(async () => {
    // Later UI tests expect the default theme: put the settings back as they were.
    if (original && wb) {
      await writeSettings(wb.page, JSON.parse(original) as Record<string, unknown>).catch((e) => console.log(`      could not restore the settings: ${String(e)}`));
      await closeSettings(wb.page).catch(() => undefined);
    }
    await wb?.page.locator('.monaco-workbench:not(.hc-black):not(.hc-light)').waitFor({ timeout: patience(15_000) }).catch(() => undefined);
    await runCommand(wb.page, 'View: Close All Editors').catch(() => undefined);
    await wb?.close();
  });

  it('Activation Explorer: theme colours, redraw on theme change, Tab, names, outlines', async () => {
    const { page } = wb;
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const frame = webview(page);
    await frame.locator('#plot[data-curves]').waitFor({ timeout: patience(30_000) });
    await page.waitForTimeout(300);
    for (const theme of await themeOrder(page)) {
      let before = { image: '', drawn: 0, strong: 0 };
      // the panel, visible next to the settings editor, is drawn in the old theme…
      await setTheme(page, theme, async () => {
        await frame.locator('#plot[data-curves]').waitFor({ timeout: patience(30_000) });
        await page.waitForTimeout(500);
        before = await canvasInfo(frame, '#plot');
      });
      await frame.locator(`body.${BODY_CLASS[theme]}`).waitFor({ timeout: patience(30_000) });
      // …and redrawn in the new colours, without a reload
      let after = before;
      for (let i = 0; i < 20 && after.image === before.image; i++) {
        await page.waitForTimeout(150);
        after = await canvasInfo(frame, '#plot');
      }
      assert.notStrictEqual(after.image, before.image, `${theme}: the chart was not redrawn`);
      await closeSettings(page);
      await page.waitForTimeout(500);
      after = await canvasInfo(frame, '#plot');
      const c = await pageColors(frame);
      console.log(`      explorer, ${theme}: text ${c.color} on ${c.bg} (contrast ${c.contrast.toFixed(1)}:1); chart ${after.strong}/${after.drawn} drawn pixels at ≥ 3:1`);
      assert.strictEqual(c.color, c.fgVar, 'text colour is the theme foreground');
      assert.strictEqual(c.bg, c.bgVar, 'background is the theme editor background');
      assert.ok(c.contrast >= 7, `text contrast ${c.contrast}`);
      await checkSeriesColors(frame, '.card .swatch', 2, c.bg, `explorer, ${theme}: curves`);
      // curves, axes and labels stand out: most drawn pixels contrast ≥ 3:1 with the page
      assert.ok(after.strong > 2_000 && after.strong / after.drawn > 0.6, `${theme}: ${after.strong} of ${after.drawn} chart pixels stand out`);
      await screenshot(page, `contrast-explorer-${WORKBENCH_CLASS[theme]}`);
      await checkKeyboard(page, frame, `explorer, ${theme}`, c.bg);
      await frame.getByRole('slider').first().focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      await screenshot(page, `contrast-explorer-${WORKBENCH_CLASS[theme]}-focus`);
    }
  });

  it('Explorer precision view (sigmoid in bfloat16): hatching, region list and ULP strip stand out', async () => {
    const { page } = wb;
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const frame = webview(page);
    await frame.locator('#plot[data-curves]').waitFor({ timeout: patience(30_000) });
    // sigmoid from PyTorch, added last, is the focused curve whose regions are shown
    await frame.getByRole('combobox', { name: 'Framework to add from' }).selectOption('torch');
    await frame.getByRole('combobox', { name: 'Activation to add' }).selectOption('sigmoid|sigmoid');
    await frame.getByRole('button', { name: 'Add the chosen activation' }).click();
    await frame.getByRole('combobox', { name: 'Evaluate in this dtype, as each framework computes it' }).selectOption('bfloat16');
    for (const [name, v] of [['x from', '-10'], ['x to', '10']] as const) {
      const box = frame.getByRole('spinbutton', { name });
      await box.fill(v);
      await box.press('Enter');
    }
    await frame.locator('#regions[data-state="ready"] li').first().waitFor({ timeout: patience(30_000) });
    for (const theme of await themeOrder(page)) {
      await setTheme(page, theme);
      await closeSettings(page);
      await frame.locator(`body.${BODY_CLASS[theme]}`).waitFor({ timeout: patience(30_000) });
      await frame.locator('#regions[data-state="ready"] li').first().waitFor({ timeout: patience(30_000) });
      await page.waitForTimeout(500); // charts re-read the theme variables
      const { bg } = await pageColors(frame);
      // the list's hatch swatches (the same colours as on the charts) against the page
      const swatches = await frame.locator('#regions .hatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
      assert.ok(swatches.length >= 2, `${theme}: ${swatches.length} region swatches`);
      for (const c of swatches) assert.ok(contrast(rgbOf(c), rgbOf(bg)) >= 3, `${theme}: hatch colour ${c} on ${bg}`);
      const strip = await canvasInfo(frame, '#ulp');
      console.log(`      precision strip, ${theme}: ${strip.strong}/${strip.drawn} drawn pixels at ≥ 3:1; hatch colours ${[...new Set(swatches)].join(', ')}`);
      assert.ok(strip.strong > 1_000 && strip.strong / strip.drawn > 0.5, `${theme}: ${strip.strong} of ${strip.drawn} strip pixels stand out`);
      await screenshot(page, `contrast-explorer-precision-${WORKBENCH_CLASS[theme]}`);
    }
  });

  it('Training Dashboard (Vanishing gradients demo): colours, redraw, Tab, names, outlines', async () => {
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Activation Inspector: Run Demo…');
    await pickQuickItem(page, 'Vanishing gradients');
    const frame = webview(page);
    for (const run of ['sigmoid', 'tanh', 'ReLU + He']) {
      await frame.locator(`#runs-table tr[data-run="${run}"][data-status="done"]`).waitFor({ timeout: patience(60_000) });
    }
    await frame.locator('canvas.boundary').nth(2).waitFor();
    const charts = ['#chart-grads', 'canvas.boundary'];
    for (const theme of await themeOrder(page)) {
      let before: Array<{ image: string }> = [];
      await setTheme(page, theme, async () => {
        await frame.locator('#runs-table tr[data-run="ReLU + He"][data-status="done"]').waitFor({ timeout: patience(30_000) });
        await frame.locator('canvas.boundary').nth(2).waitFor();
        await page.waitForTimeout(500);
        before = await Promise.all(charts.map((s) => canvasInfo(frame, s)));
      });
      await frame.locator(`body.${BODY_CLASS[theme]}`).waitFor({ timeout: patience(30_000) });
      let after = before;
      for (let i = 0; i < 20 && after.some((a, k) => a.image === before[k]?.image); i++) {
        await page.waitForTimeout(150);
        after = await Promise.all(charts.map((s) => canvasInfo(frame, s)));
      }
      charts.forEach((s, i) => assert.notStrictEqual(after[i]?.image, before[i]?.image, `${theme}: ${s} not redrawn`));
      await closeSettings(page);
      await page.waitForTimeout(500);
      const grads = await canvasInfo(frame, charts[0] as string);
      const c = await pageColors(frame);
      const g = grads;
      console.log(`      dashboard, ${theme}: text ${c.color} on ${c.bg} (contrast ${c.contrast.toFixed(1)}:1); gradient chart ${g.strong}/${g.drawn} pixels at ≥ 3:1`);
      assert.strictEqual(c.color, c.fgVar);
      assert.strictEqual(c.bg, c.bgVar);
      assert.ok(c.contrast >= 7, `text contrast ${c.contrast}`);
      assert.ok(g.strong / g.drawn > 0.6, `${theme}: ${g.strong} of ${g.drawn} gradient-chart pixels stand out`);
      await checkSeriesColors(frame, '#runs-table tbody .swatch', 3, c.bg, `dashboard, ${theme}: runs`);
      await frame.locator('body').evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `contrast-dashboard-${WORKBENCH_CLASS[theme]}`);
      await frame.locator('#chart-grads').scrollIntoViewIfNeeded();
      await screenshot(page, `contrast-dashboard-${WORKBENCH_CLASS[theme]}-charts`);
      if (!(await frame.locator('details#setup').evaluate((d) => (d as HTMLDetailsElement).open))) await frame.locator('details#setup > summary').click();
      await checkKeyboard(page, frame, `dashboard, ${theme}`, c.bg);
      await frame.getByRole('button', { name: 'Start a training with the set-up below' }).focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      await frame.locator('body').evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `contrast-dashboard-${WORKBENCH_CLASS[theme]}-focus`);
    }
  });

  it('a hover in either high-contrast theme renders its formula and plot images in that theme\'s colours', async () => {
    // a fresh window (the panels' webviews keep the keyboard focus away from the editor)
    await wb.close();
    wb = await openWorkbench();
    const { page } = wb;
    await quickOpen(page, 'pytorch_mlp.py');
    // the colours src/render/svg.ts gives each kind, and the ones of the theme it must not use
    const want: Record<HcTheme, { curve: RegExp; formula: RegExp; not: RegExp }> = {
      'Default High Contrast': { curve: /#3ad8ff/i, formula: /#ffffff/i, not: /#5eb0ff|#0040c0/i },
      'Default High Contrast Light': { curve: /#0040c0/i, formula: /#000000/i, not: /#0b62c4|#3ad8ff/i },
    };
    for (const theme of await themeOrder(page)) {
      // the settings editor opens beside the code, and is closed again once the theme is set
      await setTheme(page, theme, async () => undefined);
      await closeSettings(page);
      await page.locator('.tab.active', { hasText: 'pytorch_mlp.py' }).click();
      const line = page.locator('.view-line:visible', { hasText: 'self.act1 = nn.LeakyReLU(0.2)' }).first();
      await line.waitFor({ timeout: patience(30_000) });
      await page.waitForTimeout(1000); // CodeLenses shift lines when they arrive
      const { images } = await readHover(page, 'Leaky ReLU', async () => {
        await leaveHover(page);
        await line.locator('span span', { hasText: 'LeakyReLU' }).first().hover();
      }, { shot: `contrast-hover-${WORKBENCH_CLASS[theme]}` });
      assert.ok(images.length >= 3, `${theme}: expected f, f′ and the plot, got ${images.length} images`);
      for (const im of images) assert.ok(im.loaded && im.svg !== undefined, `${theme}: a broken image`);
      const plot = images.find((im) => im.width === 240 && im.height === 120);
      assert.ok(plot, `${theme}: no plot image`);
      assert.match(plot.svg ?? '', want[theme].curve, `${theme}: the plot's curve colour`);
      assert.doesNotMatch(plot.svg ?? '', want[theme].not, `${theme}: the plot uses another theme's colours`);
      const formulas = images.filter((im) => im !== plot);
      assert.ok(formulas.every((im) => want[theme].formula.test(im.svg ?? '')), `${theme}: formula colour`);
    }
  });
});
