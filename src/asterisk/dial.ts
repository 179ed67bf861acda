/**
 * Call attempts from app_dial's verbose lines.
 *
 * A context is one call as Asterisk tags it: the `[C-0000012a]` call marker, else (old versions) the thread id
 * of the line, else one console context. Within a context, each `Executing [..] Dial(...)` opens a Dial group,
 * each `-- Called TECH/...` line adds one attempt to it (a Dial to several peers prints one Called line per
 * peer). Per-channel lines (`SIP/alpha-0000001a is ringing`, `... answered ...`, `... is busy`) are matched to
 * an attempt by the channel name once bound, else by the peer part of the name among the group's unbound
 * attempts. `Got SIP response NNN "phrase" back from addr` is printed by another thread (same marker) just
 * before the channel's busy/congestion line: it is queued on the context and taken by the next failure of an
 * attempt there.
 */
import { CallFlag, type CallRecord, type CodeSource } from '../types.js';
import { dialStatusToSip, getEntry } from '../catalogue/index.js';
import type { DialTarget } from './channel.js';
import { SlotMap } from '../slot-map.js';

export interface Attempt {
  id: string;
  group: DialGroup;
  tech: string;
  peer: string;
  route: string;
  callee?: string;
  chan?: string;
  start: number;
  ringing?: number;
  earlyMedia: boolean;
  answer?: number;
  end?: number;
  code?: number;
  reason?: string;
  codeSource: CodeSource;
  disposition?: string;
  dstAddr?: string;
  disconnectedBy?: 'caller' | 'callee' | 'unknown';
  flags: number;
  line: number;
  file: string;
  emitted: boolean;
}

export interface DialGroup {
  ctx: Context;
  callerChan?: string;
  caller?: string;
  exten?: string;
  attempts: Attempt[];
  open: boolean;
}

interface PendingResponse {
  code: number;
  reason: string;
  addr: string;
  ts: number;
}

export interface Context {
  /** The call marker as a number (`C-0000012a` → 0x12a), else a text key (see the reader's contextKey). */
  key: string | number;
  marker: string;
  callerChan?: string;
  caller?: string;
  group?: DialGroup;
  responses: PendingResponse[];
  /** Time the context became idle (no open Dial); -1 while a Dial is open. */
  idleSince: number;
}

/*
 * Contexts, Dial groups and attempts are made by constructors, not object literals. A literal has an
 * allocation site, from which the engine may decide (when many of its objects outlive a young-generation
 * collection, as calls still open do) to allocate in the old generation from then on; that decision throws
 * away the optimised code of every function that makes such objects, which is then compiled again (`called`
 * and `executing` were, once per run). Constructed objects have no such site.
 */
class CallContext implements Context {
  callerChan: string | undefined = undefined;
  caller: string | undefined = undefined;
  group: DialGroup | undefined = undefined;
  responses: PendingResponse[] = NO_RESPONSES;
  constructor(
    public key: string | number,
    public marker: string,
    public idleSince: number,
  ) {}
}

class Group implements DialGroup {
  attempts: Attempt[] = NO_ATTEMPTS;
  open = true;
  constructor(
    public ctx: Context,
    public callerChan: string | undefined,
    public caller: string | undefined,
    public exten: string | undefined,
  ) {}
}

class DialAttempt implements Attempt {
  chan: string | undefined = undefined;
  ringing: number | undefined = undefined;
  earlyMedia = false;
  answer: number | undefined = undefined;
  end: number | undefined = undefined;
  code: number | undefined = undefined;
  reason: string | undefined = undefined;
  codeSource: CodeSource = 'none';
  disposition: string | undefined = undefined;
  dstAddr: string | undefined = undefined;
  disconnectedBy: 'caller' | 'callee' | 'unknown' | undefined = undefined;
  flags = 0;
  emitted = false;
  constructor(
    public id: string,
    public group: DialGroup,
    public tech: string,
    public peer: string,
    public route: string,
    public callee: string | undefined,
    public start: number,
    public line: number,
    /** The file of `line` (rotated logs read as one chain continue their calls in the next file). */
    public file: string,
  ) {}
}

/**
 * `[x]` made without an array literal (no allocation site, as for the classes above): one slot, of the kind
 * `[x]` has.
 */
