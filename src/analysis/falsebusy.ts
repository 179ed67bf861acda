/**
 * "False busy": a route answers 486 (or 600) for a callee, and the same callee is answered on another
 * route within a few minutes. A subscriber who was really busy rarely is; a SIM-box whose SIM card is
 * blocked answers 486 and the retry through an honest vendor goes through.
 *
 * Records arrive in any order (calls end out of order, files and workers are merged), so for each
 * callee the last two busies and the last two answers are kept and pairs are looked for whenever one
 * side arrives, and again when two aggregates are merged. Memory is bounded by an LRU map of callees;
 * the pairs found are bounded too (the total is still counted).
 */
import type { FalseBusy } from './result.js';

interface Ev {
  route: string;
  /** Busy: when the busy came back; answer: when the answered call started. */
  t: number;
  callId: string;
}

interface CalleeEvents {
  busy: Ev[];
  ans: Ev[];
}

const PER_CALLEE = 2;
export const MAX_FALSE_BUSY = 500;

interface Found {
  callee: string;
  busy: Ev;
  ans: Ev;
}

export class FalseBusyTracker {
  private readonly callees = new Map<string, CalleeEvents>();
  private readonly found = new Map<string, Found>();
  /** Pairs found, including those beyond the kept list. */
  total = 0;

  constructor(
    readonly windowMs: number,
    readonly maxCallees: number,
  ) {}

  busy(callee: string, route: string, t: number, callId: string): void {
    const ev = this.touch(callee);
    const b = { route, t, callId };
    for (const a of ev.ans) this.check(callee, b, a);
    keepLatest(ev.busy, b);
  }

  answered(callee: string, route: string, t: number, callId: string): void {
    const ev = this.touch(callee);
    const a = { route, t, callId };
    for (const b of ev.busy) this.check(callee, b, a);
    keepLatest(ev.ans, a);
  }

  merge(o: FalseBusyTracker): void {
    for (const f of o.found.values()) this.keep(f);
    this.total += o.total - o.found.size;
    for (const [callee, oe] of o.callees) {
      const ev = this.callees.get(callee);
      if (ev) {
        for (const b of oe.busy) for (const a of ev.ans) this.check(callee, b, a);
        for (const a of oe.ans) for (const b of ev.busy) this.check(callee, b, a);
      }
      const into = this.touch(callee);
      for (const b of oe.busy) keepLatest(into.busy, b);
      for (const a of oe.ans) keepLatest(into.ans, a);
    }
  }

  /** The pairs, earliest busy first. */
  results(): FalseBusy[] {
    return [...this.found.values()]
      .sort((x, y) => x.busy.t - y.busy.t || (x.callee < y.callee ? -1 : x.callee > y.callee ? 1 : 0) || x.ans.t - y.ans.t)
      .map((f) => ({
        callee: f.callee,
        busyRoute: f.busy.route,
        busyAt: new Date(f.busy.t).toISOString(),
        answeredRoute: f.ans.route,
        answeredAt: new Date(f.ans.t).toISOString(),
        busyCallId: f.busy.callId,
        answeredCallId: f.ans.callId,
      }));
  }

  private touch(callee: string): CalleeEvents {
    let ev = this.callees.get(callee);
    if (ev) {
      this.callees.delete(callee);
    } else {
      ev = { busy: [], ans: [] };
      if (this.callees.size >= this.maxCallees) {
        const oldest = this.callees.keys().next();
        if (!oldest.done) this.callees.delete(oldest.value);
      }
    }
    this.callees.set(callee, ev);
    return ev;
  }

  private check(callee: string, b: Ev, a: Ev): void {
    if (a.route === b.route) return;
    const dt = a.t - b.t;
    if (dt < 0 || dt > this.windowMs) return;
    this.keep({ callee, busy: b, ans: a });
  }

  private keep(f: Found): void {
    const key = `${f.busy.callId}\n${f.ans.callId}`;
    if (this.found.has(key)) return;
    this.total++;
    if (this.found.size < MAX_FALSE_BUSY) {
      this.found.set(key, f);
      return;
    }
    // Keep the earliest pairs, so that the kept list does not depend on arrival order.
    let latestKey: string | undefined;
    let latest: Found | undefined;
    for (const [k, v] of this.found) if (!latest || later(v, latest)) [latestKey, latest] = [k, v];
    if (latest && latestKey !== undefined && later(latest, f)) {
      this.found.delete(latestKey);
      this.found.set(key, f);
    }
  }

  toJSON(): FalseBusyJSON {
    return {
      windowMs: this.windowMs,
      maxCallees: this.maxCallees,
      total: this.total,
      found: [...this.found.values()].map((f) => [f.callee, evJSON(f.busy), evJSON(f.ans)]),
      callees: [...this.callees].map(([c, e]) => [c, e.busy.map(evJSON), e.ans.map(evJSON)]),
    };
  }

  static fromJSON(j: unknown): FalseBusyTracker {
    const o = j as FalseBusyJSON;
    if (!o || typeof o.windowMs !== 'number' || !Array.isArray(o.found) || !Array.isArray(o.callees)) {
      throw new TypeError('FalseBusyTracker: bad JSON');
    }
    const t = new FalseBusyTracker(o.windowMs, o.maxCallees);
    for (const [callee, b, a] of o.found) t.found.set(`${b[2]}\n${a[2]}`, { callee, busy: evFrom(b), ans: evFrom(a) });
    t.total = o.total;
    for (const [c, busy, ans] of o.callees) t.callees.set(c, { busy: busy.map(evFrom), ans: ans.map(evFrom) });
    return t;
  }
}

type EvJSON = [string, number, string];

export interface FalseBusyJSON {
  windowMs: number;
  maxCallees: number;
  total: number;
  found: Array<[string, EvJSON, EvJSON]>;
  callees: Array<[string, EvJSON[], EvJSON[]]>;
}

function evJSON(e: Ev): EvJSON {
  return [e.route, e.t, e.callId];
}

function evFrom(e: EvJSON): Ev {
  return { route: e[0], t: e[1], callId: e[2] };
}

function later(x: Found, y: Found): boolean {
  return x.busy.t > y.busy.t || (x.busy.t === y.busy.t && x.busy.callId > y.busy.callId);
}

/** Keeps the PER_CALLEE latest events (by time, then Call-ID), ignoring the same call twice. */
function keepLatest(list: Ev[], e: Ev): void {
  for (const x of list) if (x.callId === e.callId && x.t === e.t) return;
  list.push(e);
  list.sort((x, y) => y.t - x.t || (x.callId < y.callId ? 1 : x.callId > y.callId ? -1 : 0));
  if (list.length > PER_CALLEE) list.length = PER_CALLEE;
}

/** A number as compared across routes: without `+` and without an international `00` prefix. */
export function normalizeNumber(s: string): string {
  let i = 0;
  if (s.charCodeAt(0) === 43 /* + */) i = 1;
  else if (s.startsWith('00')) i = 2;
  return i === 0 ? s : s.slice(i);
}
