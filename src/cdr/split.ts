/**
 * The two CSV splitters behind the CDR source. Both turn bytes into `Row`s with the same meaning:
 *
 * - RFC 4180: fields separated by one delimiter byte, records ended by LF or CRLF (a lone CR is data),
 *   quoted fields may hold the delimiter, CR/LF and doubled quotes.
 * - Relaxed quoting (what real exports contain, e.g. a clid written `""Caller 1" <1115>"`): inside a
 *   quoted field, a quote that is neither doubled nor followed by the delimiter or the end of the
 *   record ends the quoting; the field then reads `"` + the text so far + the rest as written, up to
 *   the next delimiter or end of record. A quote inside an unquoted field is data. This is exactly
 *   csv-parse's `relax_quotes`.
 * - Records may have any number of fields (relax_column_count); the row interpreter judges them.
 * - A quoted field still open at the end of the input, or a record over MAX_RECORD_BYTES, is one
 *   malformed record (`unclosed-quote`, `record-too-large`) at the line where it began; reading resumes
 *   on the next line, so one stray quote costs one row and not the rest of the file.
 * - A stray quote that finds a partner: a record whose quoted field runs past a line end is kept only
 *   when it looks like what an RFC 4180 writer makes. When that field ends at a lone quote (a quote
 *   that closes nothing), or the record is half as wide again as the file's rows (`width`, see
 *   strayWidth), its first line is one malformed record (`stray-quote`) and reading resumes on the next
 *   line. Otherwise a stray quote would swallow every row up to the next quote in the file.
 *
 * `FastSplitter` does this with byte loops over the chunk and offsets (no string per field);
 * `ReferenceSplitter` does it with csv-parse: for verification (CdrOptions.path = 'reference'), for UTF-16
 * input, and per record as the fast path's fallback for records wider than its arrays.
 */
import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import { Row, RELAXED } from './row.js';

export const MAX_RECORD_BYTES = 1 << 20;
/** Records with more fields than this are handed to the reference parser (fields live in fixed arrays). */
export const MAX_FAST_FIELDS = 256;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface RowHandler {
  row(r: Row): void;
  /** A record that could not be split: counted as malformed by the caller. */
  bad(line: number, offset: number, name: string, detail: string): void;
}

export interface Splitter {
  push(chunk: Buffer): void;
  end(): void;
  /** 1-based line where the next record would start (after end(): physical lines + 1). */
  readonly nextLine: number;
  /** Records the fast path handed to the reference parser, for notes. */
  readonly fallbacks: number;
  /** The file's rows are this wide from here on, when more than before (a header further down; the stray-quote rule). */
  widen(width: number): void;
}

/** csv-parse options of the reference path (shared with the per-record fallback). */
function csvParseOptions(delimiter: number, bom: boolean, encoding?: BufferEncoding): Record<string, unknown> {
  return {
    delimiter: String.fromCharCode(delimiter),
    record_delimiter: ['\r\n', '\n'],
    relax_quotes: true,
    relax_column_count: true,
    bom,
    max_record_size: MAX_RECORD_BYTES,
    skip_empty_lines: false,
    ...(encoding === undefined ? {} : { encoding }),
  };
}

/** The synchronous engine inside csv-parse's Parser (`parse(buf, end, push, close)`). */
interface CsvEngine {
  parse(buf: Buffer | undefined, end: boolean, push: (rec: string[]) => void, close: () => void): Error | undefined;
  info: { bytes: number };
  options: { encoding: BufferEncoding | null };
  state: { quoting: boolean; field: { buf: Buffer; length: number; prepend(v: unknown): void } };
}

type ParserClass = new (opts: Record<string, unknown>) => { api: CsvEngine };
let ParserCtor: ParserClass | undefined;

/**
 * csv-parse is loaded on first use (the fast path rarely needs it, and start-up time counts); its Parser
 * wraps the synchronous engine `api`, which is what a push/end source needs.
 */