const ONE_SLOT: unknown[] = [null];
function oneSlot<T>(x: T): T[] {
  const a = ONE_SLOT.slice() as T[];
  a[0] = x;
  return a;
}

/** Default reason phrase of an inferred code, from the catalogue. */
function phrase(code: number): string | undefined {
  return getEntry(code)?.reason;
}


/**
 * The empty queue and the empty attempt list every new context and Dial group starts with (shared, never
 * added to: the first element gets an array of its own, see sipResponse and called), so that a call with no
 * response or no attempt costs no array.
 */
const NO_RESPONSES: PendingResponse[] = [];
const NO_ATTEMPTS: Attempt[] = [];

/** What a passed entry of the idle queue is overwritten with (never in `contexts`, never idle since a time). */
const SPENT: Context = new CallContext('spent', '', NaN);

const MAX_CONTEXTS = 20_000;
/** A context with no open Dial is forgotten after this long (its caller ID still serves a failover Dial). */
const IDLE_MS = 120_000;
const ORPHAN_RESPONSE_MS = 2_000;

export interface DialOptions {
  routeOf?: (addr: string) => string | undefined;
  /** The file being read (the owner sets it anew when a chain of rotated logs moves to the next file). */
  file: string;
  /** Receives each finished attempt (the caller may drop it when a SIP dump covers the same call). */
  emit: (r: CallRecord, a: Attempt) => void;
  /** Told of each attempt as its `Called` line is read (to pair it with a dumped INVITE of the same call). */
  called?: (a: Attempt) => void;
}

export class DialTracker {
  // SlotMaps, not Maps: see slot-map.ts (one entry per call in each, deleted when the call is done).
  private readonly contexts = new SlotMap<string | number, Context>();
  private readonly byChan = new SlotMap<string, Attempt>();
  private readonly byCallerChan = new SlotMap<string, Context>();
  private orphan: PendingResponse | undefined;
  /** Contexts that became idle and when (two parallel queues: no object per entry). */
  private idleCtx: Context[] = [];
  private idleSince: number[] = [];
  private idleHead = 0;
  private openGroups = 0;
  private seq = 0;
  private readonly suffixes = new Map<string, Map<string, string[]>>();
  /** The last key asked for and its context (undefined when it had none); see context(). */
  private lastKey: string | number | undefined = undefined;
  private lastCtx: Context | undefined = undefined;

  constructor(private readonly o: DialOptions) {}

  /** The context of `key`, if there is one. */
  context(key: string | number): Context | undefined {
    // Lines of one call come in runs: the last answer (found or not) is kept, and dropped with its context.
    if (key === this.lastKey) return this.lastCtx;
    const c = this.contexts.get(key);
    this.lastKey = key;
    this.lastCtx = c;
    return c;
  }

  /** Makes the context of `key` (which has none) at time `now`. */
  createContext(key: string | number, marker: string, now: number): Context {
    this.expireIdle(now);
    if (this.contexts.size >= MAX_CONTEXTS) this.evictOldest();
    const c: Context = new CallContext(key, marker, -1);
    this.contexts.set(key, c);
    this.lastKey = key;
    this.lastCtx = c;
    this.markIdle(c, now);
    return c;
  }

  private markIdle(c: Context, ts: number): void {
    c.idleSince = ts;
    this.idleCtx.push(c);
    this.idleSince.push(ts);
    // Logs without time (console excerpts) never expire anything: the context cap bounds them, and the queue
    // is kept to a few times that size (its oldest entries then name contexts already evicted).
    if (this.idleCtx.length - this.idleHead > 4 * MAX_CONTEXTS) this.idleHead += MAX_CONTEXTS;
  }

  /** Forgets contexts idle for IDLE_MS (calls whose log ends without a `Spawn extension` line). */
  private expireIdle(now: number): void {
    const qc = this.idleCtx;
    const qs = this.idleSince;
    while (this.idleHead < qc.length) {
      const since = qs[this.idleHead]!;
      if (now - since < IDLE_MS) break;
      const c = qc[this.idleHead]!;
      qc[this.idleHead] = SPENT; // the queue no longer keeps the context (and its call) alive
      this.idleHead++;
      if (c.idleSince === since && this.contexts.get(c.key) === c) this.dropContext(c);
    }
    if (this.idleHead > 4096 && this.idleHead * 2 > qc.length) {
      // Compacted in place: the queues stay the same two arrays (replacing them made the optimised code that
      // had taken them for constants be thrown away and compiled again).
      const n = qc.length - this.idleHead;
      qc.copyWithin(0, this.idleHead);
      qc.length = n;
      qs.copyWithin(0, this.idleHead);
      qs.length = n;
      this.idleHead = 0;
    }
  }

