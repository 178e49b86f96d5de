// TeX → SVG with MathJax 3 (TeX input, SVG output, no font cache so each SVG stands
// alone, lite DOM adaptor: no browser). Sizes come out in ex; hovers need pixels.
import { svgDataUri } from './svg';

export interface TexImage {
  readonly svg: string;
  readonly uri: string;
  /** Pixel size at `exPx` pixels per ex. */
  readonly width: number;
  readonly height: number;
}

type Converter = (latex: string) => string;
let converter: Converter | undefined;

function getConverter(): Converter {
  if (converter) return converter;
  // Loaded on the first formula, not at activation: MathJax and its TeX font are most of
  // the extension's bundle and take a while to initialise.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { mathjax } = require('mathjax-full/js/mathjax.js') as typeof import('mathjax-full/js/mathjax.js');
  const { TeX } = require('mathjax-full/js/input/tex.js') as typeof import('mathjax-full/js/input/tex.js');
  const { SVG } = require('mathjax-full/js/output/svg.js') as typeof import('mathjax-full/js/output/svg.js');
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js') as typeof import('mathjax-full/js/adaptors/liteAdaptor.js');
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js') as typeof import('mathjax-full/js/handlers/html.js');
  require('mathjax-full/js/input/tex/base/BaseConfiguration.js');
  require('mathjax-full/js/input/tex/ams/AmsConfiguration.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const doc = mathjax.document('', { InputJax: new TeX({ packages: ['base', 'ams'] }), OutputJax: new SVG({ fontCache: 'none' }) });
  converter = (latex: string): string => adaptor.innerHTML(doc.convert(latex, { display: true, em: 16, ex: 8, containerWidth: 1280 }) as never);
  return converter;
}

const cache = new Map<string, TexImage | null>();
const CACHE_MAX = 500;

/**
 * Typesets `latex` as a standalone SVG in `color`. Returns undefined when MathJax reports
 * a TeX error (the caller shows the text formula instead).
 */
export function texToSvg(latex: string, color: string, exPx = 8): TexImage | undefined {
  const key = `${color}|${exPx}|${latex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let out: TexImage | null = null;
  try {
    const raw = getConverter()(latex);
    if (!raw.includes('data-mml-node="merror"') && raw.startsWith('<svg')) out = sized(raw, color, exPx);
  } catch {
    out = null;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, out);
  return out ?? undefined;
}

/** Replaces ex sizes by px, fixes the colour, drops the inline vertical-align style. */
function sized(raw: string, color: string, exPx: number): TexImage {
  let width = 0;
  let height = 0;
  let svg = raw.replace(/^<svg([^>]*)>/, (_m, attrs: string) => {
    const a = attrs
      .replace(/\swidth="([\d.]+)ex"/, (_w, v: string) => {
        width = Math.ceil(Number(v) * exPx);
        return ` width="${width}"`;
      })
      .replace(/\sheight="([\d.]+)ex"/, (_h, v: string) => {
        height = Math.ceil(Number(v) * exPx);
        return ` height="${height}"`;
      })
      .replace(/\sstyle="[^"]*"/, '');
    return `<svg${a}>`;
  });
  svg = svg.replace(/currentColor/g, color);
  return { svg, uri: svgDataUri(svg), width, height };
}
