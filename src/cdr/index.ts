/**
 * CDR CSV exports → CallRecords: Asterisk Master.csv (cdr-csv and the cdr_custom sample template),
 * FreePBX/MySQL exports with a header, FreeSWITCH mod_cdr_csv, and carrier exports with a header in any
 * order. See docs/cdr.md for formats, aliases, `--map`, date rules and relaxations.
 *
 * The first 64 KiB are held back to sniff the delimiter and detect the layout; then rows stream through
 * the byte-level fast splitter (default) or the csv-parse reference splitter (`path: 'reference'`), and
 * the same row interpreter turns them into records.
 */
import { newAccounting, type RecordSink, type SourceOptions, type SourceParser } from '../types.js';
import { DateParser, parseZone } from './dates.js';
import { describeMapping, detectLayout, headRecords, mapKey, mappedStartFits, sniffDelimiter, usualWidth, type DetectOptions } from './detect.js';
import { MAX_PDD_MS, RowInterpreter } from './interpret.js';
import { RECENT_ROWS } from './dedupe.js';
import { FastSplitter, ReferenceSplitter, type Splitter } from './split.js';

export { routeFromChannel, channelRoute, channelCut } from './interpret.js';
export { FastSplitter, ReferenceSplitter } from './split.js';
export { detectLayout, sniffDelimiter, headRecords, ALIASES, FIELDS } from './detect.js';
export { DateParser, parseZone } from './dates.js';

/** Bytes held back to detect the layout. */
export const HEAD_BYTES = 64 * 1024;

/** Upper bound of the held-back head when its rows are very long. */
const MAX_HEAD_BYTES = 1 << 20;

/** LF bytes in b, counting no further than `max`. */
function lineEnds(b: Buffer, max: number): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0 && n < max; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * `b` without its NUL bytes (`b` itself when it has none, the usual case: one native search). NUL is not
 * text: a crash leaves blocks of it in a file being appended, some writers pad fields with it.
 */
function withoutNul(b: Buffer): Buffer {
  let i = b.indexOf(0);
  if (i < 0) return b;
  const out = Buffer.allocUnsafe(b.length);
  let o = 0;
  let s = 0;
  while (i >= 0) {
    o += b.copy(out, o, s, i);
    s = i + 1;
    i = b.indexOf(0, s);
  }
  o += b.copy(out, o, s);
  return out.subarray(0, o);
}

export interface CdrOptions {
  /** `fast` (default): byte-level splitter; `reference`: csv-parse, for verification. */
  path?: 'fast' | 'reference';
}

const DELIM_NAMES: Record<number, string> = { 44: "','", 59: "';'", 9: 'tab', 124: "'|'" };

function bomOf(b: Uint8Array): 'utf8' | 'utf16le' | undefined {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf16le';
  return undefined;
}

/** The head as UTF-8 without a BOM (what detection reads). */
function headText(head: Buffer): Buffer {
  const bom = bomOf(head);
  if (bom === 'utf8') return head.subarray(3);
  if (bom === 'utf16le') return Buffer.from(head.subarray(2, head.length - (head.length % 2)).toString('utf16le'), 'utf8');
  return head;
}

