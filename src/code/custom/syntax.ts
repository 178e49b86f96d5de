// Expression syntax trees for the code that defines a custom activation, parsed from the
// scanner's tokens (Python or JS/TS). Only expressions are parsed here; statements (def
// bodies, arrow blocks) are walked by pyDefs.ts / jsDefs.ts line by line. The parser
// never throws: anything it does not understand becomes a `bad` node, which no
// translation accepts.
import type { Token } from '../tokens';

export type Node =
  | { readonly t: 'name'; readonly id: string; readonly tok: number }
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'lit'; readonly v: boolean | null }
  | { readonly t: 'attr'; readonly obj: Node; readonly name: string; readonly tok: number }
  | { readonly t: 'call'; readonly fn: Node; readonly args: readonly Node[]; readonly kw: readonly (readonly [string, Node])[] }
  | { readonly t: 'sub'; readonly obj: Node; readonly idx: Node }
  | { readonly t: 'bin'; readonly op: string; readonly a: Node; readonly b: Node }
  | { readonly t: 'un'; readonly op: string; readonly a: Node }
  | { readonly t: 'cmp'; readonly op: string; readonly a: Node; readonly b: Node }
  | { readonly t: 'bool'; readonly op: 'and' | 'or'; readonly a: Node; readonly b: Node }
  | { readonly t: 'if'; readonly cond: Node; readonly a: Node; readonly b: Node }
  | { readonly t: 'seq'; readonly kind: 'tuple' | 'list'; readonly items: readonly Node[] }
  | { readonly t: 'dict'; readonly entries: readonly (readonly [Node, Node])[] }
  /** `lambda x, a=1: body` / `(x, a = 1) => body`; a JS block body is kept as a token range. */
  | { readonly t: 'lambda'; readonly params: readonly Param[]; readonly body: Node | { readonly from: number; readonly to: number } }
  | { readonly t: 'bad' };

export interface Param {
  readonly name: string;
  readonly tok: number;
  readonly def?: Node;
  /** `*args` / `**kw` / `...rest` */
  readonly star?: boolean;
}

const BAD: Node = { t: 'bad' };

const PY_CMP = new Set(['<', '>', '<=', '>=', '==', '!=', 'in', 'is']);
const JS_CMP = new Set(['<', '>', '<=', '>=', '==', '!=', '===', '!==', 'instanceof', 'in']);

/** Parses one expression from toks[from] up to (not including) `to`; `next` is where it stopped. */
export class ExprParser {
  i: number;
  constructor(
    readonly toks: readonly Token[],
    readonly partner: Int32Array,
    from: number,
    readonly to: number,
    readonly lang: 'python' | 'js',
  ) {
    this.i = from;
  }

