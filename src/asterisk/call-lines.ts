/**
 * app_dial and channel lines → DialTracker events. Each method takes the message text of one line (after
 * the prefix and the `-- ` decoration) and returns `used` or the reason the line was ignored.
 *
 *   Called SIP/alpha/5551234                          → an attempt
 *   SIP/alpha-0000001a is ringing | answered … | is busy | is circuit-busy | is making progress …
 *   Got SIP response 486 "Busy Here" back from 1.2.3.4:5060
 *   Executing [exten@ctx:1] Dial(…) / Set(CALLERID…) / the next application on the caller after a Dial
 *   Nobody picked up in N ms, Everyone is busy/congested at this time (n:b/c/u), Auto fallthrough …,
 *   Channel X joined|left '…', Hungup 'X', Spawn extension (…) exited non-zero on 'X'
 */
import { startsWithBytes as startsWith } from '../sip/bytes.js';
import { TARGET_NONE, TARGET_SLOW, isLocalChannel, parseDialTarget, readDialTarget, type DialTarget } from './channel.js';
import type { Context, DialTracker } from './dial.js';
import { bareAddress } from './security.js';
import { ByteStrings, ascii, str } from './strings.js';

export const USED = 'used';
export const R_NOT_CALL = 'not-call-related';
export const R_NO_CALL_INFO = 'no-call-info';
export const R_LOCAL = 'local-channel';

export { ascii, str };

const K_CALLED = ascii('Called ');
const K_CHANNEL = ascii('Channel ');
const K_GOT_SIP = ascii('Got SIP response ');
const K_EXECUTING = ascii('Executing [');
const K_EVERYONE = ascii('Everyone is busy/congested at this time (');
const K_NOBODY = ascii('Nobody picked up in ');
const K_SPAWN = ascii('Spawn extension (');
const K_AUTO = ascii('Auto fallthrough, channel ');
const K_HUNGUP = ascii('Hungup ');
const K_IS_RINGING = ascii(' is ringing');
const K_IS_PROGRESS = ascii(' is making progress');
const K_IS_PROCEEDING = ascii(' is proceeding');
const K_ANSWERED = ascii(' answered ');
const K_IS_BUSY = ascii(' is busy');
const K_IS_CIRCUIT_BUSY = ascii(' is circuit-busy');
const K_LEFT = ascii(" left '");
const K_JOINED = ascii(" joined '");
const K_APP_DIAL = ascii('] Dial(');
const K_APP_SET = ascii('] Set(');
const K_APP_MSET = ascii('] MSet(');
const K_CALLERID = ascii('CALLERID(');
const K_BACK_FROM = ascii('back from ');
const SKIP_CALLERID = shifts(K_CALLERID);

/** What the call-line reader needs to know about the current line. */
export interface LineView {
  /** Time of the line (ms since the epoch). */
  ts(): number;
  /** 1-based line number. */
  line(): number;
  /** The call context of the line (its marker, else its thread, else the console context). */
  ctx(create: boolean): Context | undefined;
  /** Does the line carry a call marker? */
  hasMarker(): boolean;
}

/** Horspool shifts of a pattern: how far the window may move when its last byte is c. */
function shifts(k: Uint8Array): Uint8Array {
  const t = new Uint8Array(256).fill(k.length);
  for (let i = 0; i < k.length - 1; i++) t[k[i]!] = k.length - 1 - i;
  return t;
}

/**
 * Does b[s, e) contain the bytes k (shift table `skip` = shifts(k))? A bounded scan that looks at about one
 * byte in k.length (Horspool) and makes no Buffer view per line.
 */
function contains(b: Uint8Array, s: number, e: number, k: Uint8Array, skip: Uint8Array): boolean {
  const m = k.length;
  const lastK = k[m - 1];
  for (let i = s + m - 1; i < e; i += skip[b[i]!]!) {
    if (b[i] === lastK && startsWith(b, i - m + 1, e, k)) return true;
  }
  return false;
}

