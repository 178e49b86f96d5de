// Helpers for the UI tests: open the code-server workbench (started by
// scripts/vscode/ui-tests.mjs with the packaged .vsix installed) in headless Chromium,
// and drive it the way a person does. Selectors are the ones that held in code-server
// 4.100 (VS Code 1.100).
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type BrowserContext, type Page, type FrameLocator, type Locator } from 'playwright-core';

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

/** Set by scripts/vscode/ui-tests.mjs. */
function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the UI tests with \`npm run test:ui\``);
  return v;
}

/**
 * How long a UI step may take before the test gives up: a hang guard, never a speed
 * assertion. CI's machine is slow and busy (a step that takes 2 s on a quiet machine took
 * over 30 s under load), so every wait is the quiet-machine figure times this factor
 * (env UI_PATIENCE, default 4).
 */
export const PATIENCE = Math.max(1, Number(process.env.UI_PATIENCE) || 4);
export const patience = (ms: number): number => ms * PATIENCE;

export const OUTPUT_DIR = path.resolve(__dirname, '..', '..', 'test-output');
export const EXAMPLES = ['pytorch_mlp.py', 'keras_classifier.py', 'jax_flax_mlp.py', 'custom_activations.py', 'activations_tour.ipynb', 'tfjs_model.js'];

let browserCount = 0;
/** The workbench page opened last: a failing test's screenshot is taken from it. */
let currentPage: Page | undefined;

// Root hook (this module is loaded by every UI test file): keep a PNG of each failure.
afterEach(async function () {
  const test = this.currentTest;
  if (test?.state === 'failed' && currentPage && !currentPage.isClosed()) {
    const name = `FAILED-${test.fullTitle().replace(/[^\w.-]+/g, '_').slice(0, 100)}`;
    const file = await screenshot(currentPage, name).catch(() => undefined);
    if (file) console.log(`      screenshot of the failure: ${path.relative(process.cwd(), file)}`);
  }
});

/** Launch Chromium and open the workbench on examples/; waits until the explorer shows files. */
export async function openWorkbench(): Promise<Workbench> {
  const runDir = env('VSCODE_UI_RUN_DIR');
  // The profile lives in the run folder so the runner can always find and kill Chromium.
  const profile = path.join(runDir, `chromium-ui-${process.pid}-${browserCount++}`);
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: env('VSCODE_UI_CHROMIUM'),
    headless: true,
    args: env('VSCODE_UI_CHROMIUM_ARGS').split(' '),
    viewport: { width: 1400, height: 900 },
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    // Chromium's crash handler and caches would otherwise write into the real home.
    env: { ...process.env, HOME: path.join(runDir, 'home'), XDG_CONFIG_HOME: path.join(runDir, 'config'), XDG_CACHE_HOME: path.join(runDir, 'cache') },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  currentPage = page;
  page.setDefaultTimeout(patience(30_000));
  await page.goto(env('VSCODE_UI_URL'));
  await page.locator('.monaco-workbench').waitFor({ timeout: patience(60_000) });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: patience(60_000) });
  return {
    page,
    close: async () => {
      // Leave the workbench first so code-server ends this window's extension host.
      await page.goto('about:blank', { timeout: 5_000 }).catch(() => undefined);
      await context.close();
    },
  };
}

/** Save a PNG into test-output/ and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Names shown in the explorer. */
export async function explorerNames(page: Page): Promise<string[]> {
  return page.locator('.explorer-folders-view .monaco-list-row').allInnerTexts();
}

const quickInput = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/** Open a workspace file with Quick Open (Ctrl+P), as a person would. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor();
  await quickInput(page).fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor();
}

/** Run a command from the palette (F1) by its label, e.g. "Output: Show Output Channels...". */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  await quickInput(page).waitFor();
  await quickInput(page).fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Pick a row of an open quick pick by its text. */
export async function pickQuickItem(page: Page, text: string, timeoutMs = patience(30_000)): Promise<void> {
  await quickInput(page).fill(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click({ timeout: timeoutMs });
}

/**
 * Show an output channel. A channel exists only once its extension has activated, and
 * the picker lists the channels of the moment it opened: retry until `timeoutMs`.
 */
export async function showOutputChannel(page: Page, channel: string, timeoutMs = patience(30_000)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runCommand(page, 'Output: Show Output Channels...');
    try {
      await pickQuickItem(page, channel, 2_000);
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`no output channel "${channel}" within ${timeoutMs} ms: ${String(err)}`);
    }
  }
}

