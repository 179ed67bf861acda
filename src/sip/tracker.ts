/**
 * Call tracker: SIP messages in, one CallRecord per call attempt out (RFC 3261 transactions and
 * dialogs, reduced to what route statistics need).
 *
 * - An attempt is one initial INVITE chain on one hop (the pair of signalling endpoints the INVITE went
 *   between). A 401/407 challenge followed by the INVITE retried on the same Call-ID with a higher CSeq is
 *   the same attempt; its final is the retried one (flag AuthChallenged).
 * - The same Call-ID on another hop (a proxy forwarding the INVITE, both legs captured) is another attempt
 *   on the route it was sent to.
 * - Retransmissions (same CSeq INVITE, the same response again) are flagged, never counted twice.
 * - A Call-ID reused for a new dialog (an INVITE with another From-tag, RFC 3261 §12) is another attempt,
 *   whatever its CSeq and whether or not the earlier attempt is still open or remembered.
 * - Forked early dialogs (18x/2xx with different To-tags) stay one attempt (flag Forked).
 * - Re-INVITEs inside a dialog are not attempts (flag ReInvite on the call).
 * - Finished calls leave the table; a tombstone set keeps late retransmissions, ACKs and BYEs from
 *   creating anything, for TOMBSTONE_MS of capture time (and at most TOMBSTONE_CAP of them). Calls idle
 *   for `callTimeoutMs` of capture time are closed as TimedOut; calls still open at end() are emitted
 *   as Unfinished.
 */
import type { TransportPayload } from '../net/payload.js';
import { CallFlag } from '../types.js';
import type { CallRecord, Position, RecordSink, RtpSummary, SdpSummary, SipMessage, SourceOptions } from '../types.js';
import { SlotMap } from '../slot-map.js';
import { parseAddr } from '../net/payload.js';
import { i32be } from '../net/bytes.js';
import { RingbackDetector, looksLikeRtp, rtpPayloadOffset, sameAddr } from './rtp.js';

export const DEFAULT_CALL_TIMEOUT_MS = 600_000;
/**
 * An answered call is quiet between its ACK and its BYE: signalling says nothing for the whole talk time,
 * and carriers' calls last hours. It is closed as timed out only after this long with no BYE.
 */
export const DEFAULT_ANSWERED_TIMEOUT_MS = 4 * 3600_000;
/**
 * RFC 3261 64·T1 = 32 s: Timer B (an INVITE with no response gives up), and how long a UAS retransmits a 2xx
 * that gets no ACK before it ends the session (§13.3.1.4; Timer H is the non-2xx case).
 */
export const TIMER_B_MS = 32_000;
/**
 * How long a finished Call-ID is remembered, to swallow late retransmissions, ACKs and BYEs: twice the
 * longest RFC 3261 transaction timer (Timer B/F/H, 64·T1 = 32 s), in capture time.
 */
export const TOMBSTONE_MS = 2 * TIMER_B_MS;
/** At most this many finished Call-IDs are remembered (memory bound for very high call rates). */
export const TOMBSTONE_CAP = 20_000;
/** Distinct response keys remembered per INVITE transaction for retransmission detection. */
const MAX_RESPONSE_KEYS = 32;

type Side = 0 | 1; // 0 = caller, 1 = callee

interface MediaRef {
  addr: Uint8Array;
  port: number;
  leg: Leg;
  /** Whose SDP announced this endpoint: packets sent TO it come from the other side. */
  owner: Side;
}

interface Leg {
  callId: string;
  a: string;
  aPort: number;
  b: string;
  bPort: number;
  route: string;
  start: number;
  inviteTs: number;
  cseq: number;
  branches: string[];
  caller?: string;
  callee?: string;
  inviteUA?: string;
  respUA?: string;
  ringing?: number;
  earlyMedia: boolean;
  answer?: number;
  end?: number;
  finalCode?: number;
  finalReason?: string;
  q850?: number;
  /** Q.850 from a BYE/CANCEL Reason, used when the final response carried none. */
  q850Late?: number;
  pdd?: number;
  flags: number;
  firstToTag?: string;
  answeredToTag?: string;
  /** The INVITE's From-tag (the caller's side of the dialog). */
  fromTag?: string;
  ackSeen: boolean;
  disconnectedBy?: 'caller' | 'callee' | 'unknown';
  /** BYE time while waiting for its final response (for SDT). */
  byeTs?: number;
  sdt?: number;
  challenged: boolean;
  lastTs: number;
  /** Responses seen to the attempt's INVITEs: CSeq·1000 + status, with the To-tag ('' for none) alongside. */
  respSeen: number[];
  respTags: string[];
  position: Position;
  media: MediaRef[];
  rtp?: RtpSummary;
  ringback?: RingbackDetector;
  finished: boolean;
}