/** Do the bytes b[s, e) spell `t` (ASCII)? */
function sameText(b: Uint8Array, s: number, e: number, t: string | undefined): boolean {
  if (t === undefined || t.length !== e - s) return false;
  for (let i = 0; i < t.length; i++) if (b[s + i] !== t.charCodeAt(i)) return false;
  return true;
}

function isUpper(c: number | undefined): boolean {
  return c !== undefined && c >= 65 && c <= 90;
}

export class CallLines {
  /** Names repeated across lines (peers, channels, numbers, phrases, addresses) as shared strings. */
  private readonly names = new ByteStrings(12);
  /** Scratch destination of a `Called` line (DialTracker.called keeps none of it). */
  private readonly target: DialTarget = { tech: '', peer: '', number: undefined };
  private readonly addresses = new Map<string, string>();

  constructor(
    private readonly dial: DialTracker,
    private readonly v: LineView,
  ) {}

  /** A call line starting at b[p] (first byte `c`); undefined when the text is not one. */
  read(b: Uint8Array, p: number, e: number): string | undefined {
    switch (b[p]) {
      case 67: // C
        if (startsWith(b, p, e, K_CALLED)) return this.called(b, p + K_CALLED.length, e);
        if (startsWith(b, p, e, K_CHANNEL)) return this.bridge(b, p + K_CHANNEL.length, e);
        break;
      case 71: // G
        if (startsWith(b, p, e, K_GOT_SIP)) return this.sipResponseBytes(b, p + K_GOT_SIP.length, e);
        break;
      case 69: // E
        if (startsWith(b, p, e, K_EXECUTING)) return this.executing(b, p + K_EXECUTING.length, e);
        if (startsWith(b, p, e, K_EVERYONE)) return this.everyone(b, p + K_EVERYONE.length, e);
        break;
      case 78: // N
        if (startsWith(b, p, e, K_NOBODY)) return this.nobody();
        break;
      case 83: // S
        if (startsWith(b, p, e, K_SPAWN)) return this.spawn(b, p + K_SPAWN.length, e);
        break;
      case 65: // A
        if (startsWith(b, p, e, K_AUTO)) return this.fallthrough(str(b, p + K_AUTO.length, e));
        break;
      case 72: // H
        if (startsWith(b, p, e, K_HUNGUP)) return this.gone(between(str(b, p, e), "'", "'"));
        break;
      default:
        break;
    }
    // `TECH/name-0000001a is ringing|answered|is busy|…`
    if (isUpper(b[p])) {
      let q = p + 1;
      const lim = Math.min(e, p + 12);
      while (q < lim && b[q] !== 47 && b[q] !== 32) q++;
      if (q < lim && b[q] === 47) {
        while (q < e && b[q] !== 32) q++;
        if (q < e) return this.channelLine(b, p, q, e);
      }
    }
    return undefined;
  }

  private nobody(): string {
    const x = this.v.ctx(false);
    if (x === undefined || !this.dial.hasOpenGroup(x)) return R_NO_CALL_INFO;
    this.dial.noAnswer(x, this.v.ts());
    return USED;
  }

  private called(b: Uint8Array, p: number, e: number): string {
    let q = p;
    while (q < e && b[q] !== 32) q++;
    const got = readDialTarget(b, p, q, this.names, this.target);
    if (got === TARGET_NONE) return R_NO_CALL_INFO;
    let t: DialTarget | undefined = this.target;
    if (got === TARGET_SLOW) {
      const dest = str(b, p, q);
      if (isLocalChannel(dest)) return R_LOCAL;
      t = parseDialTarget(dest);
      if (t === undefined) return R_NO_CALL_INFO;
    }
    this.dial.called(this.v.ctx(true)!, t, this.v.ts(), this.v.line());
    return USED;
  }

