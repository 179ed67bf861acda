/**
 * One CSV row → one CallRecord (one attempt on one route), with every row accounted for.
 *
 * Answered: a SIP code column decides (2xx); else a known disposition (ANSWERED); else an answer time or
 * billsec > 0. Final code of an unanswered row: the SIP code column, else the Q.850 cause (RFC 3398 via the
 * catalogue), else the hangup cause name, else the disposition; `codeSource` says which. Route: the peer
 * of the trunk channel the leg dialled (dstchannel) when a vendor/trunk column names another one, else the
 * vendor/trunk column, else the peer in dstchannel, else `unknown`. Failover legs are separate rows and so
 * separate attempts on their own routes.
 */
import { CallFlag, countAnomaly, countIgnored, MAX_ANOMALY_SAMPLES, UNKNOWN_ROUTE, type CallRecord, type CodeSource, type InputAccounting, type RecordSink, type SourceOptions } from '../types.js';
import { dialStatusToSip, dispositionToSip, hangupCauseToQ850, hangupCauseToSip, isKnownHangupCause, q850ToSip } from '../catalogue/index.js';
import { DateParser, NO_DATE } from './dates.js';
import { describeMapping, headerKind, headerNames, headerRelayout, type DetectOptions, type HeaderNames, type Layout, type MapMiss } from './detect.js';
import { BAD_NUM, COMMA_NUM, NO_NUM, Interner, decode, fieldNumber, fieldString, isNullBytes, view, RAW, type FieldView, type Row } from './row.js';
import { commaProblem, commaProof, dotGrouped, dotsProof, readCommaNumber, readsSomeWay } from './numbers.js';
import { RowMemory } from './dedupe.js';
import type { RowHandler } from './split.js';

interface CauseInfo {
  text: string;
  q850: number | undefined;
  sip: number | undefined;
  source: CodeSource;
  /** The cell holds something, but no cause this reader knows (`abc`, `999`): counted, never silent. */
  unread: boolean;
}

/**
 * The longest cause cell read. A cause cell holds one cause (`Q.850;cause=127;text="Interworking, unspecified"`
 * is 46 characters, the longest FreeSWITCH name 26): a longer one is `unread` before anything looks at it, so
 * a hostile cell costs its length once (decode, trim) and no more. The catalogue's `nameKey` reads only the first
 * 64 characters of a name too: a longer cell that began with one would pass for it.
 */
export const MAX_CAUSE_CELL = 64;

/**
 * A Q.850 cause cell (trimmed): a number (`17`, and `17.0`, `Q.850;cause=17`, `cause=17`, `17 User busy`), a
 * hangup cause name (`USER_BUSY`), or a dial status or disposition (`dialStatusToSip`, `dispositionToSip`).
 * `0` is "no cause" (some exports write it on answered calls). Anything else, and a cell over MAX_CAUSE_CELL characters, is `unread`.
 */
export function causeInfo(text: string): CauseInfo {
  if (text.length > MAX_CAUSE_CELL) return { text, q850: undefined, sip: undefined, source: 'q850', unread: true };
  const digits = causeDigits(text);
  if (digits !== undefined) {
    const q = Number(digits);
    if (q > 127) return { text, q850: undefined, sip: undefined, source: 'q850', unread: true };
    return { text, q850: q >= 1 ? q : undefined, sip: q850ToSip(q), source: 'q850', unread: false };
  }
  if (isKnownHangupCause(text)) return { text, q850: hangupCauseToQ850(text), sip: hangupCauseToSip(text), source: 'hangup-cause', unread: false };
  // A dial status (DIALSTATUS: ANSWER, CANCEL, DONTCALL, …) or a disposition (ANSWERED, FAILED): these are no causes.
  const status = dialStatusToSip(text) ?? dispositionToSip(text)?.code;
  if (status !== undefined) return { text, q850: undefined, sip: status, source: 'disposition', unread: false };
  return { text, q850: undefined, sip: undefined, source: 'hangup-cause', unread: true };
}

/** `\s` of a regex: ASCII blanks and the Unicode spaces. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The cause number of a cell written `[Q[.]850 sep] [cause sep] N [.0…] [sep more]` (N one to three digits; the
 * separators blanks and `;:,` after Q.850, blanks and `=:` after `cause`; `sep more` a blank or `;,/(` and
 * anything), or undefined. A walk, each character looked at once: a regex of two blank runs around an optional
 * separator tries every split of a long blank run (audit 3, re-audit N1: 6.5 s for a cell of 120,000 blanks).
 */
function causeDigits(t: string): string | undefined {
  const n = t.length;
  let p = 0;
  if (p < n && (t.charCodeAt(p) | 0x20) === 0x71 /* q */) {
    p++;
    if (t.charCodeAt(p) === 46 /* . */) p++;
    if (!t.startsWith('850', p)) return undefined;
    p += 3;
    while (p < n && (isSpace(t.charCodeAt(p)) || t.charCodeAt(p) === 59 || t.charCodeAt(p) === 58 || t.charCodeAt(p) === 44)) p++; // ; : ,
  }
  if (n - p >= 5 && t.slice(p, p + 5).toLowerCase() === 'cause') {
    p += 5;
    while (p < n && (isSpace(t.charCodeAt(p)) || t.charCodeAt(p) === 61 || t.charCodeAt(p) === 58)) p++; // = :
  }
  const d = p;
  while (p < n && p - d < 4 && t.charCodeAt(p) >= 48 && t.charCodeAt(p) <= 57) p++;
  if (p === d || p - d > 3) return undefined;
  const digits = t.slice(d, p);
  if (p < n && t.charCodeAt(p) === 46 /* . */) {
    const z = ++p;
    while (p < n && t.charCodeAt(p) === 48 /* 0 */) p++;
    if (p === z) return undefined;
  }
  if (p === n) return digits;
  const c = t.charCodeAt(p);
  return isSpace(c) || c === 59 || c === 44 || c === 47 || c === 40 ? digits : undefined; // ; , / (
}

/** A SIP code cell that holds no code, as exports write it: `0`, `-`, `-1`, `N/A`, `none`. */
const NO_CODE = /^(?:0+|-|-1|n\/?a|none)$/i;

/**
 * A SIP status code written another way than a bare number (which the byte-level reader takes): a status line
 * `SIP/2.0 486 Busy Here`, `SIP 486`, a code with more after it (`486/17`, `486;cause=17`, `486(Busy)`), `486.0`,
 * or Excel's exponent form `4.86E+02` (exact). -1 for a cell that holds no code (NO_CODE), BAD_NUM when it holds
 * something that is not a code 100–699.
 */
