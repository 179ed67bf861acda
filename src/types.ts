/**
 * The types that flow through the pipeline:
 *
 *   bytes ─► source parser ─► SipMessage (captures, log dumps) ─► call tracker ─► CallRecord
 *   bytes ─► source parser (Asterisk Dial lines, CDR rows) ───────────────────────► CallRecord
 *   CallRecord ─► Aggregator (mergeable) ─► AnalysisResult ─► renderers
 *
 * Times are milliseconds since the Unix epoch (UTC) as plain numbers; fractions carry
 * sub-millisecond capture precision. Durations are milliseconds too, unless named `...Sec`.
 */

/** Where in an input a unit (packet, line, row) was found: for messages and errors. */
export interface Position {
  file: string;
  /** 1-based packet number (captures). */
  packet?: number;
  /** 1-based line number (logs, CSV). */
  line?: number;
  /** Byte offset in the (decompressed) input. */
  offset?: number;
}

/** A malformed unit, kept as an example (the counts are in `InputAccounting.anomalies`). */
export interface AnomalySample {
  /** Stable name, e.g. `truncated-packet`, `bad-ip-length`, `csv-unclosed-quote`. */
  name: string;
  position: Position;
  detail?: string;
}

export type InputFormat =
  | 'pcap'
  | 'pcapng'
  | 'asterisk-log'
  | 'asterisk-json-log'
  | 'cdr-csv'
  | 'unknown';

/**
 * Accounting of one input. Invariant: `read === used + ignored + malformed`, and
 * `malformed === sum(anomalies)`, `ignored === sum(ignoredBy)`. Nothing is dropped silently.
 */
export interface InputAccounting {
  file: string;
  format: InputFormat;
  /** What `read` counts. */
  unit: 'packet' | 'line' | 'row';
  /** Compressed input (gzip) was decompressed transparently. */
  compressed?: 'gzip' | 'zstd';
  bytes: number;
  read: number;
  used: number;
  ignored: number;
  malformed: number;
  /** Why units were ignored: `not-sip`, `rtp`, `header`, `comment`, `blank`, `no-call-info`, ... */
  ignoredBy: Record<string, number>;
  /** Malformed units by anomaly name. */
  anomalies: Record<string, number>;
  /** The first few malformed units with their positions (a limit keeps this small). */
  samples: AnomalySample[];
  /** SIP messages found (captures and log dumps). */
  sipMessages: number;
  /** Call records produced from this input. */
  records: number;
  /** Format-specific facts worth telling the user (e.g. `yearInferredFrom`, `codeSource`). */
  notes: string[];
  /**
   * Named oddities inside units that were still used (e.g. `sip-junk-before-message` in a TCP segment
   * that also carried a good message, `sip-truncated-stream` at the end of a TCP flow). Informational:
   * not part of the read/used/ignored/malformed invariant.
   */
  warnings?: Record<string, number>;
  /**
   * Set when the input could not be read at all (unrecognised format, no such file) or stopped being
   * readable part-way (corrupt or truncated compressed data): the units counted above are what was read.
   */
  error?: string;
  /** Set when a file found under a folder or by a glob is of no known format and was skipped (not an error). */
  skipped?: string;
  /**
   * What the user must hear of though the input was read (said on stderr, one line each; also in `notes`): a
   * `--map` this input could not honour, or a fact found part-way that makes values read before it wrong (a CDR
   * whose day order a later date proves to be m/d/Y).
   */
  alerts?: string[];
}

export type Transport = 'udp' | 'tcp' | 'tls' | 'sctp' | 'ws' | 'log';

/** Only the parts of SDP that the analysis and post-mortems use. */
export interface SdpSummary {
  /** c= connection address of the (first) audio stream. */
  addr?: string;
  /** m=audio port. */
  port?: number;
  /** Codec names from a=rtpmap, or payload type numbers as strings when no rtpmap. */
  codecs: string[];
}

/** One SIP message, from a capture or a log dump. Strings are made only for these fields. */
export interface SipMessage {
  ts: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  transport: Transport;
  isRequest: boolean;
  /** Request method (requests). */
  method?: string;
  requestUri?: string;
  /** Status code and reason phrase exactly as on the wire (responses). */
  status?: number;
  reason?: string;
  callId: string;
  cseq: number;
  cseqMethod: string;
  fromUser?: string;
  fromDisplay?: string;
  fromTag?: string;
  toUser?: string;
  toTag?: string;
  viaBranch?: string;
  contact?: string;
  /** Q.850 cause from a Reason header (RFC 3326). */
  q850?: number;
  /** Text of the Reason header, if any. */
  reasonHeader?: string;
  /** User-Agent (requests) or Server (responses). */
  userAgent?: string;
  retryAfter?: number;
  contentLength?: number;
  sdp?: SdpSummary;
  /** Headers starting with `X-` that look like correlation ids, for linking B2BUA legs. */
  correlation?: string;
  position: Position;
  /** The whole message text, kept only when a post-mortem asks for it. */
  raw?: string;
  /**
   * Set when the message has a valid start line but lacks a mandatory header (anomaly name, e.g.
   * `sip-missing-call-id`, `sip-bad-cseq`). Such messages are still counted on the wire (as tshark does)
   * but are not turned into calls.
   */
  malformed?: string;
}

