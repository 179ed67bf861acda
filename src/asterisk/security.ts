/**
 * Security-relevant Asterisk log lines → SecurityEvent (address, kind, user).
 *
 * Understood (the message part of the line, any level, any prefix):
 *   chan_sip   Registration from '<sip:301@example.com>' failed for '1.2.3.4:5060' - Wrong password
 *              (No matching peer found, Username/auth name mismatch, Device does not match ACL, ACL error,
 *               Peer is not supposed to register, Not a local domain)
 *   res_pjsip  Request 'REGISTER' from '…' failed for '1.2.3.4:5060' (callid: …) - No matching endpoint found
 *              (Failed to authenticate, Error to authenticate, Not match Endpoint ACL, … Contact ACL)
 *   security   SecurityEvent="InvalidPassword",…,RemoteAddress="IPV4/UDP/1.2.3.4/5060",…
 *   dialplan   Call from '' (1.2.3.4:5060) to extension '…' rejected because extension not found …
 *              anonymous: Call (UDP:1.2.3.4:65049) to extension '…' rejected because extension not found …
 *   chan_iax2  Host 1.2.3.4 failed to authenticate as 'x', Host 1.2.3.4 failed MD5 authentication for 'x',
 *              No registration for peer 'x' (from 1.2.3.4)
 *   manager    1.2.3.4 failed to authenticate as 'admin', 1.2.3.4 tried to authenticate with nonexistent user 'x'
 *   other      hacking attempt detected '1.2.3.4', "Rejecting unknown SIP connection from 1.2.3.4" (FreePBX),
 *              Friendly Scanner from 1.2.3.4 (FreePBX)
 *
 * Parsing uses indexOf and slices only: the text is attacker-controlled (user names, SessionID).
 */
import type { SecurityEvent } from '../types.js';

export type SecurityKind = SecurityEvent['kind'];

export interface SecurityMatch {
  kind: SecurityKind;
  address: string;
  user?: string;
  target?: string;
  userAgent?: string;
  detail: string;
}

/** Cheap prefilter: could this message be a security line? (Byte-level markers checked by the caller.) */
export const SECURITY_MARKERS = [
  'SecurityEvent="',
  "' failed for '",
  'rejected because extension not found',
  ' failed to authenticate as ',
  'No registration for peer ',
  ' failed MD5 authentication',
  'tried to authenticate with nonexistent user',
  'hacking attempt detected',
  'Rejecting unknown SIP connection from ',
  'Friendly Scanner from ',
] as const;

/** SecurityEvent names that are not failures (they accompany normal traffic). */
const BENIGN_EVENTS = new Set(['ChallengeSent', 'SuccessfulAuth']);

/**
 * Events whose fields after RemoteAddress are all Asterisk's (SessionTV, ACLName, ExpectedAddress, Module): the
 * last RemoteAddress is the real one even when a crafted SessionID repeats the key. The others carry the
 * client's text after it (Challenge: the nonce a PJSIP client sent, Response, ReceivedChallenge, ReceivedHash,
 * RequestType, RequestParams, AuthMethod): there every RemoteAddress must name the same address.
 */
const ASTERISK_TAIL_EVENTS = new Set(['InvalidAccountID', 'FailedACL', 'SessionLimit', 'MemLimit', 'LoadAverageLimit', 'UnexpectedAddress']);

const FAILED_FOR = "' failed for '";
const NOT_FOUND = "' rejected because extension not found";
const TO_EXTENSION = ") to extension '";
const REJECTING = 'Rejecting unknown SIP connection from ';
const FRIENDLY = 'Friendly Scanner from ';

const EVENT_KIND: Record<string, SecurityKind> = {
  InvalidPassword: 'auth-failed',
  ChallengeResponseFailed: 'auth-failed',
  InvalidAccountID: 'no-such-peer',
  FailedACL: 'acl-denied',
  RequestBadFormat: 'bad-request',
  UnexpectedAddress: 'other',
  RequestNotAllowed: 'other',
  AuthMethodNotAllowed: 'other',
  RequestNotSupported: 'other',
  InvalidTransport: 'other',
  SessionLimit: 'other',
  MemLimit: 'other',
  LoadAverageLimit: 'other',
};

