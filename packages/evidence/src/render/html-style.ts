/** Screen and print styles; each control starts a printed page, tables do not split rows. */
export const REPORT_CSS = `
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; border-bottom: 1px solid #ccc; padding-bottom: 3px; margin-top: 28px; }
h3 { font-size: 14px; margin: 18px 0 6px; }
.meta { color: #555; margin: 0 0 8px; }
code { font-size: 11px; word-break: break-all; }
nav a { margin-right: 4px; }
.ok { color: #2d7a4a; } .bad { color: #b3261e; }
.findings ul { list-style: none; padding: 0; }
.finding { border-left: 4px solid #999; padding: 4px 10px; margin: 6px 0; background: #f7f7f8; }
.finding.high { border-color: #b3261e; } .finding.medium { border-color: #e08a2c; } .finding.low { border-color: #3b7dd8; }
.severity { text-transform: uppercase; font-size: 10px; font-weight: 700; letter-spacing: .05em; }
.chart { width: 100%; height: auto; display: block; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
dt { color: #555; } dd { margin: 0; font-weight: 600; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; word-break: break-word; }
th { background: #f0f0f2; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
pre.example { background: #f7f7f8; padding: 8px; font-size: 11px; white-space: pre-wrap; word-break: break-all; }
.none { color: #777; }
.records code { font-size: 10px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  section.control, section.records { break-before: page; }
  .charts, h2, h3 { break-after: avoid; }
  .chart, .finding, dl { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 14mm; }
`;