export function sipCodeText(text: string): number {
  const t = text.trim();
  if (t === '' || NO_CODE.test(t)) return -1;
  const m = /^(?:sip(?:\/2\.0)?[\s:/]*)?([1-6][0-9]{2})(?:\.0+)?(?:[\s;,/(\-].*)?$/i.exec(t);
  if (m) return Number(m[1]);
  if (/^[0-9](?:\.[0-9]+)?e\+?[0-9]{1,2}$/i.test(t)) {
    const v = Number(t);
    if (Number.isInteger(v) && v >= 100 && v <= 699) return v;
  }
  return BAD_NUM;
}

interface DispInfo {
  text: string;
  /** SIP code the disposition stands for; undefined when it is not a known disposition. */
  sip: number | undefined;
}

const CODE_SOURCES: readonly CodeSource[] = ['sip', 'q850', 'hangup-cause', 'disposition', 'none'];

const IPV4 = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;
/** A next-hop address rather than a peer name: IPv4 or IPv6, with or without a port or brackets. */
const ADDRESS = /^([0-9]{1,3}(\.[0-9]{1,3}){3}(:[0-9]+)?|\[?[0-9a-fA-F]*:[0-9a-fA-F:.]*\]?(:[0-9]+)?)$/;

/**
 * Channel technologies whose channel names the peer (endpoint) dialled: `PJSIP/thinQ-0000001a` is a leg on
 * the trunk `thinQ`. Not Local/ (a dialplan hop), nor DAHDI/ZAP (a span and channel number, not a trunk's
 * name: the B channels of one PRI would each be a route).
 */
const PEER_TECHS = new Set(['SIP', 'PJSIP', 'IAX2', 'IAX', 'H323', 'OOH323', 'MOTIF']);

/** A dstchannel's route, and whether it is the trunk peer the leg dialled. */
export interface ChannelRoute {
  route: string;
  /** `route` in lower case (compared with a trunk column). */
  lower: string;
  /**
   * The channel names the peer the leg dialled: a SIP/PJSIP/IAX2… channel to a peer name, or to an address
   * that `--routes` names. Such a peer beats a trunk column that names another trunk.
   */
  peer: boolean;
}

/** routeFromChannel, and whether the channel is the dialled trunk peer (see ChannelRoute). */
export function channelRoute(text: string, routeOf?: (addr: string) => string | undefined): ChannelRoute {
  const route = routeFromChannel(text, routeOf);
  const slash = text.indexOf('/');
  const rest = slash < 0 ? '' : text.slice(slash + 1);
  const peer =
    route !== UNKNOWN_ROUTE &&
    PEER_TECHS.has(text.slice(0, slash).toUpperCase()) &&
    rest !== '' &&
    rest[0] !== '-' &&
    (!ADDRESS.test(rest) || (routeOf !== undefined && IPV4.test(rest) && routeOf(rest) !== undefined));
  return { route, lower: route.toLowerCase(), peer };
}

/** Route name from a dstchannel's `TECH/peer` part (the `-0000001a` suffix already cut off). */
export function routeFromChannel(text: string, routeOf?: (addr: string) => string | undefined): string {
  const slash = text.indexOf('/');
  if (slash < 0) return text === '' ? UNKNOWN_ROUTE : text;
  const tech = text.slice(0, slash).toUpperCase();
  const rest = text.slice(slash + 1);
  if (rest === '') return UNKNOWN_ROUTE;
  if (tech === 'LOCAL') {
    const at = rest.indexOf('@');
    return `Local/${at >= 0 ? rest.slice(at + 1) : rest}`;
  }
  if (tech === 'DAHDI' || tech === 'ZAP') return `${text.slice(0, slash)}/${rest}`;
  // SIP, PJSIP, IAX2 and the rest: the peer name, or a next-hop address mapped through --routes.
  if (routeOf !== undefined && IPV4.test(rest)) return routeOf(rest) ?? rest;
  return rest;
}

/**
 * No setup waits this long for its first ring: a PDD past it is a unit read wrong (seconds taken for
 * milliseconds) or junk, and would swamp every PDD figure of its route. RFC 3261's INVITE timers give up
 * well before (Timer B: 32 s; a proxy's Timer C: over 3 minutes, and that runs after ringing began).
 */
export const MAX_PDD_MS = 300_000;

/** Longest billsec or duration believed: 31 days. Longer values (or ones that are not finite) are left unknown and counted. */
export const MAX_TALK_MS = 31 * 86_400_000;

/** Headers further down spelled out in the notes (with their columns), and their unreadable rows said one by one. */
const MAX_SWITCH_NOTES = 3;

/** A cell as a note or a sample shows it: cut at 40 characters (a hostile cell can be megabytes). */
function shown(t: string): string {
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

export class RowInterpreter implements RowHandler {
  private headerSeen = false;
  /** The layout in use: the detected one, until a header with other columns further down (exports joined). */
  private layout: Layout;
  private col: Layout['col'];
  /** Line of the header in use (0: none seen yet). */
  private headerLine = 0;
  private readonly v: FieldView = { b: Buffer.alloc(0), s: 0, e: 0 };
  private readonly routes: Interner<string>;
  private readonly channels: Interner<ChannelRoute>;
  /**
   * The file has a vendor/trunk column and a dstchannel, and `--map route=` did not choose the column: a
   * leg's dialled trunk peer (dstchannel) beats a trunk column that names another trunk.
   */
  private peerBeatsTrunk: boolean;
  private readonly dispositions = new Interner<DispInfo>((b, s, e) => {
    const text = decode(b, s, e).trim();
    return { text, sip: dispositionToSip(text)?.code };
  });
  /** Reason phrases repeat (`Busy Here`): interned like routes. */
  private readonly reasons = new Interner<string>((b, s, e) => decode(b, s, e));
  private readonly causes = new Interner<CauseInfo>((b, s, e) => causeInfo(decode(b, s, e).trim()));
  /** Records per code source (counters, not a keyed object: this runs once per row). */
  private readonly sourceCounts = new Float64Array(CODE_SOURCES.length);
  /** Answered rows with no answer time in the data (none derived either). */
  answerUnknown = 0;
  answerDerived = 0;
  /** Rows whose PDD column gave more than MAX_PDD_MS (a unit read wrong, or junk): that PDD is left out. */
  pddImplausible = 0;
  pddImplausibleMax = 0;
  /** Numbers with a comma read as a thousands separator / as a decimal comma; PDD values with a comma not read. */
  commaThousands = 0;
  commaDecimal = 0;
  commaPddRefused = 0;
  /** Rows that name no vendor/trunk and no dstchannel peer: route UNKNOWN_ROUTE (the PBX's own calls). */
  noRoute = 0;
  /** Rows that repeat an earlier record's row byte for byte (ignored as `duplicate-row`), and the first one. */
  duplicates = 0;
  duplicateFirst: { line: number; of: number } | undefined;
  /** Recent records' rows, to find rows written twice: createCdrSource appends the input to it. */
  readonly memory = new RowMemory();
  /** Answered rows with no answer time whose PDD came from the PDD column or the ring time. */
  answerUnknownPdd = 0;
  /** Cells of the SIP code / cause column that hold something unreadable, on rows whose other columns gave the outcome. */
  unreadSip = 0;
  unreadSipFirst: { line: number; text: string } | undefined;
  unreadCause = 0;
  unreadCauseFirst: { line: number; text: string } | undefined;
  /**
   * Dots in numbers of a decimal-comma file (numbers.ts): read as thousands separators (dots proven to group
   * thousands); `1.234`-like values read with a decimal point before the proof, and the first one; the line and
   * value of a proof met in the rows (not in the first rows): dots grouping thousands (`1.234,5`), or a decimal
   * comma (`12,5`, `byComma`) in a file only its `;` made decimal-comma; PDD values refused for their dot.
   */
  dotThousands = 0;
  dotPointReads = 0;
  dotPointFirst: { line: number; text: string } | undefined;
  dotsProvenAt: { line: number; text: string; byComma: boolean } | undefined;
  dotPddRefused = 0;
  /**
   * Billsec and duration values the file's number convention reads two ways or none (`1,234` where nothing tells,
   * `12.5` where dots group thousands): left unknown, their rows kept; the first one's line and anomaly-like text.
   */
  unsureNumbers = 0;
  unsureFirst: { line: number; detail: string } | undefined;
  /** Where the day order of a guessed file was settled by a value (DateParser.settledBy), and how many dates it made wrong. */
  dayOrderSettled: { line: number; text: string; monthFirst: boolean; wrong: number } | undefined;
  /** Lines to say on stderr (InputAccounting.alerts): the dates a proven day order made wrong, dots proven late. */
  readonly alerts: string[] = [];
  /** Notes written while reading (a header further down), in the order met. */
  readonly lateNotes: string[] = [];
  /** Headers further down with other columns: how many, and the lines of the first ones not spelled out in the notes. */
  switches = 0;
  readonly switchLines: number[] = [];
  /**
   * The rows under a header further down, while it is in use: its line, what it followed, whether it has a start
   * column, and the counts when it began, to tell at the next header (or the end) whether any of its rows read.
   */
  private segment: { line: number; above: string; unknown: boolean; used: number; malformed: number; anomalies: Record<string, number> } | undefined;
  /** Headers further down under none of which a row could be read: how many, and the lines of those not said one by one. */
  deadSwitches = 0;
  readonly deadLines: number[] = [];
  /** `--map` entries some layout of this file honoured, and those a layout had no column for (the first text of each). */
  readonly mapHonoured = new Set<string>();
  readonly mapMissing: MapMiss[] = [];
  /** Told when a header further down changes the layout (the splitter's row width). */
  onLayout: ((layout: Layout) => void) | undefined;
  /** Rows whose trunk column names another trunk than the peer their dstchannel dialled (that peer is used). */
  trunkDisagrees = 0;
  /** The first such row: line, trunk column value, dstchannel as written. */
  trunkDisagreeFirst: { line: number; trunk: string; channel: string } | undefined;
  /** Such rows per `trunk → peer` (at most 64 pairs kept). */
  readonly trunkDisagreePairs = new Map<string, number>();
  private readonly fileTag: string;

  constructor(
    private readonly file: string,
    private readonly sink: RecordSink,
    private readonly acc: InputAccounting,
    layout: Layout,
    readonly dates: DateParser,
    private readonly opts: SourceOptions & DetectOptions,
  ) {
    this.layout = layout;
    this.col = layout.col;
    dates.orderGuessed = layout.dayOrder === 'guess';
    // A decimal-comma file whose first rows write dot fractions too (`0.850`) keeps dots as decimal points.
    this.dotsCheck = layout.comma === 'decimal' && (layout.dotsGroup !== undefined || layout.dotPoint === undefined);
    this.dotsGroup = layout.dotsGroup !== undefined || layout.dotsFromComma !== undefined;
    this.routes = new Interner((b, s, e) => {
      const t = decode(b, s, e).trim();
      return t === '' ? UNKNOWN_ROUTE : t;
    });
    const routeOf = opts.routeOf;
    this.channels = new Interner((b, s, e) => channelRoute(decode(b, s, e).trim(), routeOf), 10, 900);
    this.peerBeatsTrunk = layout.col.route >= 0 && layout.col.dstChannel >= 0 && layout.routeMapped !== true;
    this.mapSeen(layout);
    const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
    this.fileTag = file.slice(slash + 1);
  }

  /** A decimal-comma file: a number with a dot is read by `dotNum` (numbers.ts). */
  private readonly dotsCheck: boolean;
  /** Dots are proven to group thousands in this file (in its first rows or since a row that showed it). */
  private dotsGroup: boolean;

  /** Why a comma in a number is read as it is (the layout's convention). */
  get layoutCommaWhy(): string {
    return this.layout.commaWhy ?? '';
  }

  /** Where the PDD of a row comes from, for the notes. */
  get pddFrom(): string {
    const c = this.col;
    const pdd = `PDD column ${JSON.stringify(this.columnName(c.pdd))}`;
    return c.pdd >= 0 && c.ring >= 0 ? `${pdd} or the ring time` : c.pdd >= 0 ? pdd : 'ring time';
  }

  /**
   * Why a dot groups thousands in this file, for the notes and samples: a row further down showed it (dots, or a
   * decimal comma), or the first rows did (dots, or a decimal comma).
   */
  get dotsWhy(): string {
    const p = this.dotsProvenAt;
    const noFractions = 'and a writer of decimal commas writes no dot fractions';
    if (p !== undefined) return p.byComma ? `line ${p.line} proves a decimal comma (${JSON.stringify(p.text)}), ${noFractions}` : `line ${p.line} shows it: ${JSON.stringify(p.text)}`;
    if (this.layout.dotsGroup !== undefined) return `the first rows show it: ${JSON.stringify(this.layout.dotsGroup)}`;
    return `the first rows prove a decimal comma (${JSON.stringify(this.layout.dotsFromComma)}), ${noFractions}`;
  }

  /** What the final codes rest on: code source → records. */
  get codeSources(): Record<string, number> {
    const out: Record<string, number> = {};
    CODE_SOURCES.forEach((k, i) => {
      if (this.sourceCounts[i] > 0) out[k] = this.sourceCounts[i];
    });
    return out;
  }

  bad(line: number, offset: number, name: string, detail: string): void {
    this.acc.read++;
    countAnomaly(this.acc, name, { file: this.file, line, offset }, detail);
  }

  row(r: Row): void {
    const acc = this.acc;
    acc.read++;
    let rec: CallRecord | undefined;
    const mark = this.memory.size;
    try {
      rec = this.interpret(r);
    } catch (err) {
      this.memory.forget(mark);
      countAnomaly(acc, 'internal-error', { file: this.file, line: r.line }, String(err));
      return;
    }
    if (rec !== undefined) {
      acc.used++;
      acc.records++;
      this.sink.record(rec);
    }
  }

  private malformed(r: Row, name: string, detail: () => string): undefined {
    countAnomaly(this.acc, name, { file: this.file, line: r.line, offset: r.offset }, this.acc.samples.length < MAX_ANOMALY_SAMPLES ? detail() : undefined);
    return undefined;
  }

  private date(r: Row, i: number): number {
    if (i < 0 || i >= r.n) return NO_DATE;
    if (r.fk[i] === RAW) return this.dates.parse(r.buf, r.fs[i], r.fe[i]);
    const v = view(r, i, this.v);
    return this.dates.parse(v.b, v.s, v.e);
  }

  private num(r: Row, i: number, leading = false): number {
    if (i < 0 || i >= r.n) return NO_NUM;
    const n = fieldNumber(r, i, leading);
    if (leading) return n;
    // Decimal-comma files only (a flag the others never pass): a dot may group thousands there.
    if (this.dotsCheck && n !== NO_NUM && n !== COMMA_NUM && hasDot(r, i)) return this.dotNum(r, fieldString(r, i).trim(), n);
    if (n >= NO_NUM) return n;
    if (n === COMMA_NUM) return this.commaNum(r, fieldString(r, i));
    return clockSeconds(fieldString(r, i));
  }

  /** A number with a comma, by the file's convention (numbers.ts): its value, BAD_NUM or AMBIGUOUS_NUM (row.ts). */
  private commaNum(r: Row, text: string): number {
    const t = text.trim();
    const c = readCommaNumber(t, this.layout.comma);
    if (c.as === 'thousands') this.commaThousands++;
    else if (c.as === 'decimal') {
      this.commaDecimal++;
      // `1.234,5` shows dots grouping thousands; `12,5` (a value only a decimal comma reads) proves the decimal
      // comma of a file only its `;` made decimal-comma, and its writer then writes no dot fractions either.
      if (!this.dotsGroup && this.dotsCheck && commaProof(t) === 'decimal') this.dotsProven(r, t, t.indexOf('.') < 0);
    }
    return c.value;
  }

  /**
   * A number with a dot in a decimal-comma file (`n`: what the byte-level reader made of it). Once dots are
   * proven to group thousands (`1.234,5`; or a decimal comma proven by a value, as its writer writes no dot
   * fractions: re-audit N3, Excel's "#.##0" writes `1.234` and never `1.234,5`), `1.234` is 1234 and a dot that
   * groups nothing (`12.5`) is refused. Before that (a file only its `;` delimiter makes decimal-comma), `1.234` is
   * read with a decimal point, counted, and said if a proof comes later.
   */
  private dotNum(r: Row, t: string, n: number): number {
    if (!this.dotsGroup && dotsProof(t)) this.dotsProven(r, t, false);
    if (this.dotsGroup) {
      if (!dotGrouped(t)) return BAD_NUM;
      this.dotThousands++;
      return Number(t.replace(/\./g, ''));
    }
    if (n >= 0 && dotGrouped(t) && this.dotPointReads++ === 0) this.dotPointFirst = { line: r.line, text: t };
    return n;
  }

  /** A row showed dots grouping thousands (`1.234,5`, `1.234.567`) or proved a decimal comma: from here on `1.234` is 1234. */
  private dotsProven(r: Row, t: string, byComma: boolean): void {
    this.dotsGroup = true;
    this.dotsProvenAt = { line: r.line, text: t, byComma };
  }

  talkImplausibles = 0;
  talkImplausibleFirst: { line: number; detail: string } | undefined;

  /** Counts a billsec or duration value left unknown because it is longer than MAX_TALK_MS (or not finite). */
  private talkImplausible(r: Row, i: number): void {
    if (this.talkImplausibles++ === 0) this.talkImplausibleFirst = { line: r.line, detail: this.numberDetail(r, i) };
  }

  /** Counts a billsec or duration value left unknown because the file's number convention does not settle it. */
  private unsureNumber(r: Row, i: number): void {
    if (this.unsureNumbers++ === 0) this.unsureFirst = { line: r.line, detail: this.numberDetail(r, i) };
  }

  /** A PDD value the file's number convention refused (a comma, or a dot): counted in the notes. */
  private pddRefused(r: Row, i: number): boolean {
    const t = fieldString(r, i);
    if (t.includes(',')) this.commaPddRefused++;
    else if (this.dotsCheck && t.includes('.')) this.dotPddRefused++;
    else return false;
    return true;
  }

  /** The anomaly sample of a number column that could not be read. */
  private numberDetail(r: Row, i: number): string {
    const text = fieldString(r, i);
    const t = text.trim();
    const head = `${this.layout.names[i]} = ${JSON.stringify(shown(text))}`;
    if (t.includes(',')) return `${head}: ${commaProblem(t, this.layout.comma, this.layout.commaWhy ?? '')}`;
    if (this.dotsCheck && this.dotsGroup && t.includes('.')) return `${head}: a dot groups thousands in this file (${this.dotsWhy}), and this value is not grouped in threes`;
    return head;
  }

  /** Sets this.v to field i without surrounding blanks; false when absent, empty or NULL. */
  private span(r: Row, i: number): boolean {
    if (i < 0 || i >= r.n) return false;
    const v = r.fk[i] === RAW ? this.raw(r, i) : view(r, i, this.v);
    const b = v.b;
    let s = v.s;
    let e = v.e;
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    v.s = s;
    v.e = e;
    return s < e && !((e - s === 4 || e - s === 2) && isNullBytes(b, s, e));
  }

  private raw(r: Row, i: number): FieldView {
    const v = this.v;
    v.b = r.buf;
    v.s = r.fs[i];
    v.e = r.fe[i];
    return v;
  }

  /** Text of field i without surrounding blanks; undefined when empty or NULL. */
  private str(r: Row, i: number): string | undefined {
    if (i < 0 || i >= r.n) return undefined;
    let b = r.buf;
    let s = r.fs[i];
    let e = r.fe[i];
    let ascii = r.ascii;
    if (r.fk[i] !== RAW) {
      const v = view(r, i, this.v);
      b = v.b;
      s = v.s;
      e = v.e;
      ascii = false;
    }
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (s === e || ((e - s === 4 || e - s === 2) && isNullBytes(b, s, e))) return undefined;
    return decode(b, s, e, ascii);
  }

  /**
   * Whether a row that did not read as data is a header: the one in use again (ignored, as before), or another
   * one (two exports with other columns joined with `cat`): then the rows under it are read by its own columns,
   * and a note names its line (the first MAX_SWITCH_NOTES headers; the others are counted). Whether any row under
   * it reads is told at the next header or the end of the input (closeSegment).
   */
  /** headerKind's view of the layout in use, made again when the layout changes. */
  private layoutNames: { of: Layout; names: HeaderNames } | undefined;

  private header(r: Row): boolean {
    // Cells are decoded as headerKind asks for them (a data row is given up on about half-way), once each.
    const rec: string[] = new Array<string>(r.n);
    const cell = (i: number): string => (rec[i] ??= fieldString(r, i));
    if (this.layoutNames === undefined || this.layoutNames.of !== this.layout) this.layoutNames = { of: this.layout, names: headerNames(this.layout.names) };
    const kind = headerKind(cell, r.n, this.layoutNames.names, this.layout.need);
    if (kind === undefined) return false;
    for (let i = 0; i < r.n; i++) cell(i);
    countIgnored(this.acc, 'header');
    if (kind === 'same') return true;
    this.closeSegment();
    const prev = this.layout;
    const layout = headerRelayout(rec, prev, this.opts, r.line);
    const above = this.headerLine > 0 ? `the header at line ${this.headerLine}` : `the ${prev.format} layout`;
    const unknown = layout.format === 'unknown';
    if (++this.switches <= MAX_SWITCH_NOTES) {
      this.lateNotes.push(
        `header at line ${r.line} differs from ${above}: the rows under it are read by its own columns (${describeMapping(layout) || 'none'})` +
          (unknown ? '; it has no start time column, so its rows are malformed (unknown-layout): use --map start=COLUMN' : ''),
      );
      for (const n of layout.notes) this.lateNotes.push(n);
    } else if (this.switchLines.length < MAX_SWITCH_NOTES) this.switchLines.push(r.line);
    this.mapSeen(layout);
    const acc = this.acc;
    this.segment = { line: r.line, above, unknown, used: acc.used, malformed: acc.malformed, anomalies: { ...acc.anomalies } };
    this.layout = layout;
    this.col = layout.col;
    this.headerLine = r.line;
    this.peerBeatsTrunk = layout.col.route >= 0 && layout.col.dstChannel >= 0 && layout.routeMapped !== true;
    this.onLayout?.(layout);
    return true;
  }

  /**
   * The rows under a header further down are over (another header, or the end): when none of them read and some
   * were malformed, that header cost every row under it, which is said on stderr too (a header with no start
   * column, or a row taken for a header that is none). The first MAX_SWITCH_NOTES are spelled out.
   */
  private closeSegment(): void {
    const s = this.segment;
    if (s === undefined) return;
    this.segment = undefined;
    const acc = this.acc;
    const bad = acc.malformed - s.malformed;
    if (bad === 0 || acc.used > s.used) return;
    if (++this.deadSwitches > MAX_SWITCH_NOTES) {
      if (this.deadLines.length < MAX_SWITCH_NOTES) this.deadLines.push(s.line);
      return;
    }
    const why = Object.entries(acc.anomalies)
      .map(([k, v]) => [k, v - (s.anomalies[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const rows = `${bad} row${bad === 1 ? '' : 's'}`;
    const msg = s.unknown
      ? `header at line ${s.line} differs from ${s.above} and has no start time column: none of the ${rows} under it could be read (${why}); use --map start=COLUMN`
      : `header at line ${s.line} differs from ${s.above}: none of the ${rows} under it could be read by its columns (${why})`;
    this.lateNotes.push(msg);
    this.alerts.push(msg);
  }

  /** Takes note of the `--map` entries a layout honoured and of those it had no column for (the first text of each). */
  private mapSeen(l: Layout): void {
    for (const m of l.mapHonoured) this.mapHonoured.add(m);
    for (const m of l.mapMissing) if (!this.mapMissing.some((x) => x.map === m.map)) this.mapMissing.push(m);
  }

  /**
   * The end of the input: the rows under the last header further down, and what is left to say of the headers and
   * `--map` entries. Returns the map entries no layout of this file honoured (each said once; map-use.ts decides,
   * with the run's other inputs, whether on stderr).
   */
  finish(): MapMiss[] {
    this.closeSegment();
    const more = (lines: readonly number[], n: number): string => `lines ${lines.join(', ')}${n > lines.length ? ', …' : ''}`;
    const extra = this.switches - MAX_SWITCH_NOTES;
    if (extra > 0) {
      this.lateNotes.push(
        `${extra} more header${extra === 1 ? '' : 's'} further down with other columns than the one above ${extra === 1 ? 'it' : 'each'} (${more(this.switchLines, extra)}): the rows under each are read by its own columns`,
      );
    }
    const dead = this.deadSwitches - MAX_SWITCH_NOTES;
    if (dead > 0) {
      const msg = `${dead} more header${dead === 1 ? '' : 's'} further down under which no row could be read (${more(this.deadLines, dead)})`;
      this.lateNotes.push(msg);
      this.alerts.push(msg);
    }
    return this.mapMissing.filter((m) => !this.mapHonoured.has(m.map));
  }

  /** The anomaly sample of a date that could not be read; says so when it is an a/b/Y date in the other day order. */
  private dateDetail(r: Row, i: number): string {
    const text = fieldString(r, i);
    const head = `${this.layout.names[i]} = ${JSON.stringify(text)}`;
    const d = this.dates;
    const order = d.dayFirst ? 'd/m/Y' : 'm/d/Y';
    const settled = this.dayOrderSettled;
    const why =
      settled !== undefined
        ? `line ${settled.line} (${JSON.stringify(settled.text)}) proved ${order}; this file mixes both orders`
        : this.layout.dayOrder === 'map'
          ? `--map date=${d.dayFirst ? 'dmy' : 'mdy'} reads a/b/Y dates as ${order}`
          : this.layout.dayOrder === 'proof'
            ? `the first rows prove ${order} (${JSON.stringify(this.layout.dayProof)}); this file mixes both orders`
            : this.layout.dayOrder === 'mixed'
              ? `the first rows write a/b/Y dates in both orders, read as ${order}; --map date=${d.dayFirst ? 'mdy' : 'dmy'} reads the others`
              : `this file writes ${d.dayFirst ? 'm/d/Y' : 'd/m/Y'}; rerun with --map date=${d.dayFirst ? 'mdy' : 'dmy'}`;
    const not = d.notAMonth(text, why);
    return not === undefined ? head : `${head}: ${not}`;
  }

  /**
   * A value settled the day order that was a guess (DateParser.orderGuessed). When it proved m/d/Y, the parser
   * reads m/d/Y from here on, and the dates read day-first before it are wrong: said in the notes and on stderr.
   */
  private dayOrderEvent(r: Row): void {
    const d = this.dates;
    d.event = 0;
    const text = d.settledBy ?? '';
    this.dayOrderSettled = { line: r.line, text, monthFirst: d.settledMonthFirst, wrong: d.guessedReads };
    if (!d.settledMonthFirst) {
      this.lateNotes.push(`a/b/Y dates: line ${r.line} (${JSON.stringify(text)}) proves d/m/Y, as they were read`);
      return;
    }
    const m = /^\s*\d{1,2}[/-](\d{1,2})/.exec(text);
    const head = `a/b/Y dates: line ${r.line} (${JSON.stringify(text)}): ${m ? `${Number(m[1])} is not a month: ` : ''}this file writes m/d/Y`;
    if (d.guessedReads === 0) {
      this.lateNotes.push(`${head}; read as m/d/Y from there on (no date before it read otherwise)`);
      return;
    }
    const msg = `${head}, but its first rows were ambiguous and read as d/m/Y: ${d.guessedReads} date${d.guessedReads === 1 ? '' : 's'} before line ${r.line} ${d.guessedReads === 1 ? 'is' : 'are'} wrong (day and month swapped; read as m/d/Y from there on); rerun with --map date=mdy`;
    this.lateNotes.push(msg);
    this.alerts.push(msg);
  }

  /** Counts a row whose trunk column (`trunk`) names another trunk than its dialled peer; returns the peer. */
  private trunkDisagree(r: Row, trunk: string, peer: string): string {
    if (this.trunkDisagrees++ === 0) this.trunkDisagreeFirst = { line: r.line, trunk, channel: fieldString(r, this.col.dstChannel).trim() };
    const key = `${trunk} → ${peer}`;
    const n = this.trunkDisagreePairs.get(key);
    if (n !== undefined) this.trunkDisagreePairs.set(key, n + 1);
    else if (this.trunkDisagreePairs.size < 64) this.trunkDisagreePairs.set(key, 1);
    return peer;
  }

  /** Column name of field index i (the header's, or the fixed layout's). */
  columnName(i: number): string {
    return this.layout.names[i] ?? `column ${i + 1}`;
  }

  get routeColumn(): string {
    return this.columnName(this.col.route);
  }

  get dstChannelColumn(): string {
    return this.columnName(this.col.dstChannel);
  }

  private interpret(r: Row): CallRecord | undefined {
    const acc = this.acc;
    const col = this.col;
    const n = r.n;
    // Blank and comment rows.
    if (r.fe[0] === r.fs[0] || fieldIsBlank(r, 0)) {
      let blank = true;
      for (let i = 1; i < n; i++) {
        if (!fieldIsBlank(r, i)) {
          blank = false;
          break;
        }
      }
      if (blank) {
        countIgnored(acc, 'blank');
        return undefined;
      }
    } else {
      const v0 = view(r, 0, this.v);
      if (v0.b[v0.s] === 35 /* # */) {
        countIgnored(acc, 'comment');
        return undefined;
      }
    }
    if (this.layout.hasHeader && !this.headerSeen) {
      this.headerSeen = true;
      this.headerLine = r.line;
      countIgnored(acc, 'header');
      return undefined;
    }
    // A row that does not read as data may be a header further down (exports joined with `cat`): checked only
    // on this path, so rows that read cost nothing.
    if (this.layout.format === 'unknown') return this.header(r) ? undefined : this.malformed(r, 'unknown-layout', () => 'no start time column (see --map)');
    if (n < this.layout.need) return this.header(r) ? undefined : this.malformed(r, 'too-few-columns', () => `${n} field${n === 1 ? '' : 's'}, the layout needs ${this.layout.need}`);

    const start = this.date(r, col.start);
    if (start !== start || start === NO_DATE) {
      if (this.header(r)) return undefined;
      return this.malformed(r, start === NO_DATE ? 'missing-date' : 'bad-date', () => this.dateDetail(r, col.start));
    }
    let answerAt = this.date(r, col.answer);
    let end = this.date(r, col.end);
    const ring = this.date(r, col.ring);
    if (this.dates.event !== 0) this.dayOrderEvent(r);
    if (answerAt !== answerAt || end !== end || ring !== ring) {
      const i = answerAt !== answerAt ? col.answer : end !== end ? col.end : col.ring;
      return this.malformed(r, 'bad-date', () => this.dateDetail(r, i));
    }
    // A row written twice (the same bytes as an earlier record's row, line end aside) is one call: ignored.
    // Checked before anything below counts the row (dedupe.ts); a row not yet seen is remembered, and
    // forgotten again if it does not become a record.
    const mark = this.memory.size;
    const same = this.memory.find(r, start, end);
    if (same > 0) {
      if (this.duplicates++ === 0) this.duplicateFirst = { line: r.line, of: same };
      countIgnored(acc, 'duplicate-row');
      return undefined;
    }
    let billsec = this.num(r, col.billsec);
    let duration = this.num(r, col.duration);
    /** An unsure billsec (below) that is over 0 in every reading: the row was answered. */
    let billsecOver0 = false;
    if (billsec < NO_NUM || duration < NO_NUM) {
      // A number the file's convention reads two ways or none (`1,234` where nothing tells, `12.5` where dots group
      // thousands) leaves only that value unknown: the attempt, its code and its route are sure, and dropping the
      // row would lower the route's attempts and ASR (re-audit N3). Text no convention reads as a number (`abc`,
      // `1.2.3`) is a malformed row: its columns may be shifted.
      const i = billsec < NO_NUM && !readsSomeWay(fieldString(r, col.billsec).trim()) ? col.billsec : duration < NO_NUM && !readsSomeWay(fieldString(r, col.duration).trim()) ? col.duration : -1;
      if (i >= 0) {
        this.memory.forget(mark);
        return this.malformed(r, 'bad-number', () => this.numberDetail(r, i));
      }
      if (billsec < NO_NUM) {
        billsecOver0 = hasNonZeroDigit(fieldString(r, col.billsec));
        this.unsureNumber(r, col.billsec);
        billsec = NO_NUM;
      }
      if (duration < NO_NUM) {
        this.unsureNumber(r, col.duration);
        duration = NO_NUM;
      }
    }
    // A talk time past any real call (a 30,000-digit cell reads as Infinity) is left unknown, and counted: it would
    // otherwise make the route's ACD and minutes, or the answer time derived from it, meaningless.
    if (billsec >= 0 && !(billsec * this.layout.billUnit <= MAX_TALK_MS)) {
      billsecOver0 = true;
      this.talkImplausible(r, col.billsec);
      billsec = NO_NUM;
    }
    if (duration >= 0 && !(duration * this.layout.durUnit <= MAX_TALK_MS)) {
      this.talkImplausible(r, col.duration);
      duration = NO_NUM;
    }

    // What the row says about the outcome. A code cell written another way than a bare number is read on a
    // slower path (sipCodeText); one that holds no code this reader knows is counted (below), never dropped silently.
    let sip = this.num(r, col.sipCode, true);
    let sipUnread = false;
    if (!(sip >= 100 && sip <= 699 && sip === Math.floor(sip))) {
      if (sip === NO_NUM || sip === 0) sip = -1;
      else {
        sip = sipCodeText(fieldString(r, col.sipCode));
        if (sip === BAD_NUM) {
          sip = -1;
          sipUnread = true;
        }
      }
    }
    let disp: DispInfo | undefined;
    const v = this.v;
    if (this.span(r, col.disposition)) disp = this.dispositions.get(v.b, v.s, v.e);
    let cause: CauseInfo | undefined;
    let causeUnread: CauseInfo | undefined;
    if (this.span(r, col.cause)) {
      cause = this.causes.get(v.b, v.s, v.e);
      if (cause.unread) {
        causeUnread = cause;
        cause = undefined;
      }
    }

    let answered: boolean;
    let finalCode: number | undefined;
    let codeSource: CodeSource;
    if (sip >= 0) {
      answered = sip < 300 && sip >= 200;
      finalCode = sip;
      codeSource = 'sip';
    } else {
      const dispDecides = disp !== undefined && disp.sip !== undefined;
      // A dial status in the cause column (ANSWER, CANCEL) decides as a disposition does, when no disposition does.
      const statusDecides = !dispDecides && cause !== undefined && cause.source === 'disposition';
      answered = dispDecides ? disp!.sip === 200 : statusDecides ? cause!.sip === 200 : answerAt !== NO_DATE || billsec > 0 || billsecOver0;
      if (answered) {
        finalCode = 200;
        codeSource = dispDecides ? 'disposition' : cause !== undefined ? cause.source : 'none';
      } else if (cause !== undefined && cause.sip !== undefined && cause.sip >= 300) {
        finalCode = cause.sip;
        codeSource = cause.source;
      } else if (dispDecides && disp!.sip! >= 300) {
        finalCode = disp!.sip;
        codeSource = 'disposition';
      } else {
        finalCode = undefined;
        codeSource = 'none';
      }
    }
    if (sipUnread || causeUnread !== undefined) {
      // A code or cause cell that holds something unreadable: the row stays when its other columns give the
      // outcome (counted in the notes), and is malformed when nothing else does (it would read "no final response").
      if (finalCode === undefined) {
        this.memory.forget(mark);
        return this.malformed(r, 'bad-code', () => {
          const cells = [
            sipUnread ? `${this.columnName(col.sipCode)} = ${JSON.stringify(shown(fieldString(r, col.sipCode)))}: not a SIP status code (100–699)` : '',
            causeUnread !== undefined ? `${this.columnName(col.cause)} = ${JSON.stringify(shown(causeUnread.text))}: not a Q.850 cause (1–127), a hangup cause name or a dial status` : '',
          ];
          return `${cells.filter((c) => c !== '').join('; ')}; no other column gives the outcome`;
        });
      }
      if (sipUnread && this.unreadSip++ === 0) this.unreadSipFirst = { line: r.line, text: shown(fieldString(r, col.sipCode)) };
      if (causeUnread !== undefined && this.unreadCause++ === 0) this.unreadCauseFirst = { line: r.line, text: shown(causeUnread.text) };
      this.acc.warnings ??= {};
      if (sipUnread) this.acc.warnings['unread-sip-code'] = (this.acc.warnings['unread-sip-code'] ?? 0) + 1;
      if (causeUnread !== undefined) this.acc.warnings['unread-cause'] = (this.acc.warnings['unread-cause'] ?? 0) + 1;
    }
    this.sourceCounts[CODE_SOURCES.indexOf(codeSource)]++;

    // Times. End: the column, else start + duration. Answer (answered rows only): the column, else end − billsec.
    // With neither the answer stays unknown: taking the start would make an answer delay of 0, which the
    // analysis would read as a PDD and as a machine answering at once (the FAS short-pdd signal).
    if (end === NO_DATE && duration >= 0) end = start + duration * this.layout.durUnit;
    let answer: number | undefined;
    if (answered) {
      if (answerAt !== NO_DATE) answer = answerAt;
      else if (end !== NO_DATE && billsec >= 0) {
        answer = end - billsec * this.layout.billUnit;
        this.answerDerived++;
      } else this.answerUnknown++;
      if (end === NO_DATE && billsec >= 0 && answer !== undefined) end = answer + billsec * this.layout.billUnit;
    }
    // Times out of order (an end before the answer or the start): no negative or made-up talk time, and the
    // flag says why, as for a capture.
    let flags = (answer !== undefined && answer < start) || (end !== NO_DATE && end < start) ? CallFlag.TimeBackwards : 0;
    let talk: number | undefined;
    if (answered) {
      if (billsec >= 0) talk = billsec * this.layout.billUnit;
      else if (end !== NO_DATE && answer !== undefined) {
        if (end >= answer) talk = end - answer;
        else flags |= CallFlag.TimeBackwards;
      }
    }
    let pdd: number | undefined;
    const pddRaw = this.num(r, col.pdd);
    if (pddRaw >= 0) pdd = pddRaw * this.layout.pddUnit;
    else if (pddRaw <= BAD_NUM && this.pddRefused(r, col.pdd)) {
      // refused by the file's number convention: counted in the notes, and no PDD
    } else if (ring !== NO_DATE && ring >= start) pdd = ring - start;
    if (pdd !== undefined && pdd > MAX_PDD_MS) {
      this.pddImplausible++;
      if (pdd > this.pddImplausibleMax) this.pddImplausibleMax = pdd;
      pdd = undefined;
    }
    if (answered && answer === undefined && pdd !== undefined) this.answerUnknownPdd++;

    // Route: the vendor/trunk column, else the dstchannel peer. When both are there, the trunk peer the leg
    // dialled wins over a trunk column that names another trunk: some exports write the call's last
    // trunk on each of its failover legs (docs/cdr.md). `--map route=` keeps the column.
    let route = UNKNOWN_ROUTE;
    if (this.span(r, col.route)) {
      route = this.routes.get(v.b, v.s, v.e);
      if (this.peerBeatsTrunk && this.span(r, col.dstChannel)) {
        const ch = this.channels.get(v.b, v.s, channelCut(v.b, v.s, v.e));
        if (ch.peer && ch.route !== route && otherTrunk(route, ch.lower)) route = this.trunkDisagree(r, route, ch.route);
      }
    } else if (this.span(r, col.dstChannel)) route = this.channels.get(v.b, v.s, channelCut(v.b, v.s, v.e)).route;
    if (route === UNKNOWN_ROUTE) this.noRoute++;

    let callId: string | undefined = this.str(r, col.callId);
    for (let k = 0; callId === undefined && k < this.layout.callIdAlt.length; k++) callId = this.str(r, this.layout.callIdAlt[k]);
    if (callId === undefined) callId = `${this.fileTag}:${r.line}`;

    return {
      callId,
      route,
      caller: this.str(r, col.caller),
      callee: this.str(r, col.callee),
      start,
      ringing: ring === NO_DATE ? undefined : ring,
      answer,
      end: end === NO_DATE ? undefined : end,
      finalCode,
      finalReason: this.span(r, col.reason) ? this.reasons.get(this.v.b, this.v.s, this.v.e) : undefined,
      codeSource,
      q850: cause?.q850,
      pdd,
      duration: talk,
      // A CDR row does not record the provisionals: its answer (or end) time is no setup delay.
      provisionalsSeen: false,
      flags,
      disposition: disp?.text ?? cause?.text,
      source: { file: this.file, line: r.line },
    };
  }
}

/**
 * A trunk column value names another trunk than the channel's peer (`lower`, in lower case): case aside, and
 * a `TECH/` prefix on the column's value aside (`PJSIP/thinQ` names the peer `thinQ`).
 */
function otherTrunk(trunk: string, lower: string): boolean {
  const t = trunk.toLowerCase();
  return t !== lower && !(t.endsWith(lower) && t.charCodeAt(t.length - lower.length - 1) === 47 /* / */);
}

/** Field i holds a dot (a byte loop: fields are short, and only decimal-comma files ask). */
function hasDot(r: Row, i: number): boolean {
  let b = r.buf;
  let s = r.fs[i];
  let e = r.fe[i];
  if (r.fk[i] !== RAW) {
    const v = view(r, i, dotView);
    b = v.b;
    s = v.s;
    e = v.e;
  }
  for (let p = s; p < e; p++) if (b[p] === 46) return true;
  return false;
}
const dotView: FieldView = { b: Buffer.alloc(0), s: 0, e: 0 };

/** Empty or only blanks. */
function fieldIsBlank(r: Row, i: number): boolean {
  const b = r.buf;
  for (let p = r.fs[i]; p < r.fe[i]; p++) {
    const c = b[p];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return r.fk[i] !== 2;
}

/**
 * End of the `TECH/peer` part of a channel name: before `;n` (Local channels) and the last `-suffix`
 * (the channel's sequence number), e.g. `PJSIP/beta-00000012` → `PJSIP/beta`.
 */
export function channelCut(b: Uint8Array, s: number, e: number): number {
  // One pass: the first '/', the last ';' after it, and the last '-' before that ';'.
  let slash = -1;
  let dash = -1;
  let dashBeforeSemi = -1;
  let semi = -1;
  for (let p = s; p < e; p++) {
    const c = b[p];
    if (c === 45 /* - */) {
      if (slash >= 0 && p > slash + 1) dash = p;
    } else if (c === 47 /* / */) {
      if (slash < 0) slash = p;
    } else if (c === 59 /* ; */ && slash >= 0) {
      semi = p;
      dashBeforeSemi = dash;
    }
  }
  if (semi >= 0) return dashBeforeSemi >= 0 ? dashBeforeSemi : semi;
  if (dash >= 0) return dash;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 13)) e--;
  return e;
}

/** A digit other than 0: the number is over 0 whichever way its dots and commas are read. */
function hasNonZeroDigit(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) >= 49 && t.charCodeAt(i) <= 57) return true;
  return false;
}

/** `h:mm:ss`, `mm:ss` durations → seconds; BAD_NUM otherwise. */
function clockSeconds(t: string): number {
  const parts = t.trim().split(':');
  if (parts.length < 2 || parts.length > 3) return BAD_NUM;
  let sec = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return BAD_NUM;
    sec = sec * 60 + Number(p);
  }
  return sec;
}