function newEngine(delimiter: number, bom: boolean, encoding?: BufferEncoding): CsvEngine {
  ParserCtor ??= (createRequire(import.meta.url)('csv-parse') as { Parser: ParserClass }).Parser;
  return new ParserCtor(csvParseOptions(delimiter, bom, encoding)).api;
}

/**
 * Where the line after the first one of `b` starts (-1: no line end), in the text's encoding: a UTF-16 line
 * end is two bytes at an even offset.
 */
function lineEnd(b: Buffer, encoding: BufferEncoding | undefined): number {
  if (encoding !== 'utf16le' && encoding !== 'ucs2') {
    const lf = b.indexOf(LF);
    return lf < 0 ? -1 : lf + 1;
  }
  for (let i = b.indexOf(LF); i >= 0; i = b.indexOf(LF, i + 1)) if (i % 2 === 0 && b[i + 1] === 0) return i + 2;
  return -1;
}

/**
 * Calls `hit` when the engine ends a quoted field at a lone quote (relax_quotes) and the quoted text holds a
 * line end. csv-parse tells of a lone quote only by prepending it to the field buffer (its one use of
 * `prepend`), so the check wraps that call; the buffer then holds the quoted text, in the input's encoding.
 */
function watchRelaxed(engine: CsvEngine, hit: () => void): void {
  const field = engine.state.field;
  const prepend = field.prepend;
  field.prepend = (v: unknown): void => {
    if (field.buf.toString(engine.options.encoding ?? 'utf8', 0, field.length).includes('\n')) hit();
    prepend.call(field, v);
  };
}

/**
 * Fields from which a record with a quoted line end counts as rows joined by a stray quote: half as many
 * again as the file's rows have (at least 2 more). Rows joined by a quote are about twice as wide; a real
 * export with a multi-line note and a column or two more on some rows is not.
 */
export function strayWidth(width: number): number {
  return width + Math.max(2, Math.ceil(width / 2));
}

/** The detail of a `stray-quote` record (the same words on both paths). */
function strayDetail(fields: number, width: number): string {
  const why = fields >= strayWidth(width) ? `makes the record ${fields} fields wide where the file's rows have at most ${width}` : 'ends at a quote that closes nothing';
  return `a quoted field runs past the end of this line and ${why}: a stray quote; this line is skipped, reading resumes on the next one`;
}

/** The detail of an `unclosed-quote` or `record-too-large` record (the same words on both paths). */
function brokenDetail(name: string, overSize: boolean): string {
  if (!overSize) return 'a quote opened on this line is never closed (none up to the end of the input): this line is skipped, reading resumes on the next one';
  const what = name === 'unclosed-quote' ? 'a quote opened on this line is not closed within' : 'a record runs over';
  return `${what} ${MAX_RECORD_BYTES} bytes: this line is skipped, reading resumes on the next one`;
}

function countLf(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    let i = f.indexOf('\n');
    while (i !== -1) {
      n++;
      i = f.indexOf('\n', i + 1);
    }
  }
  return n;
}

export class FastSplitter implements Splitter {
  private pending: Buffer | undefined;
  private line = 1;
  /** Byte offset of pending[0] (or of the next chunk) in the input. */
  private base = 0;
  private readonly row = new Row(MAX_FAST_FIELDS);
  private readonly slow = new Row(MAX_FAST_FIELDS);
  /** Width of each column on the last row (picks the scan method for quoted fields). */
  private readonly widths = new Int32Array(MAX_FAST_FIELDS);
  fallbacks = 0;

  /**
   * `width`: the most fields a row of this file has (the stray-quote rule); without it only a lone quote
   * ending a quoted line end marks a stray quote.
   */
  constructor(
    private readonly delim: number,
    private readonly out: RowHandler,
    private width = Infinity,
  ) {
    this.strayAt = strayWidth(width);
  }

  /** strayWidth(width). */
  private strayAt: number;

  widen(width: number): void {
    if (width <= this.width) return;
    this.width = width;
    this.strayAt = strayWidth(width);
  }

