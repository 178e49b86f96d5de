// JavaScript/TypeScript: TF.js imports (`import * as tf from '@tensorflow/tfjs'`,
// `import {relu, layers} from '@tensorflow/tfjs-node'`, `const tf = require(…)`) and the
// user's own declarations (`function relu`, `const relu = …`).
import { addBinding, type DocIndex, type NameBinding } from './docIndex';
import { tokenizeJs } from './jsTokenizer';
import { matchBrackets, type Token } from './tokens';
import type { Framework } from '../engine/activations/types';

const TFJS_MODULE = /^@tensorflow\/tfjs(?:-node(?:-gpu)?|-core|-layers)?(?:\/.*)?$/;

export function indexJs(text: string, toks: Token[] = tokenizeJs(text)): DocIndex {
  const partner = matchBrackets(toks);
  const names = new Map<string, NameBinding[]>();
  const frameworks = new Set<Framework>();
  const n = toks.length;
  const bind = (t: Token, path: string | undefined): void => {
    addBinding(names, t.text, { offset: t.start, target: path === undefined ? { kind: 'local' } : { kind: 'path', path } });
  };
  for (let i = 0; i < n; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'name') continue;
    const prevDot = toks[i - 1]?.text === '.' || toks[i - 1]?.text === '?.';
    if (prevDot) continue;
    if (t.text === 'import' && toks[i + 1]?.text !== '(') {
      i = importDecl(i + 1);
      continue;
    }
    if ((t.text === 'function' || t.text === 'class') && toks[i + 1]?.kind === 'name') {
      const nm = toks[i + 1] as Token;
      addBinding(names, nm.text, { offset: nm.start, target: { kind: 'local' }, hoisted: true });
      continue;
    }
    if ((t.text === 'const' || t.text === 'let' || t.text === 'var') && toks[i + 1]) {
      i = declaration(i + 1);
    }
  }
  const tfjsGlobal = frameworks.has('tfjs') || !names.has('tf');
  return { lang: 'js', text, toks, partner, names, stars: [], frameworks, tfjsGlobal };

  /** `import X from 'm'`, `import * as X from 'm'`, `import {a as b} from 'm'`. */
  function importDecl(k: number): number {
    let e = k;
    while (e < n && !(toks[e]?.kind === 'str' && toks[e - 1]?.text === 'from') && toks[e]?.text !== ';') {
      if (toks[e]?.kind === 'str' && e === k) break; // side-effect import 'm'
      e++;
    }
    const src = toks[e];
    if (!src || src.kind !== 'str') return e;
    const isTf = TFJS_MODULE.test(src.value ?? '');
    if (isTf) frameworks.add('tfjs');
    const root = isTf ? 'tf' : undefined;
    for (let m = k; m < e; m++) {
      const t = toks[m] as Token;
      if (t.kind !== 'name' || t.text === 'from' || t.text === 'type') continue;
      if (t.text === 'as' && toks[m + 1]?.kind === 'name') continue;
      const inBraces = braceDepth(k, m) > 0;
      if (toks[m - 1]?.text === 'as') {
        // `* as tf` → the module; `{relu as r}` → the member.
        const orig = toks[m - 2];
        if (toks[m - 2]?.text === '*' || !inBraces) bind(t, root);
        else bind(t, root && orig ? `${root}.${orig.text}` : undefined);
      } else if (toks[m + 1]?.text === 'as') {
        continue;
      } else if (inBraces) bind(t, root ? `${root}.${t.text}` : undefined);
      else bind(t, root);
    }
    return e;
  }

  function braceDepth(a: number, m: number): number {
    let d = 0;
    for (let q = a; q < m; q++) {
      if (toks[q]?.text === '{') d++;
      else if (toks[q]?.text === '}') d--;
    }
    return d;
  }

  /** `const tf = require('@tensorflow/tfjs')`, `const {relu} = tf`, `const act = tf.relu`. */
  function declaration(k: number): number {
    const t = toks[k] as Token;
    if (t.kind === 'name' && toks[k + 1]?.text === '=' ) {
      const r = toks[k + 2];
      if (r?.text === 'require' && toks[k + 3]?.text === '(' && toks[k + 4]?.kind === 'str') {
        const isTf = TFJS_MODULE.test(toks[k + 4]?.value ?? '');
        if (isTf) frameworks.add('tfjs');
        bind(t, isTf ? 'tf' : undefined);
        return k + 4;
      }
      if (r?.text === 'await' && toks[k + 3]?.text === 'import' && toks[k + 5]?.kind === 'str') {
        const isTf = TFJS_MODULE.test(toks[k + 5]?.value ?? '');
        if (isTf) frameworks.add('tfjs');
        bind(t, isTf ? 'tf' : undefined);
        return k + 5;
      }
      addBinding(names, t.text, { offset: t.start, target: { kind: 'expr', tok: k + 2 } });
      return k + 1;
    }
    if (t.kind === 'name' && toks[k + 1]?.text === ':') {
      // `const act: X = …` — TypeScript annotation; the value is the user's unless an alias.
      bind(t, undefined);
      return k;
    }
    if (t.text === '{') {
      const close = partner[k] as number;
      const src = toks[close + 2];
      const fromTf =
        close > k && toks[close + 1]?.text === '=' &&
        ((src?.text === 'require' && TFJS_MODULE.test(toks[close + 4]?.value ?? '')) || (src?.kind === 'name' && src.text === 'tf'));
      if (fromTf) frameworks.add('tfjs');
      for (let m = k + 1; m < close; m++) {
        const nm = toks[m] as Token;
        if (nm.kind !== 'name') continue;
        if (toks[m + 1]?.text === ':' && toks[m + 2]?.kind === 'name') {
          bind(toks[m + 2] as Token, fromTf ? `tf.${nm.text}` : undefined);
          m += 2;
        } else bind(nm, fromTf ? `tf.${nm.text}` : undefined);
      }
      return close > k ? close : k;
    }
    return k;
  }
}
