// Fuzzing the scanner: random text, garbage and mutated real code at random positions
// never throw. The per-hover cost on a 20,000-line file is measured by `npm run bench`
// (bench/hover.mjs), not asserted here: a test must not depend on the machine's speed.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { indexText, matchAt, type SourceLang } from '../../src/code/api';
import { benchmarkHover } from '../../bench/hoverBench';
import { hoverMarkdown } from '../../src/render/markdown';
import { parseNotebook } from '../../src/code/notebook';
import { SNIPPETS } from '../fixtures/code/snippets';

const TOKENS = ['import ', 'from ', ' as ', 'torch', 'nn', '.', 'F', 'relu', 'LeakyReLU', '(', ')', '[', ']', '{', '}', ',', '=', '"', "'", '"""', '`', '${', '#', '//', '/*', '*/', '\\', '\n', ' ', '0.2', '1/3', '-', 'x', 'activation', ':', 'tf', 'layers', 'Dense', 'def ', 'class ', 'self', '*', '**', 'keras', 'jax', 'gelu', 'approximate', 'True', '@tensorflow/tfjs', 'require', ';', 'maximum', 'clamp', 'min'];

const codeLike = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((a) => a.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), codeLike);
const mutated = fc
  .tuple(fc.constantFrom(...SNIPPETS.map((s) => s.code.replace('‸', ''))), fc.nat(), fc.nat(40), fc.string({ maxLength: 8 }))
  .map(([code, at, del, ins]) => {
    const i = at % (code.length + 1);
    return code.slice(0, i) + ins + code.slice(i + del);
  });

let fuzzHits = 0;

/** Scans every offset: every match covers the offset and its hover text builds. */
function everyOffset(text: string, lang: SourceLang): void {
  const ix = indexText(text, lang);
  for (let off = 0; off <= text.length; off++) {
    const r = matchAt(ix, off);
    if (r) {
      assert.ok(r.match.start <= off && off <= r.match.end);
      // Whatever the code says, the hover text builds (text-only here: MathJax is slow).
      assert.ok(hoverMarkdown(r, { images: false }).startsWith('**'));
      fuzzHits++;
    }
  }
}

describe('scanner fuzzing', () => {
  for (const lang of ['python', 'js'] as const) {
    it(`${lang}: random and garbage text, every position — no throw, matches cover the position`, () => {
      fc.assert(
        fc.property(fc.oneof(anyText, mutated), (text) => {
          everyOffset(text, lang);
        }),
        { numRuns: 300, seed: lang === 'python' ? 42 : 43 },
      );
      // The mutated real snippets must still often resolve, or the fuzzing proves little.
      assert.ok(fuzzHits > 100, `only ${fuzzHits} matches`);
      fuzzHits = 0;
    });
  }

  it('notebook parser: garbage throws an Error, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.json()), (raw) => {
        try {
          const nb = parseNotebook(raw);
          assert.ok(typeof nb.text === 'string');
        } catch (e) {
          assert.ok(e instanceof Error);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('the hover benchmark puts many hover positions on activations (its timing is in npm run bench)', () => {
    const r = benchmarkHover({ lines: 20000, hovers: 3000 });
    assert.equal(r.hovers, 3000);
    assert.ok(r.hits > r.hovers / 10, `only ${r.hits} of ${r.hovers} positions on activations`);
  });
});