export function createCdrSource(file: string, sink: RecordSink, opts: SourceOptions = {}, cdr: CdrOptions = {}): SourceParser {
  const acc = newAccounting(file, 'cdr-csv', 'row');
  for (const k of Object.keys(opts.columnMap ?? {})) {
    if (mapKey(k) === undefined) throw new Error(`--map ${k}=…: unknown field (fields: start, answer, end, callid, caller, callee, route, dstchannel, sipcode, reason, cause, disposition, duration, billsec, pdd, ring, date)`);
  }
  const zone = parseZone(opts.tz);
  let head: Buffer[] = [];
  let headLen = 0;
  let headLfs = 0;
  let splitter: Splitter | undefined;
  let interp: RowInterpreter | undefined;
  let utf8Bom = false;
  /** UTF-8 input drops its NUL bytes before splitting (in UTF-16 they are half of the text). */
  let dropNul = false;
  let nulBytes = 0;
  const nulFree = (b: Buffer): Buffer => {
    const out = withoutNul(b);
    nulBytes += b.length - out.length;
    return out;
  };

  const start = (final: boolean): void => {
    let raw: Buffer = Buffer.concat(head);
    head = [];
    const bom = bomOf(raw);
    dropNul = bom !== 'utf16le';
    if (dropNul) raw = nulFree(raw);
    // A head cut inside a UTF-8 BOM or a tiny file: still fine, detection just sees less.
    const text = headText(raw);
    const delim = sniffDelimiter(text);
    const records = headRecords(text, delim, final);
    const layout = detectLayout(records, { columnMap: opts.columnMap, delimiter: delim });
    const width = usualWidth(records, layout);
    const dates = new DateParser(zone, layout.dayFirst);
    interp = new RowInterpreter(file, sink, acc, layout, dates, opts);
    const usePath = cdr.path === 'reference' || bom === 'utf16le' ? 'reference' : 'fast';
    acc.notes.push(`format: ${layout.format} — ${layout.description}`);
    acc.notes.push(`delimiter: ${DELIM_NAMES[delim]}${bom ? `, ${bom === 'utf8' ? 'UTF-8' : 'UTF-16LE'} BOM` : ''}${usePath === 'reference' ? ', split by csv-parse (reference path)' : ''}`);
    acc.notes.push(`columns: ${describeMapping(layout) || 'none'}`);
    for (const n of layout.notes) acc.notes.push(n);
    if (zone) acc.notes.push(`times without a zone read as local time in ${zone.name}`);
    if (usePath === 'reference') {
      splitter = new ReferenceSplitter(delim, interp, true, width);
      feed(raw);
    } else {
      splitter = new FastSplitter(delim, interp, width);
      utf8Bom = bom === 'utf8';
      feed(utf8Bom ? raw.subarray(3) : raw);
    }
  };

  /**
   * Gives the splitter its next bytes, and first the row interpreter's memory of recent rows (rows written
   * twice, dedupe.ts): it copies what it still needs of the previous bytes, which the caller may reuse now.
   */
  const feed = (b: Buffer): void => {
    interp!.memory.append(b);
    splitter!.push(b);
  };

  return {
    accounting: acc,
    push(chunk: Uint8Array): void {
      if (chunk.length === 0) return;
      acc.bytes += chunk.length;
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (splitter !== undefined) {
        feed(dropNul ? nulFree(b) : b);
        return;
      }
      head.push(Buffer.from(b));
      headLen += b.length;
      if (headLfs < 3) headLfs += lineEnds(b, 3 - headLfs);
      // Detection wants a few whole rows: a head of giant rows grows up to MAX_HEAD_BYTES.
      if (headLen >= MAX_HEAD_BYTES || (headLen >= HEAD_BYTES && headLfs >= 3)) start(false);
    },
    end(): void {
      if (splitter === undefined) {
        if (headLen === 0) {
          acc.notes.push('empty input');
          return;
        }
        start(true);
      }
      splitter!.end();
      const i = interp!;
      const lines = splitter!.nextLine - 1;
      acc.notes.push(`physical lines: ${lines}; rows read: ${acc.read} (records ${acc.used}, ignored ${acc.ignored}, malformed ${acc.malformed})`);
      const src = Object.entries(i.codeSources)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      if (src) acc.notes.push(`final codes rest on: ${src} (codeSource per record)`);
      if (i.answerDerived > 0) acc.notes.push(`answer time derived as end − billsec for ${i.answerDerived} answered rows`);
      if (i.answerUnknown > 0) acc.notes.push(`answer time unknown (no answer column, no end time with billsec) for ${i.answerUnknown} answered rows: counted as answered, with no PDD and no answer delay`);
      if (i.pddImplausible > 0) {
        acc.notes.push(
          `PDD over ${MAX_PDD_MS / 1000} s on ${i.pddImplausible} row${i.pddImplausible === 1 ? '' : 's'} (up to ${Math.round(i.pddImplausibleMax / 1000)} s): left out of the PDD figures; if the column is in milliseconds, say so in its header (\`PDD (ms)\`)`,
        );
      }
      if (i.commaThousands > 0 || i.commaDecimal > 0) {
        const how = [
          i.commaThousands > 0 ? `${i.commaThousands} as a thousands separator ("1,234" = 1234)` : '',
          i.commaDecimal > 0 ? `${i.commaDecimal} as a decimal comma ("12,5" = 12.5)` : '',
        ].filter((x) => x !== '');
        acc.notes.push(`numbers with a comma read ${how.join(' and ')}: ${i.layoutCommaWhy}`);
      }
      if (i.commaPddRefused > 0) {
        acc.notes.push(`PDD values with a comma not read on ${i.commaPddRefused} row${i.commaPddRefused === 1 ? '' : 's'} (${i.layoutCommaWhy}): those rows have no PDD`);
      }
      if (i.noRoute > 0) {
        acc.notes.push(
          `${i.noRoute} row${i.noRoute === 1 ? '' : 's'} name${i.noRoute === 1 ? 's' : ''} no vendor/trunk and no dstchannel peer: route "unknown" (calls the PBX handled itself: IVR, voicemail, local extensions); FAS is not judged on it`,
        );
      }
      if (i.duplicates > 0) {
        const d = i.duplicateFirst!;
        acc.notes.push(
          `${i.duplicates} row${i.duplicates === 1 ? '' : 's'} repeat${i.duplicates === 1 ? 's' : ''} an earlier row byte for byte (the same call written twice): ignored as duplicate-row, first at line ${d.line} (a copy of line ${d.of}); ` +
            `rows are compared with the last ${RECENT_ROWS.toLocaleString('en-US')} records`,
        );
      }
      if (i.trunkDisagrees > 0) {
        const f = i.trunkDisagreeFirst!;
        const pairs = [...i.trunkDisagreePairs.entries()]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 5)
          .map(([k, v]) => `${k} ${v}`);
        const more = i.trunkDisagreePairs.size > 5 ? ', …' : '';
        acc.notes.push(
          `${i.trunkDisagrees} row${i.trunkDisagrees === 1 ? '' : 's'}: the trunk column ${JSON.stringify(i.routeColumn)} disagrees with the channel the leg dialled (${i.dstChannelColumn}), ` +
            `first at line ${f.line} (${JSON.stringify(f.trunk)}, ${i.dstChannelColumn} ${JSON.stringify(f.channel)}); the channel's peer is used as the route ` +
            `(${pairs.join(', ')}${more}); --map route=${i.routeColumn} keeps the column`,
        );
      }
      for (const n of i.dates.zoneNotes()) acc.notes.push(n);
      if (nulBytes > 0) acc.notes.push(`${nulBytes} NUL byte${nulBytes === 1 ? '' : 's'} dropped (not text); byte offsets in samples count the input without them`);
      if (splitter!.fallbacks > 0) acc.notes.push(`${splitter!.fallbacks} rows wider than the fast splitter's arrays were split by csv-parse`);
    },
  };
}

