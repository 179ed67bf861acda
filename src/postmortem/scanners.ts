/**
 * Scanner and brute-force detection per source address, from SIP messages (captures, log dumps) and
 * Asterisk security events.
 *
 * - Requests (REGISTER, INVITE, OPTIONS, …) are counted per sending address with their distinct target users
 *   (To user, else Request-URI user) and User-Agents.
 * - 401/407 challenges and 403 refusals are counted for the address they are sent to (the requester);
 *   2xx answers to its REGISTERs as successes; its requests answered 18x/2xx as useful answers, once per request
 *   (Call-ID, CSeq number and method): the 180, 183 and 200 of one INVITE, a retransmitted 200, or the 200 to its
 *   own BYE (in-dialog, not counted as a request) do not add answers.
 * - Security events (failed registrations, unknown peers, ACL denials, probes) count for their address.
 *
 * Verdicts: `scanner` (a known scanning tool's User-Agent), `brute-force` (many REGISTER refusals or
 * unanswered REGISTER challenges, failed-auth log events), `enumeration` (many distinct target users from one
 * address, with few useful answers: a carrier trunk calling thousands of numbers gets its calls answered),
 * else `ok`.
 * Memory: one entry per source address, target and UA sets capped; per address, the keys of its requests still
 * waiting for an answer (dropped at their first 18x/2xx or final, after {@link OPEN_WINDOW_MS}, and beyond
 * {@link MAX_OPEN} the oldest first).
 */
import { counts } from '../sip/wire.js';
import type { SecurityEvent, SipMessage } from '../types.js';

/** Lower-case User-Agent fragments of known scanning and attack tools. */
export const SCANNER_AGENTS = [
  'friendly-scanner',
  'sipvicious',
  'sipcli',
  'vaxsipuseragent',
  'pplsip',
  'sip-scan',
  'sundayddr',
  'iwar',
  'sivus',
  'smap',
  'sipptk',
  'sip auditor',
  'voip-scanner',
  'nmap',
  'masscan',
] as const;

export interface ScannerThresholds {
  /** Distinct target users from one address that make it an enumeration. Default 10. */
  minTargets: number;
  /** Refusals (403, failed-auth events) or unanswered challenges that make a brute force. Default 10. */
  minAuthFailures: number;
  /** Share of requests answered with 18x/2xx below which many targets make an enumeration. Default 0.2. */
  maxAnsweredShare: number;
}

export const DEFAULT_SCANNER_THRESHOLDS: ScannerThresholds = { minTargets: 10, minAuthFailures: 10, maxAnsweredShare: 0.2 };

const MAX_TARGETS = 10_000;
const MAX_AGENTS = 10;
const MAX_USERS_SHOWN = 20;
/** Requests of one address kept waiting for their answer (the oldest are dropped beyond it). */
const MAX_OPEN = 65_536;
/** A request still unanswered this long after it was sent is forgotten (timer B/F is 32 s; an 18x comes sooner). */
const OPEN_WINDOW_MS = 180_000;

export type Verdict = 'scanner' | 'brute-force' | 'enumeration' | 'ok';

export interface ScannerSource {
  address: string;
  verdict: Verdict;
  /** Why the verdict. */
  reasons: string[];
  requests: Record<string, number>;
  totalRequests: number;
  /** Distinct target users (capped at 10 000, `targetsCapped` then). */
  targets: number;
  targetsCapped?: boolean;
  /** A few of the targets, for the report. */
  sampleTargets: string[];
  /** Caller ids its INVITEs presented (the "ghost calls from 1000/1001"), up to 20. */
  callerIds: string[];
  /** 401/407 and 403 answers to any request of the address. */
  challenges: number;
  refusals: number;
  /** REGISTERs answered 2xx. */
  successes: number;
  /** Its requests answered 18x or 2xx, each once (Call-ID, CSeq and method; responses to its BYEs not counted). */
  answered: number;
  /** Authentication failures the brute-force verdict rests on (REGISTER refusals, unanswered REGISTER challenges, log events). */
  authFailures: number;
  /** Security events from logs, by kind. */
  events: Record<string, number>;
  userAgents: string[];
  /** Undefined when no message or event of the address had a time. */
  firstSeen?: number;
  lastSeen?: number;
}

