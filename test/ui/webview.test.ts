// A command run from the palette opens a webview, and its content (inside two nested
// iframes) is there for a person to see. Hover UI tests live in their own files.
import * as assert from 'assert';
import { openWorkbench, quickOpen, runCommand, screenshot, webview, patience, type Workbench } from './workbench';

describe('webviews', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
    await quickOpen(wb.page, 'pytorch_mlp.py');
    await wb.page.locator('.editor-instance .view-line', { hasText: 'class TinyMLP' }).waitFor();
  });
  after(async () => { await wb?.close(); });

  it('"Activation Inspector: Open Explorer" from the palette opens a webview with content', async () => {
    const { page } = wb;
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const body = webview(page).locator('body');
    await body.waitFor({ timeout: patience(30_000) });
    const frame = webview(page);
    await frame.locator('canvas, svg, button, select, input').first().waitFor({ timeout: patience(30_000) });
    const text = (await body.innerText()).trim();
    assert.ok(text.length > 0, 'the explorer webview is empty');
    await page.waitForTimeout(500); // let the chart finish its first paint for the screenshot
    await screenshot(page, 'explorer-webview');
  });
});
