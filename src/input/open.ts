/**
 * Opens one input as a stream of decompressed chunks and sniffs its format from the first bytes,
 * never from the file name: pcap/pcapng magic, then Asterisk log, then CDR CSV.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { InputError, readErrorText } from '../errors.js';
import type { InputSpec } from './expand.js';

export type SourceKind = 'capture' | 'asterisk-log' | 'cdr-csv';

/**
 * The format of an input is not one sipscope reads (as opposed to a file that cannot be read). `bytes`: how
 * many bytes (decompressed) were read to find it out, for the input's accounting.
 */
export class UnknownFormatError extends InputError {
  constructor(file: string, message: string, readonly bytes = 0) {
    super(file, message);
  }
}

/** Bytes of decompressed input looked at to decide the format. */
export const SNIFF_BYTES = 64 * 1024;
const READ_CHUNK = 1 << 20;

export interface OpenedInput {
  kind: SourceKind;
  compressed?: 'gzip' | 'zstd';
  /** Decompressed chunks, starting with the sniffed head. */
  chunks: AsyncIterable<Uint8Array>;
  /** Gives the file back when `chunks` will not be read (reading them to the end, or stopping early, does it). */
  close(): Promise<void>;
}

/**
 * A file read in READ_CHUNK pieces, the next one read ahead while the current one is parsed. Each piece
 * is a new buffer until `reuse` is set; then three buffers take turns. Reuse is for a parser that keeps
 * no view of a chunk after `push()` returns (the capture reader copies what it keeps: a record cut by a
 * chunk boundary, parked IP fragments and TCP segments, partial SIP messages). A new 1 MiB buffer per
 * read is freed only when the collector runs: on the 1.4 GiB benchmark capture, reuse takes 15 MB off
 * the peak RSS. The piece read ahead goes into the buffer handed out two pieces before the current one,
 * which the parser is done with.
 */
class FileChunks implements AsyncIterator<Uint8Array> {
  reuse = false;
  private fh: FileHandle | undefined;
  private readonly bufs: Buffer[] = [];
  private turn = 0;
  private ahead: Promise<Uint8Array | undefined> | undefined;
  private done = false;

  constructor(
    private readonly path: string,
    private readonly onRawBytes?: (n: number) => void,
  ) {}

  private async read(buf: Buffer): Promise<Uint8Array | undefined> {
    this.fh ??= await open(this.path, 'r');
    const { bytesRead } = await this.fh.read(buf, 0, READ_CHUNK, null);
    if (bytesRead === 0) return undefined;
    return bytesRead === READ_CHUNK ? buf : buf.subarray(0, bytesRead);
  }

  private buffer(): Buffer {
    if (!this.reuse) return Buffer.allocUnsafeSlow(READ_CHUNK);
    this.turn = (this.turn + 1) % 3;
    return (this.bufs[this.turn] ??= Buffer.allocUnsafeSlow(READ_CHUNK));
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.done) return { done: true, value: undefined };
    let chunk: Uint8Array | undefined;
    try {
      chunk = await (this.ahead ?? this.read(this.buffer()));
      this.ahead = undefined;
    } catch (err) {
      await this.close();
      throw err;
    }
    if (chunk === undefined) {
      await this.close();
      return { done: true, value: undefined };
    }
    this.onRawBytes?.(chunk.length);
    if (chunk.length === READ_CHUNK) {
      const ahead = this.read(this.buffer());
      ahead.catch(() => {}); // surfaces at the next call
      this.ahead = ahead;
    }
    return { done: false, value: chunk };
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.close();
    return { done: true, value: undefined };
  }

  private async close(): Promise<void> {
    this.done = true;
    await this.ahead?.catch(() => {});
    this.ahead = undefined;
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch(() => {});
  }
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SHB = 0x0a0d0d0a;

/**
 * Names of containers people feed by mistake, so the error says what the file is. Each is told by its whole
 * binary signature, which no text begins with: they are checked before the text formats, so that a zip whose
 * entries are stored uncompressed is not read as the CSV inside it (with its directory as a last row).
 */