interface Entry {
  address: string;
  requests: Record<string, number>;
  total: number;
  targets: Set<string>;
  capped: boolean;
  challenges: number;
  refusals: number;
  successes: number;
  answered: number;
  /**
   * Its requests not yet answered (key: Call-ID, CSeq number and method → time sent), in the order sent: an 18x/2xx
   * that finds its request here counts it answered once and removes it, so later 18x/2xx of that request
   * (183 after 180, 200 after 183, a retransmitted 200) find nothing.
   */
  open: Map<string, number>;
  regChallenges: number;
  regRefusals: number;
  events: Record<string, number>;
  agents: Set<string>;
  callers: Set<string>;
  first: number;
  last: number;
}

/** User part of a SIP URI (`sip:100@host` → `100`), without regex. */
function uriUser(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const colon = uri.indexOf(':');
  const s = colon >= 0 && colon < 5 ? uri.slice(colon + 1) : uri;
  const at = s.indexOf('@');
  return at > 0 ? s.slice(0, at) : undefined;
}

export function isScannerAgent(ua: string | undefined): string | undefined {
  if (!ua) return undefined;
  const l = ua.toLowerCase();
  return SCANNER_AGENTS.find((a) => l.includes(a));
}

/** The transaction a request or response belongs to, for one requesting address. */
function requestKey(callId: string, cseq: number, method: string): string {
  return `${cseq} ${method}\u0000${callId}`;
}

/** Forget requests of `e` sent more than the window before `ts`, and the oldest beyond the cap. */
function expire(e: Entry, ts: number): void {
  for (const [k, sent] of e.open) {
    if (e.open.size > MAX_OPEN || (ts > 0 && sent > 0 && ts - sent > OPEN_WINDOW_MS)) e.open.delete(k);
    else break; // in the order sent: the rest are younger
  }
}

export class ScannerDetector {
  private readonly by = new Map<string, Entry>();

  private entry(address: string, ts: number): Entry {
    let e = this.by.get(address);
    if (!e) {
      e = { address, requests: counts(), total: 0, targets: new Set(), capped: false, challenges: 0, refusals: 0, successes: 0, answered: 0, open: new Map(), regChallenges: 0, regRefusals: 0, events: {}, agents: new Set(), callers: new Set(), first: Infinity, last: -Infinity };
      this.by.set(address, e);
    }
    // a log line without a usable date has ts 0: it does not move the first/last times
    if (ts > 0 && ts < e.first) e.first = ts;
    if (ts > 0 && ts > e.last) e.last = ts;
    return e;
  }

  private target(e: Entry, user: string | undefined): void {
    if (user === undefined || user === '') return;
    if (e.targets.size < MAX_TARGETS) e.targets.add(user.length > 64 ? user.slice(0, 64) : user);
    else if (!e.targets.has(user)) e.capped = true;
  }

  private agent(e: Entry, ua: string | undefined): void {
    if (ua && e.agents.size < MAX_AGENTS) e.agents.add(ua.length > 120 ? ua.slice(0, 120) : ua);
  }

  message(m: SipMessage): void {
    if (m.isRequest) {
      const method = m.method ?? '?';
      if (method === 'ACK' || method === 'BYE' || method === 'CANCEL' || method === 'PRACK') {
        return; // in-dialog traffic says nothing about probing
      }
      const e = this.entry(m.src, m.ts);
      e.requests[method] = (e.requests[method] ?? 0) + 1;
      e.total++;
      this.target(e, m.toUser ?? uriUser(m.requestUri));
      this.agent(e, m.userAgent);
      if (method === 'INVITE' && m.fromUser && e.callers.size < MAX_USERS_SHOWN) e.callers.add(m.fromUser.length > 64 ? m.fromUser.slice(0, 64) : m.fromUser);
      // a retransmission keeps the time of the first copy
      const key = requestKey(m.callId, m.cseq, m.cseqMethod || method);
      if (!e.open.has(key)) e.open.set(key, m.ts);
      expire(e, m.ts);
      return;
    }
    const st = m.status ?? 0;
    const reg = m.cseqMethod === 'REGISTER';
    if (st === 401 || st === 407) {
      const e = this.entry(m.dst, m.ts);
      e.challenges++;
      if (reg) e.regChallenges++;
    } else if (st === 403) {
      const e = this.entry(m.dst, m.ts);
      e.refusals++;
      if (reg) e.regRefusals++;
    }
    if (st < 180) return;
    // Only a request the address was seen sending, once: answers to in-dialog requests (its own BYE, the far
    // side's requests), a second 18x/2xx of the same request and retransmitted responses find no open request.
    const e = this.by.get(m.dst);
    const key = requestKey(m.callId, m.cseq, m.cseqMethod);
    if (!e || !e.open.delete(key)) return;
    if (st < 300) {
      e.answered++;
      if (reg && st >= 200) e.successes++;
    }
  }

