/**
 * "False busy": a route answers 486 (or 600) for a callee, and the same callee is answered on another
 * route within a few minutes. A subscriber who was really busy rarely is; a SIM-box whose SIM card is
 * blocked answers 486 and the retry through an honest vendor goes through.
 *
 * Records arrive in any order (calls end out of order, files and workers are merged), so for each
 * callee the last two busies and the last two answers are kept and pairs are looked for whenever one
 * side arrives, and again when two aggregates are merged. Memory is bounded by an LRU map of callees;
 * the pairs found are bounded too (the total is still counted).
 *
 * Speed: this runs for every answered and every busy record (over half of a CDR). Callees live in
 * open-addressing tables of typed arrays rather than Maps of objects: a callee seen once (most of
 * them) costs no allocation at all, its one event is stored inline in the table; the number is
 * normalised by an offset into the record's own string (no slice) and hashed once.
 */
import { UNKNOWN_ROUTE } from '../types.js';
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

const PER_CALLEE = 2;
export const MAX_FALSE_BUSY = 500;

interface Found {
  callee: string;
  busy: Ev;
  ans: Ev;
}

/** Length of the prefix normalizeNumber drops: 1 for `+`, 2 for `00`, else 0. */
export function numberOffset(s: string): number {
  const c = s.charCodeAt(0);
  if (c === 43 /* + */) return 1;
  return c === 48 && s.charCodeAt(1) === 48 ? 2 : 0;
}

/** A number as compared across routes: without `+` and without an international `00` prefix. */
export function normalizeNumber(s: string): string {
  const i = numberOffset(s);
  return i === 0 ? s : s.slice(i);
}