function describeForeign(head: Uint8Array): string | undefined {
  const ascii = Buffer.from(head.subarray(0, 10)).toString('latin1');
  if (ascii.startsWith('GMBU')) return 'a Microsoft Network Monitor capture (save it as pcapng in Wireshark first)';
  if (ascii.startsWith('snoop\0\0\0')) return 'a Solaris snoop capture (convert it with editcap first)';
  if (ascii.startsWith('PK\x03\x04') || ascii.startsWith('PK\x05\x06') || ascii.startsWith('PK\x07\x08')) return 'a zip archive (unpack it first)';
  if (/^BZh[1-9]1AY&SY/.test(ascii)) return 'a bzip2 file (decompress it first)';
  if (head[0] === 0xfd && ascii.startsWith('\xfd7zXZ')) return 'an xz file (decompress it first)';
  if (head.length >= 4 && u32(head, 0) === 0x28b52ffd) return 'a zstd file (this Node version cannot decompress zstd: run `zstd -d` first)';
  return undefined;
}

/** Whether decompressed input is a pcap or pcapng capture, from its first 4 bytes. */
export function isCaptureHead(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const m = u32(head, 0);
  return PCAP_MAGICS.has(m) || m === PCAPNG_SHB;
}

/**
 * The format of decompressed input from its first bytes (see sniff-kind.ts). The log and CSV sniffers
 * are loaded only for input that is no capture, with their readers: a capture run does not load them.
 */
async function detectKind(head: Uint8Array, columnMap: Record<string, string> | undefined, columnMapNames?: Record<string, string>): Promise<SourceKind | undefined> {
  if (isCaptureHead(head)) return 'capture';
  if ((await import('../asterisk/index.js')).isAsteriskLog(head)) return 'asterisk-log';
  // --map can make a CSV with no header and no known layout readable, so the sniffer sees it too.
  if ((await import('../cdr/index.js')).isCdrCsv(head, { columnMap, columnMapNames })) return 'cdr-csv';
  return undefined;
}

/**
 * Reads from an async iterator until at least `want` bytes are buffered (or the end). A read that fails
 * ends the peek with the bytes read so far and the `error` (a gzip cut short still gives its first part).
 */
async function peek(it: AsyncIterator<Uint8Array>, want: number): Promise<{ head: Uint8Array[]; size: number; done: boolean; error?: unknown }> {
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < want) {
    let r;
    try {
      r = await it.next();
    } catch (error) {
      return { head, size, done: true, error };
    }
    if (r.done) return { head, size, done: true };
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    head.push(chunk);
    size += chunk.length;
  }
  return { head, size, done: false };
}

/** The peeked head, then the rest of `it`; a reader that stops early closes `it` (and so the file). */
async function* replay(head: Uint8Array[], it: AsyncIterator<Uint8Array>, done: boolean): AsyncGenerator<Uint8Array> {
  let finished = done;
  try {
    for (const h of head) yield h;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await it.return?.();
  }
}

/**
 * Opens an input. `onRawBytes` is told how many bytes were read from disk/stdin (before decompression),
 * for progress. Throws InputError when the file cannot be read or its format is not recognised.
 */
