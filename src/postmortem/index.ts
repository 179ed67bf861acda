/**
 * The post-mortem library API (`import { collectCall, buildFlow, flowText } from 'sipscope/postmortem'`): one call's
 * messages and records from the inputs, its ladder and diagnosis, the `calls` rows and the `scanners` table. A
 * module of its own, so that `import … from 'sipscope'` does not load it.
 */
export { diagnose, DIAGNOSIS_IDS, messageLabel, jwsCardOf, rawHeader, NO_ANSWER_MIN_MS, DECLINE_MIN_RING_MS, AUTO_REJECT_MS, type Diagnosis, type DiagnosisId, type Evidence, type Severity } from './diagnose.js';
export { LegIndex, sameNumber } from './legs.js';
export { collectCall, readAll, specsOf, type CallLeg, type CollectedCall } from './collect.js';
export { buildFlow, flowText, flowJson, flowSvg, flowHtml, flowMd, type CallFlow } from './ladder.js';
export { callRow, makeFilter, parseTime, callsTable, csvCallRow, csvHeader, CALL_COLUMNS, type CallRow, type CallFilter } from './calls.js';
export { ScannerDetector, isScannerAgent, SCANNER_AGENTS, DEFAULT_SCANNER_THRESHOLDS } from './scanners.js';
export { scannersTable, scannersJson } from './scanners-render.js';
