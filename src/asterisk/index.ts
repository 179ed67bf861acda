/**
 * Asterisk log reader: `/var/log/asterisk/full` and `messages` (plain, syslog-wrapped, journald, JSON logger
 * format, console excerpts) → CallRecords (from app_dial verbose lines and from SIP message dumps through
 * the SIP scanner and call tracker), SipMessages and SecurityEvents.
 *
 * Every line lands in one accounting bucket: used (it contributed to a record, a message or a security
 * event), ignored with a reason, or malformed with an anomaly name and its line number.
 * The hot path works on bytes: lines are classified by a few byte compares after the prefix; strings are
 * made only for the lines that matter.
 */
import {
  countAnomaly,
  countIgnored,
  newAccounting,
  type CallRecord,
  type InputAccounting,
  type RecordSink,
  type SourceOptions,
  type ContinuableSource,
} from '../types.js';
import { scanSipMessage, type MessageMeta, type ScanProblem } from '../sip/scanner.js';
import { CallTracker } from '../sip/tracker.js';
import { DEFAULT_MAX_LINE, LineSplitter } from './lines.js';
import {
  looksLikeBracketStamp,
  monthAt,
  newStamp,
  readBracketStamp,
  readIsoStamp,
  readSyslogStamp,
  offsetText,
  shiftText,
  stampAsUtc,
  zoneConverter,
  zoneShifts,
  type Stamp,
  type ZoneShift,
} from './time.js';
import { YearResolver } from './year.js';
import { judgeSeam, LOG_SEAM } from '../chain.js';
import { DialTracker, type Attempt, type Context, type DialOptions } from './dial.js';
import { startsWithBytes as startsWith } from '../sip/bytes.js';
import { CallLines, R_NOT_CALL, USED } from './call-lines.js';
import { ascii, str } from './strings.js';
import { i32le } from '../net/bytes.js';
import { matchSecurity, maybeSecurity } from './security.js';
import { DumpBuffer, LOCAL_SIDE, isDumpEndMarker, parseDumpHeader } from './dump.js';
import { DumpPairing } from './pairing.js';
import { LV_DEBUG, LV_DTMF, LV_NONE, LV_OTHER, LV_VERBOSE, afterPriSyslog, afterSyslogHeader, newPrefix, readLevel, type LinePrefix } from './prefix.js';

export { parseDialTarget, channelPeer } from './channel.js';
export { matchSecurity } from './security.js';


/** Ignore reasons. */
const R_BLANK = 'blank';
const R_COMMENT = 'comment';
const R_DEBUG = 'debug';
const R_SECURITY_INFO = 'security-informational';


const K_DUMP = ascii('<--- ');
const K_TRANSMITTING = ascii('Transmitting (');
const K_RELIABLY = ascii('Reliably Transmitting (');
/** How the JSON logger's objects begin (a JSON body inside a SIP dump does not end the dump). */
const K_JSON_HOSTNAME = ascii('{"hostname":');
const K_JSON_TIMESTAMP = ascii('{"timestamp":');



/** `C-0000012a` given as text (JSON logger lines) → 0x12a; -1 when it is not `C-` and exactly 8 lower-case hex digits. */
function markerValueOfText(t: string): number {
  return /^C-[0-9a-f]{8}$/.test(t) ? parseInt(t.slice(2), 16) : -1;
}

