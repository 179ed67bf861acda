/**
 * What kind of CDR export a file is, from its first bytes: the delimiter, whether the first record is a
 * header, and which column feeds which CallRecord field.
 *
 * Header files (FreePBX/MySQL exports, carrier exports in any column order) are mapped by header names
 * and their aliases; header-less files are matched against the fixed layouts of Asterisk cdr-csv
 * (Master.csv, 16–21 columns), the Asterisk cdr_custom sample template, and FreeSWITCH mod_cdr_csv's
 * default template, by checking that dates and dispositions/hangup causes sit where each layout puts them.
 * `--map field=column` (SourceOptions.columnMap) overrides any of it.
 */
import { DateParser, NO_DATE, guessDayFirst } from './dates.js';
import { FastSplitter } from './split.js';
import { fieldString, type Row } from './row.js';
import { dotGrouped, guessCommaConvention, readCommaNumber, type CommaConvention } from './numbers.js';

export const FIELDS = [
  'start',
  'answer',
  'end',
  'callId',
  'linkedId',
  'caller',
  'callee',
  'route',
  'dstChannel',
  'sipCode',
  'reason',
  'cause',
  'disposition',
  'duration',
  'billsec',
  'pdd',
  'ring',
] as const;
export type Field = (typeof FIELDS)[number];

/** Header names (normalised: lower case, letters and digits only) per field, best first. */
export const ALIASES: Record<Field, readonly string[]> = {
  start: ['calldate', 'start', 'starttime', 'startdate', 'startstamp', 'setuptime', 'setup', 'setupdate', 'callstart', 'callstarttime', 'invitetime', 'seizuretime', 'datetime', 'timestamp', 'calltime', 'begintime', 'date'],
  answer: ['answer', 'answertime', 'answerstamp', 'answerdate', 'connecttime', 'connect', 'connectdate', 'connected', 'answeredat'],
  end: ['end', 'endtime', 'endstamp', 'enddate', 'disconnecttime', 'disconnect', 'disconnectdate', 'releasetime', 'hanguptime', 'stoptime', 'callend'],
  callId: ['callid', 'sipcallid', 'calluuid', 'uniqueid', 'uuid', 'sessionid'],
  linkedId: ['linkedid'],
  caller: ['src', 'caller', 'callerid', 'callernumber', 'callingnumber', 'calling', 'cli', 'ani', 'anumber', 'from', 'fromnumber', 'origin', 'source', 'srcnumber', 'cgpn', 'calleridnumber'],
  callee: ['dst', 'callee', 'callednumber', 'called', 'dnis', 'cld', 'bnumber', 'to', 'tonumber', 'destination', 'destnumber', 'destinationnumber', 'dialednumber', 'dialed', 'cdpn', 'dest', 'dstnumber', 'calledparty'],
  route: ['vendor', 'route', 'trunk', 'carrier', 'supplier', 'term', 'terminator', 'termcarrier', 'termination', 'terminationcarrier', 'vendorname', 'routename', 'trunkname', 'carriername', 'suppliername', 'provider', 'gateway', 'egresstrunk', 'outtrunk', 'outboundtrunk', 'termvendor', 'gatewayname', 'sipgatewayname'],
  dstChannel: ['dstchannel', 'dstchan', 'destchannel', 'destinationchannel'],
  sipCode: ['sipcode', 'sipstatus', 'sipstatuscode', 'sipresponse', 'sipresponsecode', 'termcode', 'terminationcode', 'responsecode', 'finalcode', 'statuscode', 'siperror', 'siptermstatus', 'sipinvitefailurestatus', 'code', 'response'],
  reason: ['reason', 'sipreason', 'reasonphrase', 'sipreasonphrase', 'responsetext', 'disconnectreason', 'releasereason'],
  cause: ['q850', 'q850cause', 'q850code', 'hangupcauseq850', 'cause', 'causecode', 'releasecause', 'disconnectcause', 'hangupcause', 'isdncause'],
  disposition: ['disposition', 'callstatus', 'status', 'result', 'callresult', 'disp'],
  duration: ['duration', 'totalduration', 'durationsec', 'callduration'],
  billsec: ['billsec', 'billableseconds', 'billable', 'billduration', 'billedduration', 'billsecs', 'billedsec', 'talktime', 'talkduration', 'conversationtime'],
  pdd: ['pdd', 'postdialdelay', 'setupdelay'],
  ring: ['ringtime', 'ringingtime', 'alerttime', 'alerting', 'progresstime', 'ringstart', 'progressstamp', 'progressmediastamp'],
};

