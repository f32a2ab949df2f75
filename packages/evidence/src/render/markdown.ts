import type { ControlSection, Finding, Report, ReportTable } from '../report-types.js';

/** The report as Markdown: findings first, then one section per control. */
export function renderMarkdown(report: Report): string {
  const lines: string[] = [
    `# ${report.title}`,
    '',
    `Period: ${report.period.from} to ${report.period.to} · generated ${report.generatedAt}`,
    `Journal: ${report.journal.path} · ${report.journal.records} record(s) · chain ${report.chain.ok ? 'intact' : 'BROKEN'} · head #${report.chain.headSeq ?? '-'} ${report.chain.headHash ?? ''}`,
    '',
    '## Findings',
    '',
    ...findings(report.findings),
    '',
    '## Statements per day',
    '',
    ...table({
      title: '',
      columns: ['Day', 'allowed', 'blocked', 'approved', 'denied', 'expired'],
      rows: report.charts.days
        .filter((d) => Object.values(d.decisions).some((n) => n > 0))
        .map((d) => [
          d.day,
          d.decisions.allowed,
          d.decisions.blocked,
          d.decisions.approved,
          d.decisions.denied,
          d.decisions.expired,
        ]),
    }),
  ];
  for (const section of report.sections) lines.push('', ...sectionLines(section));
  lines.push(
    '',
    '## Referenced records',
    '',
    ...table({
      title: '',
      columns: ['Record', 'Time', 'Type', 'Content'],
      rows: report.referencedRecords.map((r) => [`#${r.seq}`, r.at, r.type, r.summary]),
    }),
  );
  return `${lines.join('\n')}\n`;
}

function findings(list: readonly Finding[]): string[] {
  if (list.length === 0) return ['No findings.'];
  return list.map(
    (f) =>
      `- **${f.severity.toUpperCase()}** [${f.control}] ${f.title}: ${f.detail}${f.records.length ? ` (records ${f.records.map((s) => `#${s}`).join(', ')})` : ''}`,
  );
}

function sectionLines(section: ControlSection): string[] {
  const lines = [`## ${section.control} — ${section.title}`, '', section.enforced, ''];
  for (const fact of section.facts) lines.push(`- ${fact.label}: **${cell(fact.value)}**`);
  for (const each of section.tables) lines.push('', ...table(each));
  if (section.example) {
    lines.push(
      '',
      '### An example record in full',
      '',
      '```json',
      JSON.stringify(section.example, null, 2),
      '```',
    );
  }
  return lines;
}

function table(each: ReportTable): string[] {
  const lines = each.title ? [`### ${each.title}`, ''] : [];
  if (each.rows.length === 0) return [...lines, 'None.'];
  lines.push(`| ${each.columns.map(cell).join(' | ')} |`, `|${each.columns.map(() => ' --- ').join('|')}|`);
  for (const row of each.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  if (each.omitted) lines.push('', `…and ${each.omitted} more (see \`sluice audit search\`).`);
  return lines;
}

function cell(value: string | number): string {
  return String(value).replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}