/** A thread id of 1 to 9 digits at b[s, e), without a leading zero (its text is its value) → its value; -1 otherwise. */
function threadValue(b: Uint8Array, s: number, e: number): number {
  if (e - s < 1 || e - s > 9 || (b[s] === 48 && e - s > 1)) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function threadValueOfText(t: string): number {
  return /^(?:0|[1-9][0-9]{0,8})$/.test(t) ? Number(t) : -1;
}

function isUpper(c: number | undefined): boolean {
  return c !== undefined && c >= 65 && c <= 90;
}

function isDigitByte(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

interface JsonLine {
  timestamp?: unknown;
  identifiers?: { lwp?: unknown; callid?: unknown };
  logmsg?: { level?: unknown; message?: unknown };
}

/**
 * Streaming reader for one Asterisk log. `file` names the input in positions; no file access here.
 */
export function createAsteriskLogSource(firstFile: string, sink: RecordSink, opts: SourceOptions = {}): ContinuableSource {
  /** The file being read, and its accounting: both change when a chain of rotated logs moves on (continueWith). */
  let file = firstFile;
  let acc: InputAccounting = newAccounting(file, 'asterisk-log', 'line');
  const toUtc = zoneConverter(opts.tz);
  /** The offset changes of an IANA `--tz` (undefined for UTC and fixed offsets: no stamp needs a look). */
  const shifts = zoneShifts(opts.tz);
  const years = new YearResolver(opts.year);
  /** The year whose local hours `shiftHours` flags (see zoneStamp). */
  let shiftYear = -1;
  let shiftHours: Uint8Array = new Uint8Array(0);
  /** The shift the last stamp looked at fell in (the next ones mostly do too). */
  let lastShift: ZoneShift | undefined;
  /**
   * The repeated span being read (its shift's instant) and the time given to its last stamp: the order of the
   * file (and of a chain of rotated files) tells its two passes apart.
   */
  let passAt = NaN;
  let passPrev = -Infinity;
  /** The local time of the last stamp counted in a shift's span (a stamp repeated on the next lines counts once). */
  let tallyLocal = NaN;
  /** Stamps of this file in a shift's span, per shift, for its notes. */
  let shiftTally: ShiftTally[] | undefined;

  // The last stamped line's stamp; `cur` is the scratch one (swapped on success, no copies).
  let last: Stamp = newStamp();
  let cur: Stamp = newStamp();
  let haveStamp = false;
  /** `stampGen` counts stamps taken; `lastTs` is the epoch of stamp number `tsGen`. */
  let stampGen = 0;
  let tsGen = -1;
  // NaN until the first stamped line: console excerpts with no stamps give undated records, not 1970.
  let lastTs = NaN;
  let unstampedLine = -1;
  /**
   * The last `[…]` stamp read on the fast path (the next line often repeats it exactly), as 32-bit words of its
   * bytes taken from its end (`stampWords[k]` = bytes [len - 4k - 4, len - 4k), little-endian) and the bytes
   * before the last whole word: compared a word at a time.
   */
  const stampWords = new Int32Array(10);
  const stampHead = new Uint8Array(3);
  let stampLen = 0;
  let unstampedUsed = 0;
  let jsonLines = 0;
  let plainLines = 0;
  let syslogLines = 0;
  let grepPrefixed = 0;
  let droppedDial = 0;
  let dialRecords = 0;
  /** Dumped calls left out for their Dial attempt (no final response in the dump), and a few of their Call-IDs. */
  let replacedDumps = 0;
  let replacedSamples: string[] | undefined;
  /** Dumped calls paired with no Dial attempt, per address (their route). */
  let unpairedByAddr: Map<string, number> | undefined;
  // Hot counters, added into `acc` at the end of every chunk (see sync()).
  let nRead = 0;
  let nUsed = 0;
  let nDebug = 0;
  let nNotCall = 0;

  // Per-line context (reused).
  let lineNo = 0;
  let lineOffset = 0;
  const pre: LinePrefix = newPrefix();
  let lineBuf: Uint8Array = new Uint8Array(0);
  /** JSON lines carry marker and thread id as strings. */
  let jsonMarker: string | undefined;
  let jsonTid: string | undefined;

  const cachedMarker = new Uint8Array(40);
  let cachedMarkerLen = -1;
  let cachedMarkerStr = '';
  /** Line whose marker `cachedMarkerStr` is (markers are asked for several times per line). */
  let markerLine = -1;

  // Records of calls both dumped and dialled meet here, one of each pair is counted (see pairing.ts).
  const pairing = new DumpPairing(
    {
      dialRecord(r: CallRecord) {
        dialRecords++;
        acc.records++;
        sink.record(r);
      },
      sipRecord(r: CallRecord) {
        acc.records++;
        sink.record(r);
      },
      dialLeftOut() {
        droppedDial++;
      },
      dumpReplaced(callId: string, attemptId: string) {
        replacedDumps++;
        const list = (replacedSamples ??= []);
        if (list.length < NOTE_SAMPLES) list.push(`${callId} → ${attemptId}`);
      },
      unpaired(addr: string) {
        const m = (unpairedByAddr ??= new Map());
        m.set(addr, (m.get(addr) ?? 0) + 1);
      },
    },
    opts.routeOf,
  );
  const tracker = new CallTracker({ record: (r: CallRecord) => pairing.sip(r) }, opts);

  const dialOpts: DialOptions = {
    file,
    ...(opts.routeOf ? { routeOf: opts.routeOf } : {}),
    emit(r: CallRecord, a: Attempt) {
      pairing.dial(r, a);
    },
    called(a: Attempt) {
      pairing.called(a);
    },
  };
  const dial = new DialTracker(dialOpts);

  const calls = new CallLines(dial, {
    ts: lineTs,
    line: () => lineNo,
    ctx,
    hasMarker: () => pre.mkS >= 0 || (jsonMarker !== undefined && jsonMarker !== ''),
  });

  const dump = new DumpBuffer();
  /** The call context key of the open dump's call marker (undefined when its header line has none). */
  let dumpKey: string | number | undefined;
  /** Lines after a finished dump that still belong to it (blank line, end marker). */
  let absorbAfterDump = 0;
  /** A stamped line with an empty message, waiting to see if a dump header follows (chan_sip). */
  let pendingEmpty = false;
  const problem: ScanProblem = {};

  // ─── time ────────────────────────────────────────────────────────────────────────────────────────
  function epochOf(s: Stamp): number {
    const local = stampAsUtc(s, years.yearOf(s));
    return Number.isNaN(s.zoneMin) ? toUtc(local) : local - s.zoneMin * 60_000;
  }

  /** Time of the last stamp taken (computed once per stamp, when a line first needs it). */
  function stampTs(): number {
    if (tsGen !== stampGen) {
      lastTs = epochOf(last);
      tsGen = stampGen;
    }
    return lastTs;
  }

  /** Time of the current line: its own stamp, else the last stamp seen (console excerpts: 0). */
  function lineTs(): number {
    if (!haveStamp) {
      if (unstampedLine !== lineNo) {
        unstampedLine = lineNo;
        unstampedUsed++;
      }
      return NaN;
    }
    return stampTs();
  }

  /**
   * A local stamp just taken, under an IANA `--tz`: one in a local hour that holds an offset change (looked up
   * from its fields, no time computed for the others) is given its time here, in the file's order. In the hour
   * the clock went back it is the earlier instant (the first pass) unless that is more than PASS_TOLERANCE_MS
   * before the previous stamp of that hour, which means the clock has gone back: then the later instant. A
   * time the clock skipped is read at the offset before the change, as the converter does.
   */
  function zoneStamp(): void {
    const s = last;
    const y = years.peekYear(s);
    if (y !== shiftYear) {
      shiftYear = y;
      shiftHours = shifts!.hours(y);
    }
    if (shiftHours[(s.month * 32 + s.day) * 24 + s.hour] === 0) return;
    const local = stampAsUtc(s, years.yearOf(s));
    let sh = lastShift;
    if (sh === undefined || local < sh.start || local >= sh.end) {
      sh = shifts!.shiftAt(local);
      if (sh === undefined) return;
      lastShift = sh;
    }
    let ts = local - sh.before;
    let second = false;
    if (sh.before > sh.after) {
      if (sh.at !== passAt) {
        passAt = sh.at;
        passPrev = -Infinity;
      }
      if (ts < passPrev - PASS_TOLERANCE_MS) {
        ts = local - sh.after;
        second = true;
      }
      passPrev = ts;
    }
    lastTs = ts;
    tsGen = stampGen;
    if (local === tallyLocal) return;
    tallyLocal = local;
    tallyShift(sh, second);
  }

  function tallyShift(sh: ZoneShift, second: boolean): void {
    const list = (shiftTally ??= []);
    let t: ShiftTally | undefined;
    for (const x of list) if (x.shift.at === sh.at) t = x;
    if (t === undefined) {
      t = { shift: sh, first: 0, second: 0 };
      list.push(t);
    }
    if (second) t.second++;
    else t.first++;
  }

  // ─── helpers ─────────────────────────────────────────────────────────────────────────────────────
  /** The call marker of the line (`C-0000012a`), '' when none; the last one is cached (lines of one call cluster). */
  function markerStr(): string {
    if (jsonMarker !== undefined) return jsonMarker;
    if (pre.mkS < 0) return '';
    if (markerLine === lineNo) return cachedMarkerStr;
    markerLine = lineNo;
    const n = pre.mkE - pre.mkS;
    if (n === cachedMarkerLen && n <= cachedMarker.length) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (lineBuf[pre.mkS + i] !== cachedMarker[i]) {
          same = false;
          break;
        }
      }
      if (same) return cachedMarkerStr;
    }
    cachedMarkerStr = str(lineBuf, pre.mkS, pre.mkE);
    cachedMarkerLen = n;
    if (n <= cachedMarker.length) for (let i = 0; i < n; i++) cachedMarker[i] = lineBuf[pre.mkS + i]!;
    return cachedMarkerStr;
  }

  /**
   * The key of the line's call context: its marker, else its thread, else the one console context. A marker
   * of Asterisk's own form (`C-` and 8 lower-case hex digits) is the number it spells and a thread id of up
   * to 9 digits is minus one minus its value: no string per line, and a Map of small numbers. Other forms
   * keep their text (`T` + thread id for threads), so no two different markers or threads share a key.
   */
  function contextKey(): string | number {
    if (jsonMarker !== undefined) {
      if (jsonMarker !== '') {
        const v = markerValueOfText(jsonMarker);
        return v >= 0 ? v : jsonMarker;
      }
      if (jsonTid !== undefined) {
        const t = threadValueOfText(jsonTid);
        return t >= 0 ? -1 - t : `T${jsonTid}`;
      }
      return 'console';
    }
    if (pre.mkS >= 0) return pre.mkV >= 0 ? pre.mkV : markerStr();
    if (pre.tidS >= 0) {
      const t = threadValue(lineBuf, pre.tidS, pre.tidE);
      return t >= 0 ? -1 - t : `T${str(lineBuf, pre.tidS, pre.tidE)}`;
    }
    return 'console';
  }

  function ctx(create: boolean): Context | undefined {
    const key = contextKey();
    if (!create) return dial.context(key);
    const now = lineTs();
    return dial.context(key) ?? dial.createContext(key, markerStr(), now);
  }

  // ─── dumps ───────────────────────────────────────────────────────────────────────────────────────
  /** Scans the collected dump; returns true when it gave a SIP message. `countLines`: plain-line accounting. */
  function finishDump(countLines: boolean): boolean {
    const h = dump.header!;
    let ok = false;
    let anomaly = 'sip-dump-too-long';
    if (!dump.tooBig) {
      const { buf, len } = dump.message();
      const meta: MessageMeta = {
        ts: dump.ts,
        src: h.incoming ? h.addr : LOCAL_SIDE,
        srcPort: h.incoming ? h.port : 0,
        dst: h.incoming ? LOCAL_SIDE : h.addr,
        dstPort: h.incoming ? 0 : h.port,
        transport: h.transport,
        position: { file, line: dump.line, offset: dump.offset },
      };
      problem.anomaly = undefined;
      const m = scanSipMessage(buf, 0, len, meta, opts.keepRaw, problem);
      if (m !== null && m.malformed === undefined) {
        ok = true;
        acc.sipMessages++;
        sink.message?.(m);
        if (!h.incoming && m.isRequest && m.method === 'INVITE' && m.toTag === undefined) {
          const c = dumpKey !== undefined ? dial.context(dumpKey) : undefined;
          pairing.invite(m.callId, m.ts, m.requestUri, m.toUser, dump.marker, c?.group?.open ? c.group.attempts : undefined);
        }
        tracker.add(m);
      } else if (m !== null) {
        // No Call-ID or CSeq: no call can be made of it (and a Dial attempt must not give way to it). A dump
        // cut short (the next log line came first) says so; a whole message without them is named as it is.
        anomaly = dump.cutShort ? 'sip-truncated' : m.malformed!;
      } else {
        anomaly = problem.anomaly ?? 'bad-sip-dump';
      }
    }
    if (countLines) {
      const n = dump.lines;
      if (ok) acc.used += n;
      else for (let i = 0; i < n; i++) countAnomaly(acc, anomaly, { file, line: dump.line + i }, i === 0 ? dumpProblem(anomaly) : undefined);
    }
    dump.reset();
    absorbAfterDump = h.oldStyle ? 0 : 2;
    return ok;
  }

  function beginDump(text: string, lineForDump: number, offset: number): boolean {
    const h = parseDumpHeader(text);
    if (h === undefined) return false;
    const marker = markerStr();
    dump.begin(h, lineTs(), marker, lineForDump, offset);
    dumpKey = marker !== '' ? contextKey() : undefined;
    return true;
  }

  // ─── message classification ──────────────────────────────────────────────────────────────────────
  /** Classifies the message text b[p, e) of the current line; returns USED or an ignore reason. */
  function classify(b: Uint8Array, p: number, e: number): string {
    // Skip the verbose decorations: spaces, `-- `, `== `, `> `, and a quote (FreePBX NoOp/Log text).
    while (p < e && (b[p] === 32 || b[p] === 9)) p++;
    if (p + 2 < e && ((b[p] === 45 && b[p + 1] === 45) || (b[p] === 61 && b[p + 1] === 61)) && b[p + 2] === 32) p += 3;
    else if (p + 1 < e && b[p] === 62 && b[p + 1] === 32) p += 2;
    while (p < e && b[p] === 32) p++;
    if (p < e && b[p] === 34) p++;
    if (p >= e) return R_BLANK;
    const c = b[p]!;
    if (c === 60 ? startsWith(b, p, e, K_DUMP) : c === 84 ? startsWith(b, p, e, K_TRANSMITTING) : c === 82 && startsWith(b, p, e, K_RELIABLY)) {
      return beginDump(str(b, p, e), lineNo, lineOffset) ? 'dump' : R_NOT_CALL;
    }
    const v = calls.read(b, p, e);
    if (v !== undefined) return v;
    if (pre.level === LV_VERBOSE || pre.level === LV_DTMF || !maybeSecurity(b, p, e)) return R_NOT_CALL;
    return onSecurity(b, p, e);
  }


  function onSecurity(b: Uint8Array, p: number, e: number): string {
    const msg = str(b, p, e);
    const m = matchSecurity(msg);
    if (m === undefined) return R_NOT_CALL;
    if (m === null) return R_SECURITY_INFO;
    years.eventTv(msg);
    const ev: Parameters<NonNullable<RecordSink['security']>>[0] = {
      ts: lineTs(),
      address: m.address,
      kind: m.kind,
      detail: m.detail,
      position: { file, line: lineNo },
    };
    if (m.user !== undefined) ev.user = m.user;
    if (m.target !== undefined) ev.target = m.target;
    if (m.userAgent !== undefined) ev.userAgent = m.userAgent;
    sink.security?.(ev);
    return USED;
  }

  // ─── line prefix ─────────────────────────────────────────────────────────────────────────────────
  /** Processes a line body (after any syslog wrapper): `[stamp] LEVEL[…] file: message` or a bare message. */
  function body(b: Uint8Array, p: number, e: number, stamped: boolean): string {
    if (b[p] === 91 && looksLikeBracketStamp(b, p, e)) {
      const q = readBracketStamp(b, p, e, cur);
      if (q < 0) return 'bad-timestamp';
      takeStamp();
      stamped = true;
      p = q;
      while (p < e && b[p] === 32) p++;
    }
    return afterStamp(b, p, e, stamped);
  }

  /** The rest of a line after its stamp (or the whole body when it has none). */
  function afterStamp(b: Uint8Array, p: number, e: number, stamped: boolean): string {
    const m = readLevel(b, p, e, pre);
    if (pre.level === LV_DEBUG) return R_DEBUG;
    if (stamped && m >= e && pre.level !== LV_NONE) {
      pendingEmpty = true;
      return 'pending';
    }
    return classify(b, m, e);
  }

  function takeStamp(): void {
    const t = last;
    last = cur;
    cur = t;
    haveStamp = true;
    stampGen++;
    stampLen = 0;
    years.fullDate(last);
    if (shifts !== undefined && last.zoneMin !== last.zoneMin) zoneStamp();
    if (held !== undefined) chainMeets(stampTs());
  }

  /** Is b[s…] the same `[…]` stamp as the last one read on the fast path? Returns its end, or -1. */
  function repeatedStamp(b: Uint8Array, s: number, e: number): number {
    const n = stampLen;
    if (n === 0 || s + n > e) return -1;
    // From the end (the seconds change first), four bytes a step.
    let i = s + n - 4;
    for (let k = 0; i >= s; i -= 4, k++) {
      if (i32le(b, i) !== stampWords[k]) return -1;
    }
    for (let j = i + 3; j >= s; j--) if (b[j] !== stampHead[j - s]) return -1;
    return s + n;
  }

  function onLine(b: Uint8Array, s: number, e: number, n: number, offset: number, tooLong: boolean): void {
    nRead++;
    if (n === 1 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) s += 3; // UTF-8 BOM
    // Fast path for the bulk of a `full` log: `[stamp] DEBUG[…` lines are validated and counted, nothing more.
    if (b[s] === 91 && !tooLong && !dump.active && absorbAfterDump === 0 && !pendingEmpty) {
      let q = repeatedStamp(b, s, e);
      if (q < 0) {
        q = readBracketStamp(b, s, e, cur);
        if (q > 0) {
          takeStamp();
          if (q - s <= 4 * stampWords.length) {
            let i = q - 4;
            for (let k = 0; i >= s; i -= 4, k++) stampWords[k] = i32le(b, i);
            for (let j = i + 3; j >= s; j--) stampHead[j - s] = b[j]!;
            stampLen = q - s;
          }
        }
      }
      if (q > 0) {
        const p = b[q] === 32 ? q + 1 : q;
        if (b[p] === 68 && b[p + 1] === 69 && b[p + 2] === 66 && b[p + 3] === 85 && b[p + 4] === 71 && b[p + 5] === 91) {
          nDebug++;
          plainLines++;
          return;
        }
        lineNo = n;
        lineOffset = offset;
        lineBuf = b;
        jsonMarker = jsonTid = undefined;
        plainLines++;
        const v = afterStamp(b, p, e, true);
        if (v === 'pending') return;
        if (v !== 'dump') count(v);
        return;
      }
    }
    lineNo = n;
    lineOffset = offset;
    lineBuf = b;
    jsonMarker = jsonTid = undefined;
    if (tooLong) {
      if (dump.active) finishDump(true);
      absorbAfterDump = 0;
      flushPendingEmpty(false);
      countAnomaly(acc, 'line-too-long', { file, line: n, offset });
      return;
    }
    if (dump.active) {
      if (!startsNewEntry(b, s, e)) {
        if (isDumpEndMarker(b, s, e) || (dump.header!.oldStyle && e - s === 3 && b[s] === 45 && b[s + 1] === 45 && b[s + 2] === 45)) {
          dump.lines++;
          finishDump(true);
          absorbAfterDump = 0;
          return;
        }
        if (dump.add(b, s, e)) finishDump(true);
        return;
      }
      finishDump(true);
      absorbAfterDump = 0;
    }
    if (absorbAfterDump > 0) {
      if (s === e) {
        absorbAfterDump--;
        acc.used++;
        return;
      }
      absorbAfterDump = 0;
      if (isDumpEndMarker(b, s, e)) {
        acc.used++;
        return;
      }
    }
    if (s === e) {
      flushPendingEmpty(false);
      countIgnored(acc, R_BLANK);
      return;
    }
    const hadPending = pendingEmpty;
    pendingEmpty = false;
    const v = plainLine(b, s, e);
    if (hadPending) {
      if (v === 'dump') acc.used++;
      else countIgnored(acc, 'empty-message');
    }
    if (v === 'dump' || v === 'pending') return; // a dump is counted when it ends; a pending line by the next one
    count(v);
  }

  /** The empty-message line before a chan_sip dump header belongs to the dump. */
  function flushPendingEmpty(partOfDump: boolean): void {
    if (!pendingEmpty) return;
    pendingEmpty = false;
    if (partOfDump) acc.used++;
    else countIgnored(acc, 'empty-message');
  }

  function count(v: string): void {
    if (v === USED) nUsed++;
    else if (v === R_DEBUG) nDebug++;
    else if (v === R_NOT_CALL) nNotCall++;
    else if (v === 'bad-timestamp' || v === 'bad-json' || v === 'bad-syslog') countAnomaly(acc, v, { file, line: lineNo, offset: lineOffset });
    else countIgnored(acc, v);
  }

  /** Does this line start a new log entry (which ends an open dump)? */
  function startsNewEntry(b: Uint8Array, s: number, e: number): boolean {
    const c = b[s];
    if (c === 91) return looksLikeBracketStamp(b, s, e);
    if (c === 123) return startsWith(b, s, e, K_JSON_HOSTNAME) || startsWith(b, s, e, K_JSON_TIMESTAMP);
    if (c === 60) {
      if (startsWith(b, s, e, K_DUMP)) return true;
      // `<PRI>` of a syslog line: 1 to 3 digits then `>`
      let q = s + 1;
      while (q < e && q < s + 4 && isDigitByte(b[q])) q++;
      return q > s + 1 && b[q] === 62;
    }
    if (isUpper(c) && monthAt(b, s) !== 0 && b[s + 3] === 32 && isDigitByte(b[s + 7] === 58 ? b[s + 6] : b[s + 5])) {
      // `Nov 14 22:13:20 host …` (a SIP header line never starts with a month name and a space)
      return readSyslogStamp(b, s, e, newStamp()) > 0;
    }
    return false;
  }

  /** One line outside a dump: prefix forms, then the body. Returns USED, 'dump', 'pending', a reason or an anomaly. */
  function plainLine(b: Uint8Array, s: number, e: number): string {
    const c = b[s]!;
    if (c === 91) {
      plainLines++;
      return body(b, s, e, false);
    }
    if (c === 35) return R_COMMENT;
    if (c === 123) return jsonLine(b, s, e);
    if (c === 60 && isDigitByte(b[s + 1])) {
      const r = afterPriSyslog(b, s, e, cur);
      if (r < 0) return 'bad-syslog';
      takeStamp();
      syslogLines++;
      return body(b, r, e, true);
    }
    if (isUpper(c) && monthAt(b, s) !== 0) {
      const q = readSyslogStamp(b, s, e, cur);
      if (q > 0) {
        takeStamp();
        const r = afterSyslogHeader(b, q, e);
        if (r < 0) return classify(b, q, e);
        syslogLines++;
        return body(b, r, e, true);
      }
    }
    if (isDigitByte(c)) {
      const q = readIsoStamp(b, s, e, cur);
      if (q > 0) {
        takeStamp();
        const r = afterSyslogHeader(b, q, e);
        if (r >= 0) {
          syslogLines++;
          return body(b, r, e, true);
        }
        // A log of another program with an ISO stamp (FreeSWITCH): only security lines could matter.
        pre.level = LV_OTHER;
        return R_NOT_CALL;
      }
    }
    // `grep -H` output: `messages-20150513:[May 12 14:59:23] VERBOSE…`
    if (c !== 32 && c !== 9) {
      const lim = Math.min(e, s + 256);
      for (let i = s; i + 1 < lim; i++) {
        if (b[i] === 32) break;
        if (b[i] === 58 && b[i + 1] === 91 && looksLikeBracketStamp(b, i + 1, e)) {
          grepPrefixed++;
          plainLines++;
          return body(b, i + 1, e, false);
        }
      }
    }
    // No stamp: journald (`NOTICE[566]: chan_sip.c…`), console excerpt (`    -- Called …`), dump header.
    return body(b, s, e, false);
  }

  function jsonLine(b: Uint8Array, s: number, e: number): string {
    let o: JsonLine;
    try {
      o = JSON.parse(str(b, s, e)) as JsonLine;
    } catch {
      return 'bad-json';
    }
    if (o === null || typeof o !== 'object' || typeof o.logmsg !== 'object' || o.logmsg === null) return 'bad-json';
    jsonLines++;
    const tsText = typeof o.timestamp === 'string' ? o.timestamp : '';
    if (tsText !== '') {
      const tb = Buffer.from(tsText, 'latin1');
      const q = isDigitByte(tb[0]) ? readIsoStamp(tb, 0, tb.length, cur) : readSyslogStamp(tb, 0, tb.length, cur);
      if (q < 0) return 'bad-timestamp';
      takeStamp();
    }
    const lv = typeof o.logmsg.level === 'string' ? o.logmsg.level : '';
    pre.level = lv === 'DEBUG' ? LV_DEBUG : lv === 'VERBOSE' ? LV_VERBOSE : lv === 'DTMF' ? LV_DTMF : lv === '' ? LV_NONE : LV_OTHER;
    if (pre.level === LV_DEBUG) return R_DEBUG;
    const callid = typeof o.identifiers?.callid === 'string' ? o.identifiers.callid : '';
    jsonMarker = callid.startsWith('[') && callid.endsWith(']') ? callid.slice(1, -1) : callid;
    const lwp = o.identifiers?.lwp;
    jsonTid = typeof lwp === 'number' || typeof lwp === 'string' ? String(lwp) : undefined;
    pre.tidS = pre.tidE = pre.mkS = pre.mkE = pre.mkV = -1;
    const message = typeof o.logmsg.message === 'string' ? o.logmsg.message : '';
    const mb = Buffer.from(message, 'utf8');
    // A message may hold several lines (a SIP dump): the first classified line decides, a dump inside the
    // message is collected and scanned here.
    let verdict = R_BLANK;
    let p = 0;
    while (p <= mb.length) {
      let nl = mb.indexOf(10, p);
      if (nl < 0) nl = mb.length;
      let le = nl;
      if (le > p && mb[le - 1] === 13) le--;
      if (dump.active) {
        if (isDumpEndMarker(mb, p, le)) {
          dump.lines++;
          if (finishDump(false)) verdict = USED;
        } else if (dump.add(mb, p, le)) {
          if (finishDump(false)) verdict = USED;
        }
      } else if (le > p && !isDumpEndMarker(mb, p, le)) {
        const v = classify(mb, p, le);
        if (v === 'dump' || v === USED) verdict = v === 'dump' ? verdict : USED;
        else if (verdict === R_BLANK) verdict = v;
      }
      p = nl + 1;
    }
    if (dump.active && finishDump(false)) verdict = USED;
    absorbAfterDump = 0;
    return verdict;
  }

  // A bug met on one line costs that line (named, see internalError), not the rest of the chunk.
  let splitter = new LineSplitter(onLine, DEFAULT_MAX_LINE, internalError);

  function sync(): void {
    acc.read += nRead;
    acc.used += nUsed;
    if (nDebug > 0) {
      acc.ignored += nDebug;
      acc.ignoredBy[R_DEBUG] = (acc.ignoredBy[R_DEBUG] ?? 0) + nDebug;
    }
    if (nNotCall > 0) {
      acc.ignored += nNotCall;
      acc.ignoredBy[R_NOT_CALL] = (acc.ignoredBy[R_NOT_CALL] ?? 0) + nNotCall;
    }
    nRead = nUsed = nDebug = nNotCall = 0;
  }

  /** A bug met while reading must not take the run down: it is named, and the line totals stay consistent. */
  function internalError(err: unknown): void {
    sync();
    countAnomaly(acc, 'internal-error', { file, line: lineNo }, err instanceof Error ? err.message : String(err));
    const diff = acc.read - (acc.used + acc.ignored + acc.malformed);
    if (diff > 0) {
      acc.malformed += diff;
      acc.anomalies['internal-error'] = (acc.anomalies['internal-error'] ?? 0) + diff;
    } else if (diff < 0) {
      acc.read -= diff;
    }
  }

  /** The counts behind a file's notes (see fileNotes). */
  function counts(): FileCounts {
    return { unstampedUsed, jsonLines, plainLines, syslogLines, grepPrefixed, droppedDial, dialRecords, replacedDumps, replacedSamples, unpairedByAddr, shiftTally };
  }
  function setCounts(c: FileCounts): void {
    ({ unstampedUsed, jsonLines, plainLines, syslogLines, grepPrefixed, droppedDial, dialRecords, replacedDumps, replacedSamples, unpairedByAddr, shiftTally } = c);
  }

  /** The end of a file's lines (a last line without LF, an open dump); its calls stay open. */
  function closeLines(): void {
    try {
      splitter.end();
      if (dump.active) finishDump(true);
      flushPendingEmpty(false);
      sync();
    } catch (err) {
      internalError(err);
    }
  }

  /** Closes every call still open: attempts and dialogs that saw no end become Unfinished records. */
  function closeCalls(): void {
    try {
      dial.finish();
      tracker.end();
      pairing.end();
      sync();
    } catch (err) {
      internalError(err);
    }
  }

  /** `yearNotes`: the year notes of the file (taken when it ended). */
  function fileNotes(a: InputAccounting, c: FileCounts, yearNotes: string[]): void {
    if (c.jsonLines > c.plainLines) a.format = 'asterisk-json-log';
    const notes = a.notes;
    notes.push(...yearNotes);
    if (opts.tz !== undefined && opts.tz !== '') notes.push(`timestamps read as local time in ${opts.tz}`);
    if (c.shiftTally !== undefined) for (const t of c.shiftTally) notes.push(shiftNote(opts.tz!, t));
    if (c.unstampedUsed > 0) {
      const one = c.unstampedUsed === 1;
      notes.push(`${counted(c.unstampedUsed, 'call line')} had no timestamp (console output): ${one ? 'its time is that' : 'their times are those'} of the previous stamped line, or none (undated) before the first one`);
    }
    if (c.syslogLines > 0) notes.push(`${counted(c.syslogLines, 'line')} unwrapped from a syslog prefix`);
    if (c.grepPrefixed > 0) notes.push(`${counted(c.grepPrefixed, 'line')} carried a grep file-name prefix`);
    if (c.dialRecords > 0) notes.push(`codeSource: ${counted(c.dialRecords, 'call attempt')} from Dial lines (exact SIP code where a "Got SIP response" line was seen, else inferred from the Dial outcome)`);
    if (c.droppedDial > 0) {
      const one = c.droppedDial === 1;
      notes.push(`${counted(c.droppedDial, 'Dial attempt')} left out: the same ${one ? 'call was read from a SIP message dump' : 'calls were read from SIP message dumps'}`);
    }
    if (c.replacedDumps > 0) {
      const n = c.replacedDumps;
      const more = n > c.replacedSamples!.length ? ', …' : '';
      notes.push(
        `${n} dumped call${n === 1 ? '' : 's'} had no final response in the dump: the outcome of ${n === 1 ? 'its' : 'their'} Dial attempt${n === 1 ? '' : 's'} counts instead (Call-ID → attempt: ${c.replacedSamples!.join(', ')}${more})`,
      );
    }
    if (c.unpairedByAddr !== undefined) notes.push(unpairedNote(c.unpairedByAddr));
  }

  /**
   * The file before in a chain, its notes held until the next file's first time stamp tells whether the calls
   * it left open go on there.
   */
  let held: { acc: InputAccounting; counts: FileCounts; yearNotes: string[]; endTs: number } | undefined;

  /**
   * The next file's first stamp `ts` (NaN: it has none): the chain holds when it follows the last one closely
   * enough, or when one of the two has no time stamp to check (console output: nothing says otherwise).
   */
  function chainMeets(ts: number): void {
    const h = held!;
    held = undefined;
    const seam = judgeSeam(h.endTs, ts, file, LOG_SEAM);
    if (!seam.holds) {
      // Not the file that followed (a copy missing between them, or another day): the calls left open end
      // where the file before ended, counted there.
      const own = acc;
      const c = counts();
      acc = h.acc;
      setCounts(h.counts);
      closeCalls();
      h.counts = counts();
      acc = own;
      setCounts(c);
    }
    h.acc.notes.push(seam.note);
    fileNotes(h.acc, h.counts, h.yearNotes);
  }

  return {
    get accounting(): InputAccounting {
      return acc;
    },
    push(chunk: Uint8Array): void {
      acc.bytes += chunk.length;
      try {
        splitter.push(chunk);
        sync();
      } catch (err) {
        internalError(err);
      }
    },
    continueWith(next: string): void {
      closeLines();
      if (held !== undefined) chainMeets(NaN);
      const endTs = haveStamp ? lineTs() : NaN;
      // The year counts are the file's own: the next file's first stamp (read before these notes are written,
      // to judge the seam) counts for the next file, and takes its year from this one.
      held = { acc, counts: counts(), yearNotes: years.takeNotes(), endTs };
      years.nextFile();
      setCounts(NO_COUNTS);
      file = next;
      dialOpts.file = next;
      acc = newAccounting(file, 'asterisk-log', 'line');
      splitter = new LineSplitter(onLine, DEFAULT_MAX_LINE, internalError);
      lineNo = 0;
      markerLine = -1;
      // The order of stamps goes on across the seam (passAt, passPrev); their counts are the next file's.
      tallyLocal = NaN;
    },
    end(): void {
      closeLines();
      if (held !== undefined) chainMeets(NaN);
      closeCalls();
      fileNotes(acc, counts(), years.takeNotes());
    },
  };
}