/** `'… ' - Reason` of chan_sip / res_pjsip registration failures → kind. */
function reasonKind(reason: string): SecurityKind {
  const r = reason.toLowerCase();
  if (r.includes('password') || r.includes('authenticate') || r.includes('auth name mismatch')) return 'auth-failed';
  if (r.includes('acl')) return 'acl-denied';
  if (r.includes('no matching') || r.includes('not supposed to register')) return 'no-such-peer';
  return 'other';
}

/**
 * An address as Asterisk prints it → the bare IP: `1.2.3.4:5060`, `1.2.3.4`, `UDP:1.2.3.4:5060`,
 * `TCP:[2001:db8::1]:5060`, `[2001:db8::1]:5060`, `2001:db8::1`.
 */
export function bareAddress(s: string): string {
  let t = s.trim();
  const tp = t.indexOf(':');
  if (tp > 0 && tp <= 4 && /^(udp|tcp|tls|ws|wss|sctp)$/i.test(t.slice(0, tp))) t = t.slice(tp + 1);
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    return close > 0 ? t.slice(1, close) : t.slice(1);
  }
  const first = t.indexOf(':');
  if (first >= 0 && t.indexOf(':', first + 1) < 0) return t.slice(0, first);
  return t;
}

/** `<sip:301@example.com>`, `"100"sip:100@1.2.3.4`, `sip:bob@192.0.2.1` → the user part. */
function fromUser(s: string): string | undefined {
  const sip = s.indexOf('sip:');
  if (sip < 0) return undefined;
  const at = s.indexOf('@', sip + 4);
  if (at < 0) return undefined;
  const u = s.slice(sip + 4, at);
  return u === '' ? undefined : u;
}

/**
 * The URI of a From value: from the first `<` outside a quoted display name (backslash escapes honoured) to
 * the last `>`, else the whole text. A display name of `"sip:999@x"` then does not pass for the user.
 */
function fromUri(s: string): string {
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) {
      inQuote = true;
    } else if (c === 60) {
      const close = s.lastIndexOf('>');
      return close > i ? s.slice(i + 1, close) : s.slice(i + 1);
    }
  }
  return s;
}

/** Value of `Key="…"` (the first occurrence, or the last one). */
function kv(msg: string, key: string, last: boolean): string | undefined {
  const needle = `${key}="`;
  const i = last ? msg.lastIndexOf(needle) : msg.indexOf(needle);
  if (i < 0) return undefined;
  const from = i + needle.length;
  const to = msg.indexOf('"', from);
  return to < 0 ? undefined : msg.slice(from, to);
}

function between(msg: string, open: string, close: string, from = 0): string | undefined {
  const i = msg.indexOf(open, from);
  if (i < 0) return undefined;
  const s = i + open.length;
  const e = msg.indexOf(close, s);
  return e < 0 ? undefined : msg.slice(s, e);
}

/** Address token starting at `s` up to a space, quote, comma or closing parenthesis. */
function addrAt(msg: string, s: number): string | undefined {
  let e = s;
  while (e < msg.length) {
    const c = msg.charCodeAt(e);
    if (c === 32 || c === 34 || c === 39 || c === 41 || c === 44) break;
    e++;
  }
  const a = msg.slice(s, e);
  return a === '' ? undefined : bareAddress(a);
}

/** From the first quote after `from` to the last quote of the line: a user name that ends the line, quotes and all. */
function quotedToEnd(msg: string, from: number): string | undefined {
  const open = msg.indexOf("'", from);
  const close = msg.lastIndexOf("'");
  return open >= 0 && close > open ? msg.slice(open + 1, close) : undefined;
}

/**
 * Index of the first quote of the text, or its length. Every form starts with Asterisk's own words and
 * quotes what came from the wire (From, user names, extensions, SessionID="…"): a form's words count only
 * before the first quote, not when a logged header merely contains them.
 */
function firstQuote(msg: string): number {
  const a = msg.indexOf("'");
  const b = msg.indexOf('"');
  if (a < 0) return b < 0 ? msg.length : b;
  return b < 0 || a < b ? a : b;
}

/** The one address all candidates name (`null` when they disagree), where the first starts and the last ends. */
interface Sole {
  address: string | null;
  first: number;
  lastEnd: number;
}

