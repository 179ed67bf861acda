/**
 * The report formats, and rendering with only the chosen format's module loaded (the CLI: a JSON run
 * does not load the HTML, table and Markdown renderers). `render` in index.ts is the same, synchronous.
 */
import type { AnalysisResult } from '../analysis/result.js';

/** How spikes were judged, in words (the CLI's `--fail-on spike` stderr line). */
export { spikeCheckLine, spikeCheckWarning, unjudgedSpikeRoutes } from './spike-checks.js';

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

/** `render` (index.ts), loading only the module of `format`. */
export async function renderLazy(result: AnalysisResult, format: ReportFormat, opts: RenderOptions = {}): Promise<string> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).renderTable(result, opts);
    case 'json':
      return (await import('./json.js')).renderJson(result);
    case 'csv':
      return (await import('./csv.js')).renderCsv(result, opts);
    case 'md':
      return (await import('./md.js')).renderMd(result, opts);
    case 'html':
      return (await import('./html.js')).renderHtml(result, opts);
    case 'prom':
      return (await import('./prom.js')).renderProm(result);
  }
}