/** The route of a record whose source names none. */
export const UNKNOWN_ROUTE = 'unknown';

/** Bit flags of a CallRecord (a number, so that a million CDR rows cost no arrays). */
export const CallFlag = {
  AuthChallenged: 1 << 0,
  Retransmitted: 1 << 1,
  NoAck: 1 << 2,
  EarlyMedia: 1 << 3,
  Cancelled: 1 << 4,
  Forked: 1 << 5,
  ReInvite: 1 << 6,
  Unfinished: 1 << 7,
  TimedOut: 1 << 8,
  NoRtpFromCallee: 1 << 9,
  Redirected: 1 << 10,
  /**
   * A message of the call is stamped before one it answers (files joined out of order, a clock step):
   * a PDD, duration or disconnect delay that would come out negative is left unmeasured.
   */
  TimeBackwards: 1 << 11,
} as const;
export type CallFlagName = keyof typeof CallFlag;

export function flagNames(flags: number): CallFlagName[] {
  const out: CallFlagName[] = [];
  for (const [name, bit] of Object.entries(CallFlag)) if (flags & bit) out.push(name as CallFlagName);
  return out;
}

/** What a record's final code rests on. */
export type CodeSource = 'sip' | 'q850' | 'hangup-cause' | 'disposition' | 'none';

/** RTP seen for a call in a capture (for FAS and one-way-audio). */
export interface RtpSummary {
  /** Packets sent by the callee side (towards the caller) after answer. */
  fromCallee: number;
  fromCaller: number;
  /** ms from the 200 OK to the first RTP packet of the callee side. */
  firstFromCalleeAfterAnswer?: number;
  /** ms from the 200 OK to the last RTP packet of each side (media that stopped before the BYE: a drop). */
  lastFromCaller?: number;
  lastFromCallee?: number;
  /**
   * Share (0..1) of the callee's first seconds after answer whose G.711 audio carries a ringback tone,
   * when it could be measured.
   */
  ringbackAfterAnswer?: number;
}

/** One call attempt, whatever the source. Analysis never knows where a record came from. */
export interface CallRecord {
  callId: string;
  /**
   * Vendor route: a name from --routes, the trunk/peer/vendor column, or the next-hop address;
   * UNKNOWN_ROUTE when the source names none (a CDR row of a local application such as voicemail).
   */
  route: string;
  caller?: string;
  callee?: string;
  /** INVITE sent / call setup time. */
  start: number;
  /** First non-100 provisional (18x). */
  ringing?: number;
  /** 183 or 180 with SDP seen. */
  earlyMedia?: boolean;
  answer?: number;
  /** BYE/CANCEL/final-failure time. */
  end?: number;
  /** Final response of the attempt (after any 401/407 challenge). Absent when none came. */
  finalCode?: number;
  finalReason?: string;
  codeSource: CodeSource;
  q850?: number;
  /** Post-dial delay / SRD (RFC 6076) in ms when measurable. */
  pdd?: number;
  /** Answered talk time in ms (answer → end). */
  duration?: number;
  /** Session disconnect delay (RFC 6076 §4.4, "SDD") in ms: BYE → its final response, where both were seen. */
  sdt?: number;
  /**
   * True when the source sees every provisional response of the attempt (captures, SIP dumps, Dial
   * logs with "is ringing"), so that an absent `ringing` means no 18x came. Analysis assumes it for
   * records with a packet position when unset.
   */
  provisionalsSeen?: boolean;
  disconnectedBy?: 'caller' | 'callee' | 'unknown';
  flags: number;
  /** User-Agent/Server of the answering or rejecting side. */
  userAgent?: string;
  /** Source/destination signalling addresses where known. */
  srcAddr?: string;
  dstAddr?: string;
  rtp?: RtpSummary;
  /** The disposition or hangup cause text from a CDR/log, kept as found. */
  disposition?: string;
  source: Position;
}

