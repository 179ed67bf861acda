/**
 * Feeding SIP messages into the pipeline from any source: scan the bytes or text, hand the message to
 * `sink.message` (wire counts, flows) — or only `sink.countMessage` when the sink has it, scanning just what
 * the tracker reads — and to a CallTracker (call records). Captures use it through
 * capture-source.ts; log readers use it for SIP messages dumped in logs (see docs/sip.md).
 */
import { NO_INVITE_NOTE, type InputAccounting, type RecordSink, type SipMessage, type SourceOptions } from '../types.js';
import { scanSipMessage, type MessageMeta, type ScanProblem } from './scanner.js';
import { CallTracker } from './tracker.js';

/** Counts a named oddity inside a unit that was still used (not part of the unit invariant). */
export function countWarning(acc: InputAccounting, name: string): void {
  const w = (acc.warnings ??= {});
  w[name] = (w[name] ?? 0) + 1;
}

export interface SipFeed {
  /** The tracker behind the feed (RTP accounting uses it directly); a new one after restart(). */
  tracker: CallTracker;
  /**
   * Scans one message at buf[start, end) and feeds it. Returns the message, or null when there is no
   * valid start line (`problem.anomaly` says why; the caller decides how to count the unit).
   * `startLineEnd`: the start line's end when the caller already found it (saves scanning it twice).
   */
  feedBytes(buf: Uint8Array, start: number, end: number, meta: MessageMeta, problem?: ScanProblem, startLineEnd?: number): SipMessage | null;
  /** Same for a message given as text (e.g. a SIP dump from a log; LF or CRLF line ends both work). */
  feedText(text: string, meta: MessageMeta, problem?: ScanProblem): SipMessage | null;
  /** Feeds an already scanned message. */
  feedMessage(m: SipMessage): void;
  /** Counts into `a` from now on (the next file of a chain). */
  setAccounting(a: InputAccounting): void;
  /** Closes the calls still open (Unfinished) and flushes records. */
  end(): void;
  /** end(), then a tracker that knows nothing of the calls before (the next capture of a broken chain). */
  restart(): void;
}

const encoder = new TextEncoder();

/**
 * A feed that counts into `acc`: `sipMessages` per message, `records` per call record, and
 * malformed messages (no Call-ID/CSeq) under `acc.warnings` (they still reach `sink.message`).
 */
export function createSipFeed(sink: RecordSink, opts: SourceOptions, firstAcc: InputAccounting): SipFeed {
  /** Where the counts go: the file being read (a chain of captures moves it on, see setAccounting). */
  let acc = firstAcc;
  const counting: RecordSink = {
    record(r) {
      acc.records++;
      sink.record(r);
    },
  };
  let tracker = new CallTracker(counting, opts);
  const keepRaw = opts.keepRaw === true;
  // A sink that only counts messages gets counts, and messages are scanned for the tracker alone.
  const count = keepRaw ? undefined : sink.countMessage?.bind(sink);
  const lean = count !== undefined;
  const feedMessage = (m: SipMessage): void => {
    acc.sipMessages++;
    if (count) count(m.isRequest, m.method, m.status);
    else sink.message?.(m);
    if (m.malformed) countWarning(acc, m.malformed);
    else tracker.add(m);
  };
  const feedBytes = (buf: Uint8Array, start: number, end: number, meta: MessageMeta, problem?: ScanProblem, sl?: number): SipMessage | null => {
    const m = scanSipMessage(buf, start, end, meta, keepRaw, problem, sl, lean);
    if (m) feedMessage(m);
    return m;
  };
  /** The tracker's count of calls without their INVITE when this file began (a chain moves on, see setAccounting). */
  let orphansBefore = 0;
  /** The note on calls this file showed the end of but not the INVITE. */
  const orphanNote = (): void => {
    const n = tracker.orphanCalls - orphansBefore;
    orphansBefore = tracker.orphanCalls;
    if (n > 0) {
      acc.notes.push(
        `${n} call${n === 1 ? '' : 's'}${NO_INVITE_NOTE} (the capture began after ${n === 1 ? 'its INVITE was' : 'their INVITEs were'} sent): not counted as attempts`,
      );
    }
  };
  const feed: SipFeed = {
    tracker,
    feedBytes,
    feedText(text, meta, problem) {
      const b = encoder.encode(text);
      return feedBytes(b, 0, b.length, meta, problem);
    },
    feedMessage,
    setAccounting(a) {
      if (a !== acc) orphanNote();
      acc = a;
    },
    end() {
      tracker.end();
      orphanNote();
    },
    restart() {
      tracker.end();
      orphanNote();
      tracker = new CallTracker(counting, opts);
      orphansBefore = 0;
      feed.tracker = tracker;
    },
  };
  return feed;
}
