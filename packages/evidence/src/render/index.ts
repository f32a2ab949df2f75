import type { Report } from '../report-types.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export type ReportFormat = 'md' | 'json' | 'html';

export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'json', 'html'];

export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
  }
}
