import type { DayCounts } from '../report-types.js';
import { escapeHtml } from './escape.js';

const DECISION_COLOURS = {
  allowed: '#4c9a6a',
  approved: '#3b7dd8',
  blocked: '#c8463d',
  denied: '#e08a2c',
  expired: '#8a6fbf',
} as const;

const DECISION_ORDER = ['allowed', 'approved', 'blocked', 'denied', 'expired'] as const;

/**
 * Statements per day by decision as stacked bars: one `<g class="day">` per day of the period,
 * one `<rect>` per non-zero decision in it. Inline SVG, so the file needs nothing else.
 */
export function dailyChart(days: readonly DayCounts[]): string {
  const width = 720;
  const height = 220;
  const top = 10;
  const bottom = 40;
  const left = 40;
  const plot = height - top - bottom;
  const max = Math.max(1, ...days.map((d) => DECISION_ORDER.reduce((sum, k) => sum + d.decisions[k], 0)));
  const slot = (width - left - 10) / Math.max(1, days.length);
  const bar = Math.max(2, Math.min(28, slot * 0.7));
  const groups = days.map((d, index) => {
    const x = left + index * slot + (slot - bar) / 2;
    let y = top + plot;
    const rects = DECISION_ORDER.filter((k) => d.decisions[k] > 0).map((k) => {
      const h = (d.decisions[k] / max) * plot;
      y -= h;
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${DECISION_COLOURS[k]}"><title>${d.day} ${k}: ${d.decisions[k]}</title></rect>`;
    });
    const label =
      days.length <= 31 && (days.length <= 10 || index % Math.ceil(days.length / 10) === 0)
        ? `<text x="${(x + bar / 2).toFixed(1)}" y="${height - bottom + 14}" font-size="9" text-anchor="middle">${d.day.slice(5)}</text>`
        : '';
    return `<g class="day" data-day="${d.day}">${rects.join('')}${label}</g>`;
  });
  const legend = DECISION_ORDER.map(
    (k, i) =>
      `<rect x="${left + i * 90}" y="${height - 14}" width="10" height="10" fill="${DECISION_COLOURS[k]}"/><text x="${left + i * 90 + 14}" y="${height - 5}" font-size="10">${k}</text>`,
  ).join('');
  return `<svg class="chart" id="chart-days" viewBox="0 0 ${width} ${height}" role="img" aria-label="Statements per day by decision">
<line x1="${left}" y1="${top + plot}" x2="${width - 10}" y2="${top + plot}" stroke="#999"/>
<text x="${left - 4}" y="${top + 8}" font-size="9" text-anchor="end">${max}</text>
<text x="${left - 4}" y="${top + plot}" font-size="9" text-anchor="end">0</text>
${groups.join('\n')}
${legend}
</svg>`;
}

/** The identities with the most statements, as horizontal bars. */
export function identityChart(top: readonly { identity: string; statements: number }[]): string {
  const rowHeight = 20;
  const width = 720;
  const left = 160;
  const height = Math.max(1, top.length) * rowHeight + 10;
  const max = Math.max(1, ...top.map((t) => t.statements));
  const rows = top.map((t, i) => {
    const w = ((width - left - 60) * t.statements) / max;
    const y = 5 + i * rowHeight;
    return `<g class="identity"><text x="${left - 6}" y="${y + 13}" font-size="11" text-anchor="end">${escapeHtml(t.identity)}</text><rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="#3b7dd8"/><text x="${(left + w + 4).toFixed(1)}" y="${y + 13}" font-size="11">${t.statements}</text></g>`;
  });
  return `<svg class="chart" id="chart-identities" viewBox="0 0 ${width} ${height}" role="img" aria-label="Top identities by statements">${rows.join('')}</svg>`;
}