function addCandidate(acc: Sole | undefined, address: string | null, at: number, end: number): Sole {
  if (acc === undefined) return { address, first: at, lastEnd: end };
  if (acc.address !== address) acc.address = null;
  acc.lastEnd = end;
  return acc;
}

/**
 * Every `' failed for 'ADDR'` from `from` on. res_pjsip writes the client's From before the address and its
 * Call-ID after it, both free text that can copy the frame: when the copies name different addresses, which
 * one Asterisk wrote cannot be told, and the line blames nobody.
 */
function failedForCandidates(msg: string, from: number): Sole | undefined {
  let acc: Sole | undefined;
  for (let i = msg.indexOf(FAILED_FOR, from); i >= 0; ) {
    const s = i + FAILED_FOR.length;
    const e = msg.indexOf("'", s);
    if (e < 0) break;
    const raw = msg.slice(s, e);
    // a copy that is not even an address as Asterisk prints one marks the line as forged all the same
    acc = addCandidate(acc, raw === '' || raw.includes(' ') || raw.includes('"') ? null : bareAddress(raw), i, e);
    i = msg.indexOf(FAILED_FOR, e);
  }
  return acc;
}

/**
 * Every `(ADDR) to extension '` between `from` and `to`. The caller's name before it and the dialled extension
 * after it may both be the client's text; as with res_pjsip, copies that disagree make the line blame nobody.
 */
function toExtensionCandidates(msg: string, from: number, to: number): Sole | undefined {
  let acc: Sole | undefined;
  for (let k = msg.indexOf(TO_EXTENSION, from); k >= 0 && k < to; k = msg.indexOf(TO_EXTENSION, k + 1)) {
    // back to the `(`: an address is short and has no space, quote or parenthesis
    let j = k - 1;
    while (j >= from && k - j <= 64) {
      const c = msg.charCodeAt(j);
      if (c === 40 || c === 41 || c === 32 || c === 34 || c === 39) break;
      j--;
    }
    if (j < from || msg.charCodeAt(j) !== 40 || j === k - 1) continue;
    acc = addCandidate(acc, bareAddress(msg.slice(j + 1, k)), j, k + TO_EXTENSION.length);
  }
  return acc;
}

/** `IPV4/UDP/1.2.3.4/5060` → `1.2.3.4`. */
function securityAddress(remote: string): string {
  const parts = remote.split('/');
  return parts.length >= 4 ? parts.slice(2, parts.length - 1).join('/') : remote;
}

/** The one address every RemoteAddress="…" names, `null` when they disagree. */
function soleRemote(msg: string): string | null | undefined {
  const needle = 'RemoteAddress="';
  let address: string | null | undefined;
  for (let i = msg.indexOf(needle); i >= 0; ) {
    const s = i + needle.length;
    const e = msg.indexOf('"', s);
    if (e < 0) break;
    const a = securityAddress(msg.slice(s, e));
    address = address === undefined || address === a ? a : null;
    i = msg.indexOf(needle, e);
  }
  return address;
}

/** The SecurityEvent="…" name, when the line carries one (also for the benign ones). */
export function securityEventName(msg: string): string | undefined {
  const i = msg.indexOf('SecurityEvent="');
  return i >= 0 && i <= firstQuote(msg) ? kv(msg, 'SecurityEvent', false) : undefined;
}

/**
 * Reads one security line (its message text). Returns undefined when it is not one of the known forms, or
 * `null` for a security-log event that is not a failure (ChallengeSent, SuccessfulAuth).
 *
 * The address is the one Asterisk wrote, not a copy of its frame in the client's text around it: taken where
 * only Asterisk's words follow (the last occurrence), or, where the client's text stands on both sides, only
 * when every copy names the same address.
 */