  private channelLine(b: Uint8Array, p: number, sp: number, e: number): string | undefined {
    let kind = 0;
    if (startsWith(b, sp, e, K_IS_RINGING)) kind = 1;
    else if (startsWith(b, sp, e, K_IS_PROGRESS)) kind = 2;
    else if (startsWith(b, sp, e, K_ANSWERED)) kind = 3;
    else if (startsWith(b, sp, e, K_IS_BUSY)) kind = 4;
    else if (startsWith(b, sp, e, K_IS_CIRCUIT_BUSY)) kind = 5;
    else if (startsWith(b, sp, e, K_IS_PROCEEDING)) kind = 6;
    else return undefined;
    const chan = this.names.get(b, p, sp);
    const a = this.dial.attemptForChannel(this.v.ctx(false), chan);
    if (a === undefined) return R_NO_CALL_INFO;
    const ts = this.v.ts();
    switch (kind) {
      case 1: this.dial.ringing(a, ts, false); break;
      case 2: this.dial.ringing(a, ts, true); break;
      case 3: this.dial.answered(a, ts); break;
      case 4: this.dial.channelFailure(a, ts, true); break;
      case 5: this.dial.channelFailure(a, ts, false); break;
      default: break;
    }
    return USED;
  }

  /** `Channel SIP/alpha-0000001a joined|left 'simple_bridge' basic-bridge <id>`. */
  private bridge(b: Uint8Array, p: number, e: number): string {
    let sp = p;
    while (sp < e && b[sp] !== 32) sp++;
    if (sp >= e) return R_NOT_CALL;
    if (startsWith(b, sp, e, K_JOINED)) {
      const chan = this.names.get(b, p, sp);
      return this.dial.attemptForChannel(this.v.ctx(false), chan) !== undefined || this.dial.contextOfCaller(chan) !== undefined ? USED : R_NO_CALL_INFO;
    }
    if (!startsWith(b, sp, e, K_LEFT)) return R_NOT_CALL;
    return this.gone(this.names.get(b, p, sp));
  }

  /** A channel left its bridge or hung up: the callee of an attempt, or a caller. */
  private gone(chan: string | undefined): string {
    if (chan === undefined) return R_NOT_CALL;
    const ts = this.v.ts();
    const x = this.dial.contextOfCaller(chan);
    if (x !== undefined) {
      this.dial.callerGone(x, ts, false);
      return USED;
    }
    const a = this.dial.attemptForChannel(undefined, chan);
    if (a !== undefined) {
      this.dial.channelGone(a, ts);
      return USED;
    }
    return R_NO_CALL_INFO;
  }

