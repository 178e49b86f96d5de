// The Activation Explorer as a person uses it in VS Code (code-server): opened from the
// palette, its chart draws, a slider changes the chart and the values, it looks right in a
// dark and a light theme (screenshots in test-output/, looked at), and it comes back after
// a window reload with the same parameters.
import * as assert from 'assert';
import type { FrameLocator } from 'playwright-core';
import { openWorkbench, quickOpen, runCommand, screenshot, setTheme, webview, patience, type Workbench } from './workbench';

/** Switches the colour theme through the palette, as a person would. */
/** Opaque pixels on the chart canvas, and a fingerprint of its image. */
async function canvasInfo(frame: FrameLocator): Promise<{ drawn: number; total: number; image: string }> {
  return frame.locator('#plot').evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) return { drawn: 0, total: 0, image: '' };
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) drawn++;
    return { drawn, total: c.width * c.height, image: c.toDataURL() };
  });
}

/** Waits until no webview frame is left in the workbench (the panel and its page are gone). */
async function frameGone(page: Workbench['page']): Promise<void> {
  await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: patience(30_000) });
}

async function cellText(frame: FrameLocator, rowStart: string, col: number): Promise<string> {
  const row = frame.locator('#values tbody tr', { hasText: rowStart }).first();
  return (await row.locator('td').nth(col).innerText()).trim();
}

describe('Activation Explorer (UI)', () => {
  let wb: Workbench;
  /** Content-Security-Policy violations reported by any frame (our pages must have none). */
  const cspErrors: string[] = [];
  before(async () => {
    wb = await openWorkbench();
    wb.page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) cspErrors.push(m.text());
    });
    await quickOpen(wb.page, 'pytorch_mlp.py'); // activates the extension
    await runCommand(wb.page, 'View: Close All Editors');
  });
  after(async () => { await wb?.close(); });

  it('opens from the palette and its canvas has drawn pixels', async () => {
    const { page } = wb;
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const frame = webview(page);
    await frame.locator('#plot[data-curves]').waitFor({ timeout: patience(30_000) });
    await page.waitForTimeout(300);
    const info = await canvasInfo(frame);
    assert.ok(info.total > 50_000, `canvas ${info.total} px`);
    assert.ok(info.drawn > 2_000, `only ${info.drawn} drawn pixels`);
    // the default value table: points −5, −2, 0, 3, 6
    assert.deepStrictEqual(
      (await frame.locator('#values thead th').allInnerTexts()).map((t) => t.trim()),
      ['function', 'x = −5', 'x = −2', 'x = 0', 'x = 3', 'x = 6'],
    );
    assert.strictEqual(await cellText(frame, 'relu · PyTorch f′', 2), '0', 'PyTorch relu′(0) = 0');
  });

  it('moving a slider changes the chart and the values, live', async () => {
    const { page } = wb;
    const frame = webview(page);
    const before = await canvasInfo(frame);
    const rowName = 'leaky_relu(negative_slope=0.01) · PyTorch f';
    assert.strictEqual(await cellText(frame, rowName, 0), '−0.05');
    const slider = frame.getByRole('slider', { name: 'leaky_relu negative_slope slider' });
    await slider.focus();
    for (let i = 0; i < 40; i++) await slider.press('ArrowRight'); // keyboard only: 40 × 0.005
    await page.waitForTimeout(300);
    const after = await canvasInfo(frame);
    assert.notStrictEqual(after.image, before.image, 'the chart did not change');
    const value = await frame.getByRole('spinbutton', { name: 'leaky_relu negative_slope value' }).inputValue();
    assert.ok(Math.abs(Number(value) - 0.21) < 1e-9, `slider value ${value}`);
    // leaky_relu(−5) with slope 0.21 = −1.05
    assert.strictEqual(await cellText(frame, 'leaky_relu(negative_slope=0.21) · PyTorch f', 0), '−1.05');
  });

  it('looks right in the dark and the light theme', async () => {
    const { page } = wb;
    const frame = webview(page);
    // a third curve, from another framework, through the page's own controls
    await frame.getByRole('combobox', { name: 'Framework to add from' }).selectOption('jax');
    await frame.getByRole('combobox', { name: 'Activation to add' }).selectOption({ label: 'gelu — GELU' });
    await frame.getByRole('button', { name: 'Add the chosen activation' }).click();
    await frame.locator('#plot[data-curves="3"]').waitFor();
    await setTheme(page, frame, true);
    await screenshot(page, 'explorer-dark');
    const darkBg = await frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    await setTheme(page, frame, false);
    await screenshot(page, 'explorer-light');
    const lightBg = await frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.notStrictEqual(darkBg, lightBg, 'the page follows the theme');
    const info = await canvasInfo(frame);
    assert.ok(info.drawn > 2_000);
  });

  it('every control has an accessible name', async () => {
    const frame = webview(wb.page);
    const unnamed = await frame.locator('body').evaluate(() => {
      const bad: string[] = [];
      for (const el of Array.from(document.querySelectorAll('button, input, select, canvas[tabindex]'))) {
        const named = el.getAttribute('aria-label') || el.getAttribute('title') || (el.closest('label')?.textContent ?? '').trim() || (el as HTMLElement).innerText?.trim();
        if (!named) bad.push(el.outerHTML.slice(0, 80));
      }
      return bad;
    });
    assert.deepStrictEqual(unnamed, []);
  });

  it('comes back after a window reload with the same curves and parameters', async () => {
    const { page } = wb;
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: patience(60_000) });
    const frame = webview(page);
    await frame.locator('#plot[data-curves="3"]').waitFor({ timeout: patience(60_000) });
    const value = await frame.getByRole('spinbutton', { name: 'leaky_relu negative_slope value' }).inputValue();
    assert.ok(Math.abs(Number(value) - 0.21) < 1e-9, `restored value ${value}`);
    await screenshot(page, 'explorer-after-reload');
  });

  it('comes back after the panel is closed and opened again, with the same curves and parameters', async () => {
    const { page } = wb;
    // the page posts its state to the host once changes settle; closing the panel drops the page
    await page.waitForTimeout(1_000);
    await runCommand(page, 'View: Close All Editors');
    await frameGone(page);
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const frame = webview(page);
    await frame.locator('#plot[data-curves="3"]').waitFor({ timeout: patience(60_000) });
    const value = await frame.getByRole('spinbutton', { name: 'leaky_relu negative_slope value' }).inputValue();
    assert.ok(Math.abs(Number(value) - 0.21) < 1e-9, `value after reopening: ${value}`);
    await screenshot(page, 'explorer-after-close-reopen');
  });

  it('ran without Content-Security-Policy violations', () => {
    assert.deepStrictEqual(cspErrors.filter((e) => /vscode-resource|vscode-cdn|webview|chart|explorer/i.test(e)), []);
  });
});
