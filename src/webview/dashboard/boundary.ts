// Decision surface (2-D data: heatmap of the predicted class/probability with the points on
// top, as in TF Playground) or fitted curve (1-D regression), drawn on a plain canvas.
import type { BoundaryView, Task } from '../../shared/protocol';
import type { ThemeColors } from '../common/theme';
import { seriesColor } from '../common/theme';

/** Class k's colour: orange, blue, green (TF Playground's orange/blue, then a third). */
function classColor(t: ThemeColors, k: number): string {
  return seriesColor(t, k === 0 ? 1 : k === 1 ? 0 : 2);
}

/** [r, g, b] of a #rrggbb colour (theme variables come as hex); grey otherwise. */
function rgb(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})/i.exec(color.trim());
  if (!m || !m[1]) return [128, 128, 128];
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function drawBoundary(canvas: HTMLCanvasElement, b: BoundaryView, task: Task, t: ThemeColors): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 220;
  const hgt = canvas.clientHeight || 220;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(hgt * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = t.bg;
  ctx.fillRect(0, 0, w, hgt);
  const X = (x: number): number => ((x - b.xmin) / (b.xmax - b.xmin)) * w;
  const Y = (y: number): number => hgt - ((y - b.ymin) / (b.ymax - b.ymin)) * hgt;
  if (b.kind === '2d') {
    // One pixel per grid cell on a small canvas, scaled up with smoothing: a continuous
    // surface without seams between cells.
    const cells = document.createElement('canvas');
    cells.width = b.nx;
    cells.height = b.ny;
    const cctx = cells.getContext('2d');
    if (!cctx) return;
    const img = cctx.createImageData(b.nx, b.ny);
    let lo = Infinity, hi = -Infinity;
    if (task === 'regression') for (const v of b.values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const bg = rgb(t.bg);
    for (let j = 0; j < b.ny; j++) {
      for (let i = 0; i < b.nx; i++) {
        const v = b.values[j * b.nx + i] as number;
        let col: [number, number, number];
        let a: number;
        if (task === 'binary') {
          col = rgb(classColor(t, v >= 0.5 ? 1 : 0));
          a = 0.08 + 0.42 * Math.abs(v - 0.5) * 2;
        } else if (task === 'multiclass') {
          col = rgb(classColor(t, Math.round(v)));
          a = 0.35;
        } else {
          col = rgb(seriesColor(t, 0));
          a = 0.1 + 0.6 * ((v - lo) / Math.max(1e-12, hi - lo));
        }
        // grid row j is y ascending; image rows go downward
        const o = ((b.ny - 1 - j) * b.nx + i) * 4;
        for (let c = 0; c < 3; c++) img.data[o + c] = Math.round((col[c] as number) * a + (bg[c] as number) * (1 - a));
        img.data[o + 3] = 255;
      }
    }
    cctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(cells, 0, 0, w, hgt);
    for (let k = 0; k < b.px.length; k++) {
      const label = b.plabel[k] as number;
      ctx.beginPath();
      ctx.arc(X(b.px[k] as number), Y(b.py[k] as number), t.highContrast ? 3.5 : 2.6, 0, 2 * Math.PI);
      ctx.fillStyle = classColor(t, task === 'regression' ? 0 : Math.round(label));
      ctx.fill();
      ctx.lineWidth = 0.8;
      ctx.strokeStyle = t.fg;
      ctx.stroke();
    }
  } else {
    ctx.strokeStyle = t.grid;
    ctx.beginPath();
    ctx.moveTo(0, Y(0));
    ctx.lineTo(w, Y(0));
    ctx.stroke();
    ctx.fillStyle = t.muted;
    for (let k = 0; k < b.px.length; k++) {
      ctx.beginPath();
      ctx.arc(X(b.px[k] as number), Y(b.py[k] as number), 2, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.strokeStyle = seriesColor(t, 0);
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    b.values.forEach((v, i) => {
      const x = b.xmin + ((b.xmax - b.xmin) * i) / Math.max(1, b.nx - 1);
      if (i === 0) ctx.moveTo(X(x), Y(v));
      else ctx.lineTo(X(x), Y(v));
    });
    ctx.stroke();
  }
  ctx.strokeStyle = t.muted;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, w - 1, hgt - 1);
}