/** FNV-1a 32-bit of s from `off`, cut to 30 bits (a small integer for the engine: never boxed). */
function hashFrom(s: string, off: number): number {
  let h = 0x811c9dc5;
  for (let i = off; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 2;
}

const MIN_SLOTS = 64;

/**
 * One generation of callees. Entries are appended in insertion order (what the JSON and merges
 * iterate in) to parallel typed arrays; an open-addressing table (linear probing, at most half full)
 * maps a callee's hash to its entry, holding the hash and the entry side by side so that a probe reads
 * one cache line and an entry is read only when the hashes match.
 *
 * The callee number (normalised) and the Call-ID are copied into a character arena rather than kept as
 * the record's strings: holding tens of thousands of young strings made the garbage collector copy
 * each one twice, which cost more than the copy here. They are made into strings again only for a pair
 * found, a callee seen more than once, and the JSON.
 *
 * A callee with one event keeps it inline (`busy`, `route`, `t`, Call-ID in the arena); one with more
 * has its lists in `multi`. Entries are only ever removed from the older generation, which takes no
 * more inserts, so a removed entry just stays `gone`.
 */
class Generation {
  /** Live entries. */
  size = 0;
  /** Entries ever added. */
  n = 0;
  mask = MIN_SLOTS - 1;
  /** Per slot: [hash, entry + 1]; 0 = empty. */
  table = new Int32Array(MIN_SLOTS * 2);
  /** UTF-16 code units of the entries' callees and Call-IDs, `used` of them. */
  chars = new Uint16Array(1024);
  used = 0;
  // Entries: where the callee starts in `chars`, its length, then the Call-ID's length (it follows).
  start = new Int32Array(MIN_SLOTS >> 1);
  klen = new Int32Array(MIN_SLOTS >> 1);
  ilen = new Int32Array(MIN_SLOTS >> 1);
  busy = new Uint8Array(MIN_SLOTS >> 1);
  gone = new Uint8Array(MIN_SLOTS >> 1);
  t = new Float64Array(MIN_SLOTS >> 1);
  route: string[] = [];
  multi: Array<CalleeEvents | undefined> = [];

  /** The entry of a callee (`key` from `off`), or −1. */
  find(key: string, off: number, h: number): number {
    const table = this.table;
    const mask = this.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e1 = table[2 * s + 1];
      if (e1 === 0) return -1;
      if (table[2 * s] === h) {
        const e = e1 - 1;
        if (this.gone[e] === 0 && this.is(e, key, off)) return e;
      }
    }
  }

  /** Whether entry e's callee is `key` from `off`. */
  private is(e: number, key: string, off: number): boolean {
    const n = this.klen[e];
    if (n !== key.length - off) return false;
    const chars = this.chars;
    const a = this.start[e];
    for (let i = 0; i < n; i++) if (chars[a + i] !== key.charCodeAt(off + i)) return false;
    return true;
  }

  /** hashId of the Call-ID `add` last copied (computed on the way). */
  idHash = 0;

  /** Whether the last `stage` copied its callee. */
  staged = false;

  /**
   * Copies a callee (`key` from `off`) to the free end of the arena and returns its hash (hashFrom):
   * the copy is made while hashing, so that `add` of this callee (most events are a new callee) has it
   * in place already. When the arena has no room for it and a Call-ID of `ilen` (`staged` false), it
   * only hashes: growing here would grow a full generation about to become the older one.
   */
  stage(key: string, off: number, ilen: number): number {
    if (this.used + key.length - off + ilen > this.chars.length) {
      this.staged = false;
      return hashFrom(key, off);
    }
    this.staged = true;
    const chars = this.chars;
    let p = this.used;
    let h = 0x811c9dc5;
    for (let i = off; i < key.length; i++) {
      const c = key.charCodeAt(i);
      chars[p++] = c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    return h >>> 2;
  }

  /**
   * Adds a callee known to be absent, with one event; returns its entry. `staged`: the callee was just
   * copied by `stage`. Sets `idHash`.
   */
  add(key: string, off: number, h: number, busy: boolean, route: string, t: number, id: string, staged: boolean): number {
    const e = this.n;
    if ((e + 1) * 2 > this.mask + 1) this.grow();
    if (e === this.t.length) this.growEntries();
    const table = this.table;
    const mask = this.mask;
    let s = h & mask;
    while (table[2 * s + 1] !== 0) s = (s + 1) & mask;
    table[2 * s] = h;
    table[2 * s + 1] = e + 1;
    const klen = key.length - off;
    const ilen = id.length;
    let p = this.used;
    if (p + klen + ilen > this.chars.length) this.growChars(p + klen + ilen);
    const chars = this.chars;
    this.start[e] = p;
    this.klen[e] = klen;
    this.ilen[e] = ilen;
    if (staged) p += klen;
    else for (let i = off; i < key.length; i++) chars[p++] = key.charCodeAt(i);
    // The Call-ID is copied and hashed (hashId) in one pass: the caller needs its hash too.
    let hid = 0x811c9dc5;
    for (let i = 0; i < ilen; i++) {
      const c = id.charCodeAt(i);
      chars[p++] = c;
      hid = Math.imul(hid ^ c, 0x01000193);
    }
    this.idHash = hid >>> 0;
    this.used = p;
    this.busy[e] = busy ? 1 : 0;
    this.gone[e] = 0;
    this.t[e] = t;
    put(this.route, e, route);
    put(this.multi, e, undefined);
    this.n = e + 1;
    this.size++;
    return e;
  }

  remove(e: number): void {
    this.gone[e] = 1;
    this.size--;
  }

  /** The callee's events as lists (made from the inline event when there is only one). */
  lists(e: number): CalleeEvents {
    const m = this.multi[e];
    if (m) return m;
    const a = this.start[e] + this.klen[e];
    const x: Ev = { busy: this.busy[e] === 1, route: this.route[e], t: this.t[e], callId: text(this.chars, a, a + this.ilen[e]) };
    return x.busy ? { busy: [x], ans: [] } : { busy: [], ans: [x] };
  }

  callee(e: number): string {
    return text(this.chars, this.start[e], this.start[e] + this.klen[e]);
  }

  /** Live entries in insertion order. */
  *entries(): Iterable<number> {
    for (let e = 0; e < this.n; e++) if (this.gone[e] === 0) yield e;
  }

  /** Empties the generation for reuse (capacity kept). */
  clear(): void {
    if (this.n === 0) return;
    this.table.fill(0);
    this.multi.fill(undefined, 0, this.n);
    this.n = 0;
    this.size = 0;
    this.used = 0;
  }

  /** Doubles the table and re-inserts the entries' hashes. */
  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let s = old[i] & mask;
      while (table[2 * s + 1] !== 0) s = (s + 1) & mask;
      table[2 * s] = old[i];
      table[2 * s + 1] = old[i + 1];
    }
    this.table = table;
    this.mask = mask;
  }

  private growEntries(): void {
    const cap = this.t.length * 2;
    this.start = grown(this.start, new Int32Array(cap));
    this.klen = grown(this.klen, new Int32Array(cap));
    this.ilen = grown(this.ilen, new Int32Array(cap));
    this.busy = grown(this.busy, new Uint8Array(cap));
    this.gone = grown(this.gone, new Uint8Array(cap));
    this.t = grown(this.t, new Float64Array(cap));
  }

  private growChars(need: number): void {
    let cap = this.chars.length * 2;
    while (cap < need) cap *= 2;
    this.chars = grown(this.chars, new Uint16Array(cap));
  }
}

