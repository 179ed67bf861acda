/**
 * Rows written twice: an export that wrote the same call twice repeats its row byte for byte (line end
 * aside). Such a row is one call, not two attempts: the row interpreter counts it as ignored
 * (`duplicate-row`). Rows that share a call id but differ in any byte stay: the forked legs of one Dial
 * share the calling channel's uniqueid, and failover legs share its linkedid.
 *
 * Bounded memory: a row is compared with the last RECENT_ROWS (1,024) records, as long as their rows lie in
 * the last RECENT_BYTES (1 MiB) of the input: every one of them in an export whose rows are under 1 KiB.
 * An export that writes a row twice writes the copy next to it or close by; the same rows further apart (two
 * exports of the same hours joined into one file) are not found, nor rows repeated in another input file.
 * Memory: at most 1 MiB of input bytes (as the input needs) and 48 KiB of tables.
 *
 * Cost, per row: no hash of the row's bytes (in JavaScript that costs more than splitting the row). A key
 * made of the row's length and its start and end times (already parsed) finds the earlier rows that could
 * be the same, in tables small enough to stay in the processor's cache; for those (rows alike in length and
 * times), a key of 20 of their bytes and then one native comparison (`Buffer.compare`) settle it. Per
 * chunk of input: the bytes the remembered rows need of it are copied (one native copy) before the next
 * chunk comes, as the caller may reuse the chunk's memory then.
 */
import type { Row } from './row.js';

/** Records a row is compared with (the last ones, see RECENT_BYTES). */
export const RECENT_ROWS = 1024;
/** Bytes of the input kept: a record whose row began further back is no longer compared with. */
export const RECENT_BYTES = 1 << 20;
/** Bytes an input chunk's end is kept at least (a row cut by the chunk's end is read with the next one). */
const TAIL_BYTES = 64 << 10;

const MASK = RECENT_ROWS - 1;
const MAX_SEQ = 1 << 30;
const BUCKETS = RECENT_ROWS * 4;
const FIRST_RING = 1 << 16;
const EMPTY = Buffer.alloc(0);

/** One step of a key: a word mixed in (murmur-like). */
function mix(k: number, w: number): number {
  k = Math.imul(k ^ w, 0xcc9e2d51);
  return k ^ (k >>> 15);
}

/**
 * A second key, from 20 of the row's bytes in its first and last 32 (call ids, numbers, uniqueids), for
 * rows whose length and times are alike; positive.
 */
export function bytesKey(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  let k = len;
  if (len >= 32) {
    k = mix(k, b[s + 1] | (b[s + 4] << 8) | (b[s + 7] << 16) | (b[s + 10] << 24));
    k = mix(k, b[s + 13] | (b[s + 16] << 8) | (b[s + 19] << 16) | (b[s + 22] << 24));
    k = mix(k, b[s + 25] | (b[s + 28] << 8) | (b[s + 31] << 16) | (b[s + (len >> 1)] << 24));
    k = mix(k, b[e - 1] | (b[e - 4] << 8) | (b[e - 5] << 16) | (b[e - 6] << 24));
    k = mix(k, b[e - 7] | (b[e - 9] << 8) | (b[e - 12] << 16) | (b[e - 16] << 24));
  } else for (let p = s; p < e; p++) k = mix(k, b[p]);
  return k & 0x7fffffff || 1;
}

export class RowMemory {
  /** The chunk the rows being read come from (the caller's: valid until the next one), and its offset. */
  private piece: Buffer = EMPTY;
  private pieceAt = 0;
  /**
   * Earlier input bytes, copied: offsets [ringFrom, pieceAt) are in it, offset x at x % ring.length. Grows
   * up to RECENT_BYTES.
   */
  private ring: Buffer = EMPTY;
  private ringFrom = 0;

  /**
   * The records, by sequence number q at i = q & MASK: recs[4i..4i+3] = key, bytesKey (0 until a row with
   * the same key needs it), length, the bucket's next older q (-1: none); the row's offset and line.
   */
  private readonly recs = new Int32Array(RECENT_ROWS * 4);
  private readonly offs = new Float64Array(RECENT_ROWS);
  private readonly lines = new Float64Array(RECENT_ROWS);
  /** Newest q per bucket of keys (-1: none). */
  private readonly heads = new Int32Array(BUCKETS).fill(-1);
  /** Records remembered so far (the next q; counted again from 0 after MAX_SEQ). */
  private seq = 0;
  /** The first row's start time (keys count from it). */
  private t0 = Number.NaN;

  /** The next input bytes: given to the splitter right after this; the previous chunk may be reused now. */
  append(chunk: Buffer): void {
    const prev = this.piece;
    const prevAt = this.pieceAt;
    const prevEnd = prevAt + prev.length;
    if (prev.length > 0) {
      // Keep what the remembered rows need, and the chunk's end (a row it cuts is read with the next chunk).
      let need = prevEnd - TAIL_BYTES;
      if (this.seq > 0) {
        const q = Math.max(0, this.seq - RECENT_ROWS);
        if (this.offs[q & MASK] < need) need = this.offs[q & MASK];
      }
      let from = Math.max(need, prevEnd - RECENT_BYTES, this.ringFrom);
      this.grow(prevEnd - from, from);
      from = Math.max(from, prevEnd - this.ring.length);
      const keep = Math.max(from, prevAt);
      this.copyIn(prev, keep - prevAt, prevEnd - keep, keep);
      this.ringFrom = from;
    }
    this.piece = chunk;
    this.pieceAt = prevEnd;
  }

