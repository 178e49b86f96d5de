// The Explorer's "Custom…" entry as a person uses it: typed expression → its curve drawn and a
// slider per parameter; a broken expression → the error shown with a caret under its column
// (measured in pixels against the text); light and dark screenshots in test-output/; the
// text and parameter values come back after a window reload.
import * as assert from 'assert';
import type { FrameLocator } from 'playwright-core';
import { openWorkbench, patience, quickOpen, runCommand, screenshot, setTheme, webview, type Workbench } from './workbench';

async function canvasImage(frame: FrameLocator): Promise<{ drawn: number; image: string }> {
  return frame.locator('#plot').evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) return { drawn: 0, image: '' };
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) drawn++;
    return { drawn, image: c.toDataURL() };
  });
}

/** Waits until the canvas image differs from `before` (the chart redraws on the next frame). */
async function waitForRedraw(frame: FrameLocator, before: string): Promise<void> {
  // no named functions inside: the page has no __name helper for them
  await frame.locator('#plot').evaluate(
    async (el, prev) => {
      while ((el as HTMLCanvasElement).toDataURL() === prev) await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    },
    before,
  );
}

describe('Explorer Custom… entry (UI)', () => {
  let wb: Workbench;
  const cspErrors: string[] = [];
  before(async () => {
    wb = await openWorkbench();
    wb.page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply|evaluate)|unsafe-eval/i.test(m.text())) cspErrors.push(m.text());
    });
    await quickOpen(wb.page, 'pytorch_mlp.py'); // activates the extension
    await runCommand(wb.page, 'View: Close All Editors');
  });
  after(async () => {
    await wb?.close();
  });

  it('Custom… opens a text box; a typed expression is drawn with a slider per parameter', async () => {
    const { page } = wb;
    await runCommand(page, 'Activation Inspector: Open Explorer');
    const frame = webview(page);
    await frame.locator('#plot[data-curves]').waitFor({ timeout: patience(30_000) });
    const open = frame.getByRole('button', { name: 'Custom…' });
    await open.focus();
    await page.keyboard.press('Enter'); // keyboard reachable
    const box = frame.getByRole('textbox', { name: 'Custom activation f(x) =' });
    await box.waitFor();
    assert.strictEqual(await box.evaluate((el) => el === document.activeElement), true, 'the text box has focus');
    const before = (await canvasImage(frame)).image;
    await box.fill('');
    await box.pressSequentially('alpha * x * sigmoid(beta * x)');
    await frame.locator('#plot[data-custom="drawn"]').waitFor();
    await frame.getByRole('slider', { name: 'custom beta slider' }).waitFor();
    const sliders = await frame.locator('#custom-params').getByRole('slider').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepStrictEqual(sliders, ['custom alpha slider', 'custom beta slider']);
    await waitForRedraw(frame, before);
    const legend = await frame.locator('#custom-formulas').innerText();
    assert.match(legend, /f′ =/);
    // the slider moves the curve, from the keyboard
    const drawn = (await canvasImage(frame)).image;
    const beta = frame.getByRole('slider', { name: 'custom beta slider' });
    await beta.focus();
    for (let i = 0; i < 20; i++) await beta.press('ArrowRight');
    const value = Number(await frame.getByRole('spinbutton', { name: 'custom beta value' }).inputValue());
    assert.ok(value > 1, `beta ${value}`);
    await waitForRedraw(frame, drawn);
  });

  it('looks right in the dark and the light theme', async () => {
    const { page } = wb;
    const frame = webview(page);
    await setTheme(page, frame, true);
    await frame.locator('#plot[data-custom="drawn"]').waitFor();
    const dark = await screenshot(page, 'explorer-custom-dark');
    await setTheme(page, frame, false);
    await frame.locator('#plot[data-custom="drawn"]').waitFor();
    const light = await screenshot(page, 'explorer-custom-light');
    assert.ok(dark && light);
    assert.ok((await canvasImage(frame)).drawn > 2_000);
  });

  it('a broken expression shows its error with a caret under the column, as it is typed', async () => {
    const { page } = wb;
    const frame = webview(page);
    const box = frame.getByRole('textbox', { name: 'Custom activation f(x) =' });
    const text = 'x * sigmoid(beta * * x)';
    await box.fill(text);
    // the second '*' (1-based column 20) is the offending token
    await frame.locator('#plot[data-custom="error:20"]').waitFor();
    assert.match(await frame.getByRole('alert').filter({ hasText: 'column' }).innerText(), /column 20/);
    assert.strictEqual(await box.getAttribute('aria-invalid'), 'true');
    // the caret sits under character 20 of the text, in pixels
    const offset = await frame.locator('body').evaluate((_b, t) => {
      const input = document.getElementById('custom-expr') as HTMLInputElement;
      const caret = document.getElementById('custom-caret') as HTMLElement;
      const cs = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      ctx.font = cs.font;
      const textLeft = input.getBoundingClientRect().left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);
      const want = textLeft + ctx.measureText(t.slice(0, 19)).width;
      const r = document.createRange();
      const node = caret.firstChild as Text;
      r.setStart(node, node.length - 1);
      r.setEnd(node, node.length);
      return r.getBoundingClientRect().left - want;
    }, text);
    assert.ok(Math.abs(offset) < 2, `caret is ${offset.toFixed(1)} px off its column`);
    await setTheme(page, frame, true);
    await screenshot(page, 'explorer-custom-error-dark');
    await setTheme(page, frame, false);
    await screenshot(page, 'explorer-custom-error-light');
    // a missing ')' points at the end of the text
    await box.fill('x * sigmoid(beta * x');
    await frame.locator('#plot[data-custom="error:21"]').waitFor();
    // fixed again: drawn, sliders kept
    await box.fill('x * sigmoid(beta * x)');
    await frame.locator('#plot[data-custom="drawn"]').waitFor();
    assert.strictEqual(await frame.locator('#custom-caret').innerText(), '');
  });

  it('Custom… page also shows a gated activation as three heatmaps (light and dark)', async () => {
    const { page } = wb;
    const frame = webview(page);
    await frame.getByRole('combobox', { name: 'Gated activation to show' }).selectOption({ label: 'SwiGLU' });
    await frame.locator('#gated-body[data-drawn="swiglu"]').waitFor();
    for (const q of ['f', 'dfda', 'dfdb']) {
      const heat = frame.getByRole('img', { name: new RegExp(`^SwiGLU .*heatmap`) }).and(frame.locator(`#gated-${q}`));
      // the map has both signs of colour and a neutral middle: many distinct pixels
      const distinct = await heat.evaluate((el) => {
        const c = el as HTMLCanvasElement;
        const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4) seen.add(((d[i] as number) << 16) | ((d[i + 1] as number) << 8) | (d[i + 2] as number));
        return seen.size;
      });
      assert.ok(distinct > 50, `${q}: ${distinct} colours`);
    }
    await frame.locator('#gated-dfdb').scrollIntoViewIfNeeded();
    await screenshot(page, 'explorer-gated-light');
    await setTheme(page, frame, true);
    await frame.locator('#gated-body[data-drawn="swiglu"]').waitFor();
    await frame.locator('#gated-dfdb').scrollIntoViewIfNeeded();
    await screenshot(page, 'explorer-gated-dark');
    await setTheme(page, frame, false);
  });

  it('comes back after a window reload with the same expression and parameter value', async () => {
    const { page } = wb;
    const frame = webview(page);
    const beta = await frame.getByRole('spinbutton', { name: 'custom beta value' }).inputValue();
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: patience(60_000) });
    const again = webview(page);
    await again.locator('#plot[data-custom="drawn"]').waitFor({ timeout: patience(60_000) });
    assert.strictEqual(await again.getByRole('textbox', { name: 'Custom activation f(x) =' }).inputValue(), 'x * sigmoid(beta * x)');
    assert.strictEqual(await again.getByRole('spinbutton', { name: 'custom beta value' }).inputValue(), beta);
    await again.locator('#gated-body[data-drawn="swiglu"]').waitFor();
  });

  it('ran without Content-Security-Policy violations (no eval in the page)', () => {
    assert.deepStrictEqual(cspErrors, []);
  });
});