interface FileCounts {
  unstampedUsed: number;
  jsonLines: number;
  plainLines: number;
  syslogLines: number;
  grepPrefixed: number;
  droppedDial: number;
  dialRecords: number;
  replacedDumps: number;
  replacedSamples: string[] | undefined;
  unpairedByAddr: Map<string, number> | undefined;
  shiftTally: ShiftTally[] | undefined;
}
const NO_COUNTS: FileCounts = {
  unstampedUsed: 0,
  jsonLines: 0,
  plainLines: 0,
  syslogLines: 0,
  grepPrefixed: 0,
  droppedDial: 0,
  dialRecords: 0,
  replacedDumps: 0,
  replacedSamples: undefined,
  unpairedByAddr: undefined,
  shiftTally: undefined,
};

/** Call-IDs or addresses a note names at most. */
const NOTE_SAMPLES = 3;

/** The note on dumped calls paired with no Dial attempt: the addresses that became route names. */
function unpairedNote(byAddr: Map<string, number>): string {
  let n = 0;
  for (const k of byAddr.values()) n += k;
  const list = [...byAddr].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = list.slice(0, NOTE_SAMPLES).map(([addr, k]) => `${addr} (${k})`).join(', ');
  const more = list.length > NOTE_SAMPLES ? ` and ${list.length - NOTE_SAMPLES} more` : '';
  const one = n === 1;
  return `${counted(n, 'dumped call')} matched no Dial attempt and ${one ? 'keeps the address it was' : 'keep the address they were'} sent to as route: ${shown}${more} (Dial attempts name their route by peer; --routes can map an address to that name)`;
}

