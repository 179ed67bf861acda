/**
 * Dial attempts and the dumped SIP calls they stand for: a log with both Dial lines and SIP message dumps
 * (`sip set debug on`, `pjsip set logger on`) shows some calls twice, and each must be counted once.
 *
 * An outgoing INVITE read from a dump is paired with the Dial attempt of the same call: the attempt of its
 * call marker (chan_sip dumps carry the marker), else an attempt to the same number whose `Called` line is
 * within DEDUP_WINDOW_MS of it (res_pjsip_logger's lines carry none; two different markers are two calls).
 * Either may come first in the log (chan_sip sends the INVITE before app_dial prints `Called`, res_pjsip from
 * another thread), so each looks for the other when it is read. Then:
 *   - the dumped call's record counts when it holds a final response (it has the exact code and the whole
 *     exchange), with the attempt's route: the peer name, as the calls read from Dial lines alone have it
 *     (a `--routes` entry for the address still wins);
 *   - when the dump gave it none (logging turned off after the INVITE, `pjsip set logger method INVITE`, a
 *     rotation), the Dial attempt's record counts instead: its outcome is in the Dial lines;
 *   - the other record is left out, and counted for the input's notes.
 * A Dial attempt that ends before its dumped call's record is made waits for it (held here). A dumped call
 * paired with nothing keeps its address as route; the notes name the address.
 */
import type { CallRecord } from '../types.js';
import type { Attempt } from './dial.js';
import { LOCAL_SIDE } from './dump.js';

/** How close a dumped INVITE and a `Called` line must be to be the same attempt (dumps without a marker). */
export const DEDUP_WINDOW_MS = 2_000;

/** What became of a dumped call's record. */
const OPEN = 0;
/** Given out, with a final response: it stands for the call. */
const OUT_FINAL = 1;
/** Given out with no final response and no Dial attempt to stand in for it: later attempts are still covered. */
const OUT_NO_FINAL = 2;
/** Left out (no final response): the paired Dial attempt's record stands for the call. */
const REPLACED = 3;

/** Unpaired dumped calls kept for `Called` lines still to come (at most this many, this long). */
const PENDING_MAX = 1000;
const PENDING_MS = 600_000;
/**
 * At most this many attempts are kept for INVITEs dumped after their `Called` line and matched by number (those
 * of the last DEDUP_WINDOW_MS; a marker's attempts are found through its Dial instead).
 */
const RECENT_MAX = 4096;

class DumpedCall {
  attempt: Attempt | undefined = undefined;
  state = OPEN;
  /** The paired attempt's record, when it ended before this call's record was made. */
  held: CallRecord | undefined = undefined;
  constructor(
    public readonly callId: string,
    public readonly ts: number,
    /** The number dialled: the Request-URI's user, else the To user. */
    public readonly user: string | undefined,
    /** The call marker of the dump ('' for none). */
    public readonly marker: string,
  ) {}
}

export interface PairingSink {
  /** A Dial attempt's record, to count. */
  dialRecord(r: CallRecord): void;
  /** A record of the SIP call tracker, to count. */
  sipRecord(r: CallRecord): void;
  /** A Dial attempt's record left out: its dumped call's record stands for it. */
  dialLeftOut(): void;
  /** A dumped call's record left out (no final response in the dump): the Dial attempt `attemptId` stands for it. */
  dumpReplaced(callId: string, attemptId: string): void;
  /** A dumped call paired with no Dial attempt: its route is its address `addr`. */
  unpaired(addr: string): void;
}

/** The user part of `sip:user@host` (undefined when there is no `@`). */
function uriUser(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  const colon = uri.indexOf(':');
  const at = uri.indexOf('@');
  return colon >= 0 && at > colon ? uri.slice(colon + 1, at) : undefined;
}

/** How far apart two times are; 0 when one is unknown (console output has no time stamps: the order decides). */
function gapOf(t1: number, t2: number): number {
  const g = Math.abs(t1 - t2);
  return g === g ? g : 0;
}

