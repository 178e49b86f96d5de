// Colours come from VS Code's theme variables, re-read whenever the theme changes (VS Code
// swaps the body class vscode-light / vscode-dark / vscode-high-contrast[-light]).

export interface ThemeColors {
  readonly fg: string;
  readonly muted: string;
  readonly grid: string;
  readonly bg: string;
  readonly series: readonly string[];
  readonly highContrast: boolean;
  readonly font: string;
}

const HC_DARK_SERIES = ['#3ad8ff', '#ffd23f', '#7dff6b', '#ff7b9c', '#d6a0ff', '#ff9d4d', '#ffffff', '#5fffd7'];
const HC_LIGHT_SERIES = ['#0040c0', '#a02800', '#006b1f', '#a0006e', '#5b2a9e', '#7a5a00', '#000000', '#006b6b'];

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): ThemeColors {
  const cls = document.body.classList;
  const highContrast = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light');
  const light = cls.contains('vscode-light') || cls.contains('vscode-high-contrast-light');
  const fg = cssVar('--vscode-editor-foreground', light ? '#333333' : '#cccccc');
  // High contrast: VS Code's chart colours are not made for it (in "High Contrast Light"
  // charts.blue and charts.orange are both dark blues, and the runs could not be told
  // apart), so a fixed palette is used: every colour ≥ 6:1 against the black / white
  // background and its neighbours ≥ 40° apart in hue. The first two match the hover plots.
  const series = highContrast ? (light ? HC_LIGHT_SERIES : HC_DARK_SERIES) : [
    // VS Code's chart palette (the same colours its own charts use).
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-yellow', '#cca700'),
    cssVar('--vscode-terminal-ansiCyan', '#11a8cd'),
    cssVar('--vscode-terminal-ansiMagenta', '#bc3fbc'),
  ];
  return {
    fg,
    muted: cssVar('--vscode-descriptionForeground', light ? '#717171' : '#9d9d9d'),
    grid: cssVar('--vscode-charts-lines', light ? 'rgba(0,0,0,0.15)' : 'rgba(255,255,255,0.15)'),
    bg: cssVar('--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    series,
    highContrast,
    font: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

/** Calls `cb` whenever VS Code switches theme. */
export function onThemeChange(cb: () => void): void {
  new MutationObserver(cb).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** Series colour i, cycling through the palette. */
export function seriesColor(t: ThemeColors, i: number): string {
  return t.series[i % t.series.length] ?? t.fg;
}
