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
  busy: boolean;
  route: string;
  /** Busy: when the busy came back; answer: when the answered call started. */
  t: number;
  callId: string;
}

interface CalleeEvents {
  /** Latest first. */
  busy: Ev[];
  ans: Ev[];
}

/** Most callees are seen once: their entry is the event itself (one object), lists come with a second. */
type Entry = Ev | CalleeEvents;

function isEv(e: Entry): e is Ev {
  return (e as Ev).callId !== undefined;
}

function lists(e: Entry): CalleeEvents {
  return isEv(e) ? (e.busy ? { busy: [e], ans: [] } : { busy: [], ans: [e] }) : e;
}

const PER_CALLEE = 2;
export const MAX_FALSE_BUSY = 500;

interface Found {
  callee: string;
  busy: Ev;
  ans: Ev;
}

export class FalseBusyTracker {
  /**
   * Callees in two generations: new and refreshed ones go to `recent`; when it holds half the cap,
   * it becomes `older` and the previous `older` is forgotten. An approximate LRU with O(1) steps
   * (a Map used as an LRU with deletes slows down as its table fills with holes).
   */
  private recent = new Map<string, Entry>();
  private older = new Map<string, Entry>();
  private readonly found = new Map<string, Found>();
  /** Pairs found, including those beyond the kept list. */
  total = 0;

  constructor(
    readonly windowMs: number,
    readonly maxCallees: number,
  ) {}

  busy(callee: string, route: string, t: number, callId: string): void {
    this.event(callee, { busy: true, route, t, callId });
  }

  answered(callee: string, route: string, t: number, callId: string): void {
    this.event(callee, { busy: false, route, t, callId });
  }

  /** Records an event; `pairs` false when its pairs with the events already here were counted elsewhere. */
  private event(callee: string, x: Ev, pairs = true): void {
    let e = this.recent.get(callee);
    const inRecent = e !== undefined;
    if (!inRecent) {
      e = this.older.size > 0 ? this.older.get(callee) : undefined;
      if (e === undefined) {
        this.insert(callee, x);
        return;
      }
      this.older.delete(callee);
    }
    const ev = lists(e!);
    if (!inRecent) this.insert(callee, ev);
    else if (ev !== e) this.recent.set(callee, ev);
    if (x.busy) {
      if (pairs) for (const a of ev.ans) this.check(callee, x, a);
      keepLatest(ev.busy, x);
    } else {
      if (pairs) for (const b of ev.busy) this.check(callee, b, x);
      keepLatest(ev.ans, x);
    }
  }

  /** Adds a callee that is not in the recent generation. */
  private insert(callee: string, e: Entry): void {
    if (this.recent.size >= Math.max(1, this.maxCallees >> 1)) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(callee, e);
  }

  merge(o: FalseBusyTracker): void {
    for (const f of o.found.values()) this.keep(f);
    this.total += o.total - o.found.size;
    for (const [callee, oe] of o.callees()) {
      // Pairs between the other's events and ours are new; pairs among its own are in o.found.
      const mine = this.recent.get(callee) ?? this.older.get(callee);
      if (mine) {
        const ev = lists(mine);
        for (const b of oe.busy) for (const a of ev.ans) this.check(callee, b, a);
        for (const a of oe.ans) for (const b of ev.busy) this.check(callee, b, a);
      }
      for (const b of oe.busy) this.event(callee, b, false);
      for (const a of oe.ans) this.event(callee, a, false);
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

  /** Callees remembered, oldest generation first. */
  private *callees(): Iterable<[string, CalleeEvents]> {
    for (const [c, e] of this.older) yield [c, lists(e)];
    for (const [c, e] of this.recent) yield [c, lists(e)];
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
      callees: [...this.callees()].map(([c, e]) => [c, e.busy.map(evJSON), e.ans.map(evJSON)]),
    };
  }

  static fromJSON(j: unknown): FalseBusyTracker {
    const o = j as FalseBusyJSON;
    if (!o || typeof o.windowMs !== 'number' || !Array.isArray(o.found) || !Array.isArray(o.callees)) {
      throw new TypeError('FalseBusyTracker: bad JSON');
    }
    const t = new FalseBusyTracker(o.windowMs, o.maxCallees);
    for (const [callee, b, a] of o.found) t.found.set(`${b[2]}\n${a[2]}`, { callee, busy: evFrom(b, true), ans: evFrom(a, false) });
    t.total = o.total;
    for (const [c, busy, ans] of o.callees) {
      for (const b of busy) t.event(c, evFrom(b, true), false);
      for (const a of ans) t.event(c, evFrom(a, false), false);
    }
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

function evFrom(e: EvJSON, busy: boolean): Ev {
  return { busy, route: e[0], t: e[1], callId: e[2] };
}

function later(x: Found, y: Found): boolean {
  return x.busy.t > y.busy.t || (x.busy.t === y.busy.t && x.busy.callId > y.busy.callId);
}

/** Keeps the PER_CALLEE latest events (by time, then Call-ID), ignoring the same call twice. */
function keepLatest(list: Ev[], e: Ev): void {
  let i = list.length;
  for (const x of list) if (x.callId === e.callId && x.t === e.t) return;
  while (i > 0 && newer(e, list[i - 1])) i--;
  if (i >= PER_CALLEE) return;
  list.splice(i, 0, e);
  if (list.length > PER_CALLEE) list.length = PER_CALLEE;
}

function newer(x: Ev, y: Ev): boolean {
  return x.t > y.t || (x.t === y.t && x.callId > y.callId);
}

/** A number as compared across routes: without `+` and without an international `00` prefix. */
export function normalizeNumber(s: string): string {
  let i = 0;
  if (s.charCodeAt(0) === 43 /* + */) i = 1;
  else if (s.startsWith('00')) i = 2;
  return i === 0 ? s : s.slice(i);
}