/** `1 line`, `2 lines`: a count with its noun, for notes. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The detail of a dump's first line that could not be read. */
function dumpProblem(anomaly: string): string {
  if (anomaly === 'sip-truncated') return 'SIP message dump cut short: the next log line, or the end of the input, came before the end of the message';
  if (anomaly === 'sip-missing-call-id') return 'SIP message dump without a Call-ID';
  if (anomaly === 'sip-bad-cseq') return 'SIP message dump without a valid CSeq';
  return 'SIP message dump could not be read';
}

/**
 * How far a stamp of the hour the clock went back may lie before the previous one and still be read as the
 * first pass: logs are almost in order (threads write a few ms out of order, and second stamps truncate), while
 * the second pass reads at least some minutes, mostly most of an hour, before the first pass's last stamp.
 */
const PASS_TOLERANCE_MS = 5_000;

/** Distinct stamps of one file in one shift's local span: read as its first pass (or a skipped time) or as its second. */
interface ShiftTally {
  shift: ZoneShift;
  first: number;
  second: number;
}

function shiftNote(tz: string, t: ShiftTally): string {
  const s = t.shift;
  const n = t.first + t.second;
  const stamps = `${n} time stamp${n === 1 ? '' : 's'}`;
  if (s.before > s.after) {
    return `${stamps} fell in ${shiftText(tz, s)}: read in the log's order, ${t.first} as the first pass (${offsetText(s.before)}) and ${t.second} as the second (${offsetText(s.after)}, after the clock went back)`;
  }
  return `${stamps} fell in ${shiftText(tz, s)}, local times that do not exist there: read at ${offsetText(s.before)}, the offset before the change (a clock step, or a log not written in that zone: check --tz)`;
}


