/**
 * Renderers of the analysis result. Each format is a small module of its own; all take the same AnalysisResult.
 */
import type { AnalysisResult } from '../analysis/result.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMd } from './md.js';
import { renderProm } from './prom.js';
import { renderTable } from './table.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'md', 'html', 'prom'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

export interface RenderOptions {
  /** table: ANSI colours (the CLI passes `stdout is a TTY && !NO_COLOR`). Default false. */
  color?: boolean;
  /** csv: one row per route (default), per route and time bucket, or per route and destination prefix. */
  by?: 'route' | 'bucket' | 'prefix';
  /** md, html: the title. Default `sipscope report`. */
  title?: string;
  /** table: ASR below this ratio is red (below 1.5× it yellow). Default 0.35. */
  asrWarn?: number;
  /** html: routes that get an ASR chart, busiest first. Default 40. */
  maxCharts?: number;
}

/** The result in one format, as the text to write (to stdout or --out). */
export function render(result: AnalysisResult, format: ReportFormat, opts: RenderOptions = {}): string {
  switch (format) {
    case 'table':
      return renderTable(result, opts);
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCsv(result, opts);
    case 'md':
      return renderMd(result, opts);
    case 'html':
      return renderHtml(result, opts);
    case 'prom':
      return renderProm(result);
  }
}

export { renderCsv, renderHtml, renderJson, renderMd, renderProm, renderTable };
export { csvCell, csvRow } from './csv.js';
export { escapeHtml } from './escape.js';
export { mdText } from './md.js';
export { promLabelValue } from './prom.js';