  /** `486 "Busy Here" back from 54.172.60.3:5060`. */
  /** `486 "Busy Here" back from 54.172.60.3:5060` on bytes: the phrase and the address are shared strings. */
  private sipResponseBytes(b: Uint8Array, p: number, e: number): string {
    const d0 = b[p]! - 48;
    const d1 = b[p + 1]! - 48;
    const d2 = b[p + 2]! - 48;
    // Anything but three digits (`3e2`, ` 48`) is read as text, as before.
    if (p + 3 > e || d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return this.sipResponse(str(b, p, e));
    const code = d0 * 100 + d1 * 10 + d2;
    if (code < 100 || code > 699) return R_NO_CALL_INFO;
    let q1 = p;
    while (q1 < e && b[q1] !== 34) q1++;
    let q2 = q1 + 1;
    while (q2 < e && b[q2] !== 34) q2++;
    const reason = q2 < e ? this.names.get(b, q1 + 1, q2) : '';
    let addr = '';
    for (let i = p, last = e - K_BACK_FROM.length; i <= last; i++) {
      if (b[i] === 98 && startsWith(b, i, e, K_BACK_FROM)) {
        addr = this.address(this.names.get(b, i + K_BACK_FROM.length, e));
        break;
      }
    }
    return this.dial.sipResponse(this.v.ctx(false), this.v.hasMarker(), code, reason, addr, this.v.ts()) ? USED : R_NO_CALL_INFO;
  }

  /** channelPeer of the channel name b[s, e), as a shared string (`PJSIP/customer-0000001a` → `customer`). */
  private endpoint(b: Uint8Array, s: number, e: number): string | undefined {
    let slash = s;
    while (slash < e && b[slash] !== 47) slash++;
    let dash = e - 1;
    while (dash >= s && b[dash] !== 45) dash--;
    if (slash >= e || slash === s || dash <= slash + 1) return undefined;
    return this.names.get(b, slash + 1, dash);
  }

  /** bareAddress of a `back from` text, remembered for the few addresses a log has. */
  private address(t: string): string {
    let a = this.addresses.get(t);
    if (a === undefined) {
      a = bareAddress(t.trim());
      if (this.addresses.size >= 1024) this.addresses.clear();
      this.addresses.set(t, a);
    }
    return a;
  }

  private sipResponse(t: string): string {
    const code = Number(t.slice(0, 3));
    if (!Number.isInteger(code) || code < 100 || code > 699) return R_NO_CALL_INFO;
    const reason = between(t, '"', '"') ?? '';
    const bf = t.indexOf('back from ');
    const addr = bf >= 0 ? bareAddress(t.slice(bf + 10).trim()) : '';
    return this.dial.sipResponse(this.v.ctx(false), this.v.hasMarker(), code, reason, addr, this.v.ts()) ? USED : R_NO_CALL_INFO;
  }

  /** `[exten@context:prio] App("CHANNEL", "args") in new stack`. */
  private executing(b: Uint8Array, p: number, e: number): string {
    // `exten@context:prio] App("CHANNEL", "args") in new stack`: decide on bytes before making strings.
    let close = -1;
    for (let i = p, lim = Math.min(e, p + 512); i < lim; i++) {
      if (b[i] === 93) {
        close = i;
        break;
      }
    }
    if (close < 0) return R_NOT_CALL;
    const isDial = startsWith(b, close, e, K_APP_DIAL);
    const isSet = !isDial && (startsWith(b, close, e, K_APP_SET) || startsWith(b, close, e, K_APP_MSET));
    if (isSet && !contains(b, close, e, K_CALLERID, SKIP_CALLERID)) return R_NOT_CALL;
    let known: Context | undefined;
    if (!isDial && !isSet) {
      // Another application: it matters only when it runs on the caller of an open Dial (the Dial returned).
      if (!this.dial.anyOpen()) return R_NOT_CALL;
      known = this.v.ctx(false);
      if (known === undefined ? this.v.hasMarker() : !this.dial.hasOpenGroup(known)) return R_NOT_CALL;
    }
    // App("CHANNEL", …): the channel is the first quoted string after the parenthesis.
    let q1 = close;
    while (q1 < e && b[q1] !== 34) q1++;
    let q2 = q1 + 1;
    while (q2 < e && b[q2] !== 34) q2++;
    if (q2 >= e) return R_NOT_CALL;
    let at = p;
    while (at < close && b[at] !== 64) at++;
    const ts = this.v.ts();
    if (isDial) {
      const c = this.v.ctx(true)!;
      this.dial.dialApp(c, this.names.get(b, q1 + 1, q2), at < close ? this.names.get(b, p, at) : '', ts, c.caller === undefined ? this.endpoint(b, q1 + 1, q2) : undefined);
      return USED;
    }
    if (isSet) {
      const t = str(b, q2 + 1, e);
      const argsStart = t.indexOf('"');
      const argsEnd = t.lastIndexOf('")');
      const num = argsStart >= 0 && argsEnd > argsStart ? callerIdOf(t.slice(argsStart + 1, argsEnd)) : undefined;
      if (num === undefined) return R_NOT_CALL;
      this.dial.callerId(this.v.ctx(true)!, num);
      return USED;
    }
    const x = known ?? this.dial.contextOfCaller(str(b, q1 + 1, q2));
    if (x !== undefined && this.dial.hasOpenGroup(x) && sameText(b, q1 + 1, q2, x.group!.callerChan)) {
      if (at === p + 1 && b[p] === 104) this.dial.callerGone(x, ts, false); // the `h` extension
      else this.dial.dialReturned(x, ts);
      return USED;
    }
    return R_NOT_CALL;
  }

  /** `n:b/c/u)`: dialled, busy, congested, unavailable counts. */
  private everyone(b: Uint8Array, p: number, e: number): string {
    let q = countEnd(b, p, e);
    if (b[q++] !== 58) return R_NO_CALL_INFO;
    const busy = countAt(b, q, e);
    q = countEnd(b, q, e);
    if (b[q++] !== 47) return R_NO_CALL_INFO;
    const congested = countAt(b, q, e);
    if (busy < 0 || congested < 0) return R_NO_CALL_INFO;
    const x = this.v.ctx(false);
    if (x === undefined || !this.dial.hasOpenGroup(x)) return R_NO_CALL_INFO;
    this.dial.everyoneBusy(x, this.v.ts(), busy, congested);
    return USED;
  }


  /** `Spawn extension (ctx, exten, prio) exited non-zero on 'SIP/100-00000001'`. */
  /** `(ctx, exten, prio) exited non-zero on 'SIP/100-00000001'`: the caller's dialplan ended. */
  private spawn(b: Uint8Array, p: number, e: number): string {
    let q2 = e - 1;
    while (q2 > p && b[q2] !== 39) q2--;
    let q1 = q2 - 1;
    while (q1 > p && b[q1] !== 39) q1--;
    let x = this.v.ctx(false);
    if (q1 > p && (x === undefined || !sameText(b, q1 + 1, q2, x.callerChan))) x = this.dial.contextOfCaller(str(b, q1 + 1, q2)) ?? x;
    if (x === undefined) return R_NOT_CALL;
    const had = this.dial.hasOpenGroup(x);
    this.dial.callerGone(x, this.v.ts(), true);
    return had ? USED : R_NOT_CALL;
  }


  /** `'SIP/100-00000001' status is 'BUSY'`. */
  private fallthrough(t: string): string {
    const chan = between(t, "'", "'");
    const st = t.indexOf("status is '");
    const status = st >= 0 ? between(t.slice(st + 10), "'", "'") : undefined;
    const x = (chan !== undefined ? this.dial.contextOfCaller(chan) : undefined) ?? this.v.ctx(false);
    if (x === undefined || status === undefined || !this.dial.hasOpenGroup(x)) return R_NO_CALL_INFO;
    this.dial.fallthrough(x, status, this.v.ts());
    return USED;
  }
}

/** End of the count of at most 6 digits at b[q] (q when there is none). */
function countEnd(b: Uint8Array, q: number, e: number): number {
  const from = q;
  while (q < e && b[q]! >= 48 && b[q]! <= 57 && q - from < 6) q++;
  return q;
}

/** The count of at most 6 digits at b[q]; -1 when there is none (a helper, not a closure per line). */
function countAt(b: Uint8Array, q: number, e: number): number {
  const end = countEnd(b, q, e);
  if (end === q) return -1;
  let v = 0;
  for (let i = q; i < end; i++) v = v * 10 + (b[i]! - 48);
  return v;
}

export function between(t: string, open: string, close: string): string | undefined {
  const i = t.indexOf(open);
  if (i < 0) return undefined;
  const j = t.indexOf(close, i + open.length);
  return j < 0 ? undefined : t.slice(i + open.length, j);
}

/** `CALLERID(num)=5551000`, `CALLERID(all)="Bob" <5551000>` → the number. */
function callerIdOf(args: string): string | undefined {
  const i = args.indexOf('CALLERID(');
  if (i < 0) return undefined;
  const close = args.indexOf(')=', i);
  if (close < 0) return undefined;
  const what = args.slice(i + 9, close).toLowerCase();
  let v = args.slice(close + 2);
  const comma = v.indexOf(',');
  if (comma >= 0 && what !== 'all') v = v.slice(0, comma);
  if (what === 'all') {
    const lt = v.lastIndexOf('<');
    const gt = v.lastIndexOf('>');
    v = lt >= 0 && gt > lt ? v.slice(lt + 1, gt) : v;
  } else if (what !== 'num' && what !== 'number') {
    return undefined;
  }
  v = v.trim();
  return v === '' ? undefined : v;
}
