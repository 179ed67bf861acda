/**
 * The post-mortem library API (`import { collectCall, buildFlow, flowText } from 'sipscope/postmortem'`): one call's
 * messages and records from the inputs, its ladder and diagnosis, the `calls` rows and the `scanners` table. A
 * module of its own, so that `import … from 'sipscope'` does not load it.
 */
export { diagnose, linkedTeardown, DIAGNOSIS_IDS, messageLabel, jwsCardOf, rawHeader, NO_ANSWER_MIN_MS, DECLINE_MIN_RING_MS, AUTO_REJECT_MS, type Diagnosis, type DiagnosisId, type DiagnoseOptions, type Evidence, type LinkedParties, type Severity } from './diagnose.js';
export { LegIndex, sameNumber } from './legs.js';
export { collectCall, readAll, specsOf, type CallLeg, type CollectedCall } from './collect.js';
export { splitDialogs, type DialogPart } from './dialogs.js';
export { buildFlow, flowText, flowJson, flowSvg, flowHtml, flowMd, type CallFlow, type DialogSummary } from './ladder.js';
export { callRow, CallRows, makeFilter, parseTime, callsTable, csvCallRow, csvHeader, CALL_COLUMNS, TEARDOWN_SPREAD_MS, type CallRow, type CallFilter } from './calls.js';
export { ScannerDetector, isScannerAgent, SCANNER_AGENTS, DEFAULT_SCANNER_THRESHOLDS } from './scanners.js';
export { scannersTable, scannersJson } from './scanners-render.js';
