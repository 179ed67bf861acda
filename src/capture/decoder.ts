/**
 * Streaming capture reader: pcap (µs/ns, both byte orders, Kuznetzov's extended records) and
 * pcapng (several sections and interfaces, EPB/SPB/obsolete PB, unknown blocks skipped).
 *
 * Push-based: chunks of any size. Records that lie whole inside a chunk are decoded in place;
 * only a record cut by a chunk boundary is copied into a carry-over buffer (grown geometrically
 * and reused), so memory stays at one record whatever the file size.
 */
import { InputError } from '../errors.js';
import { u16, u32, u32be, u32le } from '../net/bytes.js';
import { PacketDecoder, type TcpCarry } from '../net/decode.js';
import type { TcpReassembler } from '../net/tcp.js';
import type { PayloadHandler } from '../net/payload.js';
import { countAnomaly, type InputAccounting } from '../types.js';
import { couldBeCapture, describeNonCapture, sniffCapture, SNIFF_BYTES } from './sniff.js';

export interface CaptureDecoder {
  push(chunk: Uint8Array): void;
  end(): void;
  /**
   * The end of one file of a chain of captures: as end(), but its TCP flows stay open and are returned, for the
   * next file's decoder to go on with (createCaptureDecoder's `carried`); a cut last record or header is
   * returned as `error` (end() throws it).
   */
  handOver(): { tcp: TcpReassembler; error?: InputError };
  /** Closes the TCP flows carried over from the file before (the chain's check found that this file does not follow it). */
  dropCarried(): void;
  readonly format: 'pcap' | 'pcapng' | undefined;
}

/**
 * Builds a reader for one capture file; every packet is counted in `acc`. `carried`: the TCP flows of the file
 * before in a chain, and the check to make at the first TCP segment (see TcpCarry).
 */
export function createCaptureDecoder(file: string, handler: PayloadHandler, acc: InputAccounting, carried?: TcpCarry): CaptureDecoder {
  return new CaptureReader(file, handler, acc, carried);
}

const SNIFF = 0;
const PCAP_HEADER = 1;
const PCAP = 2;
const PCAPNG = 3;
const DEAD = 4;

/** A record longer than this is junk, not a packet (pcapng and pcap alike). */
export const MAX_RECORD = 16 * 1024 * 1024;
/**
 * The largest packet a capture tool writes unless its snap length says more (libpcap's MAXIMUM_SNAPLEN): a
 * record past it and past the snap length is a corrupt header, not a packet cut short by the end of the file.
 */
const MAX_SNAPLEN = 262144;
/** Room for a packet block's own fields and options around the packet. */
const BLOCK_ROOM = 65536;

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 1;
const BLOCK_PB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface NgInterface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second (if_tsresol). */
  ups: number;
  /** if_tsoffset, seconds. */
  offsetSec: number;
}

class CaptureReader implements CaptureDecoder {
  private readonly net: PacketDecoder;
  private state = SNIFF;
  private carry = new Uint8Array(65536);
  private carryLen = 0;
  /** File offset of the next unit (the one in carry, when carry is not empty). */
  private offset = 0;
  private no = 0;
  private ended = false;
  private container: 'pcap' | 'pcapng' | undefined;
  private le = true;
  private nanos = false;
  private recHdr = 16;
  private linktype = 0;
  private snaplen = 0;
  /** The longest pcap record or pcapng packet block that can be real (see MAX_SNAPLEN). */
  private recordLimit = MAX_SNAPLEN;
  private blockLimit = MAX_SNAPLEN + BLOCK_ROOM;
  private ifaces: NgInterface[] = [];
  private sections = 0;
  private lastTs = 0;
  private spbNoted = false;
  private corruptName = '';
  private corruptDetail = '';

  constructor(
    private readonly file: string,
    handler: PayloadHandler,
    private readonly acc: InputAccounting,
    carried?: TcpCarry,
  ) {
    this.net = new PacketDecoder(file, handler, acc, carried);
    acc.unit = 'packet';
  }

  get format(): 'pcap' | 'pcapng' | undefined {
    return this.container;
  }