export function matchSecurity(msg: string): SecurityMatch | null | undefined {
  const q = firstQuote(msg);
  const ev = securityEventName(msg);
  if (ev !== undefined) {
    if (BENIGN_EVENTS.has(ev)) return null;
    const last = ASTERISK_TAIL_EVENTS.has(ev) ? kv(msg, 'RemoteAddress', true) : undefined;
    const address = last !== undefined ? securityAddress(last) : soleRemote(msg);
    if (address === undefined || address === null) return undefined;
    const m: SecurityMatch = { kind: EVENT_KIND[ev] ?? 'other', address, detail: ev };
    const service = kv(msg, 'Service', false);
    if (service !== undefined) m.detail = `${ev} (${service})`;
    const user = kv(msg, 'AccountID', false);
    if (user !== undefined && user !== '' && user !== '<unknown>') m.user = user;
    return m;
  }
  // chan_sip: Registration from 'From' failed for 'addr' - reason
  // res_pjsip: Request 'METHOD' from 'From' failed for 'addr' (callid: Call-ID) - reason (or `Request from '…`)
  const reg = msg.indexOf("Registration from '");
  const req = msg.indexOf('Request ');
  const chanSip = reg >= 0 && reg <= q;
  const pjsip = !chanSip && req >= 0 && req <= q && (msg.startsWith("Request '", req) || msg.startsWith("Request from '", req));
  if ((chanSip || pjsip) && msg.includes(FAILED_FOR)) {
    let fromStart: number;
    let what: string;
    let at: number;
    let addrEnd: number;
    let address: string;
    let reason: string;
    if (chanSip) {
      fromStart = reg + 19;
      what = 'REGISTER';
      // only the fixed reason follows the address: the last frame is Asterisk's
      at = msg.lastIndexOf(FAILED_FOR);
      if (at < fromStart) return undefined;
      addrEnd = msg.indexOf("'", at + FAILED_FOR.length);
      if (addrEnd < 0) return undefined;
      address = bareAddress(msg.slice(at + FAILED_FOR.length, addrEnd));
      const dash = msg.indexOf(' - ', addrEnd);
      reason = dash >= 0 ? msg.slice(dash + 3).trim() : '';
    } else {
      // the method is a token (no space), so the first ` from '` ends it
      const from = msg.indexOf(" from '", req + 7);
      if (from < 0) return undefined;
      fromStart = from + 7;
      what = msg.startsWith("Request '", req) ? msg.slice(req + 9, from - 1) : 'request';
      const c = failedForCandidates(msg, fromStart);
      if (c === undefined || c.address === null) return undefined;
      at = c.first;
      addrEnd = c.lastEnd;
      address = c.address;
      // the reason is Asterisk's and ends the line; the Call-ID before it may hold ` - ` too
      const dash = msg.lastIndexOf(' - ');
      reason = dash > addrEnd ? msg.slice(dash + 3).trim() : '';
    }
    const m: SecurityMatch = { kind: reasonKind(reason), address, detail: `${what}: ${reason}` };
    const user = fromUser(fromUri(msg.slice(fromStart, at)));
    if (user !== undefined) m.user = user;
    return m;
  }
  // chan_sip / res_pjsip: Call from 'name' (addr) to extension 'x' …;  res_pjsip: name: Call (addr) to extension
  // The last `' rejected because …`: only the context name (configuration) follows it.
  const notFound = msg.lastIndexOf(NOT_FOUND);
  const callFrom = notFound >= 0 ? msg.indexOf("Call from '") : -1;
  const named = callFrom >= 0 && callFrom <= q;
  const anon = notFound < 0 || named ? -1 : msg.indexOf(': Call (');
  if (named || (anon >= 0 && anon <= q)) {
    const c = toExtensionCandidates(msg, named ? callFrom + 11 : anon + 7, notFound);
    if (c === undefined || c.address === null) return undefined;
    const ext = msg.slice(c.lastEnd, notFound);
    const m: SecurityMatch = { kind: 'unknown-extension', address: c.address, target: ext, detail: `INVITE to unknown extension '${ext}'` };
    if (named && msg.startsWith("' ", c.first - 2) && c.first - 2 > callFrom + 11) m.user = msg.slice(callFrom + 11, c.first - 2);
    return m;
  }
  // chan_iax2 / manager: `[Host ]addr failed …`: the address opens the text, the client's user name ends it
  const md5 = msg.indexOf(' failed MD5 authentication');
  const asUser = msg.indexOf(' failed to authenticate as ');
  let i = md5 < 0 ? asUser : asUser < 0 ? md5 : Math.min(md5, asUser);
  if (i >= 0) {
    const host = msg.startsWith('Host ') ? msg.slice(5, i) : msg.slice(0, i);
    const address = bareAddress(host.trim());
    if (address === '' || address.includes(' ')) return undefined;
    const m: SecurityMatch = { kind: 'auth-failed', address, detail: i === md5 ? 'IAX2 MD5 authentication failed' : 'authentication failed' };
    // MD5: `for 'user' (hash != hash)`, the client's text on both sides of the user's closing quote
    const user = i === md5 ? between(msg, "'", "'", i) : quotedToEnd(msg, i);
    if (user !== undefined) m.user = user;
    return m;
  }
  i = msg.indexOf(' tried to authenticate with nonexistent user ');
  if (i >= 0) {
    const address = bareAddress(msg.slice(0, i).trim());
    if (address === '' || address.includes(' ')) return undefined;
    const m: SecurityMatch = { kind: 'no-such-peer', address, detail: 'AMI login with a nonexistent user' };
    const user = quotedToEnd(msg, i);
    if (user !== undefined) m.user = user;
    return m;
  }
  i = msg.indexOf("No registration for peer '");
  if (i >= 0 && i <= q) {
    // `No registration for peer 'name' (from addr)`: the client's peer name comes first, the address ends the line
    const f = msg.lastIndexOf(' (from ');
    const address = f > i ? addrAt(msg, f + 7) : undefined;
    if (address === undefined) return undefined;
    const m: SecurityMatch = { kind: 'no-such-peer', address, detail: 'IAX2 registration for an unknown peer' };
    if (msg.charCodeAt(f - 1) === 39 && f - 1 > i + 26) m.user = msg.slice(i + 26, f - 1);
    return m;
  }
  i = msg.indexOf('hacking attempt detected ');
  if (i >= 0 && i <= q) {
    const a = between(msg, "'", "'", i);
    if (a === undefined) return undefined;
    return { kind: 'probe', address: bareAddress(a), detail: 'hacking attempt detected' };
  }
  // FreePBX dialplan Log(): the address ends the text, after the extension the client dialled
  i = msg.lastIndexOf(REJECTING);
  if (i >= 0 && i <= q) {
    const unknown = addrAt(msg, i + REJECTING.length);
    if (unknown !== undefined) return { kind: 'probe', address: unknown, detail: 'unknown SIP connection rejected' };
  }
  i = msg.lastIndexOf(FRIENDLY);
  if (i >= 0 && i <= q) {
    const scanner = addrAt(msg, i + FRIENDLY.length);
    if (scanner !== undefined) return { kind: 'probe', address: scanner, userAgent: 'friendly-scanner', detail: 'friendly-scanner' };
  }
  return undefined;
}

