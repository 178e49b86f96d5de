// A Python file's statement structure for the custom-activation front end: logical lines
// nested by indentation, the names `import` statements bind, and where names defined once in
// the file are used.
import type { Token } from '../tokens';

export interface Stmt {
  readonly from: number;
  /** End token index (exclusive; the line's `nl` or the inline body's end). */
  readonly to: number;
  readonly indent: number;
  readonly children: Stmt[];
}

/** Logical lines with their indentation; a line's tokens are [from, to). */
export function logicalLines(text: string, toks: readonly Token[], _partner: Int32Array): Stmt[] {
  const out: Stmt[] = [];
  let from = 0;
  for (let i = 0; i <= toks.length; i++) {
    const t = toks[i];
    if (t && t.kind !== 'nl') continue;
    if (i > from) {
      const start = (toks[from] as Token).start;
      const ls = text.lastIndexOf('\n', start - 1) + 1;
      out.push({ from, to: i, indent: start - ls, children: [] });
    }
    from = i + 1;
  }
  return out;
}

/** Nests lines into blocks by indentation (children are the lines indented under a line). */
export function nest(lines: readonly Stmt[]): Stmt[] {
  const top: Stmt[] = [];
  const stack: Stmt[] = [];
  for (const l of lines) {
    while (stack.length && (stack[stack.length - 1] as Stmt).indent >= l.indent) stack.pop();
    const parent = stack[stack.length - 1];
    (parent ? parent.children : top).push(l);
    stack.push(l);
  }
  return top;
}

/** Adds the names an `import …` / `from … import …` statement binds (alias → qualified path). */
export function readImport(toks: readonly Token[], from: number, to: number, out: Map<string, string>): void {
  const words: Token[] = toks.slice(from, to) as Token[];
  const text = (a: number, b: number): string => words.slice(a, b).map((t) => t.text).join('');
  if (words[0]?.text === 'import') {
    // import a.b.c [as d], e
    let i = 1;
    while (i < words.length) {
      let j = i;
      while (j < words.length && words[j]?.text !== ',' && words[j]?.text !== 'as') j++;
      const path = text(i, j);
      if (words[j]?.text === 'as' && words[j + 1]) {
        out.set((words[j + 1] as Token).text, path);
        j += 2;
      } else out.set(path.split('.')[0] as string, path.split('.')[0] as string);
      i = j + 1;
    }
    return;
  }
  // from a.b import c [as d], e
  const imp = words.findIndex((t) => t.text === 'import');
  if (imp < 0) return;
  const mod = text(1, imp);
  let i = imp + 1;
  while (i < words.length) {
    const t = words[i] as Token;
    if (t.text === '(' || t.text === ')' || t.text === ',') {
      i++;
      continue;
    }
    if (t.kind !== 'name') break;
    let alias = t.text;
    if (words[i + 1]?.text === 'as' && words[i + 2]) {
      alias = (words[i + 2] as Token).text;
      i += 2;
    }
    out.set(alias, `${mod}.${t.text}`);
    i++;
  }
}

/**
 * Token indexes where each name in `defs` (name → the token that defines it) is used: bare
 * names and `self.NAME`, not the definition itself nor a rebinding (`def NAME`, `class NAME`,
 * `NAME = …`).
 */
export function nameUses(toks: readonly Token[], defs: ReadonlyMap<string, number>): Map<string, number[]> {
  const isOp = (i: number, s: string): boolean => toks[i]?.kind === 'op' && toks[i]?.text === s;
  const isName = (i: number, s: string): boolean => toks[i]?.kind === 'name' && toks[i]?.text === s;
  const uses = new Map<string, number[]>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'name') continue;
    let key = t.text;
    if (isOp(i - 1, '.')) {
      if (!isName(i - 2, 'self')) continue;
      key = `self.${t.text}`;
    }
    const tok = defs.get(key);
    if (tok === undefined || tok === i) continue;
    if (isName(i - 1, 'def') || isName(i - 1, 'class') || (isOp(i + 1, '=') && !isOp(i + 1, '=='))) continue;
    const u = uses.get(key) ?? [];
    u.push(i);
    uses.set(key, u);
  }
  return uses;
}
