// Vector export: Chart.js draws on a canvas only, so SVG is rebuilt from the chart's own
// scales (pixel mapping, ticks) and datasets. Lines become <path>s (broken at gaps),
// scatter points <circle>s, bars <rect>s; axes, ticks and the legend are plain text.
import type { Chart } from './chart';
import type { ThemeColors } from './theme';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r2 = (v: number): string => String(Math.round(v * 100) / 100);

interface Pt {
  x: number;
  y: number | null;
}

/** One chart as an <svg> group placed at (ox, oy). */
export function chartSvgGroup(chart: Chart, t: ThemeColors, ox = 0, oy = 0, title?: string): string {
  const area = chart.chartArea;
  const xs = chart.scales['x'];
  const ys = chart.scales['y'];
  const out: string[] = [`<g transform="translate(${ox},${oy})" font-family="${esc(t.font)}" font-size="11">`];
  out.push(`<rect x="0" y="0" width="${chart.width}" height="${chart.height}" fill="${esc(t.bg)}"/>`);
  if (title) out.push(`<text x="${r2(chart.width / 2)}" y="14" text-anchor="middle" fill="${esc(t.fg)}" font-weight="bold">${esc(title)}</text>`);
  if (!xs || !ys || !area) return out.concat('</g>').join('\n');
  // grid and ticks
  for (const tick of xs.ticks) {
    const px = xs.getPixelForValue(tick.value);
    out.push(`<line x1="${r2(px)}" y1="${r2(area.top)}" x2="${r2(px)}" y2="${r2(area.bottom)}" stroke="${esc(t.grid)}" stroke-width="1"/>`);
    const label = xs.type === 'category' ? String(chart.data.labels?.[tick.value] ?? tick.value) : String(tick.label ?? tick.value);
    out.push(`<text x="${r2(px)}" y="${r2(area.bottom + 14)}" text-anchor="middle" fill="${esc(t.fg)}">${esc(label)}</text>`);
  }
  for (const tick of ys.ticks) {
    const py = ys.getPixelForValue(tick.value);
    out.push(`<line x1="${r2(area.left)}" y1="${r2(py)}" x2="${r2(area.right)}" y2="${r2(py)}" stroke="${esc(t.grid)}" stroke-width="1"/>`);
    out.push(`<text x="${r2(area.left - 4)}" y="${r2(py + 4)}" text-anchor="end" fill="${esc(t.fg)}">${esc(String(tick.label ?? tick.value))}</text>`);
  }
  out.push(`<defs><clipPath id="clip${ox}_${oy}"><rect x="${r2(area.left)}" y="${r2(area.top)}" width="${r2(area.right - area.left)}" height="${r2(area.bottom - area.top)}"/></clipPath></defs>`);
  out.push(`<g clip-path="url(#clip${ox}_${oy})">`);
  const legend: { label: string; color: string }[] = [];
  chart.data.datasets.forEach((ds, i) => {
    if (!chart.isDatasetVisible(i)) return;
    const type = (ds as { type?: string }).type ?? (chart.config as { type?: string }).type ?? 'line';
    const color = String((ds as { borderColor?: unknown }).borderColor ?? t.fg);
    const fill = String((ds as { backgroundColor?: unknown }).backgroundColor ?? color);
    const dash = ((ds as { borderDash?: number[] }).borderDash ?? []).join(',');
    if (ds.label) legend.push({ label: ds.label, color });
    const pts: Pt[] = (ds.data as unknown[]).map((d, j) =>
      typeof d === 'number' || d === null ? { x: j, y: d as number | null } : { x: (d as Pt).x, y: (d as Pt).y },
    );
    if (type === 'bar') {
      const base = ys.getPixelForValue(0);
      const w = (area.right - area.left) / Math.max(1, pts.length) * 0.8;
      for (const p of pts) {
        if (p.y === null || !Number.isFinite(p.y)) continue;
        const px = xs.getPixelForValue(p.x);
        const py = ys.getPixelForValue(p.y);
        out.push(`<rect x="${r2(px - w / 2)}" y="${r2(Math.min(py, base))}" width="${r2(w)}" height="${r2(Math.abs(base - py))}" fill="${esc(fill)}"/>`);
      }
      return;
    }
    const showLine = type !== 'scatter' && (ds as { showLine?: boolean }).showLine !== false;
    if (showLine) {
      let d = '';
      let pen = false;
      for (const p of pts) {
        if (p.y === null || !Number.isFinite(p.y)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${r2(xs.getPixelForValue(p.x))},${r2(ys.getPixelForValue(p.y))}`;
        pen = true;
      }
      const width = Number((ds as { borderWidth?: unknown }).borderWidth ?? 2);
      out.push(`<path d="${d}" fill="none" stroke="${esc(color)}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    }
    const radius = Number((ds as { pointRadius?: unknown }).pointRadius ?? (showLine ? 0 : 3));
    if (radius > 0) {
      for (const p of pts) {
        if (p.y === null || !Number.isFinite(p.y)) continue;
        out.push(`<circle cx="${r2(xs.getPixelForValue(p.x))}" cy="${r2(ys.getPixelForValue(p.y))}" r="${radius}" fill="${esc(fill)}" stroke="${esc(color)}"/>`);
      }
    }
  });
  out.push('</g>');
  out.push(`<rect x="${r2(area.left)}" y="${r2(area.top)}" width="${r2(area.right - area.left)}" height="${r2(area.bottom - area.top)}" fill="none" stroke="${esc(t.muted)}"/>`);
  let lx = area.left;
  for (const l of legend) {
    out.push(`<rect x="${r2(lx)}" y="${r2(chart.height - 12)}" width="10" height="10" fill="${esc(l.color)}"/>`);
    out.push(`<text x="${r2(lx + 14)}" y="${r2(chart.height - 3)}" fill="${esc(t.fg)}">${esc(l.label)}</text>`);
    lx += 24 + l.label.length * 6.5;
  }
  out.push('</g>');
  return out.join('\n');
}

/** Several charts stacked in a grid of `cols` columns, as one standalone SVG document. */
export function chartsToSvg(charts: readonly { chart: Chart; title?: string }[], t: ThemeColors, cols = 1): string {
  const w = Math.max(1, ...charts.map((c) => c.chart.width));
  const hgt = Math.max(1, ...charts.map((c) => c.chart.height + 16));
  const rows = Math.ceil(charts.length / cols);
  const parts = charts.map((c, i) => chartSvgGroup(c.chart, t, (i % cols) * w, Math.floor(i / cols) * hgt, c.title));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${w * cols}" height="${hgt * rows}" viewBox="0 0 ${w * cols} ${hgt * rows}">\n` +
    parts.join('\n') +
    '\n</svg>\n'
  );
}

/** Copies canvases onto one opaque canvas (exports must not be transparent) → PNG data URL. */
export function canvasesToPng(canvases: readonly HTMLCanvasElement[], bg: string, cols = 1): string {
  const w = Math.max(1, ...canvases.map((c) => c.width));
  const hgt = Math.max(1, ...canvases.map((c) => c.height));
  const out = document.createElement('canvas');
  out.width = w * cols;
  out.height = hgt * Math.ceil(canvases.length / cols);
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas context');
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, out.width, out.height);
  canvases.forEach((c, i) => ctx.drawImage(c, (i % cols) * w, Math.floor(i / cols) * hgt));
  return out.toDataURL('image/png');
}