function grown<T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** The string of UTF-16 code units chars[a..b) (exactly the string they were copied from). */
function text(chars: Uint16Array, a: number, b: number): string {
  let out = '';
  for (let p = a; p < b; p += 4096) out += String.fromCharCode.apply(null, chars.subarray(p, Math.min(b, p + 4096)) as unknown as number[]);
  return out;
}

/** a[i] = v for i ≤ a.length, growing by push (a packed array, never a holey one). */
function put<T>(a: T[], i: number, v: T): void {
  if (i < a.length) a[i] = v;
  else a.push(v);
}

export class FalseBusyTracker {
  /**
   * Callees in two generations: new and refreshed ones go to `recent`; when it holds half the cap,
   * it becomes `older` and the previous `older` is forgotten (its table is reused). An approximate
   * LRU with O(1) steps.
   */
  private recent = new Generation();
  private older = new Generation();
  private readonly half: number;
  private readonly found = new Map<string, Found>();
  /** The key of the kept pair `keep` would drop next (undefined: not known, compute it). */
  private latestKey: string | undefined;
  /** Pairs found, including those beyond the kept list. */
  total = 0;

  constructor(
    readonly windowMs: number,
    readonly maxCallees: number,
  ) {
    this.half = Math.max(1, maxCallees >> 1);
  }

  busy(callee: string, route: string, t: number, callId: string): void {
    this.event(callee, 0, hashFrom(callee, 0), true, route, t, callId, true, false);
  }

  answered(callee: string, route: string, t: number, callId: string): void {
    this.event(callee, 0, hashFrom(callee, 0), false, route, t, callId, true, false);
  }

  /**
   * An event for a callee number as found in a record (normalised here, as normalizeNumber does);
   * a number that normalises to nothing is ignored. Returns `hashId(callId)` when it was computed on
   * the way (the Call-ID was copied: a callee new to the recent generation), else −1.
   */
  record(rawCallee: string, busy: boolean, route: string, t: number, callId: string): number {
    const off = numberOffset(rawCallee);
    if (rawCallee.length <= off) return -1;
    const recent = this.recent;
    const h = recent.stage(rawCallee, off, callId.length);
    return this.event(rawCallee, off, h, busy, route, t, callId, true, recent.staged);
  }

  /**
   * Records an event; `pairs` false when its pairs with the events already here were counted elsewhere;
   * `staged`: the callee was just staged in the recent generation. Returns hashId(callId) when the
   * callee was added to the recent generation (the Call-ID copied and hashed), else −1.
   */
  private event(key: string, off: number, h: number, busy: boolean, route: string, t: number, callId: string, pairs: boolean, staged: boolean): number {
    const recent = this.recent;
    const s = recent.find(key, off, h);
    let ev: CalleeEvents;
    let idHash = -1;
    if (s >= 0) {
      ev = recent.lists(s);
      recent.multi[s] = ev;
    } else {
      const older = this.older;
      const o = older.size > 0 ? older.find(key, off, h) : -1;
      if (o < 0) {
        this.insert(key, off, h, busy, route, t, callId, staged);
        return this.recent.idHash;
      }
      ev = older.lists(o);
      older.remove(o);
      const slot = this.insert(key, off, h, busy, route, t, callId, staged);
      this.recent.multi[slot] = ev;
      idHash = this.recent.idHash;
    }
    const x: Ev = { busy, route, t, callId };
    const callee = (): string => (off === 0 ? key : key.slice(off));
    if (busy) {
      if (pairs) for (const a of ev.ans) this.check(callee, x, a);
      keepLatest(ev.busy, x);
    } else {
      if (pairs) for (const b of ev.busy) this.check(callee, b, x);
      keepLatest(ev.ans, x);
    }
    return idHash;
  }