  get nextLine(): number {
    return this.line;
  }

  push(chunk: Buffer): void {
    // A record cut by the previous chunk is completed with the first line of this one, so that the rest of
    // the chunk is split in place instead of being copied behind the tail.
    while (this.pending !== undefined && chunk.length > 0) {
      const lf = chunk.indexOf(LF);
      if (lf < 0 || lf + 1 === chunk.length) break;
      const joined = Buffer.concat([this.pending, chunk.subarray(0, lf + 1)]);
      this.pending = undefined;
      this.run(joined, false);
      chunk = chunk.subarray(lf + 1);
    }
    if (chunk.length === 0) return;
    const buf = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    this.run(buf, false);
  }

  end(): void {
    const buf = this.pending;
    this.pending = undefined;
    if (buf !== undefined && buf.length > 0) this.run(buf, true);
  }

  /** Splits records from buf; keeps an incomplete tail in `pending` unless final. */
  private run(buf: Buffer, final: boolean): void {
    const len = buf.length;
    const d = this.delim;
    const row = this.row;
    const fs = row.fs;
    const fe = row.fe;
    const fk = row.fk;
    const fq = row.fq;
    const widths = this.widths;
    // Fields past MAX_FAST_FIELDS are not stored: a typed-array write past the end is dropped (and a read
    // gives undefined), so the loops need no capacity checks; such records go to the fallback below.
    row.buf = buf;
    row.rb = buf;
    // One native check per chunk spares a per-string UTF-8 test on the (usual) all-ASCII exports.
    row.ascii = isAscii(buf);
    let pos = 0;
    // The next LF at or after the scan position (-1: none left in buf). One native search per record
    // bounds the unquoted scans, so the byte loops compare against one value only.
    let lf = buf.indexOf(LF, 0);
    // The next delimiter at or after where it was last searched for (-1: none left in buf; -2: not searched yet).
    let dl = -2;
    let dlFrom = 0;
    records: while (pos < len) {
      const recStart = pos;
      if (lf !== -1 && lf < pos) lf = buf.indexOf(LF, pos);
      const recLf = lf;
      let p = pos;
      let n = 0;
      let next = -1; // start of the following record, once this one is complete
      let problem = 0; // 1 = unclosed quote at end of input, 2 = record over the size limit
      let openQuote = false;
      fields: for (;;) {
        if (p < len && buf[p] === QUOTE) {
          let q = p + 1;
          let kind = 0;
          // Long quoted columns (lastdata, clid) are searched natively; short ones by a byte loop, which is
          // cheaper than a call. The choice follows the width this column had on the previous row.
          const wide = widths[n] > 16;
          for (;;) {
            if (wide) {
              q = buf.indexOf(QUOTE, q);
              if (q < 0) q = len;
            } else while (q < len && buf[q] !== QUOTE) q++;
            if (q >= len) {
              openQuote = true;
              if (!final) break fields;
              problem = 1;
              break fields;
            }
            const nx = q + 1 < len ? buf[q + 1] : -1;
            if (nx === QUOTE) {
              kind = 1;
              q += 2;
              continue;
            }
            if (nx === d || nx === LF || nx === -1 || (nx === CR && q + 2 < len && buf[q + 2] === LF)) {
              if (nx === -1 && !final) {
                openQuote = true;
                break fields;
              }
              fs[n] = p + 1;
              fe[n] = q;
              fk[n] = kind;
              widths[n] = q - p;
              n++;
              if (nx === d) {
                p = q + 2;
                continue fields;
              }
              next = nx === -1 ? len : nx === LF ? q + 2 : q + 3;
              break fields;
            }
            if (nx === CR && q + 2 >= len && !final) {
              openQuote = true;
              break fields;
            }
            // A lone quote: the rest of the field is unquoted text (relaxed quoting).
            if (lf !== -1 && lf <= q) lf = buf.indexOf(LF, q + 1);
            const lim = lf < 0 ? len : lf;
            let x = q + 1;
            while (x < lim && buf[x] !== d) x++;
            if (x >= len && !final) break fields;
            fs[n] = p + 1;
            fq[n] = q;
            fk[n] = 2;
            if (x >= len) {
              fe[n] = len;
              n++;
              next = len;
              break fields;
            }
            if (x < lim) {
              fe[n] = x;
              n++;
              p = x + 1;
              continue fields;
            }
            fe[n] = x > q + 1 && buf[x - 1] === CR ? x - 1 : x;
            n++;
            next = x + 1;
            break fields;
          }
        }
        // Unquoted field: up to the delimiter or the LF.
        if (lf !== -1 && lf < p) lf = buf.indexOf(LF, p);
        const lim = lf < 0 ? len : lf;
        let x = p;
        if (widths[n] > 16) {
          // The native search reads on past the line to the next delimiter: its answer is kept and reused
          // while it lies ahead, so that lines without a delimiter (blank ones, a run of them after a stray
          // quote) are not each searched to the end of the buffer. Reading may resume behind where it
          // searched from (the line after a stray quote): then it searches again.
          if ((dl !== -1 && dl < p) || p < dlFrom) {
            dl = buf.indexOf(d, p);
            dlFrom = p;
          }
          x = dl < 0 || dl > lim ? lim : dl;
        } else while (x < lim && buf[x] !== d) x++;
        if (x >= len) {
          if (!final) break;
          fs[n] = p;
          fe[n] = len;
          fk[n] = 0;
          n++;
          next = len;
          break;
        }
        fs[n] = p;
        fk[n] = 0;
        if (x < lim) {
          fe[n] = x;
          widths[n] = x - p;
          n++;
          p = x + 1;
          continue;
        }
        fe[n] = x > p && buf[x - 1] === CR ? x - 1 : x;
        n++;
        next = x + 1;
        break;
      }

      if (next < 0) {
        if (problem === 0) {
          // Incomplete: wait for more input, unless the record has grown past the limit.
          if (len - recStart <= MAX_RECORD_BYTES) {
            this.pending = Buffer.from(buf.subarray(recStart));
            this.base += recStart;
            return;
          }
          problem = 2;
        }
        const name = openQuote ? 'unclosed-quote' : 'record-too-large';
        this.out.bad(this.line, this.base + recStart, name, brokenDetail(name, problem === 2));
        // Resume on the line after the one where the record began.
        const eol = buf.indexOf(LF, recStart);
        this.line++;
        pos = eol < 0 ? len : eol + 1;
        lf = eol;
        continue;
      }

      // A quoted field holds a line end when the first LF is not the terminator (rare): the stray-quote rule.
      const multi = recLf !== -1 && recLf < next - 1;
      let stray = multi && (n >= this.strayAt || (n <= MAX_FAST_FIELDS && relaxedOverLine(row, n)));
      if (!stray) {
        if (n > MAX_FAST_FIELDS) stray = !this.fallback(buf, recStart, next, this.line, this.base + recStart, multi);
        else {
          row.n = n;
          row.line = this.line;
          row.offset = this.base + recStart;
          row.rs = recStart;
          row.re = withoutLineEnd(buf, recStart, next);
          row.ro = row.offset;
          this.out.row(row);
        }
      }
      if (stray) {
        this.out.bad(this.line, this.base + recStart, 'stray-quote', strayDetail(n, this.width));
        this.line++;
        pos = recLf + 1;
        lf = recLf;
        continue;
      }
      // Lines: one, plus the LFs inside quoted fields.
      let lines = 1;
      if (multi) {
        for (let k = recLf; k < next - 1; k++) if (buf[k] === LF) lines++;
      }
      this.line += lines;
      pos = next;
    }
    this.base += len;
  }