  contextOfCaller(chan: string): Context | undefined {
    return this.byCallerChan.get(chan);
  }

  /**
   * `Executing [exten@ctx:prio] Dial("CALLER", "ARGS")`. `endpoint` is the peer part of the caller's channel
   * (`SIP/100-00000001` → `100`), the caller when no CallerID was set.
   */
  dialApp(c: Context, callerChan: string, exten: string, ts: number, endpoint: string | undefined): void {
    if (c.group?.open) this.closeGroup(c.group, ts, 'redial');
    c.callerChan = callerChan;
    this.byCallerChan.set(callerChan, c);
    c.group = new Group(c, callerChan, c.caller ?? endpoint, exten);
    this.openGroups++;
    c.idleSince = -1;
  }

  /** CallerID set in the dialplan (`Set(CALLERID(num)=…)`). */
  callerId(c: Context, num: string): void {
    c.caller = num;
    if (c.group?.open) c.group.caller = num;
  }

  /** `-- Called TECH/...`: one attempt. */
  called(c: Context, t: DialTarget, ts: number, line: number): void {
    let g = c.group;
    if (g === undefined || !g.open) {
      // Every field present from the start (the classes above): one object shape for all groups (and attempts,
      // contexts).
      g = new Group(c, c.callerChan, c.caller, undefined);
      this.openGroups++;
      c.idleSince = -1;
      c.group = g;
    }
    const route = this.o.routeOf?.(t.peer) ?? t.peer;
    const id = (c.marker !== '' ? c.marker : `L${line}`) + this.idSuffix(t.tech, t.peer, g.attempts.length + 1);
    const a: Attempt = new DialAttempt(id, g, t.tech, t.peer, route, t.number ?? g.exten, ts, line, this.o.file);
    this.seq++;
    // A first element goes into a one-slot array of its own (never onto the shared NO_ATTEMPTS; a push onto []
    // would reserve 16 slots per call).
    if (g.attempts.length === 0) g.attempts = oneSlot(a);
    else g.attempts.push(a);
    this.o.called?.(a);
  }

  /** `/TECH/peer#n` of an attempt id, made once per (tech, peer, n): peers are few, calls many. */
  private idSuffix(tech: string, peer: string, n: number): string {
    let byPeer = this.suffixes.get(tech);
    if (byPeer === undefined) {
      if (this.suffixes.size >= 64) this.suffixes.clear();
      byPeer = new Map();
      this.suffixes.set(tech, byPeer);
    }
    let list = byPeer.get(peer);
    if (list === undefined) {
      if (byPeer.size >= 4096) byPeer.clear();
      list = [];
      byPeer.set(peer, list);
    }
    if (n > 16) return `/${tech}/${peer}#${n}`;
    return (list[n] ??= `/${tech}/${peer}#${n}`);
  }

  /** Finds the attempt a channel-named line is about. */
  attemptForChannel(c: Context | undefined, chan: string): Attempt | undefined {
    const bound = this.byChan.get(chan);
    if (bound !== undefined) return bound;
    const g = c?.group ?? this.groupForUnmarked();
    if (g === undefined) return undefined;
    // The channel's technology and peer (channelTech, channelPeer) compared in place: no slices.
    const slash = chan.indexOf('/');
    const techLen = slash > 0 ? slash : 0;
    const dash = chan.lastIndexOf('-');
    const peerLen = slash > 0 && dash > slash + 1 ? dash - slash - 1 : -1;
    let sameTech: Attempt | undefined;
    let sameTechCount = 0;
    for (const a of g.attempts) {
      if (a.chan !== undefined || a.tech.length !== techLen || !chan.startsWith(a.tech)) continue;
      if (peerLen >= 0 && a.peer.length === peerLen && chan.startsWith(a.peer, slash + 1)) return this.bind(a, chan);
      sameTech ??= a;
      sameTechCount++;
    }
    if (sameTechCount === 1 && sameTech !== undefined) return this.bind(sameTech, chan);
    return undefined;
  }

