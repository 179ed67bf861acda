/**
 * Linking the legs of one call: a B2BUA or proxy gives each side its own Call-ID. Two Call-IDs are legs of
 * one call when an `X-` correlation header ties them (the same value, or one leg's value is the other's
 * Call-ID), or when their initial INVITEs carry the same caller and callee numbers within a few seconds.
 *
 * `LegIndex` keeps one small entry per Call-ID (the first initial INVITE's time, numbers and correlation),
 * so that a whole capture can be indexed in one pass.
 */
import type { SipMessage } from '../types.js';

/** How far apart (ms) the INVITEs of two legs may be when linked by numbers alone. */
export const LEG_WINDOW_MS = 5000;
/** Number suffix compared when formats differ (+7 495… vs 8495…). */
const MIN_SUFFIX = 6;

export interface LegInfo {
  callId: string;
  ts: number;
  /** The initial INVITE's hop: from and to which address. */
  src?: string;
  dst?: string;
  from?: string;
  to?: string;
  correlation?: string;
}

export interface LinkedLeg extends LegInfo {
  /** Why the leg is linked: `correlation` or `numbers`. */
  by: 'correlation' | 'numbers';
}

/** Digits of a user part (`+7 (495) 123-45-67` → `74951234567`); undefined when it has none. */
export function digitsOf(user: string | undefined): string | undefined {
  if (!user) return undefined;
  let d = '';
  for (let i = 0; i < user.length && d.length < 32; i++) {
    const c = user.charCodeAt(i);
    if (c >= 48 && c <= 57) d += user[i];
  }
  return d.length ? d : undefined;
}

/** Same number: equal digits, or one is the other's suffix of at least 6 digits (national vs international). */
export function sameNumber(a: string | undefined, b: string | undefined): boolean {
  const x = digitsOf(a);
  const y = digitsOf(b);
  if (!x || !y) return a !== undefined && a === b;
  if (x === y) return true;
  const [s, l] = x.length < y.length ? [x, y] : [y, x];
  if (s.length < MIN_SUFFIX) return false;
  // one leading trunk digit may differ (8 vs +7): compare the last digits
  const n = Math.min(s.length, l.length) - 1;
  return n >= MIN_SUFFIX && s.slice(-n) === l.slice(-n);
}

export class LegIndex {
  readonly legs = new Map<string, LegInfo>();

  add(m: SipMessage): void {
    if (!m.isRequest || m.method !== 'INVITE' || m.toTag !== undefined || !m.callId) return;
    const e = this.legs.get(m.callId);
    if (e) {
      if (e.correlation === undefined && m.correlation !== undefined) e.correlation = m.correlation;
      return;
    }
    this.legs.set(m.callId, { callId: m.callId, ts: m.ts, src: m.src, dst: m.dst, from: m.fromUser, to: m.toUser, correlation: m.correlation });
  }

  /** The other legs of `callId` (not itself), ordered by INVITE time. */
  linked(callId: string, windowMs = LEG_WINDOW_MS): LinkedLeg[] {
    const me = this.legs.get(callId);
    if (!me) return [];
    const out: LinkedLeg[] = [];
    for (const o of this.legs.values()) {
      if (o.callId === callId) continue;
      const corr =
        (me.correlation !== undefined && (o.correlation === me.correlation || me.correlation === o.callId)) ||
        (o.correlation !== undefined && o.correlation === callId);
      if (corr) {
        out.push({ ...o, by: 'correlation' });
        continue;
      }
      // By numbers, a leg is on another hop: calls between the same two addresses are new attempts of the
      // same caller (redials a second apart), not the B2BUA's other side.
      const sameHop = me.src !== undefined && o.src === me.src && o.dst === me.dst;
      if (!sameHop && Math.abs(o.ts - me.ts) <= windowMs && me.to !== undefined && sameNumber(me.to, o.to) && sameNumber(me.from, o.from)) {
        out.push({ ...o, by: 'numbers' });
      }
    }
    return out.sort((a, b) => a.ts - b.ts);
  }
}