  push(input: Uint8Array): void {
    if (this.ended) return;
    // A plain Uint8Array view: Buffer#subarray is several times slower than the typed-array one,
    // and the payload views handed on are made from this.
    const chunk = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.length);
    this.acc.bytes += chunk.length;
    if (this.state === DEAD) return;
    const n = chunk.length;
    let pos = 0;
    while (this.carryLen > 0 && pos < n) {
      const size = this.unitSize(this.carry, 0, this.carryLen);
      if (size === -2) {
        this.corrupt();
        break;
      }
      const want = size < 0 ? this.headerNeed() : size;
      const take = Math.min(want - this.carryLen, n - pos);
      this.append(chunk, pos, take);
      pos += take;
      if (size >= 0 && this.carryLen === size) {
        this.carryLen = 0;
        this.process(this.carry, 0, size);
        this.offset += size;
        if (this.state === DEAD) break;
      }
    }
    while (pos < n && this.state !== DEAD) {
      if (this.state === PCAP) {
        pos = this.pcapRun(chunk, pos, n);
        if (pos >= n) break;
      }
      const avail = n - pos;
      const size = this.unitSize(chunk, pos, avail);
      if (size === -2) {
        this.corrupt();
        break;
      }
      if (size < 0 || size > avail) {
        this.append(chunk, pos, avail);
        break;
      }
      this.process(chunk, pos, size);
      this.offset += size;
      pos += size;
      if (this.state === DEAD) break;
    }
    this.net.flush();
  }

  /** The hot loop for pcap: every whole record in `b[pos, n)`; returns where it stopped. */
  private pcapRun(b: Uint8Array, pos: number, n: number): number {
    const le = this.le;
    const hdr = this.recHdr;
    const div = this.nanos ? 1e6 : 1e3;
    const lt = this.linktype;
    const net = this.net;
    while (n - pos >= 16) {
      const caplen = le ? u32le(b, pos + 8) : u32be(b, pos + 8);
      const size = hdr + caplen;
      if (caplen > this.recordLimit || size > n - pos) break;
      const sec = le ? u32le(b, pos) : u32be(b, pos);
      if (maybeFileMagic(sec)) break; // maybe a joined file's header: unitSize tells
      const frac = le ? u32le(b, pos + 4) : u32be(b, pos + 4);
      const origlen = le ? u32le(b, pos + 12) : u32be(b, pos + 12);
      net.packet(b, pos + hdr, caplen, origlen, lt, sec * 1000 + frac / div, ++this.no);
      pos += size;
      this.offset += size;
    }
    return pos;
  }

  end(): void {
    if (this.ended) return;
    this.endOfFile();
    this.net.end();
    this.net.flush();
  }

  handOver(): { tcp: TcpReassembler; error?: InputError } {
    let error: InputError | undefined;
    try {
      if (!this.ended) this.endOfFile();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      error = err;
    }
    const tcp = this.net.handOver();
    this.net.flush();
    return error === undefined ? { tcp } : { tcp, error };
  }

  dropCarried(): void {
    this.net.dropCarried();
  }

  /** Whatever is left at the end of the file: no capture at all, a cut header, a cut last record. */
  private endOfFile(): void {
    this.ended = true;
    if (this.state === SNIFF) {
      const head = this.carry.subarray(0, this.carryLen);
      throw new InputError(this.file, this.carryLen === 0 ? describeNonCapture(head) : `${this.carryLen} bytes: too short for a capture`);
    }
    if (this.state === PCAP_HEADER) throw new InputError(this.file, `truncated pcap file header (${this.carryLen} of 24 bytes)`);
    if (this.state === PCAPNG && this.sections === 0) throw new InputError(this.file, `truncated pcapng section header (${this.carryLen} bytes)`);
    if (this.carryLen > 0 && this.state !== DEAD) {
      const size = this.unitSize(this.carry, 0, this.carryLen);
      let isPacket = true;
      if (this.state === PCAPNG) {
        // A block cut before its type is known is not counted as a packet that may never have been there.
        const type = this.carryLen >= 4 ? u32(this.carry, 0, this.le) : -1;
        isPacket = type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PB;
      }
      const detail = `${this.carryLen} of ${size > 0 ? size : '?'} bytes`;
      if (isPacket) this.malformedPacket('truncated-record', detail);
      else this.acc.notes.push(`last pcapng block cut short at byte ${this.offset} (${detail})`);
      this.carryLen = 0;
    }
  }

  // ── framing ─────────────────────────────────────────────────────────────────────────────────

  /** Bytes needed before the size of the next unit is known. */
  private headerNeed(): number {
    switch (this.state) {
      case SNIFF: return SNIFF_BYTES;
      case PCAP_HEADER: return 24;
      case PCAP: return this.recHdr;
      // A pcap header where a block should start is told by its first 16 bytes (see unitSize).
      default: return this.carryLen >= 4 && maybeFileMagic(u32(this.carry, 0, true)) ? 16 : 12;
    }
  }

  /** Size of the unit at `b[o]`: ≥ 0, -1 when more bytes are needed to tell, -2 when corrupt. */
  private unitSize(b: Uint8Array, o: number, avail: number): number {
    switch (this.state) {
      case SNIFF: {
        if (avail < SNIFF_BYTES) {
          if (!couldBeCapture(b.subarray(o, o + avail))) throw new InputError(this.file, describeNonCapture(b.subarray(o, o + avail)));
          return -1;
        }
        const c = sniffCapture(b.subarray(o, o + SNIFF_BYTES));
        if (c === null) throw new InputError(this.file, describeNonCapture(b.subarray(o, o + Math.min(avail, 16))));
        if (c.kind === 'pcap') {
          this.state = PCAP_HEADER;
          this.le = c.littleEndian;
          this.nanos = c.nanos;
          this.recHdr = c.extended ? 24 : 16;
        } else {
          this.state = PCAPNG;
        }
        // Files joined with cat: the input is named by its first part's format (a note says where the next begins).
        if (this.container === undefined) this.container = this.acc.format = c.kind;
        return this.unitSize(b, o, avail);
      }
      case PCAP_HEADER:
        return 24;
      case PCAP: {
        if (avail < 16) return -1;
        if (joinedHeader(b, o)) {
          // Another capture's header where a record should start: files joined with `cat`. Follow it.
          this.acc.notes.push(`a second capture header at byte ${this.offset} (files joined with cat?): read on`);
          this.state = SNIFF;
          return this.unitSize(b, o, avail);
        }
        const caplen = u32(b, o + 8, this.le);
        if (caplen > this.recordLimit) {
          this.corruptName = 'bad-record-length';
          this.corruptDetail = `record of ${caplen} bytes`;
          return -2;
        }
        return this.recHdr + caplen;
      }
      case PCAPNG: {
        if (avail < 12) return -1;
        const first = u32(b, o, true);
        if (first !== BLOCK_SHB && maybeFileMagic(first)) {
          // A pcap file header where a block should start (pcapng sections follow each other by design).
          if (avail < 16) return -1;
          if (joinedHeader(b, o)) {
            this.acc.notes.push(`a second capture header at byte ${this.offset} (files joined with cat?): read on`);
            this.state = SNIFF;
            return this.unitSize(b, o, avail);
          }
        }
        let le = this.le;
        if (first === BLOCK_SHB) {
          const m = u32(b, o + 8, true);
          if (m === BYTE_ORDER_MAGIC) le = true;
          else if (m === 0x4d3c2b1a) le = false;
          else {
            this.corruptName = 'bad-pcapng-block';
            this.corruptDetail = 'section header without byte-order magic';
            return -2;
          }
        }
        const len = u32(b, o + 4, le);
        const type = u32(b, o, le);
        const packet = type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PB;
        if (len < 12 || (len & 3) !== 0 || len > MAX_RECORD || (packet && len > this.blockLimit)) {
          this.corruptName = 'bad-pcapng-block';
          this.corruptDetail = `block length ${len}`;
          return -2;
        }
        return len;
      }
      default:
        return -1;
    }
  }

  private append(chunk: Uint8Array, pos: number, len: number): void {
    const need = this.carryLen + len;
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(pos, pos + len), this.carryLen);
    this.carryLen = need;
  }

  /** The rest of the file cannot be framed: one malformed unit, then everything else is skipped. */
  private corrupt(): void {
    this.malformedPacket(this.corruptName, this.corruptDetail);
    // The rest of the input is lost: an input not read to its end (stderr line, exit 2, `--fail-on unreadable`).
    this.acc.error ??= `stopped reading at byte ${this.offset}: ${this.corruptDetail}`;
    this.state = DEAD;
    this.carryLen = 0;
  }

  private malformedPacket(name: string, detail: string): void {
    this.no++;
    this.acc.read++;
    countAnomaly(this.acc, name, { file: this.file, packet: this.no, offset: this.offset }, detail);
  }

  // ── records ─────────────────────────────────────────────────────────────────────────────────

  private process(b: Uint8Array, o: number, size: number): void {
    switch (this.state) {
      case PCAP_HEADER:
        this.snaplen = u32(b, o + 16, this.le);
        this.recordLimit = Math.min(MAX_RECORD, Math.max(MAX_SNAPLEN, this.snaplen));
        this.linktype = u32(b, o + 20, this.le) & 0xffff;
        this.state = PCAP;
        return;
      case PCAP: {
        const sec = u32(b, o, this.le);
        const frac = u32(b, o + 4, this.le);
        const caplen = u32(b, o + 8, this.le);
        const origlen = u32(b, o + 12, this.le);
        const ts = sec * 1000 + (this.nanos ? frac / 1e6 : frac / 1e3);
        this.net.packet(b, o + this.recHdr, caplen, origlen, this.linktype, ts, ++this.no);
        return;
      }
      case PCAPNG:
        this.block(b, o, size);
        return;
      default:
        return;
    }
  }

  private block(b: Uint8Array, o: number, len: number): void {
    const type = u32(b, o, this.le);
    if (type === BLOCK_SHB) {
      this.le = u32(b, o + 8, true) === BYTE_ORDER_MAGIC;
      this.ifaces = [];
      this.sections++;
      const major = u16(b, o + 12, this.le);
      if (major !== 1) this.acc.notes.push(`pcapng section ${this.sections} has version ${major}.x`);
      return;
    }
    const le = this.le;
    switch (type) {
      case BLOCK_IDB: {
        if (len < 20) return this.badBlock('interface description block too short');
        const iface: NgInterface = { linktype: u16(b, o + 8, le), snaplen: u32(b, o + 12, le), ups: 1e6, offsetSec: 0 };
        if (iface.snaplen + BLOCK_ROOM > this.blockLimit) this.blockLimit = Math.min(MAX_RECORD, iface.snaplen + BLOCK_ROOM);
        let p = o + 16;
        const stop = o + len - 4;
        while (stop - p >= 4) {
          const code = u16(b, p, le);
          const olen = u16(b, p + 2, le);
          if (code === 0 || p + 4 + olen > stop) break;
          if (code === 9 && olen >= 1) {
            const r = b[p + 4]!;
            iface.ups = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
          } else if (code === 14 && olen === 8) {
            const lo = u32(b, p + 4 + (le ? 0 : 4), le);
            const hi = u32(b, p + 4 + (le ? 4 : 0), le) | 0;
            iface.offsetSec = hi * 4294967296 + lo;
          }
          p += 4 + ((olen + 3) & ~3);
        }
        this.ifaces.push(iface);
        return;
      }
      case BLOCK_EPB:
      case BLOCK_PB: {
        if (len < 32) return this.badPacketBlock('packet block too short');
        const ifId = type === BLOCK_EPB ? u32(b, o + 8, le) : u16(b, o + 8, le);
        const iface = this.ifaces[ifId];
        if (iface === undefined) return this.badPacketBlock(`interface ${ifId} not described`, 'bad-interface-id');
        const caplen = u32(b, o + 20, le);
        const origlen = u32(b, o + 24, le);
        if (caplen > len - 32) return this.badPacketBlock(`captured length ${caplen} beyond block of ${len} bytes`);
        const ts = this.ngTime(iface, u32(b, o + 12, le), u32(b, o + 16, le));
        this.lastTs = ts;
        this.net.packet(b, o + 28, caplen, origlen, iface.linktype, ts, ++this.no);
        return;
      }
      case BLOCK_SPB: {
        if (len < 16) return this.badPacketBlock('simple packet block too short');
        const iface = this.ifaces[0];
        if (iface === undefined) return this.badPacketBlock('no interface described', 'bad-interface-id');
        const origlen = u32(b, o + 8, le);
        let caplen = Math.min(origlen, len - 16);
        if (iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
        // A simple packet block has no timestamp: the previous packet's time is the best estimate.
        if (!this.spbNoted) {
          this.spbNoted = true;
          this.acc.notes.push('simple packet blocks carry no time: each got the time of the packet before it');
        }
        this.net.packet(b, o + 12, caplen, origlen, iface.linktype, this.lastTs, ++this.no);
        return;
      }
      default:
        return; // name resolution, statistics, decryption secrets, custom blocks: not needed
    }
  }

  /**
   * Milliseconds of a 64-bit timestamp of `iface.ups` units a second. Nanosecond counts of today's dates pass 2^53,
   * where a double no longer holds every integer: the remainder is then taken exactly from the two 32-bit halves,
   * so that a packet has the same time in a pcapng file as in a nanosecond pcap.
   */
  private ngTime(iface: NgInterface, hi: number, lo: number): number {
    const ups = iface.ups;
    let sec: number;
    let rem: number;
    if (hi < 0x200000 || ups > 2 ** 37 || ups < 4096) {
      const total = hi * 4294967296 + lo;
      sec = Math.floor(total / ups);
      rem = total - sec * ups;
    } else {
      // (hi·2^32 + lo) mod ups, in steps that stay below 2^53 (ups ≤ 2^37); the quotient is then an integer
      // the rounded division finds exactly (its error is below half a unit for ups ≥ 2^12).
      rem = ((((hi % ups) * 65536) % ups) * 65536) % ups;
      rem = (rem + lo) % ups;
      sec = Math.round((hi * 4294967296 - rem + lo) / ups);
    }
    const frac = ups % 1000 === 0 ? rem / (ups / 1000) : (rem * 1000) / ups;
    return (sec + iface.offsetSec) * 1000 + frac;
  }

  private badBlock(detail: string): void {
    this.acc.notes.push(`pcapng block at byte ${this.offset} skipped: ${detail}`);
  }

  private badPacketBlock(detail: string, name = 'bad-pcapng-block'): void {
    this.malformedPacket(name, detail);
  }
}

