/**
 * TCP stream reassembly per direction: in-order bytes are handed on as they come, out-of-order
 * segments are parked (copied) until the gap is filled, retransmitted bytes are dropped.
 *
 * Accounting (see docs/capture.md): every segment with payload gets the verdict of the delivery of
 * its own new bytes. A parked segment is counted as ignored `tcp-out-of-order` while it waits and
 * moved to its verdict when delivered. A gap that never fills (lost packet, limits) is skipped when
 * the flow ends or its parking overflows: the stream consumer is told with `flowEnd` first, so that
 * it restarts its framing, and the parked bytes are delivered after it.
 */
import { randomFillSync } from 'node:crypto';
import { addrToString } from './payload.js';
import { SlotMap } from '../slot-map.js';

export interface TcpSegmentParked {
  seq: number;
  data: Uint8Array;
  packet: number;
  /** Where its packet was counted: the file it was read from (a chain of captures goes on with its flows). */
  sink: TcpSink;
}

export class TcpFlow {
  next: TcpFlow | null = null;
  /** Neighbours in creation order (TcpReassembler.all). */
  older: TcpFlow | null = null;
  newer: TcpFlow | null = null;
  synced = false;
  isn = -1;
  nextSeq = 0;
  parked: TcpSegmentParked[] = [];
  parkedBytes = 0;
  lastTs = 0;
  /** Bytes were handed on since the consumer was last told the stream ended. */
  delivered = false;
  readonly key: string;

  constructor(
    readonly hash: number,
    readonly ver: 4 | 6,
    readonly src: Uint8Array,
    readonly dst: Uint8Array,
    readonly sport: number,
    readonly dport: number,
  ) {
    this.key = `${addrToString(src)}:${sport}>${addrToString(dst)}:${dport}`;
  }
}

/** What the reassembler needs from the packet decoder. */
export interface TcpSink {
  /** Hands in-order bytes of a flow to the SIP layer; returns the outcome code for their packet. */
  tcpDeliver(flow: TcpFlow, data: Uint8Array): number;
  /** Counts `outcome` for a packet: the current one, or a parked one (`parked` true: it leaves `tcp-out-of-order`). */
  tcpCount(outcome: number, packet: number, parked: boolean): void;
  /**
   * Counts the verdict `outcome` that `by` (the sink of a later file of a chain of captures, which delivered its
   * bytes) gave a packet parked in this one: it leaves `tcp-out-of-order` here.
   */
  tcpCountAs(outcome: number, packet: number, by: TcpSink): void;
  /** Counts the current packet (or a parked one) as ignored for `reason`. */
  tcpIgnore(reason: string, packet: number, parked: boolean): void;
  tcpFlowEnd(flow: TcpFlow): void;
}

export const TCP_MAX_PARKED_SEGMENTS = 256;
export const TCP_MAX_PARKED_BYTES = 1 << 20;
export const TCP_MAX_FLOWS = 65_536;
/** Flows with no packet for this long (capture time) are closed. */
export const TCP_IDLE_MS = 300_000;

const FIN = 1;
const SYN = 2;
const RST = 4;

export class TcpReassembler {
  /** Flows by hash (chained on collisions). A SlotMap: a flow comes and goes per connection (see slot-map.ts). */
  private readonly table = new SlotMap<number, TcpFlow>();
  /** Ends of the list of flows in creation order: flows are closed in this order, whatever the key. */
  private oldest: TcpFlow | null = null;
  private newest: TcpFlow | null = null;
  private count = 0;
  private lastSweep = 0;

  /** `key`: the flow hash key, random unless a test fixes it (see flowHash). */
  constructor(
    private sink: TcpSink,
    private readonly key: Int32Array = newFlowKey(),
  ) {}

  /**
   * The next file of a chain of captures goes on with these flows: the packets it reads are counted by `sink`
   * from now on; segments still parked are counted, when delivered, by the sink of the file they were read from.
   */
  adopt(sink: TcpSink): void {
    this.sink = sink;
  }

  get flows(): number {
    return this.count;
  }

  /** Flows in the longest hash chain (tests). */
  get longestChain(): number {
    let n = 0;
    for (const head of this.table.values()) {
      let k = 0;
      for (let g: TcpFlow | null = head; g !== null; g = g.next) k++;
      if (k > n) n = k;
    }
    return n;
  }