/** A security-relevant event (failed registration, scanner probe) from a log or a capture. */
export interface SecurityEvent {
  ts: number;
  address: string;
  /**
   * `unknown-extension`: a call to an extension the dialplan does not have (one is a misdial; many distinct
   * ones from an address are an enumeration); `probe`: the PBX itself named the source a scanner or an attack.
   */
  kind: 'auth-failed' | 'no-such-peer' | 'acl-denied' | 'bad-request' | 'unknown-extension' | 'probe' | 'other';
  /** The user name the client presented (the account it tried; for a call, the peer or account it came in as). */
  user?: string;
  /** What the request was for, when the line says (the extension an unknown-extension call dialled). */
  target?: string;
  userAgent?: string;
  detail?: string;
  position: Position;
}

/** Where a source parser sends what it finds. */
export interface RecordSink {
  record(r: CallRecord): void;
  /** Every SIP message (captures and log dumps), for wire counts, flows and scanners. */
  message?(m: SipMessage): void;
  /**
   * Wire counts only (analyze): when a sink has this, SIP captures call it instead of `message` for every
   * SIP message (requests with their method, responses with their status) and scan only the fields call
   * records need. Sources that do not know it (log dumps) still call `message`.
   */
  countMessage?(isRequest: boolean, method: string | undefined, status: number | undefined): void;
  security?(e: SecurityEvent): void;
}

/** Options every source may use. */
export interface SourceOptions {
  /** Maps an address (next hop) to a route name; returns undefined when unmapped. */
  routeOf?: (addr: string) => string | undefined;
  /** Calls not answered, with no traffic for this long, are closed as timed out (captures). Default 600_000. */
  callTimeoutMs?: number;
  /** Answered calls with no BYE for this long are closed as timed out (captures). Default 4 h. */
  answeredTimeoutMs?: number;
  /** Keep the raw text of SIP messages (post-mortems). */
  keepRaw?: boolean;
  /** CDR: `field=column` overrides. */
  columnMap?: Record<string, string>;
  /** CDR: how messages name a `columnMap` key, when not `--map KEY` (`c.json: map.route`, a config file's). */
  columnMapNames?: Record<string, string>;
  /** CDR/logs: IANA time zone or `+03:00` for timestamps written in local time. Default UTC. */
  tz?: string;
  /** Logs: year for `[Nov 14 22:13:20]` stamps, when it cannot be inferred. */
  year?: number;
}

/**
 * A streaming parser for one input: chunks in, records out through the sink.
 * No file access: `input/` opens, decompresses and feeds it.
 */
export interface SourceParser {
  push(chunk: Uint8Array): void;
  end(): void;
  readonly accounting: InputAccounting;
}

/**
 * A reader that can go on into the next file of a chain (the copies of a rotated log or the pieces of a capture
 * split by time, oldest first): the file read so far ends (its last line or packet, its accounting), its open
 * calls stay open, and `accounting` becomes the next file's. Whether those calls really continue is the
 * reader's to judge from the data where the two files meet (chain.ts).
 */
export interface ContinuableSource extends SourceParser {
  continueWith(file: string): void;
}

export function newAccounting(file: string, format: InputFormat, unit: InputAccounting['unit']): InputAccounting {
  return {
    file,
    format,
    unit,
    bytes: 0,
    read: 0,
    used: 0,
    ignored: 0,
    malformed: 0,
    ignoredBy: {},
    anomalies: {},
    samples: [],
    sipMessages: 0,
    records: 0,
    notes: [],
  };
}

export const MAX_ANOMALY_SAMPLES = 20;

/**
 * How an input's note on calls whose INVITE it never showed goes on after their number (`2 calls got a final
 * response whose INVITE …`): a capture begun mid-call. The report's scope line counts them when no call is left.
 */
export const NO_INVITE_NOTE = ' got a final response whose INVITE is not in this input';

/** Calls that ended without their INVITE in these inputs, from the inputs' NO_INVITE_NOTE notes (`3 calls got …`). */
export function noInviteCount(inputs: readonly InputAccounting[]): number {
  let n = 0;
  for (const a of inputs) for (const note of a.notes) if (note.indexOf(NO_INVITE_NOTE) > 0) n += Number.parseInt(note, 10) || 0;
  return n;
}

/** Count one malformed unit (and keep it as an example while under the limit). */
export function countAnomaly(acc: InputAccounting, name: string, position: Position, detail?: string): void {
  acc.malformed++;
  acc.anomalies[name] = (acc.anomalies[name] ?? 0) + 1;
  if (acc.samples.length < MAX_ANOMALY_SAMPLES) acc.samples.push(detail === undefined ? { name, position } : { name, position, detail });
}

/** Count one ignored unit under its reason. */
export function countIgnored(acc: InputAccounting, reason: string): void {
  acc.ignored++;
  acc.ignoredBy[reason] = (acc.ignoredBy[reason] ?? 0) + 1;
}