  /** Adds a callee that is not in the recent generation; returns its slot there. */
  private insert(key: string, off: number, h: number, busy: boolean, route: string, t: number, callId: string, staged: boolean): number {
    if (this.recent.size >= this.half) {
      const drop = this.older;
      this.older = this.recent;
      drop.clear();
      this.recent = drop;
      staged = false; // staged in what is now the older generation
    }
    return this.recent.add(key, off, h, busy, route, t, callId, staged);
  }

  merge(o: FalseBusyTracker): void {
    for (const f of o.found.values()) this.keep(f);
    this.total += o.total - o.found.size;
    for (const [g, s] of o.entries()) {
      // Pairs between the other's events and ours are new; pairs among its own are in o.found.
      const key = g.callee(s);
      const off = 0;
      const h = hashFrom(key, 0);
      const oe = g.lists(s);
      let mine: CalleeEvents | undefined;
      const r = this.recent.find(key, off, h);
      if (r >= 0) mine = this.recent.lists(r);
      else {
        const x = this.older.size > 0 ? this.older.find(key, off, h) : -1;
        if (x >= 0) mine = this.older.lists(x);
      }
      if (mine) {
        const callee = (): string => key;
        for (const b of oe.busy) for (const a of mine.ans) this.check(callee, b, a);
        for (const a of oe.ans) for (const b of mine.busy) this.check(callee, b, a);
      }
      for (const b of oe.busy) this.event(key, off, h, true, b.route, b.t, b.callId, false, false);
      for (const a of oe.ans) this.event(key, off, h, false, a.route, a.t, a.callId, false, false);
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

  /** Callees remembered (generation and slot), oldest generation first, each in insertion order. */
  private entries(): Array<[Generation, number]> {
    const out: Array<[Generation, number]> = [];
    for (const g of [this.older, this.recent]) for (const e of g.entries()) out.push([g, e]);
    return out;
  }

  private check(callee: () => string, b: Ev, a: Ev): void {
    // A retry through another vendor: two known routes. A busy extension answered by the PBX's voicemail
    // (a CDR row with no trunk) is no retry.
    if (a.route === b.route || a.route === UNKNOWN_ROUTE || b.route === UNKNOWN_ROUTE) return;
    const dt = a.t - b.t;
    if (dt < 0 || dt > this.windowMs) return;
    this.keep({ callee: callee(), busy: b, ans: a });
  }

  private keep(f: Found): void {
    const key = `${f.busy.callId}\n${f.ans.callId}`;
    if (this.found.has(key)) return;
    this.total++;
    if (this.found.size < MAX_FALSE_BUSY) {
      this.found.set(key, f);
      this.latestKey = undefined;
      return;
    }
    // Keep the earliest pairs, so that the kept list does not depend on arrival order. The latest kept
    // pair (the first of equals in order) is remembered until the list changes.
    if (this.latestKey === undefined) {
      let latest: Found | undefined;
      for (const [k, v] of this.found) {
        if (!latest || later(v, latest)) {
          this.latestKey = k;
          latest = v;
        }
      }
    }
    const latestKey = this.latestKey;
    const latest = latestKey !== undefined ? this.found.get(latestKey) : undefined;
    if (latest && latestKey !== undefined && later(latest, f)) {
      this.found.delete(latestKey);
      this.found.set(key, f);
      this.latestKey = undefined;
    }
  }

  toJSON(): FalseBusyJSON {
    return {
      windowMs: this.windowMs,
      maxCallees: this.maxCallees,
      total: this.total,
      found: [...this.found.values()].map((f) => [f.callee, evJSON(f.busy), evJSON(f.ans)]),
      callees: this.entries().map(([g, s]) => {
        const e = g.lists(s);
        return [g.callee(s), e.busy.map(evJSON), e.ans.map(evJSON)];
      }),
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
      const h = hashFrom(c, 0);
      for (const b of busy) t.event(c, 0, h, true, b[0], b[1], b[2], false, false);
      for (const a of ans) t.event(c, 0, h, false, a[0], a[1], a[2], false, false);
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