  segment(
    ver: 4 | 6,
    src: Uint8Array,
    dst: Uint8Array,
    sport: number,
    dport: number,
    seq: number,
    flags: number,
    buf: Uint8Array,
    start: number,
    end: number,
    packet: number,
    ts: number,
  ): void {
    if (ts - this.lastSweep > 60_000) this.sweep(ts);
    const len = end - start;
    const hash = flowHash(this.key, ver, src, dst, sport, dport);
    let flow = this.find(hash, ver, src, dst, sport, dport);
    let dataSeq = seq;
    if (flags & SYN) {
      if (flow !== null && flow.synced && flow.isn !== seq) {
        this.close(flow);
        flow = null;
      }
      if (flow === null) flow = this.create(hash, ver, src, dst, sport, dport);
      if (!flow.synced || flow.isn !== seq) {
        flow.isn = seq;
        flow.nextSeq = (seq + 1) >>> 0;
        flow.synced = true;
      }
      dataSeq = (seq + 1) >>> 0;
    } else if (flow === null) {
      if (len === 0) {
        this.sink.tcpIgnore('tcp-control', packet, false);
        return;
      }
      flow = this.create(hash, ver, src, dst, sport, dport);
    }
    flow.lastTs = ts;
    if (len === 0) {
      this.sink.tcpIgnore('tcp-control', packet, false);
    } else {
      if (!flow.synced) {
        flow.nextSeq = dataSeq;
        flow.synced = true;
      }
      const rel = (dataSeq - flow.nextSeq) | 0;
      if (rel + len <= 0) {
        this.sink.tcpIgnore('tcp-retransmission', packet, false);
      } else if (rel <= 0) {
        const out = this.deliver(flow, buf.subarray(start - rel, end));
        this.sink.tcpCount(out, packet, false);
        flow.nextSeq = (dataSeq + len) >>> 0;
        this.drain(flow);
      } else {
        this.park(flow, dataSeq, buf, start, end, packet);
      }
    }
    if (flags & RST) {
      this.close(flow);
      const peer = this.find(flowHash(this.key, ver, dst, src, dport, sport), ver, dst, src, dport, sport);
      if (peer !== null) this.close(peer);
    } else if (flags & FIN) {
      this.close(flow);
    }
  }

  /** Flushes and closes every flow (end of capture). */
  end(): void {
    for (const f of this.all()) this.close(f);
  }

  private park(flow: TcpFlow, seq: number, buf: Uint8Array, start: number, end: number, packet: number): void {
    const len = end - start;
    const parked = flow.parked;
    let i = parked.length;
    while (i > 0 && ((parked[i - 1]!.seq - seq) | 0) > 0) i--;
    const prev = parked[i - 1];
    if (prev !== undefined && prev.seq === seq && prev.data.length >= len) {
      this.sink.tcpIgnore('tcp-retransmission', packet, false);
      return;
    }
    parked.splice(i, 0, { seq, data: buf.slice(start, end), packet, sink: this.sink });
    flow.parkedBytes += len;
    this.sink.tcpIgnore('tcp-out-of-order', packet, false);
    if (parked.length > TCP_MAX_PARKED_SEGMENTS || flow.parkedBytes > TCP_MAX_PARKED_BYTES) this.skipGap(flow);
  }

  /** Delivers parked segments that became in order. */
  private drain(flow: TcpFlow): void {
    const parked = flow.parked;
    while (parked.length > 0) {
      const s = parked[0]!;
      const rel = (s.seq - flow.nextSeq) | 0;
      if (rel > 0) return;
      parked.shift();
      flow.parkedBytes -= s.data.length;
      if (rel + s.data.length <= 0) {
        s.sink.tcpIgnore('tcp-retransmission', s.packet, true);
        continue;
      }
      const out = this.deliver(flow, s.data.subarray(-rel));
      flow.nextSeq = (s.seq + s.data.length) >>> 0;
      if (s.sink === this.sink) this.sink.tcpCount(out, s.packet, true);
      else s.sink.tcpCountAs(out, s.packet, this.sink);
    }
  }

  /** Gives up on the missing bytes before the first parked segment. */
  private skipGap(flow: TcpFlow): void {
    const first = flow.parked[0];
    if (first === undefined) return;
    this.endStream(flow);
    flow.nextSeq = first.seq;
    this.drain(flow);
  }

  private close(flow: TcpFlow): void {
    while (flow.parked.length > 0) this.skipGap(flow);
    this.endStream(flow);
    this.remove(flow);
  }