/**
 * Byte prefilter for security lines: true when the text holds one of the words every known form has
 * (`fail`, `Secu`rityEvent, re`ject`, `No r`egistration, `nonex`istent, `hack`ing, `Frie`ndly).
 */
export function maybeSecurity(b: Uint8Array, p: number, e: number): boolean {
  for (let i = p; i + 3 < e; i++) {
    switch (b[i]) {
      case 102: // fail
        if (b[i + 1] === 97 && b[i + 2] === 105 && b[i + 3] === 108) return true;
        break;
      case 83: // Secu
        if (b[i + 1] === 101 && b[i + 2] === 99 && b[i + 3] === 117) return true;
        break;
      case 106: // eject
        if (b[i - 1] === 101 && b[i + 1] === 101 && b[i + 2] === 99 && b[i + 3] === 116) return true;
        break;
      case 78: // No r
        if (b[i + 1] === 111 && b[i + 2] === 32 && b[i + 3] === 114) return true;
        break;
      case 110: // nonex
        if (b[i + 1] === 111 && b[i + 2] === 110 && b[i + 3] === 101) return true;
        break;
      case 104: // hack
        if (b[i + 1] === 97 && b[i + 2] === 99 && b[i + 3] === 107) return true;
        break;
      case 70: // Frie
        if (b[i + 1] === 114 && b[i + 2] === 105 && b[i + 3] === 101) return true;
        break;
      default:
        break;
    }
  }
  return false;
}