export async function openInput(
  spec: InputSpec,
  opts: { stdin?: NodeJS.ReadableStream; onRawBytes?: (n: number) => void; columnMap?: Record<string, string>; columnMapNames?: Record<string, string> } = {},
): Promise<OpenedInput> {
  let rawIt: AsyncIterator<Uint8Array>;
  let file: FileChunks | undefined;
  if (spec.path === '-') {
    if (!opts.stdin) throw new InputError(spec.display, 'standard input is not available');
    const raw = opts.stdin;
    const counted = opts.onRawBytes
      ? Readable.from(
          (async function* () {
            for await (const c of raw as AsyncIterable<Uint8Array>) {
              opts.onRawBytes!(c.length);
              yield c;
            }
          })(),
          { objectMode: false, highWaterMark: READ_CHUNK },
        )
      : (raw as Readable);
    rawIt = (counted as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  } else {
    rawIt = file = new FileChunks(spec.path, opts.onRawBytes);
  }
  try {
    return await sniff(spec, rawIt, file, opts.columnMap, opts.columnMapNames);
  } catch (err) {
    await file?.return(); // an input that is not read gives its file back at once
    throw err;
  }
}

/** Decompresses (by content) and sniffs the format of the raw bytes. */
async function sniff(
  spec: InputSpec,
  rawIt: AsyncIterator<Uint8Array>,
  file: FileChunks | undefined,
  columnMap: Record<string, string> | undefined,
  columnMapNames?: Record<string, string>,
): Promise<OpenedInput> {
  const first = await peek(rawIt, 4);
  if (first.error !== undefined) throw new InputError(spec.display, readErrorText(first.error));
  const firstBytes = Buffer.concat(first.head);
  // Empty is no known format: skipped when found in a folder, an error when named.
  if (firstBytes.length === 0) throw new UnknownFormatError(spec.display, 'empty input');

  let compressed: OpenedInput['compressed'];
  let dataIt: AsyncIterator<Uint8Array>;
  if (firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) {
    compressed = 'gzip';
    const gunzip = zlib.createGunzip({ chunkSize: READ_CHUNK });
    Readable.from(replay(first.head, rawIt, first.done), { objectMode: false }).pipe(gunzip);
    dataIt = (gunzip as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  } else if (firstBytes.length >= 4 && u32(firstBytes, 0) === 0x28b52ffd) {
    const make = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
    if (!make) throw new UnknownFormatError(spec.display, describeForeign(firstBytes)!);
    compressed = 'zstd';
    const dec = make();
    Readable.from(replay(first.head, rawIt, first.done), { objectMode: false }).pipe(dec);
    dataIt = (dec as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  } else {
    dataIt = replay(first.head, rawIt, first.done);
  }

  const sniffed = await peek(dataIt, SNIFF_BYTES);
  const head = Buffer.concat(sniffed.head);
  if (head.length === 0) {
    if (sniffed.error !== undefined) throw new InputError(spec.display, readErrorText(sniffed.error));
    throw new UnknownFormatError(spec.display, compressed ? `empty after ${compressed} decompression` : 'empty input');
  }
  const foreign = describeForeign(head);
  if (foreign !== undefined) throw new UnknownFormatError(spec.display, `not supported: this is ${foreign}`, head.length);
  const kind = await detectKind(head, columnMap, columnMapNames);
  if (sniffed.error !== undefined) {
    // Unreadable within the first SNIFF_BYTES (a short gzip cut short): what came before the error is still
    // read, then the error ends the input as it would further on ("stopped after N bytes: …").
    if (!kind) throw new InputError(spec.display, readErrorText(sniffed.error));
    const error = sniffed.error;
    return { kind, compressed, chunks: { [Symbol.asyncIterator]: () => headThenFail(head, error) }, close: async () => void (await file?.return()) };
  }
  if (!kind) {
    // A CSV that comes close to a CDR says why it is not read (UTF-16 without a BOM, no start time column).
    const why = (await import('../cdr/index.js')).whyNotCdr(head, { columnMap, columnMapNames });
    throw new UnknownFormatError(spec.display, why ?? 'not recognised as a pcap/pcapng capture, an Asterisk log or a CDR CSV export', head.length);
  }
  // The sniffed head is a copy (Buffer.concat); from here on a plain capture file reads into three buffers.
  if (file && kind === 'capture' && !compressed) file.reuse = true;
  return {
    kind,
    compressed,
    chunks: { [Symbol.asyncIterator]: () => replay([head], dataIt, sniffed.done) },
    close: async () => {
      await dataIt.return?.();
      await file?.return(); // a decompressor's end does not reach the file it reads
    },
  };
}

async function* headThenFail(head: Uint8Array, error: unknown): AsyncGenerator<Uint8Array> {
  yield head;
  throw error;
}