  private deliver(flow: TcpFlow, data: Uint8Array): number {
    flow.delivered = true;
    return this.sink.tcpDeliver(flow, data);
  }

  /** Tells the consumer that the stream ended (or jumped a gap), when it was given anything. */
  private endStream(flow: TcpFlow): void {
    if (!flow.delivered) return;
    flow.delivered = false;
    this.sink.tcpFlowEnd(flow);
  }

  private find(hash: number, ver: number, src: Uint8Array, dst: Uint8Array, sport: number, dport: number): TcpFlow | null {
    let f = this.table.get(hash) ?? null;
    while (f !== null) {
      if (f.sport === sport && f.dport === dport && f.ver === ver && sameBytes(f.src, src) && sameBytes(f.dst, dst)) return f;
      f = f.next;
    }
    return null;
  }

  private create(hash: number, ver: 4 | 6, src: Uint8Array, dst: Uint8Array, sport: number, dport: number): TcpFlow {
    if (this.count >= TCP_MAX_FLOWS) this.evictOldest();
    const f = new TcpFlow(hash, ver, src.slice(), dst.slice(), sport, dport);
    f.next = this.table.get(hash) ?? null;
    this.table.set(hash, f);
    f.older = this.newest;
    if (this.newest === null) this.oldest = f;
    else this.newest.newer = f;
    this.newest = f;
    this.count++;
    return f;
  }

  private remove(flow: TcpFlow): void {
    let f = this.table.get(flow.hash) ?? null;
    let prev: TcpFlow | null = null;
    while (f !== null && f !== flow) {
      prev = f;
      f = f.next;
    }
    if (f === null) return;
    if (prev === null) {
      if (f.next === null) this.table.delete(flow.hash);
      else this.table.set(flow.hash, f.next);
    } else prev.next = f.next;
    flow.next = null;
    if (flow.older === null) this.oldest = flow.newer;
    else flow.older.newer = flow.newer;
    if (flow.newer === null) this.newest = flow.older;
    else flow.newer.older = flow.older;
    flow.older = flow.newer = null;
    this.count--;
  }

  /** Flows in creation order (the order of the hash table would depend on the key). */
  private all(): TcpFlow[] {
    const out: TcpFlow[] = [];
    for (let g = this.oldest; g !== null; g = g.newer) out.push(g);
    return out;
  }

  private sweep(ts: number): void {
    this.lastSweep = ts;
    for (const f of this.all()) if (ts - f.lastTs > TCP_IDLE_MS) this.close(f);
  }

  /** Closes the least recently active quarter of the flows. */
  private evictOldest(): void {
    const flows = this.all();
    flows.sort((a, b) => a.lastTs - b.lastTs);
    const n = Math.max(1, flows.length >> 2);
    for (let i = 0; i < n; i++) this.close(flows[i]!);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Key words: one per port, per 16-bit word of each address (up to IPv6), and a constant per IP version. */
const FLOW_KEY_WORDS = 2 + 8 + 8 + 2;

/** A random flow hash key. */
export function newFlowKey(): Int32Array {
  return randomFillSync(new Int32Array(FLOW_KEY_WORDS));
}

/**
 * Bucket of a flow: vector multiply-shift over its 16-bit words with a random key (Dietzfelbinger's
 * multiply-add-shift, strongly universal in 32-bit arithmetic for up to 32 - 16 + 1 = 17 bits out).
 * Two different flows collide with probability 2^-17 whatever their addresses and ports, so a capture
 * cannot be crafted to put its flows in one chain, as it could with the unkeyed FNV hash used before
 * (60 000 flows with ports chosen to collide took 70 s, against 0.7 s for ordinary ones). 17 bits
 * keep the key a small integer for V8, with twice as many buckets as TCP_MAX_FLOWS.
 */
export function flowHash(key: Int32Array, ver: 4 | 6, src: Uint8Array, dst: Uint8Array, sport: number, dport: number): number {
  let h = (key[ver === 4 ? 18 : 19]! + Math.imul(key[0]!, sport) + Math.imul(key[1]!, dport)) | 0;
  for (let i = 0, k = 2; i < src.length; i += 2, k++) h = (h + Math.imul(key[k]!, (src[i]! << 8) | src[i + 1]!)) | 0;
  for (let i = 0, k = 10; i < dst.length; i += 2, k++) h = (h + Math.imul(key[k]!, (dst[i]! << 8) | dst[i + 1]!)) | 0;
  return h >>> 15;
}