/**
 * Sniffs the first ≤ 64 KiB (decompressed) of an input: true when it reads as an Asterisk log (any of the
 * supported forms).
 */
export function isAsteriskLog(head: Uint8Array): boolean {
  const b = Buffer.from(head.buffer, head.byteOffset, head.length);
  for (const marker of HEAD_MARKERS) {
    // A log's marker sits near the start of its line (after a stamp, a level and perhaps a syslog
    // prefix); the same words deep inside a long line are text about a log (a TSV, a README).
    for (let at = b.indexOf(marker); at >= 0; at = b.indexOf(marker, at + 1)) {
      const lineStart = at === 0 ? 0 : b.lastIndexOf(0x0a, at - 1) + 1;
      if (at - lineStart <= MARKER_MAX_COLUMN) return true;
    }
  }
  return false;
}

/** How far into its line a marker may start (syslog prefix + stamp + level + thread + call marker + file). */
const MARKER_MAX_COLUMN = 200;

const HEAD_MARKERS = [
  '] VERBOSE[',
  '] NOTICE[',
  '] WARNING[',
  '] ERROR[',
  '] DEBUG[',
  '] SECURITY[',
  '] DTMF[',
  ' asterisk[',
  '"logmsg":{',
  '-- Executing [',
  '-- Called ',
  'Everyone is busy/congested',
  '<--- SIP read from ',
  '<--- Received SIP ',
  '<--- Transmitting SIP ',
  'res_security_log.c',
].map((s) => Buffer.from(s, 'latin1'));