/** Text of the active editor's visible lines (Monaco renders only what is on screen, spaces as U+00A0). */
export async function visibleEditorText(page: Page): Promise<string> {
  const lines = await page.locator('.editor-group-container.active .editor-instance .view-line').allInnerTexts();
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/**
 * Hover `token` on the first visible line of the active editor that contains `lineText`
 * (e.g. 'nn.LeakyReLU(0.2)', 'LeakyReLU') and return the hover widget's text. Uses
 * locator.hover(): the line re-renders when colouring arrives, so no fixed coordinates.
 */
export async function hoverText(page: Page, lineText: string, token: string, timeoutMs = patience(15_000)): Promise<string> {
  const line = page.locator('.editor-group-container.active .view-line', { hasText: lineText }).first();
  await line.locator('span span', { hasText: token }).first().hover();
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  await hover.waitFor({ timeout: timeoutMs });
  return hover.innerText();
}

/** The labels the command palette lists for `query`. */
export async function paletteLabels(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('F1');
  await quickInput(page).waitFor();
  await quickInput(page).fill(`>${query}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  const labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0]?.trim() ?? '');
  await page.keyboard.press('Escape');
  return labels;
}

/** A webview's content: two nested iframes. */
export function webview(page: Page): FrameLocator {
  // ours only: a notebook's output renderer is a webview too (extensionId empty)
  return page.frameLocator('iframe.webview.ready[src*="extensionId=activation-inspector"]').frameLocator('#active-frame');
}

/** An image in a hover, as the browser loaded it; `svg` is the decoded source of an inline SVG. */
export interface HoverImage {
  loaded: boolean;
  width: number;
  height: number;
  svg: string | undefined;
}

/** readHover's options: the screenshot's name, the hover widgets to look in, and a check that the target moved away from the mouse. */
export interface HoverOptions {
  shot?: string;
  selector?: string;
  moved?: () => Promise<boolean>;
}

/** What a hover showed while it was open. */
export interface HoverRead {
  hover: Locator;
  text: string;
  images: HoverImage[];
  box: { x: number; y: number; width: number; height: number } | null;
}

/**
 * Opens the hover whose text contains `title` by running `point` (which moves the mouse onto
 * the thing to hover), waits until its images have loaded, reads its text, images and box, and
 * saves a screenshot named `options.shot`. All of that is one attempt, tried up to three times: on a
 * busy machine a late layout shift can move the word away from the mouse, and VS Code recomputes
 * (closing and reopening) a visible hover when the file's diagnostics or CodeLenses arrive, so a
 * hover seen open can be gone by the next read.
 */
export async function readHover(page: Page, title: string | RegExp, point: () => Promise<unknown>, options: HoverOptions = {}): Promise<HoverRead> {
  const { shot, selector = '.monaco-hover:visible', moved } = options;
  const hover = page.locator(selector, { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await point();
    try {
      // wait in slices of 2 s; between them, point again if the target moved from under the mouse
      for (let slice = 1; ; slice++) {
        try {
          await hover.waitFor({ state: 'visible', timeout: 2_000 });
          break;
        } catch (e) {
          if (slice * 2_000 >= patience(10_000)) throw e;
          if (moved && (await moved())) {
            console.log(`      ${shot ?? String(title)}: the target moved from under the mouse; pointing again`);
            await point();
          }
        }
      }
      const handle = await hover.elementHandle({ timeout: patience(5_000) });
      await page.waitForFunction((el) => el !== null && Array.from(el.querySelectorAll('img')).every((i) => i.complete), handle, { timeout: patience(10_000) });
      const read = await hover.evaluate(
        (el) => ({
          text: (el as HTMLElement).innerText.replace(/\u00a0/g, ' '),
          images: Array.from(el.querySelectorAll('img')).map((i) => ({
            loaded: i.complete && i.naturalWidth > 0,
            width: i.naturalWidth,
            height: i.naturalHeight,
            svg: i.src.startsWith('data:image/svg+xml;base64,') ? atob(i.src.slice('data:image/svg+xml;base64,'.length)) : undefined,
          })),
        }),
        undefined,
        { timeout: patience(5_000) },
      );
      const box = await hover.boundingBox({ timeout: patience(5_000) });
      if (shot) await screenshot(page, shot);
      await hover.waitFor({ state: 'visible', timeout: patience(2_000) }); // still open: the screenshot shows it
      return { hover, box, ...read };
    } catch (e) {
      if (attempt >= 3) throw e;
      const open = await page.locator('.monaco-hover:visible').allInnerTexts().catch(() => [] as string[]);
      const seen = open.map((t) => JSON.stringify(t.replace(/\s+/g, ' ').slice(0, 60))).join(', ') || 'none';
      console.log(`      ${shot ?? String(title)}: no hover read on attempt ${attempt} (${String((e as Error).message).split('\n')[0]}; hovers open: ${seen}); hovering again`);
      await leaveHover(page);
    }
  }
}

/** Moves the mouse to the status bar (nothing to hover there) and waits until no hover is open. */
export async function leaveHover(page: Page): Promise<void> {
  await page.mouse.move(700, 880);
  await page.locator('.monaco-hover:visible').first().waitFor({ state: 'hidden', timeout: patience(10_000) }).catch(() => undefined);
}

interface Point {
  x: number;
  y: number;
}

/** The centre of `word`'s second character in the visible editor line containing `lineText`, now; undefined when not shown. */
async function wordCentre(page: Page, lineText: string, word: string, timeout = 2_000): Promise<Point | undefined> {
  const line = page.locator('.view-line:visible', { hasText: lineText }).first();
  return line
    .evaluate((el, w) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = (n.textContent ?? '').indexOf(w);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i + 1);
        r.setEnd(n, i + 2);
        const b = r.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      }
      return undefined;
    }, word, { timeout })
    .catch(() => undefined);
}

/** Moves the mouse onto `word` in the visible editor line containing `lineText`; returns where it put it. */
export async function hoverWord(page: Page, lineText: string, word: string): Promise<Point> {
  const line = page.locator('.view-line:visible', { hasText: lineText }).first();
  await line.waitFor({ state: 'visible', timeout: patience(30_000) });
  await page.waitForTimeout(1000); // let the editor lay out (CodeLenses shift lines when they arrive)
  const at = await wordCentre(page, lineText, word, patience(5_000));
  if (!at) throw new Error(`"${word}" not found in "${lineText}"`);
  await page.mouse.move(at.x - 20, at.y);
  await page.mouse.move(at.x, at.y, { steps: 4 });
  return at;
}

/**
 * readHover on `word` in the line containing `lineText`. While it waits for the hover it checks
 * that the word is still under the mouse: when a file has just opened, its CodeLenses arrive
 * late and push the lines down, leaving the mouse over nothing; then it points again.
 */
export async function readWordHover(page: Page, lineText: string, word: string, title: string | RegExp, shot?: string): Promise<HoverRead> {
  let placed: Point | undefined;
  return readHover(page, title, async () => { placed = await hoverWord(page, lineText, word); }, {
    shot,
    moved: async () => {
      const now = await wordCentre(page, lineText, word);
      return !now || !placed || Math.abs(now.x - placed.x) > 3 || Math.abs(now.y - placed.y) > 3;
    },
  });
}

/**
 * Puts the workbench in the light or dark theme with the palette command a person would use
 * (code-server's theme picker cannot list themes offline). Toggles only when the workbench is
 * not in that theme already, so a test that runs again (a retry) ends in the same theme.
 */
export async function setWorkbenchTheme(page: Page, dark: boolean): Promise<void> {
  const want = dark ? /(^|\s)vs-dark(\s|$)/ : /(^|\s)vs(\s|$)/;
  const current = async (): Promise<string> => (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
  for (let i = 0; i < 3 && !want.test(await current()); i++) {
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator(`.monaco-workbench.${dark ? 'vs-dark' : 'vs'}`).waitFor({ timeout: patience(10_000) }).catch(() => undefined);
  }
  if (!want.test(await current())) throw new Error(`the workbench did not switch to the ${dark ? 'dark' : 'light'} theme: ${await current()}`);
}

/** setWorkbenchTheme, then waits until the webview page carries the theme's body class. */
export async function setTheme(page: Page, frame: FrameLocator, dark: boolean): Promise<void> {
  await setWorkbenchTheme(page, dark);
  await frame.locator(`body.${dark ? 'vscode-dark' : 'vscode-light'}`).waitFor({ timeout: patience(30_000) });
  await page.waitForTimeout(500); // charts re-read the theme variables
}