  private groupForUnmarked(): DialGroup | undefined {
    // A console excerpt has a single context.
    return this.contexts.get('console')?.group;
  }

  private bind(a: Attempt, chan: string): Attempt {
    a.chan = chan;
    this.byChan.set(chan, a);
    return a;
  }

  ringing(a: Attempt, ts: number, progress: boolean): void {
    a.ringing ??= ts;
    if (progress) {
      a.earlyMedia = true;
      a.flags |= CallFlag.EarlyMedia;
    }
  }

  answered(a: Attempt, ts: number): void {
    if (a.answer !== undefined) return;
    a.answer = ts;
    a.code = 200;
    a.reason = phrase(200);
    a.codeSource = 'disposition';
    a.disposition = 'ANSWERED';
    // The other peers of the same Dial are cancelled by Asterisk.
    for (const o of a.group.attempts) {
      if (o !== a && o.code === undefined) this.fail(o, ts, 487, 'CANCEL', 'caller', CallFlag.Cancelled);
    }
  }

  /**
   * `Got SIP response …` (a final failure: 1xx/2xx and the 401/407 challenges chan_sip answers itself are
   * not outcomes): queued on the context with an open Dial. A line without a call marker (old Asterisk, where
   * the SIP monitor thread's lines carry no context) is kept as an orphan for the next failure within 2 s.
   * Returns false when the line has nowhere to go.
   */
  sipResponse(c: Context | undefined, hasMarker: boolean, code: number, reason: string, addr: string, ts: number): boolean {
    if (code < 300 || code === 401 || code === 407) return false;
    const r = { code, reason, addr, ts };
    if (c?.group?.open) {
      if (c.responses.length === 0) c.responses = oneSlot(r); // its own array: NO_RESPONSES is shared
      else c.responses.push(r);
      if (c.responses.length > 16) c.responses.shift();
      return true;
    }
    if (hasMarker) return false;
    this.orphan = r;
    return true;
  }

  /** `is busy` (486), `is circuit-busy` (503): a failure reported for one channel. */
  channelFailure(a: Attempt, ts: number, busy: boolean): void {
    if (a.code !== undefined) return;
    this.fail(a, ts, busy ? 486 : 503, busy ? 'BUSY' : 'CONGESTION', 'callee', 0);
  }

  /** `Nobody picked up in N ms`: every unresolved attempt of the group timed out unanswered. */
  noAnswer(c: Context, ts: number): void {
    const g = c.group;
    if (g === undefined) return;
    for (const a of g.attempts) if (a.code === undefined) this.fail(a, ts, 480, 'NOANSWER', 'caller', 0);
    this.closeGroup(g, ts, 'done');
  }

  /** `Everyone is busy/congested at this time (n:b/c/u)`. */
  everyoneBusy(c: Context, ts: number, busy: number, congested: number): void {
    const g = c.group;
    if (g === undefined) return;
    for (const a of g.attempts) {
      if (a.code !== undefined) continue;
      const asBusy = busy > 0 || congested === 0;
      this.fail(a, ts, asBusy ? 486 : 503, asBusy ? 'BUSY' : 'CONGESTION', 'callee', 0);
      if (asBusy) busy--;
      else congested--;
    }
    this.closeGroup(g, ts, 'done');
  }

  /** `Auto fallthrough, channel 'X' status is 'BUSY'`. */
  fallthrough(c: Context, status: string, ts: number): void {
    const g = c.group;
    if (g === undefined) return;
    const code = dialStatusToSip(status);
    if (code !== undefined && code !== 200) {
      for (const a of g.attempts) {
        if (a.code === undefined) this.fail(a, ts, code, status, code === 487 || code === 480 ? 'caller' : 'callee', code === 487 ? CallFlag.Cancelled : 0);
      }
    }
    this.closeGroup(g, ts, 'done');
  }

  /** A callee channel left its bridge or hung up. */
  channelGone(a: Attempt, ts: number): void {
    if (a.answer !== undefined && a.end === undefined) {
      a.end = ts;
      a.disconnectedBy ??= 'callee';
      this.maybeEmit(a);
    }
  }

