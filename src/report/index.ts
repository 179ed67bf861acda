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

import { type RenderOptions, type ReportFormat } from './formats.js';

export {
  REPORT_FORMATS, isReportFormat, renderLazy, spikeCheckLine, spikeCheckWarning, unjudgedSpikeRoutes, type RenderOptions, type ReportFormat,
} from './formats.js';

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
export { escapeHtml, escapeHtmlText } from './escape.js';
export { mdText } from './md.js';
export { promLabelValue } from './prom.js';
export { jsonText } from './json-text.js';
