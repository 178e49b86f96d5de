// Data URIs and theme colours for the images in hovers. Pure.

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export interface PlotColors {
  readonly f: string;
  readonly df: string;
  readonly axis: string;
  readonly grid: string;
  readonly text: string;
}

export interface ThemeColors {
  /** Colour of typeset formulas (replaces MathJax's currentColor). */
  readonly formula: string;
  readonly plot: PlotColors;
}

// Chosen for contrast ≥ 4.5:1 against VS Code's default hover backgrounds
// (#f8f8f8 light, #252526 dark, black / white for high contrast).
const THEMES: Readonly<Record<ThemeKind, ThemeColors>> = {
  light: { formula: '#1f1f1f', plot: { f: '#0b62c4', df: '#b3420e', axis: '#6b6b6b', grid: '#dddddd', text: '#3b3b3b' } },
  dark: { formula: '#e0e0e0', plot: { f: '#5eb0ff', df: '#ff9e64', axis: '#9a9a9a', grid: '#444444', text: '#cccccc' } },
  highContrast: { formula: '#ffffff', plot: { f: '#3ad8ff', df: '#ffd23f', axis: '#ffffff', grid: '#6f6f6f', text: '#ffffff' } },
  highContrastLight: { formula: '#000000', plot: { f: '#0040c0', df: '#a02800', axis: '#000000', grid: '#9a9a9a', text: '#000000' } },
};

export function themeColors(kind: ThemeKind): ThemeColors {
  return THEMES[kind];
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** Escapes text for SVG/XML content and attributes. */
export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