/** Two call markers that say the lines are of different calls (no marker says nothing). */
function otherCall(m1: string, m2: string): boolean {
  return m1 !== '' && m2 !== '' && m1 !== m2;
}

export class DumpPairing {
  /** Dumped calls whose record the tracker has not made yet, by Call-ID. */
  private readonly open = new Map<string, DumpedCall>();
  /** Attempts paired with a dumped call, until their own record comes. */
  private readonly pairOf = new Map<Attempt, DumpedCall>();
  /** Dumped calls not paired yet, oldest first. */
  private pending: DumpedCall[] = [];
  /** The attempts of the last DEDUP_WINDOW_MS of `Called` lines, oldest first from `recentHead`. */
  private readonly recent: Attempt[] = [];
  private recentHead = 0;

  constructor(
    private readonly sink: PairingSink,
    private readonly routeOf?: (addr: string) => string | undefined,
  ) {}

  /** A `Called` line's attempt (each one: an INVITE dumped after it looks for it here). */
  called(a: Attempt): void {
    const q = this.recent;
    q.push(a);
    // Attempts start in log order: the ones from before the window can no longer be matched by time.
    const oldest = a.start - DEDUP_WINDOW_MS;
    while (this.recentHead < q.length && (q[this.recentHead]!.start < oldest || q.length - this.recentHead > RECENT_MAX)) this.recentHead++;
    if (this.recentHead > 1024 && this.recentHead * 2 > q.length) {
      q.copyWithin(0, this.recentHead);
      q.length -= this.recentHead;
      this.recentHead = 0;
    }
    if (this.pending.length === 0) return;
    const d = this.dumpFor(a);
    if (d !== undefined) this.pair(d, a);
  }

  /**
   * An outgoing initial INVITE read from a dump. `markerAttempts`: the attempts of the open Dial of the
   * dump's call marker, if it has one.
   */
  invite(callId: string, ts: number, requestUri: string | undefined, toUser: string | undefined, marker: string, markerAttempts: readonly Attempt[] | undefined): void {
    // The same Call-ID again: the INVITE retried with credentials after a challenge, or retransmitted.
    if (this.open.has(callId)) return;
    const d = new DumpedCall(callId, ts, uriUser(requestUri) ?? toUser, marker);
    this.open.set(callId, d);
    const a = this.attemptFor(d, markerAttempts);
    if (a !== undefined) {
      this.pair(d, a);
      return;
    }
    const p = this.pending;
    p.push(d);
    while (p.length > 0 && (p.length > PENDING_MAX || gapOf(ts, p[0]!.ts) > PENDING_MS)) p.shift();
  }

  /** A Dial attempt's record: it counts unless its dumped call's record stands for the call. */
  dial(r: CallRecord, a: Attempt): void {
    const d = this.pairOf.size > 0 ? this.pairOf.get(a) : undefined;
    if (d === undefined) {
      this.sink.dialRecord(r);
      return;
    }
    this.pairOf.delete(a);
    if (d.state === OPEN) d.held = r;
    else if (d.state === REPLACED) this.sink.dialRecord(r);
    else this.sink.dialLeftOut();
  }

  /** A record of the SIP call tracker. */
  sip(r: CallRecord): void {
    const d = this.open.size > 0 && r.srcAddr === LOCAL_SIDE ? this.open.get(r.callId) : undefined;
    if (d === undefined) {
      this.sink.sipRecord(r);
      return;
    }
    this.open.delete(r.callId);
    const final = r.finalCode !== undefined;
    const a = d.attempt;
    const named = r.dstAddr !== undefined && this.routeOf?.(r.dstAddr) !== undefined;
    if (a === undefined) {
      d.state = final ? OUT_FINAL : OUT_NO_FINAL;
      if (!named && r.dstAddr !== undefined) this.sink.unpaired(r.dstAddr);
      this.sink.sipRecord(r);
      return;
    }
    const held = d.held;
    d.held = undefined;
    if (final) {
      d.state = OUT_FINAL;
      if (!named && a.route !== '') r.route = a.route;
      this.sink.sipRecord(r);
      if (held !== undefined) this.sink.dialLeftOut();
    } else {
      d.state = REPLACED;
      this.sink.dumpReplaced(r.callId, a.id);
      if (held !== undefined) this.sink.dialRecord(held);
    }
  }