  private peek(k = 0): Token | undefined {
    const j = this.i + k;
    return j < this.to ? this.toks[j] : undefined;
  }
  private isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.kind === 'op' && t.text === text;
  }
  private isWord(text: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.kind === 'name' && t.text === text;
  }
  private eat(text: string): boolean {
    if (this.isOp(text) || this.isWord(text)) {
      this.i++;
      return true;
    }
    return false;
  }

  isSemicolon(): boolean {
    return this.isOp(';');
  }

  get done(): boolean {
    return this.i >= this.to || this.peek()?.kind === 'nl';
  }

  expr(): Node {
    return this.lang === 'python' ? this.pyTop() : this.jsTop();
  }

  // ----- Python ------------------------------------------------------------------------
  private pyTop(): Node {
    if (this.isWord('lambda')) return this.pyLambda();
    const a = this.orExpr();
    if (this.isWord('if')) {
      this.i++;
      const cond = this.orExpr();
      if (!this.eat('else')) return BAD;
      const b = this.pyTop();
      return { t: 'if', cond, a, b };
    }
    return a;
  }

  private pyLambda(): Node {
    this.i++;
    const params: Param[] = [];
    while (!this.done && !this.isOp(':')) {
      const star = this.eat('*') || this.eat('**');
      const t = this.peek();
      if (!t || t.kind !== 'name') return BAD;
      const tok = this.i++;
      let def: Node | undefined;
      if (this.eat('=')) def = this.orExpr();
      params.push({ name: t.text, tok, ...(def ? { def } : {}), ...(star ? { star } : {}) });
      if (!this.eat(',')) break;
    }
    if (!this.eat(':')) return BAD;
    return { t: 'lambda', params, body: this.pyTop() };
  }

  private orExpr(): Node {
    let a = this.andExpr();
    while (this.isWord('or') || this.isOp('||')) {
      this.i++;
      a = { t: 'bool', op: 'or', a, b: this.andExpr() };
    }
    return a;
  }
  private andExpr(): Node {
    let a = this.notExpr();
    while (this.isWord('and') || this.isOp('&&')) {
      this.i++;
      a = { t: 'bool', op: 'and', a, b: this.notExpr() };
    }
    return a;
  }
  private notExpr(): Node {
    if (this.isWord('not') || this.isOp('!')) {
      this.i++;
      return { t: 'un', op: 'not', a: this.notExpr() };
    }
    return this.comparison();
  }
  private comparison(): Node {
    const a = this.bitOr();
    const set = this.lang === 'python' ? PY_CMP : JS_CMP;
    const t = this.peek();
    if (t && set.has(t.text) && (t.kind === 'op' || t.kind === 'name')) {
      this.i++;
      let op = t.text;
      if (op === 'is' && this.isWord('not')) (this.i++, (op = 'is not'));
      if (op === '===') op = '==';
      if (op === '!==') op = '!=';
      const b = this.bitOr();
      const nt = this.peek();
      // Chained comparisons (a < b < c) are not elementwise activations' business.
      if (nt && set.has(nt.text)) return BAD;
      return { t: 'cmp', op, a, b };
    }
    if (t && t.kind === 'name' && t.text === 'not' && this.isWord('in', 1)) return BAD;
    return a;
  }
  private bitOr(): Node {
    let a = this.bitAnd();
    while ((this.isOp('|') || this.isOp('^')) && !this.isOp('||')) {
      const op = (this.peek() as Token).text;
      this.i++;
      a = { t: 'bin', op, a, b: this.bitAnd() };
    }
    return a;
  }
  private bitAnd(): Node {
    let a = this.shift();
    while (this.isOp('&')) {
      this.i++;
      a = { t: 'bin', op: '&', a, b: this.shift() };
    }
    return a;
  }
  private shift(): Node {
    let a = this.sum();
    while (this.isOp('<<') || this.isOp('>>') || this.isOp('>>>')) {
      const op = (this.peek() as Token).text;
      this.i++;
      a = { t: 'bin', op, a, b: this.sum() };
    }
    return a;
  }
  private sum(): Node {
    let a = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as Token).text;
      this.i++;
      a = { t: 'bin', op, a, b: this.term() };
    }
    return a;
  }
  private term(): Node {
    let a = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%') || this.isOp('@')) {
      const op = (this.peek() as Token).text;
      this.i++;
      a = { t: 'bin', op, a, b: this.unary() };
    }
    return a;
  }
  private unary(): Node {
    if (this.isOp('-') || this.isOp('+') || this.isOp('~')) {
      const op = (this.peek() as Token).text;
      this.i++;
      return { t: 'un', op, a: this.unary() };
    }
    if (this.lang === 'js' && (this.isOp('!') || this.isWord('typeof') || this.isWord('void') || this.isWord('await'))) {
      const op = (this.peek() as Token).text;
      this.i++;
      return { t: 'un', op: op === '!' ? 'not' : op, a: this.unary() };
    }
    return this.power();
  }
  private power(): Node {
    const a = this.postfix();
    if (this.isOp('**')) {
      this.i++;
      // Right-associative, and binds tighter than a unary minus on its left only.
      return { t: 'bin', op: '**', a, b: this.unary() };
    }
    return a;
  }

  private postfix(): Node {
    let a = this.atom();
    for (;;) {
      if (this.isOp('.') || this.isOp('?.')) {
        this.i++;
        const t = this.peek();
        if (!t || t.kind !== 'name') return BAD;
        a = { t: 'attr', obj: a, name: t.text, tok: this.i++ };
      } else if (this.isOp('(')) {
        a = this.callArgs(a);
        if (a.t === 'bad') return a; // unbalanced: stop rather than retry the same `(`
      } else if (this.isOp('[')) {
        const close = this.partner[this.i] as number;
        if (close < 0 || close >= this.to) return BAD;
        const p = new ExprParser(this.toks, this.partner, this.i + 1, close, this.lang);
        const idx = p.tupleOrExpr();
        this.i = close + 1;
        a = p.i === close ? { t: 'sub', obj: a, idx } : { t: 'sub', obj: a, idx: BAD };
      } else if (this.lang === 'js' && this.isOp('!') && !this.isOp('!=')) {
        this.i++; // TS non-null assertion
      } else if (this.lang === 'js' && this.isWord('as')) {
        this.i++;
        this.skipType();
      } else return a;
    }
  }

  /** TS `as T` / `: T`: skips a type (names, dots, generics, unions, arrays). */
  private skipType(): void {
    while (!this.done) {
      const t = this.peek() as Token;
      if (t.kind === 'name' || (t.kind === 'op' && (t.text === '.' || t.text === '|' || t.text === '&'))) this.i++;
      else if (t.kind === 'op' && (t.text === '<' || t.text === '[')) {
        if (t.text === '[') {
          const c = this.partner[this.i] as number;
          if (c < 0) return;
          this.i = c + 1;
        } else {
          let depth = 0;
          while (!this.done) {
            const u = (this.peek() as Token).text;
            this.i++;
            if (u === '<') depth++;
            else if (u === '>') {
              if (--depth === 0) break;
            }
          }
        }
      } else return;
    }
  }

  private callArgs(fn: Node): Node {
    const close = this.partner[this.i] as number;
    if (close < 0 || close >= this.to) return BAD;
    const args: Node[] = [];
    const kw: [string, Node][] = [];
    const p = new ExprParser(this.toks, this.partner, this.i + 1, close, this.lang);
    while (p.i < close) {
      const t = p.peek();
      if (t && t.kind === 'op' && (t.text === '*' || t.text === '**' || t.text === '...')) {
        args.push(BAD);
        break;
      }
      if (this.lang === 'python' && t && t.kind === 'name' && p.isOp('=', 1)) {
        p.i += 2;
        kw.push([t.text, p.expr()]);
      } else args.push(p.expr());
      if (p.i >= close) break;
      if (!p.eat(',')) {
        args.push(BAD);
        break;
      }
    }
    this.i = close + 1;
    return { t: 'call', fn, args, kw };
  }

  /** `a, b` inside brackets → tuple; a single expression → itself. */
  tupleOrExpr(): Node {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eat(',')) {
      if (this.i >= this.to) break;
      items.push(this.expr());
    }
    return { t: 'seq', kind: 'tuple', items };
  }

  private atom(): Node {
    const t = this.peek();
    if (!t) return BAD;
    if (t.kind === 'num') {
      this.i++;
      const v = Number(t.text.replace(/_/g, '').replace(/[jJn]$/, ''));
      return Number.isFinite(v) && !/[jJ]$/.test(t.text) ? { t: 'num', v } : BAD;
    }
    if (t.kind === 'str') {
      this.i++;
      return t.value !== undefined ? { t: 'str', v: t.value } : BAD;
    }
    if (t.kind === 'name') {
      const w = t.text;
      if (w === 'True' || w === 'true') return (this.i++, { t: 'lit', v: true });
      if (w === 'False' || w === 'false') return (this.i++, { t: 'lit', v: false });
      if (w === 'None' || w === 'null' || w === 'undefined') return (this.i++, { t: 'lit', v: null });
      if (this.lang === 'js' && w === 'new') {
        this.i++;
        return this.postfix();
      }
      if (this.lang === 'js' && this.isOp('=>', 1)) {
        const tok = this.i;
        this.i += 2;
        return this.arrowBody([{ name: w, tok }]);
      }
      return { t: 'name', id: w, tok: this.i++ };
    }
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      const close = this.partner[this.i] as number;
      if (close < 0 || close >= this.to) return BAD;
      if (this.lang === 'js' && t.text === '(' && this.toks[close + 1]?.text === '=>' && close + 1 < this.to) return this.arrow(close);
      const p = new ExprParser(this.toks, this.partner, this.i + 1, close, this.lang);
      let node: Node;
      if (t.text === '{') node = p.dict(close);
      else if (p.i === close) node = { t: 'seq', kind: t.text === '(' ? 'tuple' : 'list', items: [] };
      else {
        const inner = p.tupleOrExpr();
        if (p.i !== close) node = BAD;
        else if (t.text === '[') node = { t: 'seq', kind: 'list', items: inner.t === 'seq' && inner.kind === 'tuple' ? inner.items : [inner] };
        else node = inner;
      }
      this.i = close + 1;
      return node;
    }
    return BAD;
  }

  private dict(close: number): Node {
    const entries: [Node, Node][] = [];
    while (this.i < close) {
      let k: Node;
      const t = this.peek() as Token;
      // JS object keys may be bare names.
      if (this.lang === 'js' && t.kind === 'name' && this.isOp(':', 1)) {
        k = { t: 'str', v: t.text };
        this.i++;
      } else k = this.lang === 'python' ? this.orExpr() : this.jsCond();
      if (!this.eat(':')) return BAD;
      entries.push([k, this.expr()]);
      if (!this.eat(',')) break;
    }
    return this.i === close ? { t: 'dict', entries } : BAD;
  }

  // ----- JS ----------------------------------------------------------------------------
  private jsTop(): Node {
    return this.jsCond();
  }
  private jsCond(): Node {
    const c = this.orExpr();
    if (this.isOp('?')) {
      this.i++;
      const a = this.jsCond();
      if (!this.eat(':')) return BAD;
      const b = this.jsCond();
      return { t: 'if', cond: c, a, b };
    }
    return c;
  }

  private arrow(close: number): Node {
    const params: Param[] = [];
    const p = new ExprParser(this.toks, this.partner, this.i + 1, close, this.lang);
    while (p.i < close) {
      const star = p.eat('...');
      const t = p.peek();
      if (!t || t.kind !== 'name') return BAD;
      const tok = p.i++;
      if (p.eat('?')) {
        /* optional */
      }
      if (p.eat(':')) p.skipType();
      let def: Node | undefined;
      if (p.eat('=')) def = p.jsCond();
      params.push({ name: t.text, tok, ...(def ? { def } : {}), ...(star ? { star } : {}) });
      if (!p.eat(',')) break;
    }
    if (p.i !== close) return BAD;
    this.i = close + 2;
    return this.arrowBody(params);
  }

  private arrowBody(params: Param[]): Node {
    if (this.isOp('{')) {
      const close = this.partner[this.i] as number;
      if (close < 0 || close >= this.to) return BAD;
      const body = { from: this.i + 1, to: close };
      this.i = close + 1;
      return { t: 'lambda', params, body };
    }
    return { t: 'lambda', params, body: this.jsCond() };
  }
}

/** Parses toks[from, to) as one expression; null unless it consumes the whole range. */
export function parseExpression(toks: readonly Token[], partner: Int32Array, from: number, to: number, lang: 'python' | 'js'): Node | null {
  const p = new ExprParser(toks, partner, from, to, lang);
  const e = p.tupleOrExpr();
  if (lang === 'js' && p.isSemicolon()) p.i++;
  return p.i === to ? e : null;
}