  /**
   * Splits one record with csv-parse (records wider than the fast arrays). False when it is a stray quote:
   * `multi` (a quoted line end) and a field ended at a lone quote past the fields the fast arrays kept.
   */
  private fallback(buf: Buffer, s: number, e: number, line: number, offset: number, multi: boolean): boolean {
    this.fallbacks++;
    const engine = newEngine(this.delim, false);
    let relaxed = false;
    if (multi) watchRelaxed(engine, () => (relaxed = true));
    const recs: string[][] = [];
    const err = engine.parse(buf.subarray(s, e), true, (r) => recs.push(r), () => {});
    if (err !== undefined || recs.length !== 1) {
      this.out.bad(line, offset, 'unsplittable', err?.message ?? 'record did not split into one row');
      return true;
    }
    if (relaxed) return false;
    this.slow.setStrings(recs[0], line, offset);
    this.slow.rb = buf;
    this.slow.rs = s;
    this.slow.re = withoutLineEnd(buf, s, e);
    this.slow.ro = offset;
    this.out.row(this.slow);
    return true;
  }
}

/** End of the record `b[s..e)` without its line end (LF or CRLF; a lone CR is data). */
function withoutLineEnd(b: Uint8Array, s: number, e: number): number {
  if (e > s && b[e - 1] === LF) {
    e--;
    if (e > s && b[e - 1] === CR) e--;
  }
  return e;
}