  /**
   * After the Dial tracker's and the call tracker's end (of the input, or of a file whose calls do not go on
   * in the next one): a Dial record still held had a dumped INVITE the tracker made nothing of, so its own
   * outcome counts; nothing from before can pair with what comes next.
   */
  end(): void {
    for (const d of this.open.values()) {
      if (d.held === undefined) continue;
      const h = d.held;
      d.held = undefined;
      this.sink.dialRecord(h);
    }
    this.open.clear();
    this.pairOf.clear();
    this.pending = [];
    this.recent.length = 0;
    this.recentHead = 0;
  }

  private pair(d: DumpedCall, a: Attempt): void {
    d.attempt = a;
    this.pairOf.set(a, d);
    const p = this.pending;
    const i = p.indexOf(d);
    if (i >= 0) p.splice(i, 1);
  }

  private free(a: Attempt): boolean {
    return !a.emitted && !this.pairOf.has(a);
  }

  /**
   * The attempt an INVITE dumped after its `Called` line stands for: one of its call marker's Dial (the
   * same number first, else the first one free), else a free attempt to the same number within
   * DEDUP_WINDOW_MS (the nearest; the first of equals).
   */
  private attemptFor(d: DumpedCall, markerAttempts: readonly Attempt[] | undefined): Attempt | undefined {
    if (markerAttempts !== undefined) {
      let first: Attempt | undefined;
      for (const a of markerAttempts) {
        if (!this.free(a)) continue;
        if (d.user !== undefined && a.callee === d.user) return a;
        first ??= a;
      }
      if (first !== undefined) return first;
    }
    if (d.user === undefined) return undefined;
    let best: Attempt | undefined;
    let bestGap = Infinity;
    const q = this.recent;
    for (let i = this.recentHead; i < q.length; i++) {
      const a = q[i]!;
      if (a.callee !== d.user || !this.free(a) || otherCall(d.marker, a.group.ctx.marker)) continue;
      const gap = gapOf(a.start, d.ts);
      if (gap <= DEDUP_WINDOW_MS && gap < bestGap) {
        best = a;
        bestGap = gap;
      }
    }
    return best;
  }

  /**
   * The dumped call a new attempt stands for (its INVITE dumped before the `Called` line): the oldest
   * unpaired one of its call marker (the same number first), else the nearest unpaired INVITE to the same
   * number within DEDUP_WINDOW_MS.
   */
  private dumpFor(a: Attempt): DumpedCall | undefined {
    const marker = a.group.ctx.marker;
    let sameMarker: DumpedCall | undefined;
    let byNumber: DumpedCall | undefined;
    let bestGap = Infinity;
    for (const d of this.pending) {
      if (marker !== '' && d.marker === marker) {
        // Markers start again at C-00000001 when Asterisk restarts: one from long before is another call.
        if (gapOf(a.start, d.ts) > PENDING_MS) continue;
        if (d.user !== undefined && d.user === a.callee) return d;
        sameMarker ??= d;
      } else if (d.user !== undefined && d.user === a.callee && !otherCall(d.marker, marker)) {
        const gap = gapOf(a.start, d.ts);
        if (gap <= DEDUP_WINDOW_MS && gap < bestGap) {
          byNumber = d;
          bestGap = gap;
        }
      }
    }
    return sameMarker ?? byNumber;
  }
}