  /** The caller's channel left the bridge / hung up / its dialplan ended (`Spawn extension … exited non-zero`). */
  callerGone(c: Context, ts: number, final: boolean): void {
    const g = c.group;
    if (g !== undefined) {
      for (const a of g.attempts) {
        if (a.answer !== undefined && a.end === undefined) {
          a.end = ts;
          a.disconnectedBy ??= 'caller';
          this.maybeEmit(a);
        } else if (a.code === undefined) {
          this.fail(a, ts, 487, 'CANCEL', 'caller', CallFlag.Cancelled);
        }
      }
      if (final) this.closeGroup(g, ts, 'done');
    }
    if (final) this.dropContext(c);
  }

  /** The caller's dialplan moved on after Dial (next application): the Dial returned. */
  dialReturned(c: Context, ts: number): void {
    const g = c.group;
    if (g === undefined || !g.open || g.attempts.length === 0) return;
    this.closeGroup(g, ts, 'done');
  }

  /** Is any Dial group open (attempts in progress) anywhere? */
  anyOpen(): boolean {
    return this.openGroups > 0;
  }

  hasOpenGroup(c: Context): boolean {
    return c.group?.open === true && c.group.attempts.length > 0;
  }

  private fail(a: Attempt, ts: number, code: number, disposition: string, by: 'caller' | 'callee', flags: number): void {
    a.end = ts;
    a.disposition = disposition;
    a.flags |= flags;
    a.disconnectedBy = by;
    const r = code === 487 ? this.takeCancelResponse(a.group.ctx) : this.takeResponse(a.group.ctx, ts, code === 486 ? true : code === 503 ? false : undefined);
    if (r !== undefined) {
      a.code = r.code;
      a.reason = r.reason;
      a.codeSource = 'sip';
      a.dstAddr = r.addr;
      if (a.route === '') a.route = this.o.routeOf?.(r.addr) ?? r.addr;
    } else {
      a.code = code;
      a.reason = phrase(code);
      a.codeSource = 'disposition';
    }
    this.maybeEmit(a);
  }

  /**
   * The queued response a failure stands for: the first one of the matching kind (486/600/603 for a busy
   * channel, any other for congestion) when the Dial had several peers, else the first one.
   */
  private takeResponse(c: Context, ts: number, busy?: boolean): PendingResponse | undefined {
    const q = c.responses;
    if (q.length > 0) {
      let i = 0;
      if (busy !== undefined && q.length > 1) {
        const k = q.findIndex((r) => isBusyCode(r.code) === busy);
        if (k >= 0) i = k;
      }
      return i === 0 ? q.shift() : q.splice(i, 1)[0];
    }
    const o = this.orphan;
    if (o !== undefined && ts - o.ts <= ORPHAN_RESPONSE_MS && ts >= o.ts) {
      this.orphan = undefined;
      return o;
    }
    return undefined;
  }

  /** A cancelled attempt takes only a queued `487 Request Terminated` (other responses are someone else's). */
  private takeCancelResponse(c: Context): PendingResponse | undefined {
    const q = c.responses;
    for (let i = 0; i < q.length; i++) if (q[i]!.code === 487) return q.splice(i, 1)[0];
    return undefined;
  }

  private closeGroup(g: DialGroup, ts: number, why: 'done' | 'redial'): void {
    if (!g.open) return;
    g.open = false;
    this.openGroups--;
    this.markIdle(g.ctx, ts);
    for (const a of g.attempts) {
      if (a.code === undefined && a.answer === undefined) {
        // Dial returned without a per-channel outcome: the pending SIP response, if any, is the outcome.
        const r = this.takeResponse(g.ctx, ts);
        if (r !== undefined) {
          a.code = r.code;
          a.reason = r.reason;
          a.codeSource = 'sip';
          a.dstAddr = r.addr;
          a.end = ts;
          a.disconnectedBy = 'callee';
        } else {
          a.end = ts;
        }
      } else if (a.answer !== undefined && a.end === undefined && why === 'done') {
        a.end = ts;
        a.disconnectedBy ??= 'unknown';
      }
      this.maybeEmit(a, true);
    }
    g.ctx.responses = NO_RESPONSES;
  }