/** Call-IDs kept to count each call whose INVITE was not read once (then the set starts again). */
const ORPHAN_IDS_MAX = 10_000;

export interface CallTrackerOptions extends SourceOptions {
  /** Override the tombstone cap (tests). */
  tombstoneCap?: number;
}

/**
 * A small-integer hash of an endpoint (30 bits: V8 keeps it unboxed, where address·65536 + port was a
 * heap number per lookup). IPv6 addresses are folded to 32 bits first. Endpoints of different addresses
 * may share a key, so the lists hold the address, which is compared; one address never gives two of its
 * ports the same key (the port only changes the low 16 bits). Exported for tests.
 */
export function mediaKey(a: Uint8Array, port: number): number {
  let h: number;
  if (a.length === 4) h = i32be(a, 0);
  else {
    h = 0;
    for (let i = 0; i < a.length; i += 4) h = Math.imul(h, 0x9e3779b1) ^ i32be(a, i);
  }
  return (Math.imul(h, 0x9e3779b1) ^ port) & 0x3fffffff;
}

function isZeroAddr(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/**
 * Whether two From-tags prove two dialogs (RFC 3261 §12: a UAC picks a new From-tag for every request outside
 * a dialog; its retransmissions and its retries after 401/407 keep it). RFC 2543 peers may send none: then
 * nothing is proved, and the CSeq and the hop decide as they always did.
 */
function otherDialog(tag: string | undefined, legTag: string | undefined): boolean {
  return tag !== undefined && legTag !== undefined && tag !== legTag;
}

/**
 * Whether a message may be of the dialog whose initial INVITE carried the From-tag `dialogTag`: it has no From-tag
 * (RFC 2543), the dialog's tag is unknown, or the dialog's tag is its From-tag (the caller's requests, every
 * response to them) or its To-tag (the callee's requests and the responses to those). Otherwise it belongs to
 * another dialog on the same Call-ID (a Call-ID reused). `flow` splits a Call-ID into its dialogs by the same rule.
 */
export function mayBelongTo(dialogTag: string | undefined, m: Pick<SipMessage, 'fromTag' | 'toTag'>): boolean {
  return m.fromTag === undefined || dialogTag === undefined || m.fromTag === dialogTag || m.toTag === dialogTag;
}

/** Whether any endpoint of a key's list has this address (keys of different addresses may collide). */
function anyAt(refs: MediaRef[], addr: Uint8Array): boolean {
  for (let i = 0; i < refs.length; i++) if (sameAddr(refs[i]!.addr, addr)) return true;
  return false;
}

export class CallTracker {
  private readonly calls = new Map<string, Leg[]>();
  /**
   * Call-ID → burial number of its latest burial, to swallow late retransmissions of a closed INVITE.
   * The burials are a queue in parallel arrays (see bury()); burial number n is at index n - tombBase.
   * Numbers, not objects, in the Map: twenty thousand tombstone objects would be copied out of the young
   * generation and kept until a full collection. Burials older than TOMBSTONE_MS leave the queue: the
   * Map stays as small as the call rate makes it (every lookup of a large one was a cache miss).
   */
  private readonly tombstones = new Map<string, number>();
  private tombOrder: string[] = [];
  private tombA: string[] = [];
  private tombAPort: number[] = [];
  private tombB: string[] = [];
  private tombBPort: number[] = [];
  private tombCseq: number[] = [];
  /** The From-tag of each buried attempt's INVITE (a reused Call-ID with another tag is a new dialog). */
  private tombFromTag: (string | undefined)[] = [];
  /** Capture time of each burial. */
  private tombTs: number[] = [];
  /** Index of the oldest burial still in the queue, and the burial number at index 0. */
  private tombHead = 0;
  private tombBase = 1;
  private tombSeq = 0;
  /**
   * Announced media endpoints by a small-integer hash of address and port (see mediaKey; the endpoint
   * is compared too): an RTP packet costs one lookup, no string and no heap number. A SlotMap, not a Map
   * (see slot-map.ts): every call adds and deletes its endpoints, and the tables a Map left behind kept
   * finished calls alive through scavenges once a full collection had promoted one (calls-sip.pcap:
   * 100 MB promoted in a run instead of 40, and scavenges took 136 ms instead of 71).
   */
  private readonly mediaByKey = new SlotMap<number, MediaRef[]>();
  private readonly timeout: number;
  private readonly tombstoneCap: number;
  private readonly answeredTimeout: number;
  private nextSweep = -Infinity;
  /**
   * No open attempt can be due (time out, or close after its BYE) before this capture time: a sweep
   * before it has nothing to do and does not walk the table. Lowered whenever an attempt gets an earlier
   * deadline (a new or retried INVITE, a BYE); recomputed by every sweep that walks the table.
   */
  private due = -Infinity;
  /** The time of the latest message added (-Infinity before the first). */
  private lastTs = -Infinity;

  /** The time of the latest message added, NaN before the first. */
  get latest(): number {
    return this.lastTs === -Infinity ? NaN : this.lastTs;
  }
  /** Attempts emitted so far. */
  emitted = 0;
  /**
   * Calls whose INVITE was not read but a final response to it was (a capture begun after the INVITE; late
   * copies of a closed call, still tombstoned, are not counted): distinct Call-IDs, up to ORPHAN_IDS_MAX kept.
   */
  orphanCalls = 0;
  private orphanIds = new Set<string>();

  constructor(
    private readonly sink: RecordSink,
    private readonly opts: CallTrackerOptions = {},
  ) {
    this.timeout = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.answeredTimeout = Math.max(opts.answeredTimeoutMs ?? DEFAULT_ANSWERED_TIMEOUT_MS, this.timeout);
    this.tombstoneCap = opts.tombstoneCap ?? TOMBSTONE_CAP;
  }

  /** Calls currently open (for memory checks). */
  get open(): number {
    let n = 0;
    for (const legs of this.calls.values()) n += legs.length;
    return n;
  }

  add(m: SipMessage): void {
    if (m.malformed || !m.callId) return;
    if (m.ts > this.lastTs) this.lastTs = m.ts;
    if (m.ts >= this.nextSweep) this.sweep(m.ts);
    if (m.isRequest) this.request(m);
    else this.response(m);
  }

  /** Closes everything still open: challenged attempts keep their 401/407, the rest are Unfinished. */
  end(): void {
    for (const legs of [...this.calls.values()]) {
      for (const leg of [...legs]) {
        if (leg.challenged || leg.byeTs !== undefined) this.finish(leg, 0);
        else this.finish(leg, this.unanswered(leg, this.lastTs) ? CallFlag.TimedOut : CallFlag.Unfinished);
      }
    }
  }

  /**
   * A UDP payload that may be RTP of a known call. Returns true when it went to or came from a media
   * endpoint announced in a call's SDP and looks like RTP (then it is counted for that call).
   */
  rtp(p: TransportPayload): boolean {
    // Both legs of a proxied call announce the same media: the packet counts for each of them.
    let addr = p.dstAddr;
    let refs = this.mediaByKey.get(mediaKey(addr, p.dstPort));
    let toOwner = true;
    if (refs === undefined || !anyAt(refs, addr)) {
      addr = p.srcAddr;
      refs = this.mediaByKey.get(mediaKey(addr, p.srcPort));
      toOwner = false;
      if (refs === undefined || !anyAt(refs, addr)) return false;
    }
    if (!looksLikeRtp(p.buf, p.start, p.end)) return false;
    if (refs.length === 1) this.countRtp(refs[0]!, p, toOwner);
    else for (const ref of refs) if (sameAddr(ref.addr, addr)) this.countRtp(ref, p, toOwner);
    return true;
  }

  private countRtp(ref: MediaRef, p: TransportPayload, toOwner: boolean): void {
    const leg = ref.leg;
    // Sent to the caller's endpoint (or from the callee's) = from the callee.
    const fromCallee = toOwner ? ref.owner === 0 : ref.owner === 1;
    // Each leg field is read once per packet (cheaper than re-reading it, whatever the leg's shape).
    const ts = p.ts;
    if (ts > leg.lastTs) leg.lastTs = ts;
    const answer = leg.answer;
    if (answer === undefined || ts < answer) return;
    const r = (leg.rtp ??= { fromCallee: 0, fromCaller: 0 });
    if (!fromCallee) {
      r.fromCaller++;
      r.lastFromCaller = ts - answer;
      return;
    }
    r.fromCallee++;
    r.lastFromCallee = ts - answer;
    if (r.firstFromCalleeAfterAnswer === undefined) r.firstFromCalleeAfterAnswer = ts - answer;
    // The datagram is p.buf[p.start, p.end): no view of it is made per packet.
    const d = p.buf;
    const pt = d[p.start + 1]! & 0x7f;
    if (pt === 0 || pt === 8) {
      const det = (leg.ringback ??= new RingbackDetector());
      if (!det.done) {
        const off = rtpPayloadOffset(d, p.start, p.end);
        let end = p.end;
        if (d[p.start]! & 0x20) end -= d[end - 1]!;
        if (off >= 0 && end > off) det.feed(d, off, end, pt);
      }
    }
  }

  /** Which side sent a message: by dialog tags first (robust through proxies), then by address. */
  private sideOf(leg: Leg, m: SipMessage): Side | undefined {
    if (m.fromTag !== undefined && leg.fromTag !== undefined) {
      // A request's From-tag is its sender's; a response carries the requester's From-tag.
      const byCaller = m.fromTag === leg.fromTag;
      const byCallee = !byCaller && (m.fromTag === leg.answeredToTag || m.fromTag === leg.firstToTag);
      if (byCaller || byCallee) return m.isRequest === byCaller ? 0 : 1;
    }
    if (m.src === leg.a && m.srcPort === leg.aPort) return 0;
    if (m.src === leg.b && m.srcPort === leg.bPort) return 1;
    if (m.src === leg.a && m.src !== leg.b) return 0;
    if (m.src === leg.b && m.src !== leg.a) return 1;
    return undefined;
  }

  private setMedia(leg: Leg, owner: Side, sdp: SdpSummary | undefined): void {
    if (!sdp || sdp.addr === undefined || !sdp.port) return;
    const addr = parseAddr(sdp.addr);
    if (!addr || isZeroAddr(addr)) return; // 0.0.0.0 = hold
    let others = 0;
    for (const r of leg.media) {
      if (r.owner === owner) {
        if (r.port === sdp.port && sameAddr(r.addr, addr)) return;
        this.dropMedia(r);
      } else others++;
    }
    if (others !== leg.media.length) leg.media = leg.media.filter((r) => r.owner !== owner);
    const ref: MediaRef = { addr, port: sdp.port, leg, owner };
    leg.media.push(ref);
    const key = mediaKey(addr, sdp.port);
    const list = this.mediaByKey.get(key);
    if (list) list.push(ref);
    else this.mediaByKey.set(key, [ref]);
  }

  private dropMedia(r: MediaRef): void {
    const key = mediaKey(r.addr, r.port);
    const list = this.mediaByKey.get(key);
    if (!list) return;
    const i = list.indexOf(r);
    if (i < 0) return;
    if (list.length === 1) this.mediaByKey.delete(key);
    else list.splice(i, 1);
  }


  /**
   * The legs of a known call that a message belongs to: by Via branch (responses, CANCEL, non-2xx ACK),
   * by the hop it travelled in the expected direction, by the hop in any direction, then by dialog tags
   * (in-dialog requests that bypass a proxy which did not record-route: they end every leg). The hop never
   * takes a message whose tags name another dialog (see mayBelong).
   */
  private findLegs(legs: Leg[], m: SipMessage, byBranch: boolean): Leg[] {
    if (byBranch && m.viaBranch) {
      for (const leg of legs) if (leg.branches.includes(m.viaBranch)) return [leg];
    }
    if (legs.length === 1) {
      const leg = legs[0]!;
      // On the hop, unless its tags name another dialog: a late BYE (or its 200, or an ACK) of a dialog
      // closed before the Call-ID was reused must not end the new one.
      if (this.onHop(leg, m) ? this.mayBelong(leg, m) : this.inDialog(leg, m)) return [leg];
      return [];
    }
    for (const leg of legs) {
      // sideOf() falls back to addresses: a leg of another dialog on the same hop would match by them.
      if (!this.mayBelong(leg, m)) continue;
      const side = this.sideOf(leg, m);
      if (side === undefined) continue;
      // Sent by the caller side travels a→b, by the callee side b→a.
      const fromA = side === 0;
      if (fromA && m.src === leg.a && m.srcPort === leg.aPort && m.dst === leg.b && m.dstPort === leg.bPort) return [leg];
      if (!fromA && m.src === leg.b && m.srcPort === leg.bPort && m.dst === leg.a && m.dstPort === leg.aPort) return [leg];
    }
    for (const leg of legs) if (this.onHop(leg, m) && this.mayBelong(leg, m)) return [leg];
    return legs.filter((leg) => this.inDialog(leg, m));
  }

  /**
   * Whether a message may be of the leg's dialog: it has no From-tag (RFC 2543), or the leg's From-tag is its
   * From-tag or To-tag. Otherwise it belongs to another dialog on the same Call-ID (a Call-ID reused).
   */
  private mayBelong(leg: Leg, m: SipMessage): boolean {
    return mayBelongTo(leg.fromTag, m);
  }

  private onHop(leg: Leg, m: SipMessage): boolean {
    return (m.src === leg.a && m.dst === leg.b) || (m.src === leg.b && m.dst === leg.a);
  }

  private inDialog(leg: Leg, m: SipMessage): boolean {
    if (leg.fromTag === undefined) return true;
    return m.fromTag === leg.fromTag || m.toTag === leg.fromTag;
  }

  private request(m: SipMessage): void {
    const legs = this.calls.get(m.callId);
    if (m.method === 'INVITE' && m.toTag === undefined) {
      this.initialInvite(m, legs);
      return;
    }
    if (!legs) return; // orphan (capture started mid-call, or a finished call's late request)
    for (const leg of this.findLegs(legs, m, m.method === 'CANCEL' || m.method === 'ACK')) this.inDialogRequest(leg, m);
  }

  private orphan(callId: string): void {
    if (this.tombstones.has(callId) || this.orphanIds.has(callId)) return;
    if (this.orphanIds.size >= ORPHAN_IDS_MAX) this.orphanIds = new Set();
    this.orphanIds.add(callId);
    this.orphanCalls++;
  }

  private inDialogRequest(leg: Leg, m: SipMessage): void {
    if (m.ts > leg.lastTs) leg.lastTs = m.ts;
    const side = this.sideOf(leg, m);
    switch (m.method) {
      case 'INVITE': // re-INVITE inside the dialog
        if (leg.answer !== undefined || leg.firstToTag !== undefined) leg.flags |= CallFlag.ReInvite;
        if (side !== undefined) this.setMedia(leg, side, m.sdp);
        break;
      case 'ACK':
        if (leg.answer !== undefined && m.cseq === leg.cseq) {
          leg.ackSeen = true;
          if (side !== undefined) this.setMedia(leg, side, m.sdp); // late offer answered in the ACK
        }
        break;
      case 'BYE':
        if (leg.byeTs !== undefined) break; // retransmitted BYE
        leg.end = m.ts;
        leg.byeTs = m.ts;
        this.dueBy(m.ts);
        leg.disconnectedBy = side === 0 ? 'caller' : side === 1 ? 'callee' : 'unknown';
        if (m.q850 !== undefined) leg.q850Late ??= m.q850;
        // Wait for the BYE's final response (session disconnect delay), see response().
        break;
      case 'CANCEL':
        if (leg.answer === undefined && leg.finalCode === undefined) {
          leg.flags |= CallFlag.Cancelled;
          leg.end = m.ts;
          if (m.q850 !== undefined) leg.q850Late ??= m.q850;
        }
        break;
      case 'UPDATE':
      case 'PRACK':
        if (side !== undefined) this.setMedia(leg, side, m.sdp);
        break;
      default:
        break;
    }
  }

  private initialInvite(m: SipMessage, legs: Leg[] | undefined): void {
    if (legs) {
      for (const leg of legs) {
        // The same hop: the same source and destination sockets, or (clients that open a new socket
        // or TCP connection per transaction) the same source address and From-tag to the same
        // destination socket.
        const sameHop = m.src === leg.a && m.dst === leg.b && m.dstPort === leg.bPort &&
          (m.srcPort === leg.aPort || (m.fromTag !== undefined && m.fromTag === leg.fromTag));
        if (!sameHop) continue;
        // Another From-tag: a new dialog on a reused Call-ID while this attempt is still open (a challenge
        // not retried, a BYE not answered yet), neither a retransmission nor a retry of this attempt.
        if (otherDialog(m.fromTag, leg.fromTag)) continue;
        if (m.ts > leg.lastTs) leg.lastTs = m.ts;
        if (m.cseq === leg.cseq || (m.viaBranch !== undefined && leg.branches.includes(m.viaBranch))) {
          leg.flags |= CallFlag.Retransmitted;
        } else if (m.cseq > leg.cseq && leg.answer === undefined) {
          // The same call retried on this hop: with credentials after 401/407, or after 422/491.
          leg.cseq = m.cseq;
          leg.inviteTs = m.ts;
          this.dueBy(m.ts);
          if (m.viaBranch !== undefined && leg.branches.length < 16) leg.branches.push(m.viaBranch);
          leg.challenged = false;
          leg.finalCode = undefined;
          leg.finalReason = undefined;
          leg.q850 = undefined;
          leg.ringing = undefined;
          leg.pdd = undefined;
          leg.earlyMedia = false;
          leg.firstToTag = undefined;
          leg.respUA = undefined;
          leg.respSeen = [];
          leg.respTags = [];
          if (m.userAgent !== undefined) leg.inviteUA = m.userAgent;
          this.setMedia(leg, 0, m.sdp);
        }
        return;
      }
    }
    const seq = legs ? undefined : this.tombstones.get(m.callId);
    const t = seq === undefined ? -1 : seq - this.tombBase;
    if (
      t >= 0 &&
      this.tombA[t] === m.src && this.tombAPort[t] === m.srcPort && this.tombB[t] === m.dst && this.tombBPort[t] === m.dstPort &&
      m.cseq <= this.tombCseq[t]! && m.ts - this.tombTs[t]! <= TOMBSTONE_MS &&
      !otherDialog(m.fromTag, this.tombFromTag[t])
    ) {
      return; // late retransmission of a finished call (another From-tag is a new dialog: the Call-ID reused)
    }
    // Every field set here, the optional ones too: all legs keep one object shape as calls progress.
    const leg: Leg = {
      callId: m.callId,
      a: m.src,
      aPort: m.srcPort,
      b: m.dst,
      bPort: m.dstPort,
      route: this.opts.routeOf?.(m.dst) ?? m.dst,
      start: m.ts,
      inviteTs: m.ts,
      cseq: m.cseq,
      branches: m.viaBranch !== undefined ? [m.viaBranch] : [],
      caller: m.fromUser,
      callee: m.toUser,
      inviteUA: m.userAgent,
      respUA: undefined,
      ringing: undefined,
      earlyMedia: false,
      answer: undefined,
      end: undefined,
      finalCode: undefined,
      finalReason: undefined,
      q850: undefined,
      q850Late: undefined,
      pdd: undefined,
      flags: 0,
      firstToTag: undefined,
      answeredToTag: undefined,
      fromTag: m.fromTag,
      ackSeen: false,
      disconnectedBy: undefined,
      byeTs: undefined,
      sdt: undefined,
      challenged: false,
      lastTs: m.ts,
      respSeen: [],
      respTags: [],
      position: m.position,
      media: [],
      rtp: undefined,
      ringback: undefined,
      finished: false,
    };
    if (legs) legs.push(leg);
    else this.calls.set(m.callId, [leg]);
    this.dueBy(m.ts);
    this.setMedia(leg, 0, m.sdp);
  }

  private response(m: SipMessage): void {
    if (m.cseqMethod !== 'INVITE' || m.status === undefined) {
      const legs = this.calls.get(m.callId);
      if (legs) {
        for (const leg of this.findLegs(legs, m, true)) {
          if (m.ts > leg.lastTs) leg.lastTs = m.ts;
          if (m.cseqMethod === 'BYE' && leg.byeTs !== undefined && m.status !== undefined && m.status >= 200) {
            leg.sdt = m.ts - leg.byeTs;
            this.finish(leg, 0);
            continue;
          }
          // 2xx to UPDATE/PRACK may carry the callee's SDP answer.
          if (m.sdp && (m.cseqMethod === 'UPDATE' || m.cseqMethod === 'PRACK')) {
            const side = this.sideOf(leg, m);
            if (side !== undefined) this.setMedia(leg, side, m.sdp);
          }
        }
      }
      return;
    }
    const legs = this.calls.get(m.callId);
    if (!legs) {
      // on the wire only; counted (once a call) when it ends an INVITE this input never showed
      if (m.status >= 200) this.orphan(m.callId);
      return;
    }
    const leg = this.findLegs(legs, m, true)[0];
    if (!leg) return;
    if (m.ts > leg.lastTs) leg.lastTs = m.ts;
    const status = m.status;
    // Responses carry the requester's From-tag: another tag means a callee-initiated re-INVITE.
    const calleeRequest = leg.fromTag !== undefined && m.fromTag !== undefined && m.fromTag !== leg.fromTag;
    // A 2xx to an earlier INVITE of this attempt (a client that re-sent before the answer) still answers it.
    const earlierAnswer = !calleeRequest && m.cseq < leg.cseq && status >= 200 && status < 300 && leg.answer === undefined &&
      m.viaBranch !== undefined && leg.branches.includes(m.viaBranch);
    if ((m.cseq !== leg.cseq || calleeRequest) && !earlierAnswer) {
      // A response to a re-INVITE (or a late one to the challenged INVITE).
      if (leg.answer !== undefined && status >= 200 && status < 300) {
        const side = this.sideOf(leg, m);
        if (side !== undefined) this.setMedia(leg, side, m.sdp);
      }
      return;
    }
    const key = m.cseq * 1000 + status;
    const tag = m.toTag ?? '';
    const seen = leg.respSeen;
    for (let i = 0; i < seen.length; i++) {
      if (seen[i] === key && leg.respTags[i] === tag) {
        leg.flags |= CallFlag.Retransmitted;
        return;
      }
    }
    if (seen.length < MAX_RESPONSE_KEYS) {
      seen.push(key);
      leg.respTags.push(tag);
    }
    if (m.toTag !== undefined && status > 100) {
      if (leg.firstToTag === undefined) leg.firstToTag = m.toTag;
      else if (m.toTag !== leg.firstToTag) leg.flags |= CallFlag.Forked;
    }
    if (status < 200) {
      if (status === 100) return;
      if (leg.answer !== undefined || leg.finalCode !== undefined) return;
      if (leg.ringing === undefined) {
        leg.ringing = m.ts;
        leg.pdd ??= m.ts - leg.inviteTs;
      }
      if (status === 183 || m.sdp) {
        leg.earlyMedia = true;
        leg.flags |= CallFlag.EarlyMedia;
      }
      this.setMedia(leg, 1, m.sdp);
      return;
    }
    if (status < 300) {
      if (leg.answer !== undefined) return; // a second fork answered as well (Forked is set above)
      leg.answer = m.ts;
      leg.finalCode = status;
      leg.finalReason = m.reason;
      leg.q850 = m.q850;
      if (m.userAgent !== undefined) leg.respUA = m.userAgent;
      leg.pdd ??= m.ts - leg.inviteTs;
      leg.answeredToTag = m.toTag;
      leg.flags &= ~CallFlag.Cancelled;
      leg.end = undefined;
      this.setMedia(leg, 1, m.sdp);
      return;
    }
    if (leg.answer !== undefined) return;
    leg.finalCode = status;
    leg.finalReason = m.reason;
    leg.q850 = m.q850;
    if (m.userAgent !== undefined) leg.respUA = m.userAgent;
    if (status === 401 || status === 407) {
      // Wait for the INVITE with credentials; the attempt's final will be the retried one.
      leg.challenged = true;
      leg.flags |= CallFlag.AuthChallenged;
      leg.end = m.ts;
      return;
    }
    if (status < 400) leg.flags |= CallFlag.Redirected;
    leg.pdd ??= m.ts - leg.inviteTs;
    if (!(leg.flags & CallFlag.Cancelled) || leg.end === undefined) leg.end = m.ts;
    this.finish(leg, 0);
  }

  /** An INVITE that got no response at all within Timer B (64·T1 = 32 s): its transaction timed out. */
  private unanswered(leg: Leg, now: number): boolean {
    return leg.respSeen.length === 0 && leg.finalCode === undefined && now - leg.inviteTs > TIMER_B_MS;
  }

  /**
   * An attempt got a deadline that may be earlier than any before (a new or retried INVITE, a BYE at `ts`):
   * the soonest a sweep can close it is Timer B or the idle time-out after `ts`, whichever is shorter.
   */
  private dueBy(ts: number): void {
    const at = ts + Math.min(TIMER_B_MS, this.timeout);
    if (at < this.due) this.due = at;
  }

  /** Closes idle calls (capture time) and challenged attempts whose retry never came. */
  private sweep(now: number): void {
    this.nextSweep = now + Math.max(1000, Math.min(this.timeout / 10, 10_000));
    // A millisecond of margin: the checks below subtract, the deadlines add (rounding may differ).
    if (now + 1 < this.due) return;
    let due = Infinity;
    // finish() only deletes from the table (never adds), which a Map iteration tolerates; a Call-ID with
    // several legs is copied because finish() splices its array.
    for (const legs of this.calls.values()) {
      for (const leg of legs.length === 1 ? legs : legs.slice()) {
        if (leg.finished) continue;
        const idle = now - leg.lastTs;
        const limit = leg.answer !== undefined ? this.answeredTimeout : this.timeout;
        if (leg.byeTs !== undefined && now - leg.byeTs > TIMER_B_MS) this.finish(leg, 0);
        // A challenged attempt waits like any idle call: people type passwords (a minute is common).
        else if (leg.challenged && idle > this.timeout) this.finish(leg, 0);
        else if (idle > limit || this.unanswered(leg, now)) this.finish(leg, CallFlag.TimedOut);
        if (leg.finished) continue;
        // When this attempt will be due: the earliest of the deadlines checked above.
        let at = leg.lastTs + limit;
        if (leg.byeTs !== undefined && leg.byeTs + TIMER_B_MS < at) at = leg.byeTs + TIMER_B_MS;
        if (leg.challenged && leg.lastTs + this.timeout < at) at = leg.lastTs + this.timeout;
        if (leg.respSeen.length === 0 && leg.finalCode === undefined && leg.inviteTs + TIMER_B_MS < at) at = leg.inviteTs + TIMER_B_MS;
        if (at < due) due = at;
      }
    }
    this.due = due;
  }

  private finish(leg: Leg, extraFlags: number): void {
    if (leg.finished) return;
    leg.finished = true;
    const legs = this.calls.get(leg.callId);
    if (legs) {
      const i = legs.indexOf(leg);
      if (i >= 0) legs.splice(i, 1);
      if (legs.length === 0) this.calls.delete(leg.callId);
    }
    for (const r of leg.media) this.dropMedia(r);
    leg.media = [];
    this.bury(leg);
    this.sink.record(this.toRecord(leg, extraFlags));
    this.emitted++;
  }

  /**
   * Remembers a finished attempt's Call-ID with the hop (sockets), CSeq and From-tag of its INVITE,
   * forgetting the burials older than TOMBSTONE_MS and the oldest past the cap. The order lives in a queue
   * (a Call-ID buried again makes its older slot stale): taking the first key of a Map that keeps losing its
   * first entries walks over all the deleted slots each time, which made this O(cap) per call.
   */
  private bury(leg: Leg): void {
    const seq = ++this.tombSeq;
    this.tombstones.set(leg.callId, seq);
    this.tombOrder.push(leg.callId);
    this.tombA.push(leg.a);
    this.tombAPort.push(leg.aPort);
    this.tombB.push(leg.b);
    this.tombBPort.push(leg.bPort);
    this.tombCseq.push(leg.cseq);
    this.tombFromTag.push(leg.fromTag);
    this.tombTs.push(this.lastTs);
    const expired = this.lastTs - TOMBSTONE_MS;
    while (
      this.tombHead < this.tombOrder.length &&
      (this.tombstones.size > this.tombstoneCap || this.tombTs[this.tombHead]! < expired)
    ) {
      const k = this.tombOrder[this.tombHead]!;
      if (this.tombstones.get(k) === this.tombBase + this.tombHead) this.tombstones.delete(k);
      this.tombHead++;
    }
    if (this.tombHead >= 4096 && this.tombHead * 2 >= this.tombOrder.length) {
      const h = this.tombHead;
      this.tombOrder = this.tombOrder.slice(h);
      this.tombA = this.tombA.slice(h);
      this.tombAPort = this.tombAPort.slice(h);
      this.tombB = this.tombB.slice(h);
      this.tombBPort = this.tombBPort.slice(h);
      this.tombCseq = this.tombCseq.slice(h);
      this.tombFromTag = this.tombFromTag.slice(h);
      this.tombTs = this.tombTs.slice(h);
      this.tombBase += h;
      this.tombHead = 0;
    }
  }

  private toRecord(leg: Leg, extraFlags: number): CallRecord {
    let flags = leg.flags | extraFlags;
    // A 2xx never ACKed: certain once the dialog ended or 64·T1 (32 s, RFC 3261 §13.3.1.4) passed without an ACK.
    if (leg.answer !== undefined && !leg.ackSeen && (!(flags & CallFlag.Unfinished) || this.lastTs - leg.answer > TIMER_B_MS)) {
      flags |= CallFlag.NoAck;
    }
    const duration = leg.answer !== undefined && leg.end !== undefined && leg.disconnectedBy !== undefined ? leg.end - leg.answer : undefined;
    // Time that went backwards gives no negative delay: the delay is not measured, and the flag says why.
    const backwards = (leg.pdd !== undefined && leg.pdd < 0) || (duration !== undefined && duration < 0) || (leg.sdt !== undefined && leg.sdt < 0);
    if (backwards) flags |= CallFlag.TimeBackwards;
    // Every field set, in one order (absent ones undefined, which JSON leaves out): all records of a
    // capture share one object shape, so the analysis reads them without shape checks.
    const r: CallRecord = {
      callId: leg.callId,
      route: leg.route,
      start: leg.start,
      codeSource: leg.finalCode !== undefined ? 'sip' : 'none',
      flags,
      srcAddr: leg.a,
      dstAddr: leg.b,
      source: leg.position,
      provisionalsSeen: true,
      sdt: backwards && leg.sdt !== undefined && leg.sdt < 0 ? undefined : leg.sdt,
      caller: leg.caller,
      callee: leg.callee,
      ringing: leg.ringing,
      earlyMedia: leg.earlyMedia ? true : undefined,
      answer: leg.answer,
      end: leg.end,
      finalCode: leg.finalCode,
      finalReason: leg.finalReason,
      q850: leg.q850 ?? leg.q850Late,
      pdd: backwards && leg.pdd !== undefined && leg.pdd < 0 ? undefined : leg.pdd,
      duration: backwards && duration !== undefined && duration < 0 ? undefined : duration,
      disconnectedBy: leg.disconnectedBy,
      userAgent: leg.respUA ?? leg.inviteUA,
      rtp: undefined,
    };
    if (leg.rtp) {
      const rtp: RtpSummary = { ...leg.rtp };
      const rb = leg.ringback?.result();
      if (rb !== undefined) rtp.ringbackAfterAnswer = rb;
      r.rtp = rtp;
      if (leg.answer !== undefined && rtp.fromCaller > 0 && rtp.fromCallee === 0) r.flags |= CallFlag.NoRtpFromCallee;
    }
    return r;
  }
}