/** Whether a field of the record ends its quoting at a lone quote after a line end (fast arrays). */
function relaxedOverLine(row: Row, n: number): boolean {
  const buf = row.buf;
  for (let i = 0; i < n; i++) {
    if (row.fk[i] !== RELAXED) continue;
    const lf = buf.indexOf(LF, row.fs[i]);
    if (lf !== -1 && lf < row.fq[i]) return true;
  }
  return false;
}

/** Thrown from the record callback to stop csv-parse at a stray-quote record (the engine is then dropped). */
class StrayQuote extends Error {}

/**
 * The reference splitter: csv-parse's engine (relax_quotes, relax_column_count, bom), fed chunk by chunk.
 * On an unclosed quote, an oversized record or a stray quote it applies the same resume-on-next-line rule
 * as the fast path.
 */
export class ReferenceSplitter implements Splitter {
  private engine: CsvEngine;
  private line = 1;
  /** Input bytes since the end of the last record (what a resync re-reads). */
  private held: Buffer[] = [];
  /** Input offset of held[0][0]. */
  private heldStart = 0;
  /** Input offset where the current engine started. */
  private engineStart = 0;
  private readonly row = new Row(64);
  /** A field of the record being read ended at a lone quote after a line end. */
  private relaxedLf = false;
  readonly fallbacks = 0;

  constructor(
    private readonly delim: number,
    private readonly out: RowHandler,
    private readonly bom = true,
    private width = Infinity,
  ) {
    this.strayAt = strayWidth(width);
    this.engine = this.newEngine(bom, undefined);
  }

  /** strayWidth(width). */
  private strayAt: number;

  widen(width: number): void {
    if (width <= this.width) return;
    this.width = width;
    this.strayAt = strayWidth(width);
  }

  get nextLine(): number {
    return this.line;
  }

  /** An engine that reports lone quotes after a line end; `encoding` carries a BOM's across a resync. */
  private newEngine(bom: boolean, encoding: BufferEncoding | undefined): CsvEngine {
    const engine = newEngine(this.delim, bom, encoding);
    watchRelaxed(engine, () => (this.relaxedLf = true));
    this.relaxedLf = false;
    return engine;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.held.push(chunk);
    this.feed(chunk, false);
  }

  end(): void {
    this.feed(undefined, true);
  }

