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
import { DateParser, NO_DATE, parseZone } from './dates.js';
import { describeMapping, detectLayout, headRecords, mapKey, mapName, mappedStartFits, sniffDelimiter, usualWidth, type DetectOptions } from './detect.js';
import { MAX_PDD_MS, MAX_TALK_MS, RowInterpreter } from './interpret.js';
import { RECENT_ROWS } from './dedupe.js';
import { setMapUse } from './map-use.js';
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

/** `1 row`, `2 rows` (`what`: `1 answered row`). */
function rows(n: number, what = ''): string {
  return `${n} ${what}row${n === 1 ? '' : 's'}`;
}

function bomOf(b: Uint8Array): 'utf8' | 'utf16le' | 'utf16be' | undefined {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf16be';
  return undefined;
}

const BOM_NAMES = { utf8: 'UTF-8', utf16le: 'UTF-16LE', utf16be: 'UTF-16BE' } as const;

/** UTF-16BE bytes as UTF-16LE (a copy; an even number of bytes). */
function swapped(b: Buffer): Buffer {
  return Buffer.from(b.subarray(0, b.length & ~1)).swap16();
}

/** The head as UTF-8 without a BOM (what detection reads). */
function headText(head: Buffer): Buffer {
  const bom = bomOf(head);
  if (bom === 'utf8') return head.subarray(3);
  if (bom === 'utf16le') return Buffer.from(head.subarray(2, head.length - (head.length % 2)).toString('utf16le'), 'utf8');
  if (bom === 'utf16be') return Buffer.from(swapped(head.subarray(2)).toString('utf16le'), 'utf8');
  return head;
}

