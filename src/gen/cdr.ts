/**
 * CDR exports of the scenario's calls: Asterisk's cdr-csv Master.csv (no header, 18 columns as
 * Asterisk 13–20 write them) and a carrier export with a header (vendor, SIP code, Q.850, PDD…).
 */
import { type GenCall, type Scenario, billsec, callTimes, dispositionOf } from './scenario.js';
import type { ByteOut } from './out.js';
import { isoSpace } from './time.js';

function q(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/**
 * One Master.csv row: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
 * start, answer, end, duration, billsec, disposition, amaflags, uniqueid, userfield.
 */
export function masterCsvRow(c: GenCall): string {
  const t = callTimes(c);
  const answer = t.answer !== undefined ? isoSpace(t.answer) : '';
  const duration = Math.floor(t.end / 1000) - Math.floor(c.start / 1000);
  const unique = `${Math.floor(c.start / 1000)}.${c.chanSeq}`;
  return [
    q(''),
    q(c.caller),
    q(c.callee),
    q('from-customer'),
    q(`"${c.caller}" <${c.caller}>`),
    q(`PJSIP/customer-${hex8(c.chanSeq)}`),
    q(`PJSIP/${c.route}-${hex8(c.chanSeq + 1)}`),
    q('Dial'),
    q(`PJSIP/${c.callee}@${c.route},60`),
    q(isoSpace(c.start)),
    q(answer),
    q(isoSpace(t.end)),
    String(duration),
    String(billsec(c)),
    q(dispositionOf(c.finalCode)),
    q('DOCUMENTATION'),
    q(unique),
    q(''),
  ].join(',');
}

export function writeMasterCsv(s: Scenario, out: ByteOut): { rows: number } {
  let rows = 0;
  for (const c of s.calls()) {
    out.text(masterCsvRow(c) + '\n');
    rows++;
  }
  return { rows };
}

export interface CarrierCsvOptions {
  /** Field delimiter; default `,`. */
  delimiter?: ',' | ';' | '\t' | '|';
  /** Line ending; default `\r\n` (what most billing exports write). */
  eol?: '\n' | '\r\n';
}

export const CARRIER_HEADER = [
  'Call ID',
  'Setup Time',
  'Connect Time',
  'Disconnect Time',
  'ANI',
  'DNIS',
  'Vendor',
  'SIP Code',
  'Reason',
  'Q850 Cause',
  'Duration',
  'PDD ms',
] as const;

function csvField(s: string, d: string): string {
  return s.includes(d) || s.includes('"') || s.includes('\n') ? q(s) : s;
}

/** One carrier CDR row, in CARRIER_HEADER order (`Duration` is the answered talk time in s). */
export function carrierCsvRow(c: GenCall, d = ','): string {
  const t = callTimes(c);
  const pdd = t.ring !== undefined ? t.ring - t.invite : t.final - t.invite;
  const fields = [
    c.callId,
    isoSpace(c.start, true),
    t.answer !== undefined ? isoSpace(t.answer, true) : '',
    isoSpace(t.end, true),
    c.caller,
    c.callee,
    c.route,
    String(c.finalCode),
    c.finalReason,
    c.q850 !== undefined ? String(c.q850) : c.finalCode === 200 ? '16' : '',
    // Talk time in whole seconds (what carriers bill), 0 when not answered.
    String(billsec(c)),
    String(pdd),
  ];
  return fields.map((f) => csvField(f, d)).join(d);
}

export function writeCarrierCsv(s: Scenario, out: ByteOut, o: CarrierCsvOptions = {}): { rows: number } {
  const d = o.delimiter ?? ',';
  const eol = o.eol ?? '\r\n';
  out.text(CARRIER_HEADER.map((h) => csvField(h, d)).join(d) + eol);
  let rows = 0;
  for (const c of s.calls()) {
    out.text(carrierCsvRow(c, d) + eol);
    rows++;
  }
  return { rows };
}
