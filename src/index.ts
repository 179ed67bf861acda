/**
 * The library API: the same functions the CLI uses.
 *
 *   import { analyze, render } from 'sipscope';
 *   const result = await analyze(['cdr/2024-03-05.csv.gz'], { routesFile: 'routes.csv', bucket: '1h' });
 *   process.stdout.write(render(result, 'md'));
 */
export * from './types.js';
export type * from './analysis/result.js';
export { VERSION } from './version.js';
export { ExitCode, SipscopeError, UsageError, InputError } from './errors.js';

// Pipeline: inputs → records → analysis.
export { analyze, collect, readInput, readInputs, readChain, resolveRoutes, type AnalyzeOptions, type ReadOptions } from './pipeline.js';
export { expandInputs, type InputSpec } from './input/expand.js';
export { openInput, type SourceKind } from './input/open.js';
export { sniffKind } from './input/sniff-kind.js';
export { loadConfig, type ConfigFile } from './config.js';
export { parseFailOn, evaluateFailOn, type FailRule } from './failon.js';

// Sources (push-based parsers: chunks in, CallRecords out).
export { createCaptureSource } from './sip/capture-source.js';
export { createAsteriskLogSource, isAsteriskLog } from './asterisk/index.js';
export { createCdrSource, isCdrCsv } from './cdr/index.js';
export { scanSipMessage, looksLikeSip } from './sip/scanner.js';
export { CallTracker } from './sip/tracker.js';
export { WireCounter } from './sip/wire.js';
export { loadRoutes } from './routes.js';

// Analysis and reports.
export { Aggregator, finish, DEFAULT_THRESHOLDS, type AnalysisOptions, type Thresholds } from './analysis/index.js';
export { render, REPORT_FORMATS, type ReportFormat, type RenderOptions, csvCell, escapeHtml, escapeHtmlText } from './report/index.js';
export { csvRow } from './report/csv.js';
export { mdText } from './report/md.js';
export { promLabelValue } from './report/prom.js';
export { jsonText } from './report/json-text.js';

// Post-mortems (one call's ladder and diagnosis, calls, scanners) are in 'sipscope/postmortem'.

// The response-code catalogue.
export * from './catalogue/index.js';
