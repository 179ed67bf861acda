/**
 * Per-call rows for `sipscope calls`: one row per call attempt, filtered, as a table, CSV (formula-safe)
 * or JSON. CSV and JSON stream rows as the sources emit records; the table needs them all (sorted by start).
 */
import { describeCode } from '../catalogue/index.js';
import { csvRow } from '../report/csv.js';
import { flagNames, type CallRecord } from '../types.js';
import { printable } from '../printable.js';
import { digitsOf, LEG_WINDOW_MS, sameNumber } from './legs.js';

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
  /**
   * Who ended an answered call: `caller` or `callee` (who sent the BYE, or whose hangup the log names), `proxy`
   * (a proxy, B2BUA or SBC between them began the BYE on every hop or leg of the call: neither party hung up),
   * `unknown`; null when the call was never answered or its end is not in the data.
   */
  hangup: 'caller' | 'callee' | 'proxy' | 'unknown' | null;
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

/**
 * The row of a record. `proxyEnded`: the hops or legs of its call were all ended by the proxy or B2BUA between
 * the parties (`CallRows` finds that).
 */
export function callRow(r: CallRecord, proxyEnded = false): CallRow {
  const d = r.finalCode !== undefined ? describeCode(r.finalCode, r.finalReason) : undefined;
  const answered = r.answer !== undefined || (r.finalCode !== undefined && r.finalCode >= 200 && r.finalCode < 300);
  return {
    start: Number.isFinite(r.start) ? new Date(r.start).toISOString() : null,
    route: r.route,
    caller: r.caller ?? null,
    callee: r.callee ?? null,
    code: r.finalCode ?? null,
    reason: r.finalReason ?? null,
    meaning: d ? (d.variant?.reason ?? d.reason) : null,
    pddMs: r.pdd !== undefined ? Math.round(r.pdd) : null,
    answered,
    durationSec: r.duration !== undefined ? round1(r.duration / 1000) : null,
    // Who hung up only means something once the call was answered: a source may say who ended an attempt that
    // failed (an Asterisk log's Dial outcome), which is not a hang-up.
    hangup: !answered ? null : proxyEnded ? 'proxy' : (r.disconnectedBy ?? null),
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

/** Longest Call-ID the table shows whole: real ones are far shorter (pjsip's base64 ids are 44 characters). */
const CALL_ID_MAX = 256;

/** A plain-text table (no colours), wire strings sanitised and clipped (not the Call-ID). */
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
    // whole (the last column: its width costs nothing), for `flow --call-id`; only a hostile one is cut (and
    // flow takes a unique prefix of it)
    clip(printable(c.callId), CALL_ID_MAX),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

// ── who ended a call across its hops and legs ──────────────────────────────────────────────────────────

/**
 * How far apart (ms) the BYEs of one call's hops or legs may be and still be one teardown by the proxy or B2BUA
 * between them: it may wait out one BYE's transaction (64·T1) before it sends the next.
 */
export const TEARDOWN_SPREAD_MS = 32_000;
/**
 * How long (input time after its end) an answered row waits for the rest of its call: the spread, and as long
 * again for the capture tracker to give up on a BYE's final response before it emits the record, and its sweep.
 */
const HOLD_MS = 2 * TEARDOWN_SPREAD_MS + 10_000;

interface Held {
  r: CallRecord;
  /** The address that sent the BYE on this hop. */
  bye: string;
  /** Decided with another row of its call: `true` when the proxy or B2BUA between the parties ended them all. */
  proxyEnded?: boolean;
  /** Its `legKey` (slot 0), computed once; undefined when no row can be another leg of it. */
  leg?: string;
  /** Its numbers' part of `legKey` and its time slot, to look up the slots either side. */
  numbers?: string;
  slot: number;
  /** Its hop (`hopOf`). */
  hop: string;
}

/** A number's last six digits (the shortest suffix `sameNumber` compares: equal ones always share them), else the text. */
function numberKey(n: string | undefined): string | undefined {
  const d = digitsOf(n);
  return d !== undefined ? d.slice(-6) : n;
}

/**
 * The index key of the rows a row may be another leg of (`legKey`): same callee and caller (their `numberKey`s,
 * here) and INVITEs in the same LEG_WINDOW_MS slot (a leg is within one slot of it). Undefined for a row no other can
 * be a leg of (`sameNumber` is false on a missing number). Keyed by both numbers and time so that a hotline or a load test, where
 * every call has one callee, does not put every held row in one list that each row scans.
 */
function legNumbers(r: CallRecord): string | undefined {
  const callee = numberKey(r.callee);
  const caller = numberKey(r.caller);
  if (callee === undefined || caller === undefined || !Number.isFinite(r.start)) return undefined;
  return `${callee}\0${caller}`;
}
const legKey = (numbers: string, slot: number): string => `${numbers}\0${slot}`;

/** The hop of a row: a leg is never on the same hop as the row (that is a redial of its caller). */
const hopOf = (r: CallRecord): string => `${r.srcAddr}\0${r.dstAddr}`;

/**
 * Turns records into rows, deciding `hangup` across the hops and legs of a call. One hop (or one leg of a
 * B2BUA) only knows which of its two ends sent the BYE; when the proxy or B2BUA between the parties ended
 * every hop or leg itself, it is the "callee" of the first hop and the "caller" of the next, and neither party
 * hung up. Such rows say `proxy`, as `flow` diagnoses `dropped`.
 *
 * Hops of one call are the records of one Call-ID on other hops that share an address; legs are other Call-IDs
 * linked as `flow` links them by numbers (same caller and callee, INVITEs at most 5 s apart, not on the same
 * hop; X- correlation headers are not in the records). The rows of answered calls ended by a BYE wait, in input
 * time, until the other hops and legs have ended too (HOLD_MS past their end); every other row goes out at
 * once. Memory: the answered calls that ended within the last HOLD_MS of each input.
 */
export class CallRows {
  /** Waiting rows per input file, in the order they came (about the order of their ends). */
  private readonly queues = new Map<string, { items: Held[]; head: number }>();
  /** Input time per file: the latest end (or start) of its records. */
  private readonly clock = new Map<string, number>();
  /** Waiting rows by Call-ID (its other hops). Sets: a row leaves in O(1). */
  private readonly byCallId = new Map<string, Set<Held>>();
  /** Waiting rows by `legKey`, then by hop: a lookup skips the row's own hop (all of a load test's rows) at once. */
  private readonly byLeg = new Map<string, Map<string, Set<Held>>>();

  /** Per input file: the span of the starts of the rows it held, to tell inputs of the same period. */
  private readonly spans = new Map<string, { from: number; to: number }>();

  constructor(private readonly out: (row: CallRow, r: CallRecord) => void) {}

  /**
   * Whether two inputs held rows of the same period (one capture per interface of a B2BUA, read one after the
   * other): a row waits only on its own input's clock, so the legs of a call split across such inputs are not
   * judged together, and a B2BUA's teardown shows as the parties' hang-ups. Holding every row until the last input
   * is read would cost memory for the whole input; `flow`, or the captures merged (mergecap), judges them together.
   */
  inputsOverlap(): boolean {
    const spans = [...this.spans.values()].sort((a, b) => a.from - b.from);
    for (let i = 1; i < spans.length; i++) if (spans[i]!.from < spans[i - 1]!.to) return true;
    return false;
  }

  add(r: CallRecord): void {
    const file = r.source.file;
    const t = Number.isFinite(r.end) ? r.end! : r.start;
    if (Number.isFinite(t) && t > (this.clock.get(file) ?? -Infinity)) this.clock.set(file, t);
    const by = r.disconnectedBy;
    if (r.answer !== undefined && Number.isFinite(r.end) && r.srcAddr !== undefined && r.dstAddr !== undefined && (by === 'caller' || by === 'callee')) {
      const numbers = legNumbers(r);
      const slot = Math.floor(r.start / LEG_WINDOW_MS);
      const h: Held = { r, bye: by === 'caller' ? r.srcAddr : r.dstAddr, numbers, slot, hop: hopOf(r) };
      if (numbers !== undefined) h.leg = legKey(numbers, slot);
      const span = this.spans.get(file);
      // by starts: a call begun in one piece of a split capture may end in the next, which is no overlap
      if (!Number.isFinite(r.start)) {
        // no time: nothing to compare
      } else if (!span) this.spans.set(file, { from: r.start, to: r.start });
      else if (r.start < span.from) span.from = r.start;
      else if (r.start > span.to) span.to = r.start;
      let q = this.queues.get(file);
      if (!q) this.queues.set(file, (q = { items: [], head: 0 }));
      q.items.push(h);
      add(this.byCallId, r.callId, h);
      if (h.leg !== undefined) {
        let hops = this.byLeg.get(h.leg);
        if (!hops) this.byLeg.set(h.leg, (hops = new Map()));
        add(hops, h.hop, h);
      }
    } else this.out(callRow(r), r);
    this.flush(file, false);
  }

  /** The inputs are read: every waiting row goes out. */
  end(): void {
    for (const file of this.queues.keys()) this.flush(file, true);
  }

  private flush(file: string, all: boolean): void {
    const q = this.queues.get(file);
    if (!q) return;
    const now = this.clock.get(file) ?? -Infinity;
    while (q.head < q.items.length) {
      const h = q.items[q.head]!;
      if (!all && now < h.r.end! + HOLD_MS) break;
      q.items[q.head++] = undefined as unknown as Held;
      this.emit(h);
    }
    if (q.head >= 1024 && q.head * 2 >= q.items.length) {
      q.items = q.items.slice(q.head);
      q.head = 0;
    }
  }

  private emit(h: Held): void {
    if (h.proxyEnded === undefined) {
      const group = [h, ...this.linked(h)];
      const ended = proxyEnded(group);
      for (const g of group) g.proxyEnded = ended;
    }
    drop(this.byCallId, h.r.callId, h);
    const hops = h.leg !== undefined ? this.byLeg.get(h.leg) : undefined;
    if (hops) {
      drop(hops, h.hop, h);
      if (hops.size === 0) this.byLeg.delete(h.leg!);
    }
    this.out(callRow(h.r, h.proxyEnded), h.r);
  }

  /** The waiting rows of the same call: its other hops, and its other legs (by numbers). */
  private linked(h: Held): Held[] {
    const r = h.r;
    const out: Held[] = [];
    const near = (x: Held): boolean => x !== h && Math.abs(x.r.end! - r.end!) <= TEARDOWN_SPREAD_MS;
    for (const x of this.byCallId.get(r.callId) ?? []) {
      const o = x.r;
      const otherHop = o.srcAddr !== r.srcAddr || o.dstAddr !== r.dstAddr;
      const shared = o.srcAddr === r.dstAddr || o.dstAddr === r.srcAddr || o.srcAddr === r.srcAddr || o.dstAddr === r.dstAddr;
      if (near(x) && otherHop && shared) out.push(x);
    }
    for (let slot = h.slot - 1; h.numbers !== undefined && slot <= h.slot + 1; slot++) {
      const hops = this.byLeg.get(legKey(h.numbers, slot));
      if (!hops) continue;
      for (const [hop, xs] of hops) {
        // as LegIndex.linked: the same two addresses are a redial of the caller, not the B2BUA's other side
        if (hop === h.hop) continue;
        for (const x of xs) {
          const o = x.r;
          if (o.callId === r.callId || !near(x)) continue;
          if (Math.abs(o.start - r.start) <= LEG_WINDOW_MS && sameNumber(r.callee, o.callee) && sameNumber(r.caller, o.caller)) out.push(x);
        }
      }
    }
    return out;
  }
}

/**
 * Every hop or leg's BYE came from one address that is on each of their INVITE hops, receiving the INVITE on
 * one (the caller's side) and sending it on another (the callee's side): the proxy or B2BUA between the parties.
 */
function proxyEnded(group: readonly Held[]): boolean {
  if (group.length < 2) return false;
  const m = group[0]!.bye;
  if (!group.every((g) => g.bye === m && (g.r.srcAddr === m || g.r.dstAddr === m))) return false;
  return group.some((g) => g.r.dstAddr === m) && group.some((g) => g.r.srcAddr === m);
}

function add<K, V>(map: Map<K, Set<V>>, k: K, v: V): void {
  const l = map.get(k);
  if (l) l.add(v);
  else map.set(k, new Set<V>().add(v));
}

function drop<K, V>(map: Map<K, Set<V>>, k: K, v: V): void {
  const l = map.get(k);
  if (!l) return;
  l.delete(v);
  if (l.size === 0) map.delete(k);
}
