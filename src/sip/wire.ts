/**
 * Wire counts: every SIP message seen, retransmissions included, by status code (responses) and by
 * method (requests) — the numbers `tshark -q -z sip,stat` prints.
 *
 * What tshark's SIP tap counts (ui/cli/tap-sipstat.c): one tap call per SIP message the dissector
 * reads, so retransmissions and each message of a TCP segment count; requests by the method token as
 * written (unknown and fuzzed methods included); responses by code, except that codes outside its
 * table are lumped into x99 ("Client Error - Others" …) and codes below 100 or from 700 up are
 * dropped. We keep exact codes in `responses`; `tsharkResponses()` applies tshark's lumping.
 */
import type { WireStats } from '../analysis/result.js';
import type { SipMessage } from '../types.js';

/** The status codes tshark's sip,stat table knows (x99 = "others" of a class). */
export const TSHARK_KNOWN_CODES: ReadonlySet<number> = new Set([
  100, 180, 181, 182, 183, 199, 200, 202, 204, 299, 300, 301, 302, 305, 380, 399, 400, 401, 402, 403, 404, 405, 406,
  407, 408, 410, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 428, 429, 430, 433, 436, 437, 438, 439, 440,
  469, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 494, 499, 500, 501, 502, 503, 504, 505, 513,
  580, 599, 600, 603, 604, 606, 607, 699,
]);

/** The row tshark counts a status code under, or undefined when it drops it. */
export function tsharkBucket(code: number): number | undefined {
  if (TSHARK_KNOWN_CODES.has(code)) return code;
  if (code < 100 || code >= 700) return undefined;
  return Math.floor(code / 100) * 100 + 99;
}

/**
 * An empty counter keyed by wire text. Without a prototype, a method named `constructor`, `toString` or
 * `__proto__` is a key like any other instead of reading (or setting) Object.prototype's.
 */
export function counts(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

export class WireCounter {
  /** Status code → response messages. */
  readonly responses: Record<string, number> = counts();
  /** Method → request messages. */
  readonly requests: Record<string, number> = counts();
  /** All SIP messages counted. */
  messages = 0;

  add(m: SipMessage): void {
    this.count(m.isRequest, m.method, m.status);
  }

  /** One message by its start line (a `RecordSink.countMessage`). */
  count(isRequest: boolean, method: string | undefined, status: number | undefined): void {
    if (isRequest) {
      if (method !== undefined) this.addRequest(method);
    } else if (status !== undefined) {
      this.addResponse(status);
    }
  }

  addRequest(method: string, n = 1): void {
    this.messages += n;
    this.requests[method] = (this.requests[method] ?? 0) + n;
  }

  addResponse(code: number, n = 1): void {
    this.messages += n;
    const k = String(code);
    this.responses[k] = (this.responses[k] ?? 0) + n;
  }

  merge(o: WireCounter | WireStats): void {
    for (const [k, v] of Object.entries(o.responses)) this.addResponse(Number(k), v);
    for (const [k, v] of Object.entries(o.requests)) this.addRequest(k, v);
  }

  /** Responses grouped the way tshark's sip,stat prints them. */
  tsharkResponses(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.responses)) {
      const b = tsharkBucket(Number(k));
      if (b !== undefined) out[b] = (out[b] ?? 0) + v;
    }
    return out;
  }

  toJSON(): WireStats {
    return { responses: sortedByKey(this.responses), requests: sortedByKey(this.requests) };
  }

  static fromJSON(j: unknown): WireCounter {
    const w = new WireCounter();
    if (j && typeof j === 'object') {
      const o = j as Partial<WireStats>;
      w.merge({ responses: o.responses ?? {}, requests: o.requests ?? {} });
    }
    return w;
  }
}

/** A plain object for the JSON: fromEntries defines each key, so `__proto__` stays a key there too. */
function sortedByKey(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
}

/** What a `tshark -q -z sip,stat` output file says. */
export interface SipStatOracle {
  messages: number;
  resent: number;
  /** Code (as printed, x99 rows included) → packets. */
  responses: Record<string, number>;
  requests: Record<string, number>;
}

/**
 * Parses tshark's sip,stat text:
 * `Number of SIP messages: N`, `Number of resent SIP messages: N`, rows `  SIP 486 Busy Here       :     1 Packets`
 * under "SIP Status Codes" and `  INVITE          :    11 Packets` under "List of SIP Request methods".
 */
export function parseSipStat(textIn: string): SipStatOracle {
  const out: SipStatOracle = { messages: 0, resent: 0, responses: counts(), requests: counts() };
  let section: 'none' | 'responses' | 'requests' = 'none';
  for (const rawLine of textIn.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith('Number of SIP messages:')) out.messages = Number(line.slice(23).trim());
    else if (line.startsWith('Number of resent SIP messages:')) out.resent = Number(line.slice(30).trim());
    else if (line.startsWith('* SIP Status Codes')) section = 'responses';
    else if (line.startsWith('* List of SIP Request methods')) section = 'requests';
    else if (line.startsWith('* ')) section = 'none';
    else if (line.startsWith('  ') && line.endsWith(' Packets')) {
      const colon = line.lastIndexOf(':');
      if (colon < 0) continue;
      const count = Number(line.slice(colon + 1, line.length - 8).trim());
      const label = line.slice(2, colon).trim();
      if (section === 'responses' && label.startsWith('SIP ')) {
        const code = label.slice(4, 7);
        out.responses[code] = (out.responses[code] ?? 0) + count;
      } else if (section === 'requests') {
        out.requests[label] = (out.requests[label] ?? 0) + count;
      }
    }
  }
  return out;
}
