/**
 * Per-call rows for `sipscope calls`: one row per call attempt, filtered, as a table, CSV (formula-safe)
 * or JSON. CSV and JSON stream rows as the sources emit records; the table needs them all (sorted by start).
 */
import { describeCode } from '../catalogue/index.js';
import { csvRow } from '../report/csv.js';
import { flagNames, type CallRecord } from '../types.js';
import { printable } from '../printable.js';
import { digitsOf } from './legs.js';

export interface CallFilter {
  route?: string;
  /** A code (`486`) or a class (`4xx`). */
  code?: string;
  /** Digits or text found in the caller or the callee. */
  number?: string;
  since?: number;
  until?: number;
}

export interface CallRow {
  /** ISO 8601 UTC; null for a call whose source gave no time (e.g. an Asterisk console excerpt). */
  start: string | null;
  route: string;
  caller: string | null;
  callee: string | null;
  code: number | null;
  reason: string | null;
  /** The catalogue's name of the code (its reason, or the provider variant the phrase matched). */
  meaning: string | null;
  pddMs: number | null;
  answered: boolean;
  durationSec: number | null;
  hangup: string | null;
  flags: string[];
  callId: string;
  source: string;
}

export const CALL_COLUMNS = ['start', 'route', 'caller', 'callee', 'code', 'reason', 'meaning', 'pdd_ms', 'answered', 'duration_sec', 'hangup', 'flags', 'call_id', 'source'] as const;

export { parseTime } from '../time-arg.js';

/** `486` or `4xx`; undefined when the text is neither. */
export function parseCodeFilter(s: string): ((code: number | undefined) => boolean) | undefined {
  const t = s.trim().toLowerCase();
  if (/^[1-6]\d\d$/.test(t)) {
    const n = Number(t);
    return (c) => c === n;
  }
  if (/^[1-6]xx$/.test(t)) {
    const d = Number(t[0]);
    return (c) => c !== undefined && Math.floor(c / 100) === d;
  }
  // `0` is how the reports write "no final response" (explain 0)
  if (t === 'none' || t === '0' || t === '000') return (c) => c === undefined;
  return undefined;
}


export function makeFilter(f: CallFilter): (r: CallRecord) => boolean {
  const code = f.code !== undefined ? parseCodeFilter(f.code) : undefined;
  const num = f.number?.trim();
  // digits are compared as digits (`+7495` finds `74951234567`, `7 495` too); other text as it is written
  const numDigits = digitsOf(num);
  const hasNumber = (v: string | undefined): boolean => v !== undefined && (v.includes(num!) || (numDigits !== undefined && (digitsOf(v)?.includes(numDigits) ?? false)));
  const window = f.since !== undefined || f.until !== undefined;
  return (r) => {
    if (f.route !== undefined && r.route !== f.route) return false;
    // A call with no time is in no window.
    if (window && !Number.isFinite(r.start)) return false;
    if (code && !code(r.finalCode)) return false;
    if (num && !(hasNumber(r.caller) || hasNumber(r.callee))) return false;
    if (f.since !== undefined && r.start < f.since) return false;
    if (f.until !== undefined && r.start >= f.until) return false;
    return true;
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function callRow(r: CallRecord): CallRow {
  const d = r.finalCode !== undefined ? describeCode(r.finalCode, r.finalReason) : undefined;
  return {
    start: Number.isFinite(r.start) ? new Date(r.start).toISOString() : null,
    route: r.route,
    caller: r.caller ?? null,
    callee: r.callee ?? null,
    code: r.finalCode ?? null,
    reason: r.finalReason ?? null,
    meaning: d ? (d.variant?.reason ?? d.reason) : null,
    pddMs: r.pdd !== undefined ? Math.round(r.pdd) : null,
    answered: r.answer !== undefined || (r.finalCode !== undefined && r.finalCode >= 200 && r.finalCode < 300),
    durationSec: r.duration !== undefined ? round1(r.duration / 1000) : null,
    hangup: r.disconnectedBy ?? null,
    flags: flagNames(r.flags),
    callId: r.callId,
    source: r.source.file + (r.source.packet ? `#${r.source.packet}` : r.source.line ? `:${r.source.line}` : ''),
  };
}

export const csvHeader = (): string => csvRow([...CALL_COLUMNS]);

export function csvCallRow(c: CallRow): string {
  return csvRow([c.start, c.route, c.caller, c.callee, c.code, c.reason, c.meaning, c.pddMs, c.answered, c.durationSec, c.hangup, c.flags.join('|'), c.callId, c.source]);
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/** A plain-text table (no colours), wire strings sanitised and clipped. */
export function callsTable(rows: readonly CallRow[]): string {
  const head = ['start', 'route', 'caller', 'callee', 'final', 'PDD s', 'answer', 'dur s', 'hangup', 'flags', 'Call-ID'];
  const body = rows.map((c) => [
    c.start === null ? '(no time)' : c.start.replace('T', ' ').replace('Z', ''),
    clip(printable(c.route), 24),
    clip(printable(c.caller ?? ''), 20),
    clip(printable(c.callee ?? ''), 20),
    c.code === null ? '—' : clip(`${c.code} ${printable(c.reason ?? c.meaning ?? '')}`.trim(), 32),
    c.pddMs === null ? '' : (c.pddMs / 1000).toFixed(2),
    c.answered ? 'yes' : 'no',
    c.durationSec === null ? '' : c.durationSec.toFixed(1),
    c.hangup ?? '',
    c.flags.join(','),
    clip(printable(c.callId), 40),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}