/**
 * Whether the first bytes (≤ 64 KiB, decompressed) look like a CDR CSV export this source reads. With a
 * `columnMap` (`--map`) naming the start column, a file with no header and no known layout is one when that
 * column holds dates on at least half of its first rows: a CSV of something else met in a folder is not.
 */
export function isCdrCsv(head: Uint8Array, opts: DetectOptions = {}): boolean {
  try {
    let buf = Buffer.isBuffer(head) ? head : Buffer.from(head.buffer, head.byteOffset, head.length);
    // The source drops NUL bytes, so some do not make a file unreadable; UTF-16 without a BOM is not text
    // this source reads.
    const bom = bomOf(buf);
    if (bom === undefined && looksUtf16(buf)) return false;
    if (bom !== 'utf16le') buf = withoutNul(buf);
    const text = headText(buf);
    const delim = sniffDelimiter(text);
    const records = headRecords(text, delim, text.length < HEAD_BYTES);
    if (records.length === 0) return false;
    if (detectLayout(records, {}).format !== 'unknown') return true;
    if (opts.columnMap === undefined) return false;
    return mappedStartFits(records, detectLayout(records, opts));
  } catch {
    return false;
  }
}

/**
 * ASCII text in UTF-16 has a NUL in one byte of almost every character and none in the other; NULs in a
 * UTF-8 file (a stray byte, a block left by a crash) fall on both.
 */
function looksUtf16(b: Uint8Array): boolean {
  let even = 0;
  let odd = 0;
  const n = Math.min(b.length, HEAD_BYTES) & ~1;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const chars = n / 2;
  return (odd >= chars / 4 && even <= odd / 16) || (even >= chars / 4 && odd <= even / 16);
}