const ALIAS_INDEX = new Map<string, { field: Field; rank: number }>();
for (const f of FIELDS) ALIASES[f].forEach((a, rank) => ALIAS_INDEX.set(a, { field: f, rank }));

/** Unit suffixes people put on header names (`PDD (ms)`, `Start Time UTC`). */
const SUFFIXES = ['utc', 'gmt', 'local', 'ms', 'msec', 'millis', 'sec', 'secs', 'seconds', 's'];

export function normaliseName(h: string): string {
  let out = '';
  for (const ch of h.toLowerCase()) if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
  return out;
}

/** The field a header name feeds, and the unit its suffix states (ms or s), if any. */
export function fieldOfHeader(h: string): { field: Field; rank: number; unit?: 'ms' | 's' } | undefined {
  const n = normaliseName(h);
  const hit = ALIAS_INDEX.get(n);
  if (hit) return hit;
  for (const suf of SUFFIXES) {
    if (n.length > suf.length && n.endsWith(suf)) {
      const h2 = ALIAS_INDEX.get(n.slice(0, n.length - suf.length));
      if (h2) return { ...h2, unit: suf.startsWith('m') ? 'ms' : suf.startsWith('s') ? 's' : undefined };
    }
  }
  return undefined;
}

export type FormatName = 'asterisk-cdr-csv' | 'asterisk-cdr-custom' | 'freeswitch-cdr-csv' | 'header' | 'unknown';

export interface Layout {
  format: FormatName;
  description: string;
  hasHeader: boolean;
  /** Column names (the header, or the fixed layout's names). */
  names: string[];
  col: Record<Field, number>;
  /** Further call-id columns, used when the first is empty on a row. */
  callIdAlt: number[];
  /** Milliseconds per unit of the duration, billsec and PDD columns. */
  durUnit: number;
  billUnit: number;
  pddUnit: number;
  dayFirst: boolean;
  /**
   * Where the day order of `a/b/Y` dates comes from: `--map date=`, a value of the first rows that proves it
   * (`dayProof`), first rows written in both orders, or a guess (d/m/Y) that the first value proving an order
   * settles (dates.ts, DateParser.orderGuessed).
   */
  dayOrder: 'map' | 'proof' | 'mixed' | 'guess';
  dayProof?: string;
  /**
   * How a comma in a number is read (numbers.ts): a thousands separator, a decimal comma, or undefined when
   * the file does not tell (a value that could be either is then refused). `commaWhy` says why.
   */
  comma?: CommaConvention;
  commaWhy?: string;
  /** A decimal-comma file whose first rows show dots grouping thousands: the value that shows it (`1.234,5`). */
  dotsGroup?: string;
  /** A decimal-comma file whose first rows write a dot fraction too (`0.850`): dots are decimal points there. */
  dotPoint?: string;
  /**
   * A decimal-comma file whose first rows prove the decimal comma by a value (`3,6`), and show no dots of either
   * kind: the value. A writer of decimal commas writes no dot fractions, so a dot there groups thousands too.
   */
  dotsFromComma?: string;
  /** A row needs at least this many fields (start and the columns that decide answer and code). */
  need: number;
  /**
   * `--map route=COLUMN` chose the route column: it wins over the peer of the channel a leg dialled
   * (dstchannel), which otherwise replaces a trunk column that names another trunk (interpret.ts).
   */
  routeMapped?: boolean;
  notes: string[];
  /**
   * `--map` values this layout cannot take whatever the file (a date order other than dmy/mdy, a column 0; also in
   * `notes`): said on stderr (InputAccounting.alerts).
   */
  alerts: string[];
  /** `--map` entries (`--map route=Supplier`) this layout honoured. */
  mapHonoured: string[];
  /**
   * `--map` entries this layout has no column for (a name not in its header, a number past its rows' width), with
   * the text said of it (also in `notes`). Whether it reaches stderr is decided once the run is read (map-use.ts):
   * not when another layout or input honours the entry (a folder of two layouts, one `--map`).
   */
  mapMissing: MapMiss[];
}

/** A `--map` entry a layout has no column for: the entry (`--map route=Supplier`) and what is said of it. */
export interface MapMiss {
  map: string;
  text: string;
}

const DISPOSITIONS = new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION']);

