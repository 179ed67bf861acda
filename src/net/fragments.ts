/**
 * IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5) with bounded memory.
 *
 * Fragments are copied (the capture buffer is transient) into a set keyed by addresses, id and
 * protocol. A set completes when the last fragment (MF=0) has been seen and the bytes from 0 to
 * its end are all covered. Sets older than `timeoutMs` of capture time, sets beyond `maxSets` and
 * sets that would push the buffered bytes over `maxBytes` are dropped through `onDrop`.
 */

export interface FragPart {
  off: number;
  data: Uint8Array;
}

export interface FragSet {
  key: string;
  firstTs: number;
  /** Payload length, known once the fragment with MF=0 arrived; -1 before. */
  total: number;
  bytes: number;
  parts: FragPart[];
  /** Packet numbers of the fragments parked in this set. */
  packets: number[];
}

export const FRAG_TIMEOUT_MS = 30_000;
export const FRAG_MAX_SETS = 1024;
export const FRAG_MAX_BYTES = 16 * 1024 * 1024;
/** Largest reassembled payload: the 16-bit length fields of IPv4 and IPv6 (no jumbograms). */
export const FRAG_MAX_PAYLOAD = 65535;

export const FragResult = { Parked: -1, Bad: -2 } as const;

export class FragmentReassembler {
  private readonly sets = new Map<string, FragSet>();
  private buffered = 0;
  /** The last reassembled payload is in `out[0, length)`; valid until the next completion. */
  out = new Uint8Array(2048);

  constructor(
    private readonly onDrop: (set: FragSet, why: 'timeout' | 'limit' | 'end') => void,
    private readonly timeoutMs = FRAG_TIMEOUT_MS,
    private readonly maxSets = FRAG_MAX_SETS,
    private readonly maxBytes = FRAG_MAX_BYTES,
  ) {}

  get pending(): number {
    return this.sets.size;
  }

  /**
   * Adds one fragment whose payload is `data[start, end)` at byte offset `off` of the original
   * payload. Returns the reassembled length (bytes in `out`), FragResult.Parked, or FragResult.Bad
   * (a fragment that cannot be placed: beyond 64 KiB, or a non-final fragment not a multiple of 8).
   */
  add(key: string, ts: number, packet: number, off: number, more: boolean, data: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (off + len > FRAG_MAX_PAYLOAD || (more && (len & 7) !== 0) || len < 0) return FragResult.Bad;
    this.expire(ts);
    let set = this.sets.get(key);
    if (set === undefined) {
      while (this.sets.size >= this.maxSets) this.dropOldest('limit');
      set = { key, firstTs: ts, total: -1, bytes: 0, parts: [], packets: [] };
      this.sets.set(key, set);
    }
    if (!more) {
      if (set.total >= 0 && set.total !== off + len) {
        this.drop(set, 'limit');
        return FragResult.Bad;
      }
      set.total = off + len;
    }
    // Keep parts sorted by offset; fragments usually arrive in order, so scan from the back.
    const parts = set.parts;
    let i = parts.length;
    while (i > 0 && parts[i - 1]!.off > off) i--;
    parts.splice(i, 0, { off, data: data.slice(start, end) });
    set.bytes += len;
    set.packets.push(packet);
    this.buffered += len;
    while (this.buffered > this.maxBytes && this.sets.size > 1) this.dropOldest('limit');
    if (set.total < 0) return FragResult.Parked;
    let covered = 0;
    for (const p of parts) {
      if (p.off > covered) return FragResult.Parked;
      const e = p.off + p.data.length;
      if (e > covered) covered = e;
    }
    if (covered < set.total) return FragResult.Parked;
    const total = set.total;
    if (this.out.length < total) this.out = new Uint8Array(Math.max(total, this.out.length * 2));
    for (const p of parts) {
      const room = total - p.off;
      if (room <= 0) continue; // bytes past the end the last fragment announced
      this.out.set(room >= p.data.length ? p.data : p.data.subarray(0, room), p.off);
    }
    this.remove(set);
    return total;
  }

  /** End of capture: every set still waiting is dropped. */
  end(): void {
    for (const set of [...this.sets.values()]) this.drop(set, 'end');
  }

  private expire(ts: number): void {
    for (const set of this.sets.values()) {
      if (ts - set.firstTs <= this.timeoutMs) break;
      this.drop(set, 'timeout');
    }
  }

  private dropOldest(why: 'limit'): void {
    const first = this.sets.values().next();
    if (!first.done) this.drop(first.value, why);
  }

  private drop(set: FragSet, why: 'timeout' | 'limit' | 'end'): void {
    this.remove(set);
    this.onDrop(set, why);
  }

  private remove(set: FragSet): void {
    this.sets.delete(set.key);
    this.buffered -= set.bytes;
  }
}

/** A set key from the header fields that identify a datagram (addresses, id, protocol). */
export function fragKey(ver: number, src: Uint8Array, dst: Uint8Array, id: number, proto: number): string {
  let k = ver === 4 ? '4' : '6';
  for (let i = 0; i < src.length; i++) k += String.fromCharCode(src[i]!);
  for (let i = 0; i < dst.length; i++) k += String.fromCharCode(dst[i]!);
  return `${k}${id}/${proto}`;
}