  private feed(chunk: Buffer | undefined, end: boolean): void {
    for (;;) {
      let name: string;
      let detail: string;
      try {
        const err = this.engine.parse(chunk, end, (rec) => this.onRecord(rec), () => {});
        if (err === undefined) {
          this.trim();
          return;
        }
        const code = (err as Error & { code?: string }).code;
        name = code === 'CSV_QUOTE_NOT_CLOSED' || (code === 'CSV_MAX_RECORD_SIZE' && this.engine.state.quoting) ? 'unclosed-quote' : 'record-too-large';
        detail = code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE' ? brokenDetail(name, code === 'CSV_MAX_RECORD_SIZE') : err.message;
      } catch (e) {
        if (!(e instanceof StrayQuote)) throw e;
        name = 'stray-quote';
        detail = e.message;
      }
      const encoding = this.engine.options.encoding ?? undefined;
      this.trim();
      const all = Buffer.concat(this.held);
      const lf = lineEnd(all, encoding);
      this.out.bad(this.line, this.heldStart, name, detail);
      this.line++;
      if (lf < 0) {
        // Nothing after the broken record's first line: drop it.
        this.held = [];
        this.heldStart += all.length;
        this.engine = this.newEngine(false, encoding);
        this.engineStart = this.heldStart;
        if (end) {
          chunk = undefined;
          continue;
        }
        return;
      }
      const rest = all.subarray(lf);
      this.heldStart += lf;
      this.held = rest.length > 0 ? [rest] : [];
      this.engine = this.newEngine(false, encoding);
      this.engineStart = this.heldStart;
      chunk = rest.length > 0 ? rest : undefined;
      if (chunk === undefined && !end) return;
    }
  }

  private onRecord(rec: string[]): void {
    const relaxed = this.relaxedLf;
    this.relaxedLf = false;
    if (relaxed || (rec.length >= this.strayAt && countLf(rec) > 0)) throw new StrayQuote(strayDetail(rec.length, this.width));
    this.row.setStrings(rec, this.line, this.recordEnd);
    this.setRaw(Math.max(this.recordEnd, this.engineStart), this.engineStart + this.engine.info.bytes);
    this.out.row(this.row);
    this.line += 1 + countLf(rec);
    // Bytes consumed so far by this engine include the record delimiter of this record.
    this.recordEnd = this.engineStart + this.engine.info.bytes;
  }

  private recordEnd = 0;

  /**
   * Points the row's record bytes (Row.rb) at input bytes [s, e), without the line end, as the fast path
   * does: `held` covers them while the engine runs.
   */
  private setRaw(s: number, e: number): void {
    // The held piece that holds [s, e), or the pieces it spans, joined.
    let raw: Buffer | undefined;
    const parts: Buffer[] = [];
    let at = this.heldStart;
    for (const h of this.held) {
      const end = at + h.length;
      if (end > s && at < e) {
        const piece = h.subarray(Math.max(s - at, 0), Math.min(e, end) - at);
        if (at <= s && e <= end) raw = piece;
        else parts.push(piece);
      }
      if (end >= e) break;
      at = end;
    }
    raw ??= Buffer.concat(parts);
    // The BOM the first engine skipped is counted in its offsets: not part of the first record.
    let bom = 0;
    if (s === 0 && this.bom) bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : raw[0] === 0xff && raw[1] === 0xfe ? 2 : 0;
    if (bom > 0) raw = raw.subarray(bom);
    let end = raw.length;
    if ((this.engine.options.encoding ?? 'utf8') === 'utf16le') {
      // Line ends are two-byte units: LF (0A 00), after a CR (0D 00).
      if (end >= 2 && raw[end - 2] === LF && raw[end - 1] === 0) {
        end -= 2;
        if (end >= 2 && raw[end - 2] === CR && raw[end - 1] === 0) end -= 2;
      }
    } else end = withoutLineEnd(raw, 0, end);
    this.row.rb = raw;
    this.row.rs = 0;
    this.row.re = end;
    this.row.ro = s + bom;
  }

  /** Drops held bytes before the end of the last record. */
  private trim(): void {
    let drop = this.recordEnd - this.heldStart;
    if (drop <= 0) return;
    while (drop > 0 && this.held.length > 0) {
      const h = this.held[0];
      if (h.length <= drop) {
        this.held.shift();
        this.heldStart += h.length;
        drop -= h.length;
      } else {
        this.held[0] = h.subarray(drop);
        this.heldStart += drop;
        drop = 0;
      }
    }
  }
}