export function createCdrSource(file: string, sink: RecordSink, opts: SourceOptions = {}, cdr: CdrOptions = {}): SourceParser {
  const acc = newAccounting(file, 'cdr-csv', 'row');
  for (const k of Object.keys(opts.columnMap ?? {})) {
    if (mapKey(k) === undefined) throw new Error(`${mapName(k, opts.columnMapNames)}=…: unknown field (fields: start, answer, end, callid, caller, callee, route, dstchannel, sipcode, reason, cause, disposition, duration, billsec, pdd, ring, date)`);
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
  /**
   * UTF-16BE input: its bytes are swapped into UTF-16LE for the reference splitter (the same byte offsets);
   * `odd` holds a byte a chunk ended in the middle of a character with (a last odd byte of the file is no text,
   * and is dropped).
   */
  let swap = false;
  let odd: Buffer | undefined;
  const toLe = (b: Buffer): Buffer => {
    const all = odd === undefined ? b : Buffer.concat([odd, b]);
    odd = all.length % 2 === 1 ? Buffer.from(all.subarray(all.length - 1)) : undefined;
    return swapped(all);
  };
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
    const utf16 = bom === 'utf16le' || bom === 'utf16be';
    dropNul = !utf16;
    if (dropNul) raw = nulFree(raw);
    // A head cut inside a UTF-8 BOM or a tiny file: still fine, detection just sees less.
    const text = headText(raw);
    const delim = sniffDelimiter(text);
    const records = headRecords(text, delim, final);
    const layout = detectLayout(records, { columnMap: opts.columnMap, columnMapNames: opts.columnMapNames, delimiter: delim });
    const width = usualWidth(records, layout);
    const dates = new DateParser(zone, layout.dayFirst);
    interp = new RowInterpreter(file, sink, acc, layout, dates, { ...opts, delimiter: delim });
    const usePath = cdr.path === 'reference' || utf16 ? 'reference' : 'fast';
    acc.notes.push(`format: ${layout.format} — ${layout.description}`);
    acc.notes.push(
      `delimiter: ${DELIM_NAMES[delim]}${bom ? `, ${BOM_NAMES[bom]} BOM` : ''}${bom === 'utf16be' ? ' (its bytes swapped into UTF-16LE for csv-parse)' : ''}${usePath === 'reference' ? ', split by csv-parse (reference path)' : ''}`,
    );
    acc.notes.push(`columns: ${describeMapping(layout) || 'none'}`);
    for (const n of layout.notes) acc.notes.push(n);
    for (const a of layout.alerts) (acc.alerts ??= []).push(a);
    if (zone) acc.notes.push(`times without a zone read as local time in ${zone.name}`);
    // A header further down with more columns widens the rows (the stray-quote rule goes by it).
    interp.onLayout = (l) => splitter!.widen(usualWidth([], l));
    if (usePath === 'reference') {
      splitter = new ReferenceSplitter(delim, interp, true, width);
      if (bom === 'utf16be') {
        swap = true;
        raw = toLe(raw);
      }
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
        feed(dropNul ? nulFree(b) : swap ? toLe(b) : b);
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
      const unhonoured = i.finish();
      for (const n of i.lateNotes) acc.notes.push(n);
      for (const a of i.alerts) (acc.alerts ??= []).push(a);
      // A `--map` entry no layout of this file honoured: said first, and once; map-use.ts takes it back when
      // another input of the run honours it (a folder of two layouts: a note there, not a nightly alert).
      if (unhonoured.length > 0) acc.alerts = [...unhonoured.map((m) => m.text), ...(acc.alerts ?? [])];
      if (opts.columnMap !== undefined && Object.keys(opts.columnMap).length > 0) {
        setMapUse(acc, { honoured: [...i.mapHonoured], missing: unhonoured.map((m) => ({ map: m.map, alert: m.text })) });
      }
      const lines = splitter!.nextLine - 1;
      acc.notes.push(`physical lines: ${lines}; rows read: ${acc.read} (records ${acc.used}, ignored ${acc.ignored}, malformed ${acc.malformed})`);
      const src = Object.entries(i.codeSources)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      if (src) acc.notes.push(`final codes rest on: ${src} (codeSource per record)`);
      if (i.answerDerived > 0) acc.notes.push(`answer time derived as end − billsec for ${rows(i.answerDerived, 'answered ')}`);
      if (i.answerUnknown > 0) {
        const withPdd = i.answerUnknownPdd;
        const pddFrom = i.pddFrom;
        const how =
          withPdd === 0
            ? 'with no PDD and no answer delay'
            : withPdd === i.answerUnknown
              ? `with no answer delay (PDD from the ${pddFrom})`
              : `with no answer delay (PDD from the ${pddFrom} on ${withPdd} of them, none on the others)`;
        acc.notes.push(`answer time unknown (no answer column, no end time with billsec) for ${rows(i.answerUnknown, 'answered ')}: counted as answered, ${how}`);
      }
      if (i.unreadSip > 0 || i.unreadCause > 0) {
        const say = (n: number, what: string, first: { line: number; text: string }): string =>
          `${rows(n)} with a ${what} cell this reader cannot read (first at line ${first.line}: ${JSON.stringify(first.text)})`;
        const parts = [i.unreadSip > 0 ? say(i.unreadSip, 'SIP code', i.unreadSipFirst!) : '', i.unreadCause > 0 ? say(i.unreadCause, 'Q.850 cause', i.unreadCauseFirst!) : ''].filter((x) => x !== '');
        const warnings = [i.unreadSip > 0 ? 'unread-sip-code' : '', i.unreadCause > 0 ? 'unread-cause' : ''].filter((x) => x !== '');
        const one = i.unreadSip + i.unreadCause === 1;
        acc.notes.push(
          `${parts.join('; ')}: ${one ? 'its' : 'their'} outcome comes from the row's other columns (warning${warnings.length === 1 ? '' : 's'} ${warnings.join(', ')}); a row that has no other is malformed (bad-code)`,
        );
      }
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
      if (i.dotThousands > 0) {
        acc.notes.push(`numbers with a dot read ${i.dotThousands} as a thousands separator ("1.234" = 1234): a dot groups thousands in this file (${i.dotsWhy})`);
      }
      if (i.dotsProvenAt !== undefined && i.dotPointReads > 0) {
        const p = i.dotsProvenAt;
        const f = i.dotPointFirst!;
        const shows = p.byComma
          ? `proves a decimal comma, and so that a dot groups thousands in this file (a writer of decimal commas writes no dot fractions)`
          : 'shows that a dot groups thousands in this file';
        const msg = `numbers: line ${p.line} (${JSON.stringify(p.text)}) ${shows}, but ${i.dotPointReads} value${i.dotPointReads === 1 ? '' : 's'} before it (first at line ${f.line}: ${JSON.stringify(f.text)}) ${i.dotPointReads === 1 ? 'was' : 'were'} read with a decimal point (${f.text} rather than ${f.text.replace(/\./g, '')}) and ${i.dotPointReads === 1 ? 'is' : 'are'} wrong`;
        acc.notes.push(msg);
        (acc.alerts ??= []).push(msg);
      }
      if (i.unsureNumbers > 0) {
        const n = i.unsureNumbers;
        const f = i.unsureFirst!;
        acc.notes.push(
          `billsec or duration left unknown on ${rows(n)} whose value the file's number convention reads two ways or none (first at line ${f.line}: ${f.detail}): ` +
            `${n === 1 ? 'the row is' : 'the rows are'} kept without that value (a billsec over 0 in every reading still makes its row answered)`,
        );
      }
      if (i.talkImplausibles > 0) {
        const f = i.talkImplausibleFirst!;
        acc.notes.push(
          `billsec or duration over ${MAX_TALK_MS / 86_400_000} days left unknown on ${rows(i.talkImplausibles)} (first at line ${f.line}: ${f.detail}): ` +
            `left out of ACD and minutes; a billsec over 0 still makes its row answered`,
        );
      }
      if (i.dotPddRefused > 0) {
        acc.notes.push(`PDD values with a dot not read on ${i.dotPddRefused} row${i.dotPddRefused === 1 ? '' : 's'} (a decimal-comma file, where a dot groups thousands or is ambiguous): those rows have no PDD`);
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
      const wide = splitter!.fallbacks;
      if (wide > 0) acc.notes.push(`${rows(wide)} wider than the fast splitter's arrays ${wide === 1 ? 'was' : 'were'} split by csv-parse`);
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
    if (bom === undefined && looksUtf16(buf) !== undefined) return false;
    if (bom !== 'utf16le' && bom !== 'utf16be') buf = withoutNul(buf);
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
 * Why the first bytes of an input that `isCdrCsv` refused are no CDR this source reads, when they come close
 * enough to say so (for the one-line error): UTF-16 text without a byte-order mark, a header of known CDR
 * columns with no start time column, a `--map start=` that names no column of dates. Undefined otherwise.
 */
export function whyNotCdr(head: Uint8Array, opts: DetectOptions = {}): string | undefined {
  try {
    let buf = Buffer.isBuffer(head) ? head : Buffer.from(head.buffer, head.byteOffset, head.length);
    const bom = bomOf(buf);
    if (bom === undefined) {
      const u16 = looksUtf16(buf);
      if (u16 !== undefined) {
        return `UTF-16 text (${u16 === 'le' ? 'little' : 'big'}-endian) without a byte-order mark (BOM), which is not read: save it as UTF-8, or as UTF-16 with a BOM (Excel's "Unicode Text" has one)`;
      }
    }
    if (bom !== 'utf16le' && bom !== 'utf16be') buf = withoutNul(buf);
    const text = headText(buf);
    const delim = sniffDelimiter(text);
    const records = headRecords(text, delim, text.length < HEAD_BYTES);
    if (records.length === 0) return undefined;
    const layout = detectLayout(records, opts);
    const said = [...layout.mapMissing.map((m) => m.text), ...layout.alerts];
    const mapped = said.length > 0 ? `; ${said.join('; ')}` : '';
    if (layout.hasHeader && layout.format === 'unknown') {
      const known = describeMapping(layout);
      if (known === '') return undefined;
      const dates = dateColumn(records, layout.names);
      const hint = dates === undefined ? '' : ` (the column ${JSON.stringify(dates)} holds dates: --map start=${/^[\w./-]+$/.test(dates) ? dates : JSON.stringify(dates)})`;
      return `CDR header found (columns ${known}), but no start time column: use --map start=COLUMN${hint}${mapped}`;
    }
    const start = opts.columnMap === undefined ? undefined : Object.entries(opts.columnMap).find(([k]) => mapKey(k) === 'start');
    if (start !== undefined && layout.format !== 'unknown') {
      return `${mapName(start[0], opts.columnMapNames)}=${start[1]}: that column holds no dates in the first rows (${layout.names[layout.col.start] ?? `column ${layout.col.start + 1}`}), so this is not read as a CDR${mapped}`;
    }
    return mapped === '' ? undefined : mapped.slice(2);
  } catch {
    return undefined;
  }
}

/** The first column whose values in the data rows of the head are dates on at least half of them. */
function dateColumn(records: string[][], names: readonly string[]): string | undefined {
  const rows = records.slice(1, 51).filter((r) => r.some((f) => f.trim() !== ''));
  if (rows.length === 0) return undefined;
  for (let i = 0; i < names.length; i++) {
    const probe = new DateParser();
    let ok = 0;
    for (const r of rows) {
      const b = Buffer.from(r[i] ?? '', 'utf8');
      const t = probe.parse(b, 0, b.length);
      if (t === t && t !== NO_DATE) ok++;
    }
    if (ok * 2 >= rows.length) return names[i];
  }
  return undefined;
}

/**
 * ASCII text in UTF-16 has a NUL in one byte of almost every character and none in the other; NULs in a
 * UTF-8 file (a stray byte, a block left by a crash) fall on both. `le`: the NULs are the odd bytes.
 */
function looksUtf16(b: Uint8Array): 'le' | 'be' | undefined {
  let even = 0;
  let odd = 0;
  const n = Math.min(b.length, HEAD_BYTES) & ~1;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const chars = n / 2;
  if (odd >= chars / 4 && even <= odd / 16) return 'le';
  if (even >= chars / 4 && odd <= even / 16) return 'be';
  return undefined;
}
