import type { ControlSection, Finding, Report, ReportTable } from '../report-types.js';
import { dailyChart, identityChart } from './charts.js';
import { escapeHtml as e } from './escape.js';
import { REPORT_CSS } from './html-style.js';

/**
 * One self-contained HTML file: inline CSS and SVG, no script, no external resource. Record
 * references (#123) link to the "Referenced records" table at the end, which holds each one.
 */
export function renderHtml(report: Report): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.title)} ${e(report.period.from.slice(0, 10))} – ${e(report.period.to.slice(0, 10))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${e(report.title)}</h1>
<p class="meta">Period <b>${e(report.period.from)}</b> to <b>${e(report.period.to)}</b> · generated ${e(report.generatedAt)}<br>
Journal ${e(report.journal.path)} · ${report.journal.records} record(s) · chain <b class="${report.chain.ok ? 'ok' : 'bad'}">${report.chain.ok ? 'intact' : 'BROKEN'}</b> · head #${e(report.chain.headSeq ?? '-')} <code>${e(report.chain.headHash ?? '')}</code></p>
<nav>${report.sections.map((s) => `<a href="#${anchor(s.control)}">${e(s.control)}</a>`).join(' · ')}</nav>
</header>
<section id="findings" class="findings">
<h2>Findings</h2>
${findingsHtml(report.findings)}
</section>
<section id="charts" class="charts">
<h2>Statements per day by decision</h2>
${dailyChart(report.charts.days)}
<h2>Top identities</h2>
${identityChart(report.charts.topIdentities)}
</section>
${report.sections.map(sectionHtml).join('\n')}
<section id="records" class="records">
<h2>Referenced records</h2>
<p>Records named in the findings; <code>sluice audit search --before SEQ+1 --limit 1 --json</code> shows any record in full.</p>
${
  report.referencedRecords.length === 0
    ? '<p class="none">None.</p>'
    : `<table><thead><tr><th>Record</th><th>Time</th><th>Type</th><th>Content</th></tr></thead><tbody>${report.referencedRecords
        .map(
          (r) =>
            `<tr id="rec-${r.seq}"><td>#${r.seq}</td><td>${e(r.at)}</td><td>${e(r.type)}</td><td><code>${e(r.summary)}</code></td></tr>`,
        )
        .join('')}</tbody></table>`
}
</section>
</body>
</html>
`;
}

function findingsHtml(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<p class="ok">No findings.</p>';
  return `<ul>${findings
    .map(
      (f) =>
        `<li class="finding ${f.severity}" id="finding-${e(f.id)}"><span class="severity">${f.severity}</span> <a href="#${anchor(f.control)}">${e(f.control)}</a> <b>${e(f.title)}</b><br>${e(f.detail)}${f.records.length ? `<br>Records: ${f.records.map((s) => `<a href="#rec-${s}">#${s}</a>`).join(' ')}` : ''}</li>`,
    )
    .join('\n')}</ul>`;
}

function sectionHtml(section: ControlSection): string {
  return `<section class="control" id="${anchor(section.control)}">
<h2>${e(section.control)} — ${e(section.title)}</h2>
<p class="enforced">${e(section.enforced)}</p>
<dl>${section.facts.map((f) => `<dt>${e(f.label)}</dt><dd>${e(f.value)}</dd>`).join('')}</dl>
${section.tables.map(tableHtml).join('\n')}
${section.example ? `<h3>An example record in full</h3><pre class="example">${e(JSON.stringify(section.example, null, 2))}</pre>` : ''}
</section>`;
}

function tableHtml(table: ReportTable): string {
  if (table.rows.length === 0) return `<h3>${e(table.title)}</h3><p class="none">None.</p>`;
  return `<h3>${e(table.title)}</h3>
<table><thead><tr>${table.columns.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead>
<tbody>${table.rows.map((row) => `<tr>${row.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>${table.omitted ? `<p class="none">…and ${table.omitted} more.</p>` : ''}`;
}

function anchor(control: string): string {
  return `control-${control.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}