  security(ev: SecurityEvent): void {
    const e = this.entry(ev.address, ev.ts);
    e.events[ev.kind] = (e.events[ev.kind] ?? 0) + 1;
    // A call to an unknown extension targets that extension; the name on its line is the peer or account the
    // call came in as (`trunk`), not a user the source tried.
    this.target(e, ev.kind === 'unknown-extension' ? ev.target : (ev.target ?? ev.user));
    this.agent(e, ev.userAgent);
  }

  /** Every address with its verdict; suspicious ones first (most requests/failures first). */
  result(t: ScannerThresholds = DEFAULT_SCANNER_THRESHOLDS): ScannerSource[] {
    const out: ScannerSource[] = [];
    for (const e of this.by.values()) {
      const reasons: string[] = [];
      let verdict: Verdict = 'ok';
      const tool = [...e.agents].map(isScannerAgent).find((x) => x !== undefined);
      const failedEvents = (e.events['auth-failed'] ?? 0) + (e.events['no-such-peer'] ?? 0) + (e.events['acl-denied'] ?? 0);
      // a challenge is normal once per registration; challenges beyond twice the successes are failures
      const unanswered = Math.max(0, e.regChallenges - 2 * e.successes);
      const failures = e.regRefusals + failedEvents + (e.successes === 0 ? unanswered : 0);
      if (tool) {
        verdict = 'scanner';
        reasons.push(`User-Agent of a scanning tool (${tool})`);
      }
      if (failures >= t.minAuthFailures) {
        if (verdict === 'ok') verdict = 'brute-force';
        reasons.push(`${failures} authentication failures${e.successes ? ` against ${e.successes} successes` : ''}`);
      }
      const fewAnswers = e.total === 0 || e.answered < t.maxAnsweredShare * e.total;
      if (e.targets.size >= t.minTargets && fewAnswers) {
        if (verdict === 'ok') verdict = 'enumeration';
        const n = `${e.targets.size}${e.capped ? '+' : ''}`;
        reasons.push(e.total > 0 ? `${n} distinct target users, ${e.answered} of ${e.total} requests answered` : `${n} distinct target users in the PBX's security lines (no request of it seen)`);
      }
      if (verdict !== 'ok' && e.callers.size) reasons.push(`its INVITEs present caller ids ${[...e.callers].slice(0, 5).join(', ')}`);
      if ((e.events['probe'] ?? 0) > 0 && verdict === 'ok') {
        verdict = 'scanner';
        reasons.push('reported as a scanner by the PBX');
      }
      const src: ScannerSource = {
        address: e.address,
        verdict,
        reasons,
        // a plain object again for callers (fromEntries keeps a `__proto__` method as a key)
        requests: Object.fromEntries(Object.entries(e.requests)),
        totalRequests: e.total,
        targets: e.targets.size,
        sampleTargets: [...e.targets].slice(0, MAX_USERS_SHOWN),
        callerIds: [...e.callers],
        challenges: e.challenges,
        refusals: e.refusals,
        successes: e.successes,
        answered: e.answered,
        authFailures: failures,
        events: e.events,
        userAgents: [...e.agents],
      };
      if (Number.isFinite(e.first)) {
        src.firstSeen = e.first;
        src.lastSeen = e.last;
      }
      if (e.capped) src.targetsCapped = true;
      out.push(src);
    }
    const rank = (v: Verdict): number => (v === 'ok' ? 1 : 0);
    const weight = (s: ScannerSource): number => s.totalRequests + s.refusals + s.challenges + Object.values(s.events).reduce((a, b) => a + b, 0);
    return out.sort((a, b) => rank(a.verdict) - rank(b.verdict) || weight(b) - weight(a) || (a.address < b.address ? -1 : 1));
  }
}
