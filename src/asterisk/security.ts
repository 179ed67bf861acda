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

/** Value of `Key="…"` (the last occurrence wins: a crafted SessionID may repeat keys before the real one). */
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

/** Address token following `prefix` up to a space, quote or closing parenthesis. */
function addrAfter(msg: string, prefix: string): string | undefined {
  const i = msg.indexOf(prefix);
  if (i < 0) return undefined;
  let e = i + prefix.length;
  while (e < msg.length) {
    const c = msg.charCodeAt(e);
    if (c === 32 || c === 34 || c === 39 || c === 41 || c === 44) break;
    e++;
  }
  const a = msg.slice(i + prefix.length, e);
  return a === '' ? undefined : bareAddress(a);
}

/** The SecurityEvent="…" name, when the line carries one (also for the benign ones). */
export function securityEventName(msg: string): string | undefined {
  return kv(msg, 'SecurityEvent', false);
}

/**
 * Reads one security line (its message text). Returns undefined when it is not one of the known forms, or
 * `null` for a security-log event that is not a failure (ChallengeSent, SuccessfulAuth).
 */
export function matchSecurity(msg: string): SecurityMatch | null | undefined {
  const ev = securityEventName(msg);
  if (ev !== undefined) {
    if (BENIGN_EVENTS.has(ev)) return null;
    const remote = kv(msg, 'RemoteAddress', true);
    if (remote === undefined) return undefined;
    // IPV4/UDP/1.2.3.4/5060
    const parts = remote.split('/');
    const address = parts.length >= 4 ? parts.slice(2, parts.length - 1).join('/') : remote;
    const m: SecurityMatch = { kind: EVENT_KIND[ev] ?? 'other', address, detail: ev };
    const service = kv(msg, 'Service', false);
    if (service !== undefined) m.detail = `${ev} (${service})`;
    const user = kv(msg, 'AccountID', false);
    if (user !== undefined && user !== '' && user !== '<unknown>') m.user = user;
    return m;
  }
  const failedFor = msg.indexOf("' failed for '");
  if (failedFor >= 0) {
    const addrEnd = msg.indexOf("'", failedFor + 14);
    if (addrEnd < 0) return undefined;
    const address = bareAddress(msg.slice(failedFor + 14, addrEnd));
    const dash = msg.indexOf(' - ', addrEnd);
    const reason = dash >= 0 ? msg.slice(dash + 3).trim() : '';
    const reg = msg.indexOf('Registration from ');
    const req = msg.indexOf('Request ');
    const what = reg >= 0 && reg < failedFor ? 'REGISTER' : between(msg, "Request '", "'") ?? (req >= 0 ? 'request' : 'REGISTER');
    const fromStart = msg.indexOf(" from '");
    const from = fromStart >= 0 && fromStart < failedFor ? msg.slice(fromStart + 7, failedFor) : '';
    const m: SecurityMatch = { kind: reasonKind(reason), address, detail: `${what}: ${reason}` };
    const user = fromUser(from);
    if (user !== undefined) m.user = user;
    return m;
  }
  const rejected = msg.indexOf('rejected because extension not found');
  if (rejected >= 0) {
    // chan_sip / res_pjsip: Call from 'name' (addr) to extension 'x' …;  res_pjsip: name: Call (addr) to extension
    const open = msg.indexOf('(');
    const close = open >= 0 ? msg.indexOf(')', open) : -1;
    if (open < 0 || close < 0 || close > rejected) return undefined;
    const address = bareAddress(msg.slice(open + 1, close));
    const ext = between(msg, "to extension '", "'", close);
    const m: SecurityMatch = { kind: 'probe', address, detail: `INVITE to unknown extension '${ext ?? ''}'` };
    const name = between(msg, "Call from '", "'");
    if (name !== undefined && name !== '') m.user = name;
    return m;
  }
  let i = msg.indexOf(' failed MD5 authentication');
  if (i < 0) i = msg.indexOf(' failed to authenticate as ');
  if (i >= 0) {
    const host = msg.startsWith('Host ') ? msg.slice(5, i) : msg.slice(0, i);
    const address = bareAddress(host.trim());
    if (address === '' || address.includes(' ')) return undefined;
    const m: SecurityMatch = { kind: 'auth-failed', address, detail: msg.includes('MD5') ? 'IAX2 MD5 authentication failed' : 'authentication failed' };
    const user = between(msg, "'", "'", i);
    if (user !== undefined) m.user = user;
    return m;
  }
  i = msg.indexOf(' tried to authenticate with nonexistent user ');
  if (i >= 0) {
    const address = bareAddress(msg.slice(0, i).trim());
    if (address === '' || address.includes(' ')) return undefined;
    const m: SecurityMatch = { kind: 'no-such-peer', address, detail: 'AMI login with a nonexistent user' };
    const user = between(msg, "'", "'", i);
    if (user !== undefined) m.user = user;
    return m;
  }
  i = msg.indexOf('No registration for peer ');
  if (i >= 0) {
    const address = addrAfter(msg, '(from ');
    if (address === undefined) return undefined;
    const m: SecurityMatch = { kind: 'no-such-peer', address, detail: 'IAX2 registration for an unknown peer' };
    const user = between(msg, "'", "'", i);
    if (user !== undefined) m.user = user;
    return m;
  }
  i = msg.indexOf('hacking attempt detected ');
  if (i >= 0) {
    const a = between(msg, "'", "'", i);
    if (a === undefined) return undefined;
    return { kind: 'probe', address: bareAddress(a), detail: 'hacking attempt detected' };
  }
  const unknown = addrAfter(msg, 'Rejecting unknown SIP connection from ');
  if (unknown !== undefined) return { kind: 'probe', address: unknown, detail: 'unknown SIP connection rejected' };
  const scanner = addrAfter(msg, 'Friendly Scanner from ');
  if (scanner !== undefined) return { kind: 'probe', address: scanner, userAgent: 'friendly-scanner', detail: 'friendly-scanner' };
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