const MASTER_NAMES = ['accountcode', 'src', 'dst', 'dcontext', 'clid', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer', 'end', 'duration', 'billsec', 'disposition', 'amaflags', 'uniqueid', 'userfield', 'peeraccount', 'linkedid', 'sequence'];
const CUSTOM_NAMES = ['clid', 'src', 'dst', 'dcontext', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer', 'end', 'duration', 'billsec', 'disposition', 'amaflags', 'accountcode', 'uniqueid', 'userfield', 'sequence'];
const FREESWITCH_NAMES = ['caller_id_name', 'caller_id_number', 'destination_number', 'context', 'start_stamp', 'answer_stamp', 'end_stamp', 'duration', 'billsec', 'hangup_cause', 'uuid', 'bleg_uuid', 'accountcode', 'read_codec', 'write_codec'];

/** Fields fed by a fixed layout's names (kept explicit: `clid`, `channel` and the like feed nothing). */
const FIXED_FIELDS: Record<string, Field> = {
  src: 'caller',
  dst: 'callee',
  dstchannel: 'dstChannel',
  start: 'start',
  answer: 'answer',
  end: 'end',
  duration: 'duration',
  billsec: 'billsec',
  disposition: 'disposition',
  uniqueid: 'callId',
  linkedid: 'linkedId',
  caller_id_number: 'caller',
  destination_number: 'callee',
  start_stamp: 'start',
  answer_stamp: 'answer',
  end_stamp: 'end',
  hangup_cause: 'cause',
  uuid: 'callId',
};

const DELIMS = [44, 59, 9, 124]; // , ; TAB |

/**
 * The delimiter of a CSV head: the candidate found the same number of times (outside quotes) on most of
 * the first lines, preferring the more frequent one. `,` when nothing decides.
 */
export function sniffDelimiter(head: Uint8Array): number {
  const lines: number[][] = [];
  let counts = [0, 0, 0, 0];
  let inQuote = false;
  let any = false;
  for (let p = 0; p < head.length && lines.length < 30; p++) {
    const c = head[p];
    if (c === 34) inQuote = !inQuote;
    else if (c === 10 && !inQuote) {
      if (any) lines.push(counts);
      counts = [0, 0, 0, 0];
      any = false;
      continue;
    } else if (!inQuote) {
      const i = DELIMS.indexOf(c);
      if (i >= 0) counts[i]++;
    }
    if (c !== 13 && c !== 32) any = true;
  }
  if (any && lines.length < 30) lines.push(counts);
  let best = 44;
  let bestScore = 0;
  for (let i = 0; i < DELIMS.length; i++) {
    const freq = new Map<number, number>();
    for (const l of lines) if (l[i] > 0) freq.set(l[i], (freq.get(l[i]) ?? 0) + 1);
    let mode = 0;
    let modeN = 0;
    for (const [k, v] of freq) if (v > modeN || (v === modeN && k > mode)) [mode, modeN] = [k, v];
    if (mode === 0) continue;
    // Consistency first (lines agreeing on the count), then how many fields it makes.
    const score = (modeN / lines.length) * 1000 + Math.min(mode, 999);
    if (score > bestScore) {
      bestScore = score;
      best = DELIMS[i];
    }
  }
  return best;
}

/** The first records of a head (only complete ones unless `final`), as strings. */
export function headRecords(head: Buffer, delim: number, final: boolean, max = 50): string[][] {
  const out: string[][] = [];
  const sp = new FastSplitter(delim, {
    row(r: Row) {
      if (out.length >= max) return;
      const f: string[] = [];
      for (let i = 0; i < r.n; i++) f.push(fieldString(r, i));
      out.push(f);
    },
    bad() {},
  });
  sp.push(head);
  if (final) sp.end();
  return out;
}

function isBlank(rec: string[]): boolean {
  for (const f of rec) if (f.trim() !== '') return false;
  return true;
}

function isComment(rec: string[]): boolean {
  return rec.length > 0 && rec[0].startsWith('#');
}

const probe = new DateParser();
function isDate(v: string | undefined): boolean {
  if (v === undefined) return false;
  const b = Buffer.from(v, 'utf8');
  const t = probe.parse(b, 0, b.length);
  return t === t && t !== NO_DATE;
}
function isDateOrEmpty(v: string | undefined): boolean {
  if (v === undefined) return false;
  const b = Buffer.from(v, 'utf8');
  const t = probe.parse(b, 0, b.length);
  return t === t; // empty or a date, not NaN
}
function isCauseName(v: string | undefined): boolean {
  return v !== undefined && /^[A-Z][A-Z0-9_]{2,40}$/.test(v);
}

function emptyCols(): Record<Field, number> {
  const c = {} as Record<Field, number>;
  for (const f of FIELDS) c[f] = -1;
  return c;
}

function fixedLayout(format: FormatName, description: string, names: string[]): Layout {
  const col = emptyCols();
  names.forEach((n, i) => {
    const f = FIXED_FIELDS[n];
    if (f !== undefined && col[f] < 0) col[f] = i;
  });
  return { format, description, hasHeader: false, names, col, callIdAlt: [], durUnit: 1000, billUnit: 1000, pddUnit: 1000, dayFirst: true, dayOrder: 'guess', need: 0, notes: [], alerts: [], mapHonoured: [], mapMissing: [] };
}

interface Candidate {
  layout: () => Layout;
  test: (r: string[]) => boolean;
}

const CANDIDATES: Candidate[] = [
  {
    layout: () => fixedLayout('asterisk-cdr-csv', 'Asterisk cdr-csv Master.csv (no header, fixed column order)', MASTER_NAMES),
    test: (r) => r.length >= 16 && r.length <= 21 && isDate(r[9]) && isDateOrEmpty(r[10]) && DISPOSITIONS.has(r[14]),
  },
  {
    layout: () => fixedLayout('asterisk-cdr-custom', 'Asterisk cdr_custom Master.csv (sample template: clid first, no header)', CUSTOM_NAMES),
    test: (r) => r.length >= 16 && r.length <= 19 && isDate(r[8]) && isDateOrEmpty(r[9]) && DISPOSITIONS.has(r[13]),
  },
  {
    layout: () => fixedLayout('freeswitch-cdr-csv', 'FreeSWITCH mod_cdr_csv default template (no header, hangup cause names)', FREESWITCH_NAMES),
    test: (r) => r.length >= 10 && r.length <= 15 && isDate(r[4]) && isDateOrEmpty(r[5]) && isCauseName(r[9]),
  },
];

function looksLikeHeader(rec: string[]): boolean {
  let known = 0;
  for (const f of rec) {
    if (isDate(f)) return false;
    if (fieldOfHeader(f) !== undefined) known++;
  }
  return known >= 2;
}

export interface DetectOptions {
  columnMap?: Record<string, string>;
  /** How messages name a `columnMap` key (`c.json: map.route` for a config file's); default `--map KEY`. */
  columnMapNames?: Record<string, string>;
  /** The file's delimiter byte: with it, the convention for a comma in a number is decided (numbers.ts). */
  delimiter?: number;
}

/** Which field names `--map` accepts (canonical names and a few spellings people use). */
const MAP_KEYS: Record<string, Field> = {
  start: 'start', setup: 'start', calldate: 'start',
  answer: 'answer', connect: 'answer',
  end: 'end', disconnect: 'end',
  callid: 'callId', uniqueid: 'callId',
  linkedid: 'linkedId',
  caller: 'caller', ani: 'caller', src: 'caller', cli: 'caller',
  callee: 'callee', dnis: 'callee', dst: 'callee', cld: 'callee',
  route: 'route', vendor: 'route', trunk: 'route', carrier: 'route', supplier: 'route',
  dstchannel: 'dstChannel',
  sipcode: 'sipCode', code: 'sipCode', termcode: 'sipCode',
  reason: 'reason',
  cause: 'cause', q850: 'cause', hangupcause: 'cause',
  disposition: 'disposition',
  duration: 'duration',
  billsec: 'billsec',
  pdd: 'pdd',
  ring: 'ring',
};

/** Validates `--map` keys; returns the field for a key, 'date' for the date-order key, or undefined. */
export function mapKey(key: string): Field | 'date' | undefined {
  const k = normaliseName(key);
  if (k === 'date' || k === 'dateorder') return 'date';
  return MAP_KEYS[k];
}

/** The layout a header row gives (columns mapped by name; nothing yet from the data or `--map`). */
function headerLayout(first: string[]): Layout {
  const col = emptyCols();
  const rank: Record<string, number> = {};
  const callIds: { i: number; rank: number }[] = [];
  const units: Partial<Record<Field, 'ms' | 's'>> = {};
  first.forEach((h, i) => {
    const hit = fieldOfHeader(h);
    if (!hit) return;
    if (hit.field === 'callId') callIds.push({ i, rank: hit.rank });
    if (col[hit.field] < 0 || hit.rank < rank[hit.field]) {
      col[hit.field] = i;
      rank[hit.field] = hit.rank;
      if (hit.unit) units[hit.field] = hit.unit;
    }
  });
  callIds.sort((a, b) => a.rank - b.rank);
  const names = first.slice();
  const isFreePbx = names.some((n) => normaliseName(n) === 'calldate');
  return {
    format: 'header',
    description: isFreePbx ? 'CDR database export with a header (FreePBX/MySQL cdr table)' : 'CDR export with a header (columns mapped by name)',
    hasHeader: true,
    names,
    col,
    callIdAlt: callIds.slice(1).map((c) => c.i),
    durUnit: units.duration === 'ms' ? 1 : 1000,
    billUnit: units.billsec === 'ms' ? 1 : 1000,
    pddUnit: units.pdd === 'ms' ? 1 : units.pdd === 's' ? 1000 : 0,
    dayFirst: true,
    dayOrder: 'guess',
    need: 0,
    notes: [],
    alerts: [],
    mapHonoured: [],
    mapMissing: [],
  };
}

/** At most `max` names of a header (each cut at 40 characters), for a message: `Call ID, Setup Time, …`. */
function someNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((n) => (n === '' ? '""' : n.length > 40 ? `${n.slice(0, 40)}…` : n));
  return shown.join(', ') + (names.length > max ? ', …' : '');
}

/** How messages name a `--map` key: `--map route`, or `c.json: map.route` for a config file's (`columnMapNames`). */
export function mapName(key: string, names: Record<string, string> | undefined): string {
  return names?.[key] ?? `--map ${key}`;
}

/**
 * Applies `--map` to a layout: a header/layout name (case and punctuation ignored) or a 1-based column number.
 * `width`: the most fields the rows seen have. A map that cannot be honoured is ignored, with a note: one this
 * layout has no column for (no such name, a number past the rows' width) goes to `mapMissing`, one no layout can
 * take (a date order other than dmy/mdy, column 0) to `alerts` too. `where` prefixes the texts: the line of a
 * header met further down, where the entries no layout can take were said already. Returns the date order
 * `--map date=` sets, if any.
 */
function applyMap(layout: Layout, opts: DetectOptions, width: number, where = ''): boolean | undefined {
  let dateOrder: boolean | undefined;
  const problem = (text: string): void => {
    if (where !== '') return;
    layout.notes.push(text);
    layout.alerts.push(text);
  };
  for (const [key, value] of Object.entries(opts.columnMap ?? {})) {
    const name = mapName(key, opts.columnMapNames);
    const entry = `${name}=${value}`;
    const f = mapKey(key);
    if (f === undefined) {
      problem(`${entry}: unknown field, ignored`);
      continue;
    }
    if (f === 'date') {
      const v = normaliseName(value);
      if (v === 'dmy' || v === 'mdy') dateOrder = v === 'dmy';
      else problem(`${entry}: use dmy or mdy; ignored`);
      continue;
    }
    const v = value.trim();
    if (v === '' || v === '-') {
      layout.col[f] = -1;
      layout.mapHonoured.push(entry);
      layout.notes.push(`${where}${name}: column not used`);
      continue;
    }
    const missing = (text: string): void => {
      layout.notes.push(`${where}${text}`);
      layout.mapMissing.push({ map: entry, text: `${where}${text}` });
    };
    let idx: number;
    if (/^[0-9]{1,4}$/.test(v)) {
      idx = Number(v) - 1;
      if (idx < 0) {
        problem(`${entry}: columns are numbered from 1; ignored`);
        continue;
      }
      if (idx >= width) {
        missing(`${entry}: the rows have ${width} column${width === 1 ? '' : 's'}; ignored`);
        continue;
      }
    } else {
      const want = normaliseName(value);
      idx = layout.names.findIndex((n) => normaliseName(n) === want);
      if (idx < 0) {
        const what = layout.hasHeader ? 'the header' : layout.format === 'unknown' ? 'this file (it has no header: give a column number)' : `the ${layout.format} layout`;
        missing(`${entry}: no such column in ${what}${layout.format === 'unknown' ? '' : ` (${someNames(layout.names)})`}; ignored`);
        continue;
      }
    }
    layout.col[f] = idx;
    layout.mapHonoured.push(entry);
    if (f === 'callId') layout.callIdAlt = [];
    if (f === 'route') layout.routeMapped = true;
    if (layout.format === 'unknown' && f === 'start') {
      layout.format = 'header';
      layout.description = 'columns given by --map';
    }
  }
  if (layout.format === 'unknown' || layout.col.start < 0) {
    layout.format = 'unknown';
    // A header further down says this in its own note (interpret.ts).
    if (where === '') layout.notes.push('no start/setup time column found: name it with --map start=<column>');
  }
  return dateOrder;
}

/** The fields a row needs (start and the columns that decide answer and code). */
function needOf(layout: Layout): number {
  const decisive = [layout.col.start, layout.col.sipCode, layout.col.cause, layout.col.disposition];
  return Math.max(...decisive) + 1;
}

/**
 * Detects the layout from the head records. Returns `unknown` (with notes saying why) when neither a header
 * nor a fixed layout fits and `--map` does not name the start column.
 */
export function detectLayout(records: string[][], opts: DetectOptions): Layout {
  const data = records.filter((r) => !isBlank(r) && !isComment(r));
  let layout: Layout;
  const first = data[0];
  if (first !== undefined && looksLikeHeader(first)) {
    layout = headerLayout(first);
  } else {
    let best: Layout | undefined;
    let bestScore = 0;
    const rows = data.slice(0, 50);
    for (const c of CANDIDATES) {
      let ok = 0;
      for (const r of rows) if (c.test(r)) ok++;
      const score = rows.length ? ok / rows.length : 0;
      if (score > bestScore) {
        bestScore = score;
        best = c.layout();
      }
    }
    if (best !== undefined && bestScore >= 0.5) {
      layout = best;
      const widths = [...new Set(rows.map((r) => r.length))].sort((a, b) => a - b);
      layout.notes.push(`${Math.round(bestScore * 100)}% of the first ${rows.length === 1 ? 'row fits' : `${rows.length} rows fit`}; ${widths.join('/')} column${widths.length === 1 && widths[0] === 1 ? '' : 's'}`);
    } else {
      layout = {
        format: 'unknown',
        description: 'no header and no known fixed layout',
        hasHeader: false,
        names: (first ?? []).map((_, i) => `column ${i + 1}`),
        col: emptyCols(),
        callIdAlt: [],
        durUnit: 1000,
        billUnit: 1000,
        pddUnit: 1000,
        dayFirst: true,
        dayOrder: 'guess',
        need: 0,
        notes: [],
        alerts: [],
        mapHonoured: [],
        mapMissing: [],
      };
    }
  }

  let width = layout.names.length;
  for (const r of data) if (r.length > width) width = r.length;
  const dateOrder = applyMap(layout, opts, width);

  // Day order of a/b/Y dates, from the values of the date columns.
  const samples: string[] = [];
  const dateCols = [layout.col.start, layout.col.answer, layout.col.end, layout.col.ring].filter((i) => i >= 0);
  for (const r of data.slice(layout.hasHeader ? 1 : 0)) for (const i of dateCols) if (r[i] !== undefined) samples.push(r[i]);
  if (dateOrder !== undefined) {
    layout.dayFirst = dateOrder;
    layout.dayOrder = 'map';
    layout.notes.push(`a/b/Y dates read as ${dateOrder ? 'd/m/Y' : 'm/d/Y'} (--map date=)`);
  } else {
    const g = guessDayFirst(samples);
    if (g.dayFirst !== undefined) {
      layout.dayFirst = g.dayFirst;
      layout.dayOrder = 'proof';
      layout.dayProof = g.proof;
      layout.notes.push(`a/b/Y dates read as ${g.dayFirst ? 'd/m/Y' : 'm/d/Y'}: the values of the first rows prove it (${JSON.stringify(g.proof)})`);
    } else if (g.mixed) {
      layout.dayFirst = true;
      layout.dayOrder = 'mixed';
      layout.notes.push('a/b/Y dates in the first rows are written in both orders (a day over 12 first, and second): read as d/m/Y; the others are bad-date; use --map date=mdy for US order');
    } else if (g.seen > 0) {
      layout.dayFirst = true;
      layout.notes.push('a/b/Y dates are ambiguous in the first rows (no day over 12): read as d/m/Y until a value proves an order; use --map date=mdy for US order');
    }
  }

  // A comma in a number: thousands separator or decimal comma, from the number columns' values and the delimiter.
  const numCols = [layout.col.billsec, layout.col.duration, layout.col.pdd].filter((i) => i >= 0);
  const numValues: string[] = [];
  for (const r of data.slice(layout.hasHeader ? 1 : 0)) for (const i of numCols) if (r[i] !== undefined) numValues.push(r[i].trim());
  const comma = guessCommaConvention(numValues, opts.delimiter);
  layout.comma = comma.comma;
  layout.commaWhy = comma.why;
  if (comma.dots !== undefined) {
    layout.dotsGroup = comma.dots;
    layout.notes.push(`numbers: a dot groups thousands in this file (the first rows show ${JSON.stringify(comma.dots)}): "1.234" is 1234`);
  } else if (comma.point !== undefined && layout.comma === 'decimal') {
    layout.dotPoint = comma.point;
    layout.notes.push(`numbers: a dot is a decimal point in this file, as its first rows write it (${JSON.stringify(comma.point)}), though a comma is one too`);
  } else if (comma.decimal !== undefined && layout.comma === 'decimal') {
    // Excel's "#.##0" writes whole seconds as `1.234` and never `1.234,5`: the decimal comma is the proof.
    layout.dotsFromComma = comma.decimal;
    layout.notes.push(`numbers: a dot groups thousands in this file: its first rows prove a decimal comma (${JSON.stringify(comma.decimal)}), and a writer of decimal commas writes no dot fractions, so "1.234" is 1234`);
  }
  if (comma.note) layout.notes.push(comma.note);

  // PDD unit when the header does not say: fractions mean seconds, integers of 100 or more mean ms.
  if (layout.col.pdd >= 0 && layout.pddUnit === 0) {
    let frac = false;
    let max = 0;
    for (const r of data.slice(layout.hasHeader ? 1 : 0)) {
      const v = r[layout.col.pdd]?.trim() ?? '';
      if ((layout.dotsGroup !== undefined || layout.dotsFromComma !== undefined) && dotGrouped(v)) max = Math.max(max, Number(v.replace(/\./g, '')));
      else if (/^[0-9]+\.[0-9]+$/.test(v)) frac = true;
      else if (/^[0-9]+$/.test(v)) max = Math.max(max, Number(v));
      else if (v.includes(',')) {
        // Read as the rows will be: `12,5` (decimal comma) has a fraction, `"1,234"` (thousands) does not.
        const c = readCommaNumber(v, layout.comma);
        if (c.as === 'decimal' || (c.as === 'thousands' && v.includes('.'))) frac = true;
        else if (c.as === 'thousands') max = Math.max(max, c.value);
      }
    }
    layout.pddUnit = !frac && max >= 100 ? 1 : 1000;
    layout.notes.push(`PDD column read in ${layout.pddUnit === 1 ? 'milliseconds' : 'seconds'} (${frac ? 'fractional values' : `largest value in the first rows ${max}`})`);
  } else if (layout.pddUnit === 0) layout.pddUnit = 1000;

  layout.need = needOf(layout);
  return layout;
}

/**
 * Whether a row met below the first is a header: the names of the layout in use (`same`: exports joined with
 * `cat`), or another header (`other`). Called only for rows that did not read as data, so it must not take a
 * data row for one: a header has none of its cells a date, at least two known names, and at least half of its
 * filled cells known names or names of the header in use; it names most of its cells (a row mostly empty is
 * data with a few odd values: re-audit N4's `x,,,,Caller,Destination,Vendor,,,,,`); and it can read rows: it
 * names a start column, or at least as many columns as the layout in use needs (`need`) and three or more (a
 * header that lost its start column's name is still a header, and its rows are said to be unreadable).
 */
export function headerKind(cell: (i: number) => string, cells: number, names: HeaderNames, need = 0): 'same' | 'other' | undefined {
  let n = cells;
  while (n > 0 && cell(n - 1).trim() === '') n--;
  if (n === 0) return undefined;
  let same = n <= names.norm.length && (n >= 2 || n === names.norm.length);
  for (let i = 0; same && i < n; i++) if (normaliseName(cell(i)) !== names.norm[i]) same = false;
  if (same) return 'same';
  let aliases = 0;
  let named = 0;
  let filled = 0;
  let start = false;
  for (let i = 0; i < n; i++) {
    const t = cell(i).trim();
    if (t === '') continue;
    filled++;
    if (isDate(t)) return undefined;
    const hit = fieldOfHeader(t);
    if (hit !== undefined) {
      aliases++;
      named++;
      if (hit.field === 'start') start = true;
    } else if (names.own.has(normaliseName(t))) named++;
    // Half the filled cells must be names: out of reach even if every cell left is one (a data row stops here,
    // about half-way, instead of looking up every cell).
    if (named * 2 + (n - 1 - i) < filled) return undefined;
  }
  if (aliases < 2 || named * 2 < filled || filled * 3 < n * 2) return undefined;
  return start || named >= Math.max(need, 3) ? 'other' : undefined;
}

/** A layout's column names as `headerKind` compares them, normalised once per layout (not once per row asked). */
export interface HeaderNames {
  norm: readonly string[];
  own: ReadonlySet<string>;
}

export function headerNames(names: readonly string[]): HeaderNames {
  const norm = names.map(normaliseName);
  return { norm, own: new Set(norm) };
}

/**
 * The layout of the rows under a header met further down (two exports joined with `cat`): its columns by name,
 * `--map` applied again (by name it follows the column; a map it cannot honour is said with the header's line),
 * and what the data decided for the file kept from the layout in use (`prev`): the comma convention, dots
 * grouping thousands, and the PDD unit when the header does not state one (the same exporter wrote both).
 */
export function headerRelayout(header: string[], prev: Layout, opts: DetectOptions, line: number): Layout {
  const layout = headerLayout(header);
  const where = `header at line ${line}: `;
  applyMap(layout, opts, Math.max(header.length, prev.names.length), where);
  layout.dayFirst = prev.dayFirst;
  layout.dayOrder = prev.dayOrder;
  layout.dayProof = prev.dayProof;
  layout.comma = prev.comma;
  layout.commaWhy = prev.commaWhy;
  layout.dotsGroup = prev.dotsGroup;
  layout.dotPoint = prev.dotPoint;
  layout.dotsFromComma = prev.dotsFromComma;
  if (layout.col.pdd >= 0 && layout.pddUnit === 0) {
    if (prev.col.pdd >= 0) layout.pddUnit = prev.pddUnit;
    else {
      layout.pddUnit = 1000;
      layout.notes.push(`${where}PDD column read in seconds (its name states no unit, and the header above had no PDD column to go by)`);
    }
  } else if (layout.pddUnit === 0) layout.pddUnit = 1000;
  layout.need = needOf(layout);
  return layout;
}

/** Whether the start column of a layout holds a date on at least half of the data rows of the head. */
export function mappedStartFits(records: string[][], layout: Layout): boolean {
  if (layout.format === 'unknown') return false;
  const rows = records.filter((r) => !isBlank(r) && !isComment(r)).slice(layout.hasHeader ? 1 : 0, 50);
  let ok = 0;
  for (const r of rows) if (plausibleStart(r[layout.col.start])) ok++;
  return rows.length > 0 && ok * 2 >= rows.length;
}

/** 2000-01-01 and 2100-01-01 in epoch seconds. */
const EPOCH_FROM = 946_684_800;
const EPOCH_TO = 4_102_444_800;

/**
 * A start time, for taking a headerless file for CDRs: a date, or an epoch time (seconds or milliseconds)
 * of this century. Phone numbers are digits too, and a 12-digit one would read as a 1984 epoch in ms.
 */
function plausibleStart(v: string | undefined): boolean {
  if (v === undefined) return false;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return (n >= EPOCH_FROM && n < EPOCH_TO) || (n >= EPOCH_FROM * 1000 && n < EPOCH_TO * 1000);
  }
  return isDate(t);
}

/**
 * The most fields a row of this file has: the header's or the fixed layout's columns, or more when whole
 * one-line rows of the head have more. A record that spans lines and is half as wide again holds a stray
 * quote (split.ts, strayWidth).
 */
export function usualWidth(records: string[][], layout: Layout): number {
  let w = layout.names.length;
  for (const r of records) if (r.length > w && !r.some((f) => f.includes('\n'))) w = r.length;
  return w === 0 ? Infinity : w;
}

/** Describes the mapping for acc.notes: `start ← calldate (col 11)`. */
export function describeMapping(l: Layout): string {
  const parts: string[] = [];
  for (const f of FIELDS) {
    const i = l.col[f];
    if (i >= 0) parts.push(`${f} ← ${l.names[i] ?? '?'} (col ${i + 1})`);
  }
  for (const i of l.callIdAlt) parts.push(`callId (fallback) ← ${l.names[i] ?? '?'} (col ${i + 1})`);
  return parts.join(', ');
}
