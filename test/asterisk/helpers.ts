import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';
import type { CallRecord, InputAccounting, SecurityEvent, SipMessage, SourceOptions } from '../../src/types.js';

export const FIXTURES = new URL('../../fixtures/asterisk/', import.meta.url);
export const CORPUS = new URL('../../../shared/corpus/asterisk/', import.meta.url);

export interface Run {
  records: CallRecord[];
  messages: SipMessage[];
  security: SecurityEvent[];
  acc: InputAccounting;
}

export function fixture(name: string): Uint8Array {
  const data = readFileSync(new URL(name, FIXTURES));
  return name.endsWith('.gz') ? gunzipSync(data) : data;
}

/** Feeds `data` in chunks of `chunk` bytes (0 = all at once). */
export function run(data: Uint8Array, chunk = 0, opts: SourceOptions = {}, file = 'test.log'): Run {
  const out: Run = { records: [], messages: [], security: [], acc: undefined as unknown as InputAccounting };
  const src = createAsteriskLogSource(
    file,
    { record: (r) => out.records.push(r), message: (m) => out.messages.push(m), security: (e) => out.security.push(e) },
    opts,
  );
  if (chunk <= 0) src.push(data);
  else for (let i = 0; i < data.length; i += chunk) src.push(data.subarray(i, Math.min(data.length, i + chunk)));
  src.end();
  out.acc = src.accounting;
  return out;
}

export function reconciled(acc: InputAccounting): void {
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  if (acc.read !== acc.used + acc.ignored + acc.malformed) throw new Error(`read ${acc.read} != ${acc.used}+${acc.ignored}+${acc.malformed}`);
  if (acc.ignored !== sum(acc.ignoredBy)) throw new Error('ignored != sum(ignoredBy)');
  if (acc.malformed !== sum(acc.anomalies)) throw new Error('malformed != sum(anomalies)');
}

export interface RouteSummary {
  attempts: number;
  answered: number;
  codes: Record<string, number>;
  durationsSec: number[];
}

export function byRoute(records: CallRecord[]): Record<string, RouteSummary> {
  const out: Record<string, RouteSummary> = {};
  for (const r of records) {
    const s = (out[r.route] ??= { attempts: 0, answered: 0, codes: {}, durationsSec: [] });
    s.attempts++;
    if (r.answer !== undefined) {
      s.answered++;
      if (r.duration !== undefined) s.durationsSec.push(Math.round(r.duration / 1000));
    }
    const k = String(r.finalCode ?? 0);
    s.codes[k] = (s.codes[k] ?? 0) + 1;
  }
  for (const s of Object.values(out)) s.durationsSec.sort((a, b) => a - b);
  return out;
}

/** A stable text of everything a run produced (for comparing chunkings and formats). */
export function digest(r: Run): string {
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  const acc = { ...r.acc, ignoredBy: sorted(r.acc.ignoredBy), anomalies: sorted(r.acc.anomalies) };
  return JSON.stringify({ records: r.records, messages: r.messages, security: r.security, acc });
}
