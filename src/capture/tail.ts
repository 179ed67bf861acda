/**
 * The end of a capture file without reading all of it: its last packets, found in its last bytes, put behind
 * its own header so that the capture reader can decode them (and give their times with the file's own time
 * resolution). Used to tell whether the pieces of a capture split by time follow one another.
 *
 * pcapng is walked back block by block (every block ends with its length). pcap has no such trailer: the last
 * records are found by trying each offset of the tail as a record start and keeping the first from which the
 * records run exactly to the end of the file, each with a sane length and a time after the file's first packet.
 */
import { u32 } from '../net/bytes.js';

const PCAP_MAGICS_LE = new Set([0xa1b2c3d4, 0xa1b23c4d]);
const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_PB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const MAX_RECORD = 262144 + 65536;

/**
 * A small capture made of the file's header (pcap) or its blocks before the first packet (pcapng), then the
 * whole records or blocks found at the end of `tail` (the file's last bytes, ending at its end). Undefined
 * when the tail holds no whole record that can be told apart.
 */
export function tailCapture(head: Uint8Array, tail: Uint8Array, firstSec: number): Uint8Array | undefined {
  if (head.length < 24) return undefined;
  if (u32(head, 0, true) === BLOCK_SHB) {
    const le = pcapngLe(head);
    if (le === undefined) return undefined;
    const prefix = pcapngPrefix(head, le);
    const from = prefix === undefined ? -1 : pcapngTailStart(tail, le);
    if (prefix === undefined || from < 0) return undefined;
    return concat(head.subarray(0, prefix), tail.subarray(from));
  }
  const asLe = u32(head, 0, true);
  const asBe = u32(head, 0, false);
  const pcapLe = PCAP_MAGICS_LE.has(asLe) || asLe === 0xa1b2cd34;
  const pcapBe = PCAP_MAGICS_LE.has(asBe) || asBe === 0xa1b2cd34;
  if (!pcapLe && !pcapBe) return undefined;
  const littleEndian = pcapLe;
  const m = littleEndian ? asLe : asBe;
  const recHdr = m === 0xa1b2cd34 ? 24 : 16;
  const fracMax = m === 0xa1b23c4d ? 1e9 : 1e6;
  const from = pcapTailStart(tail, littleEndian, recHdr, fracMax, firstSec);
  if (from < 0) return undefined;
  return concat(head.subarray(0, 24), tail.subarray(from));
}

/** pcapng byte order from the section header's byte-order magic (offset 8). */
function pcapngLe(head: Uint8Array): boolean | undefined {
  if (head.length < 12) return undefined;
  if (u32(head, 8, true) === 0x1a2b3c4d) return true;
  if (u32(head, 8, false) === 0x1a2b3c4d) return false;
  return undefined;
}

/** Where the first packet block of the head starts (the section and interface blocks before it are kept). */
function pcapngPrefix(head: Uint8Array, le: boolean): number | undefined {
  let p = 0;
  while (p + 12 <= head.length) {
    const type = u32(head, p, le);
    const len = u32(head, p + 4, le);
    if (len < 12 || len % 4 !== 0 || p + len > head.length) return undefined;
    if (type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PB) return p;
    p += len;
  }
  return undefined;
}

/** The start of the earliest whole block found walking back from the end of `tail`; -1 when none. */
function pcapngTailStart(tail: Uint8Array, le: boolean): number {
  let p = tail.length;
  let start = -1;
  while (p >= 12) {
    const len = u32(tail, p - 4, le);
    if (len < 12 || len % 4 !== 0 || len > p || len > MAX_RECORD) break;
    const s = p - len;
    if (u32(tail, s + 4, le) !== len) break;
    const type = u32(tail, s, le);
    // a new section's header in the tail: its interfaces are not in the prefix, stop after it
    if (type === BLOCK_SHB) break;
    start = s;
    p = s;
  }
  return start;
}

/** The first offset of `tail` from which sane pcap records run exactly to its end; -1 when none. */
function pcapTailStart(tail: Uint8Array, le: boolean, recHdr: number, fracMax: number, firstSec: number): number {
  const n = tail.length;
  for (let o = 0; o + recHdr <= n; o++) {
    let p = o;
    let records = 0;
    while (p + recHdr <= n) {
      const sec = u32(tail, p, le);
      const frac = u32(tail, p + 4, le);
      const caplen = u32(tail, p + 8, le);
      const origlen = u32(tail, p + 12, le);
      if (frac >= fracMax || caplen > MAX_RECORD || caplen > origlen || sec < firstSec || sec > firstSec + 366 * 86400) break;
      p += recHdr + caplen;
      records++;
    }
    // two records at least, unless the tail is a single record: a random offset rarely passes twice
    if (p === n && (records >= 2 || (records === 1 && o === 0))) return o;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