/**
 * Could a 32-bit word read at a record or block start be a pcap magic (either byte order, any variant) or a
 * pcapng section header? A cheap first test; `joinedHeader` decides. (`>>> 16`: `&` with a mask over 2^31
 * gives a negative number in JavaScript.)
 */
function maybeFileMagic(v: number): boolean {
  return v >>> 16 === 0xa1b2 || (v & 0xffff) === 0xb2a1 || v === BLOCK_SHB;
}

/** Does a capture file header (pcap version 2.4, or a pcapng SHB with its byte-order magic) start at `b[o]` (≥ 16 bytes)? */
function joinedHeader(b: Uint8Array, o: number): boolean {
  const c = sniffCapture(b.subarray(o, o + 4));
  if (c === null) return false;
  // Version 2.4, thiszone and sigfigs 0, as every writer puts them: read as a record, that would be a
  // timestamp that happens to spell a magic and a packet of 0 bytes, which no capture holds.
  if (c.kind === 'pcap') return u16(b, o + 4, c.littleEndian) === 2 && u16(b, o + 6, c.littleEndian) === 4 && u32(b, o + 8, true) === 0 && u32(b, o + 12, true) === 0;
  const m = u32(b, o + 8, true);
  return m === 0x1a2b3c4d || m === 0x4d3c2b1a;
}