  private maybeEmit(a: Attempt, force = false): void {
    if (a.emitted) return;
    const complete = a.code !== undefined && (a.answer === undefined || a.end !== undefined);
    if (!complete && !force) return;
    this.emitAttempt(a, 0);
  }

  private emitAttempt(a: Attempt, extraFlags: number): void {
    a.emitted = true;
    if (a.chan !== undefined) this.byChan.delete(a.chan);
    const g = a.group;
    const caller = g.caller;
    const callee = a.callee;
    // Undated lines (a console excerpt) give NaN times: such a record keeps its outcome but no times.
    const ringing = a.ringing !== undefined && Number.isFinite(a.ringing) ? a.ringing : undefined;
    const answer = a.answer !== undefined && Number.isFinite(a.answer) ? a.answer : undefined;
    const end = a.end !== undefined && Number.isFinite(a.end) ? a.end : undefined;
    const finalCode = a.code !== undefined ? a.code : a.answer !== undefined ? 200 : undefined;
    const reason = a.reason;
    const firstResponse = ringing ?? answer ?? (a.code !== undefined && a.code >= 300 ? end : undefined);
    // Stamps that went back (a clock step, the autumn change of a log on local time read without --tz): a delay
    // that would come out negative is not measured, and the flag says why, as for a capture or a CDR.
    const pddMs = firstResponse !== undefined && Number.isFinite(a.start) ? firstResponse - a.start : NaN;
    const talkMs = answer !== undefined && end !== undefined ? end - answer : NaN;
    // (Math.max of a value already ≥ 0 changes nothing but the representation the optimised code stores: without
    // it the record literal's `duration` store is deoptimised once per run, "Smi".)
    const pdd = pddMs >= 0 ? Math.max(0, pddMs) : undefined;
    const duration = talkMs >= 0 ? Math.max(0, talkMs) : undefined;
    const by = a.disconnectedBy;
    const dst = a.dstAddr;
    const disp = a.disposition;
    const flags = pddMs < 0 || talkMs < 0 ? a.flags | extraFlags | CallFlag.TimeBackwards : a.flags | extraFlags;
    const source = { file: a.file, line: a.line };
    // Every field set, in one order (absent ones undefined, which JSON output leaves out): all records of a
    // log share one object shape, as the capture tracker's do, so the analysis reads them without shape checks
    // (five shapes made its property reads polymorphic).
    const r: CallRecord = {
      callId: a.id,
      route: a.route,
      start: a.start,
      codeSource: a.codeSource,
      flags,
      source,
      caller,
      callee,
      ringing,
      earlyMedia: a.earlyMedia ? true : undefined,
      answer,
      end,
      finalCode,
      finalReason: reason,
      pdd,
      duration,
      disconnectedBy: by,
      dstAddr: dst,
      disposition: disp,
    };
    this.o.emit(r, a);
  }

  private dropContext(c: Context): void {
    this.contexts.delete(c.key);
    if (this.lastKey === c.key) this.lastKey = this.lastCtx = undefined;
    if (c.callerChan !== undefined && this.byCallerChan.get(c.callerChan) === c) this.byCallerChan.delete(c.callerChan);
  }

  private evictOldest(): void {
    const c = this.contexts.first();
    if (c === undefined) return;
    if (c.group !== undefined) this.flushGroup(c.group);
    this.dropContext(c);
  }

  /** Emits what is left of a group as unfinished. */
  private flushGroup(g: DialGroup): void {
    if (g.open) this.openGroups--;
    g.open = false;
    for (const a of g.attempts) {
      if (a.emitted) continue;
      this.emitAttempt(a, CallFlag.Unfinished);
    }
  }

  /** End of input: every attempt not yet emitted is emitted with the Unfinished flag. */
  finish(): void {
    for (const c of this.contexts.values()) if (c.group !== undefined) this.flushGroup(c.group);
    this.contexts.clear();
    this.lastKey = this.lastCtx = undefined;
    this.idleCtx = [];
    this.idleSince = [];
    this.idleHead = 0;
    this.byChan.clear();
    this.byCallerChan.clear();
  }
}

/** chan_sip turns these into AST_CONTROL_BUSY (`is busy`); other failures into congestion. */
function isBusyCode(code: number): boolean {
  return code === 486 || code === 600 || code === 603;
}