  /** A ring of at least `bytes` (up to RECENT_BYTES), keeping its bytes from input offset `from` on. */
  private grow(bytes: number, from: number): void {
    const old = this.ring;
    if (bytes <= old.length || old.length >= RECENT_BYTES) return;
    let size = Math.max(FIRST_RING, old.length * 2);
    while (size < bytes && size < RECENT_BYTES) size *= 2;
    this.ring = Buffer.allocUnsafe(size);
    for (let x = Math.max(from, this.ringFrom); x < this.pieceAt; ) {
      const at = x % old.length;
      const n = Math.min(this.pieceAt - x, old.length - at);
      this.copyIn(old, at, n, x);
      x += n;
    }
  }

  /** Copies b[s..s+n) into the ring at input offset x. */
  private copyIn(b: Buffer, s: number, n: number, x: number): void {
    const size = this.ring.length;
    if (n > size) {
      s += n - size;
      x += n - size;
      n = size;
    }
    while (n > 0) {
      const at = x % size;
      const m = Math.min(n, size - at);
      this.ring.set(b.subarray(s, s + m), at);
      s += m;
      x += m;
      n -= m;
    }
  }

  /**
   * The line of a remembered record whose row has the bytes of `r` (Row.rb[rs..re), line end aside), or 0;
   * when 0, `r` is remembered (`forget` takes it back). `start` and `end` are the row's start and end times
   * (its bytes determine them; NO_DATE when absent).
   */
  find(r: Row, start: number, end: number): number {
    const len = r.re - r.rs;
    // The key: the length and the start and end times in ms (the start from the file's first, so that it is
    // a small integer), all already at hand.
    if (this.t0 !== this.t0) this.t0 = start;
    let k = Math.imul(len ^ ((start - this.t0) | 0), 0x9e3779b1);
    if (end > start) k = Math.imul(k ^ ((end - start) | 0), 0x85ebca6b);
    k ^= k >>> 15;
    const h = k & (BUCKETS - 1);
    const head = this.heads[h];
    let bk = 0;
    let next = head;
    if (head >= 0 && head >= this.seq - RECENT_ROWS) {
      bk = this.walk(r, head, k, len);
      if (bk < 0) return this.lines[~bk & MASK];
    }
    // Remember this row.
    if (this.seq === MAX_SEQ) {
      // Sequence numbers stay small integers: after 2^30 records, the memory starts again.
      this.heads.fill(-1);
      this.seq = 0;
      next = -1;
    }
    const q = this.seq++;
    const i = q & MASK;
    const recs = this.recs;
    recs[i * 4] = k;
    recs[i * 4 + 1] = bk;
    recs[i * 4 + 2] = len;
    recs[i * 4 + 3] = next;
    this.offs[i] = r.ro;
    this.lines[i] = r.line;
    this.heads[h] = q;
    return 0;
  }

  /** Records remembered so far (a mark for `forget`). */
  get size(): number {
    return this.seq;
  }

  /**
   * Takes back the row the last `find` remembered, when it did (`size` is past `mark`): the row did not
   * become a record.
   */
  forget(mark: number): void {
    if (this.seq <= mark || this.seq === 0) return;
    const q = --this.seq;
    const i = q & MASK;
    this.heads[this.recs[i * 4] & (BUCKETS - 1)] = this.recs[i * 4 + 3];
  }

  /**
   * find, past the first look: the records of the key's bucket, newest first, from q. ~q of the same one
   * (negative), or the row's bytesKey (0: not made; else positive) when there is none.
   */
  private walk(r: Row, q: number, k: number, len: number): number {
    const oldest = this.seq - RECENT_ROWS;
    const recs = this.recs;
    let bk = 0;
    while (q >= oldest && q >= 0) {
      const i = q & MASK;
      if (recs[i * 4] === k && recs[i * 4 + 2] === len) {
        // Rows that share length and times (a burst of like calls): their bytes' keys first, each made once.
        if (bk === 0) bk = bytesKey(r.rb, r.rs, r.re);
        let other = recs[i * 4 + 1];
        if (other === 0) other = recs[i * 4 + 1] = this.storedBytesKey(this.offs[i], len);
        if ((other === bk || other === 0) && this.same(this.offs[i], r.rb, r.rs, len)) return ~q;
      }
      q = recs[i * 4 + 3];
    }
    return bk;
  }

  /** bytesKey of the input bytes at offset x, n long; 0 when they are not in one piece of memory. */
  private storedBytesKey(x: number, n: number): number {
    if (x >= this.pieceAt) return x - this.pieceAt + n <= this.piece.length ? bytesKey(this.piece, x - this.pieceAt, x - this.pieceAt + n) : 0;
    if (x < this.ringFrom || x + n > this.pieceAt) return 0;
    const at = x % this.ring.length;
    return at + n <= this.ring.length ? bytesKey(this.ring, at, at + n) : 0;
  }

  /** Whether the input bytes at offset x are b[s..s+n). */
  private same(x: number, b: Buffer, s: number, n: number): boolean {
    if (x < this.ringFrom) return false;
    const size = this.ring.length;
    while (x < this.pieceAt && n > 0) {
      const at = x % size;
      const m = Math.min(n, size - at, this.pieceAt - x);
      if (b.compare(this.ring, at, at + m, s, s + m) !== 0) return false;
      x += m;
      s += m;
      n -= m;
    }
    if (n === 0) return true;
    const at = x - this.pieceAt;
    return at + n <= this.piece.length && b.compare(this.piece, at, at + n, s, s + n) === 0;
  }
}
