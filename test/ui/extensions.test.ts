// The packaged .vsix is installed in code-server and listed like any other extension.
import * as assert from 'assert';
import { openWorkbench, runCommand, screenshot, patience, type Workbench } from './workbench';

describe('installed .vsix', () => {
  let wb: Workbench;
  before(async () => { wb = await openWorkbench(); });
  after(async () => { await wb?.close(); });

  it('is listed under Installed in the Extensions view', async () => {
    const { page } = wb;
    await runCommand(page, 'View: Show Extensions');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Activation Inspector' });
    await row.first().waitFor({ timeout: patience(30_000) });
    const text = (await row.first().innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Activation Inspector/);
    assert.match(text, /activation-inspector/i, `publisher missing in "${text}"`);
    await screenshot(page, 'extensions-installed');
  });
});
