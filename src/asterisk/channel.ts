/**
 * Asterisk channel names and Dial destinations.
 *
 *   Dial destination (what `-- Called …` prints)     channel created for it
 *   SIP/alpha/5551234                                 SIP/alpha-0000001a
 *   SIP/+15038419766@twilio-termination               SIP/twilio-termination-0000000d
 *   PJSIP/5551234@alpha                               PJSIP/alpha-00000003
 *   PJSIP/alpha/sip:5551234@203.0.113.5:5060          PJSIP/alpha-00000003
 *   IAX2/alpha/5551234, IAX2/user:secret@alpha/555    IAX2/alpha-1234
 *
 * The route of an attempt is the peer (endpoint) name; the callee is the number part.
 */

export interface DialTarget {
  tech: string;
  /** Peer / endpoint / host the call is sent to (the route), without a port. */
  peer: string;
  /** Dialled number, when the destination carries one. */
  number?: string | undefined;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close > 0 ? host.slice(1, close) : host;
  }
  const colon = host.indexOf(':');
  // An IPv6 literal without brackets has several colons: keep it whole.
  if (colon >= 0 && host.indexOf(':', colon + 1) < 0) return host.slice(0, colon);
  return host;
}

/** `sip:555@host:5060;transport=udp` → `555`; `555` → `555`. */
function uriUser(s: string): string | undefined {
  let t = s;
  const scheme = /^(sips?|tel):/i.exec(t);
  if (scheme) t = t.slice(scheme[0].length);
  const at = t.indexOf('@');
  if (at >= 0) t = t.slice(0, at);
  else if (scheme && scheme[1]!.toLowerCase() !== 'tel') return undefined;
  const semi = t.indexOf(';');
  if (semi >= 0) t = t.slice(0, semi);
  return t === '' ? undefined : t;
}

/** Parses a Dial destination `TECH/…`; undefined when it is not one. */
export function parseDialTarget(dest: string): DialTarget | undefined {
  const slash = dest.indexOf('/');
  if (slash <= 0) return undefined;
  const tech = dest.slice(0, slash);
  const rest = dest.slice(slash + 1);
  if (rest === '') return undefined;
  const techU = tech.toUpperCase();
  if (techU === 'PJSIP') {
    const s2 = rest.indexOf('/');
    if (s2 >= 0) {
      // PJSIP/endpoint/sip:number@host
      const peer = rest.slice(0, s2);
      const number = uriUser(rest.slice(s2 + 1));
      return number === undefined ? { tech, peer } : { tech, peer, number };
    }
    const at = rest.lastIndexOf('@');
    if (at >= 0) return { tech, peer: rest.slice(at + 1), number: rest.slice(0, at) };
    return { tech, peer: rest };
  }
  if (techU === 'SIP') {
    const at = rest.indexOf('@');
    const s2 = rest.indexOf('/');
    if (at >= 0 && (s2 < 0 || at < s2)) {
      // SIP/number@host[:port][/…]
      const hostPart = s2 >= 0 ? rest.slice(at + 1, s2) : rest.slice(at + 1);
      return { tech, peer: stripPort(hostPart), number: rest.slice(0, at) };
    }
    if (s2 >= 0) {
      const number = rest.slice(s2 + 1);
      const peer = stripPort(rest.slice(0, s2));
      return number === '' ? { tech, peer } : { tech, peer, number };
    }
    return { tech, peer: stripPort(rest) };
  }
  if (techU === 'IAX2' || techU === 'IAX') {
    let r = rest;
    const at = r.indexOf('@');
    const s2 = r.indexOf('/');
    if (at >= 0 && (s2 < 0 || at < s2)) r = r.slice(at + 1); // user[:secret]@peer/number
    const s3 = r.indexOf('/');
    const peer = stripPort(s3 >= 0 ? r.slice(0, s3) : r);
    let number = s3 >= 0 ? r.slice(s3 + 1) : undefined;
    if (number !== undefined) {
      const at2 = number.indexOf('@'); // number@context
      if (at2 >= 0) number = number.slice(0, at2);
    }
    return number ? { tech, peer, number } : { tech, peer };
  }
  // DAHDI/g1/5551234, Motif/…, generic TECH/resource/number.
  const s2 = rest.indexOf('/');
  if (s2 >= 0) return { tech, peer: rest.slice(0, s2), number: rest.slice(s2 + 1) };
  return { tech, peer: rest };
}

/**
 * The peer part of a channel name: `SIP/twilio-termination-0000000d` → `twilio-termination`,
 * `IAX2/alpha-1234` → `alpha`. Undefined when the name has no `-suffix`.
 */
export function channelPeer(chan: string): string | undefined {
  const slash = chan.indexOf('/');
  const dash = chan.lastIndexOf('-');
  if (slash <= 0 || dash <= slash + 1) return undefined;
  return chan.slice(slash + 1, dash);
}

export function channelTech(chan: string): string {
  const slash = chan.indexOf('/');
  return slash > 0 ? chan.slice(0, slash) : '';
}

/** Local channels are dialplan plumbing, not a call sent to a peer. */
export function isLocalChannel(name: string): boolean {
  return name.startsWith('Local/') || name.startsWith('local/');
}

/** readDialTarget's answers. */
export const TARGET_READ = 1;
export const TARGET_NONE = 0;
export const TARGET_SLOW = -1;

/**
 * parseDialTarget on bytes for the two forms a busy log is made of, `PJSIP/number@peer` and
 * `SIP/peer/number` (or `SIP/number@host`), with names from `names` (no slices per line). Fills `out` and
 * returns TARGET_READ, TARGET_NONE when b[s, e) is no destination, or TARGET_SLOW when it has another
 * form (another technology, a bracketed host, PJSIP's `endpoint/uri`): then parseDialTarget decides.
 */
export function readDialTarget(b: Uint8Array, s: number, e: number, names: { get(b: Uint8Array, s: number, e: number): string }, out: DialTarget): number {
  let slash = s;
  while (slash < e && b[slash] !== 47) slash++;
  if (slash >= e || slash === s) return TARGET_NONE;
  const r = slash + 1;
  if (r >= e) return TARGET_SLOW;
  const n = slash - s;
  const isSip = n === 3 && b[s] === 83 && b[s + 1] === 73 && b[s + 2] === 80;
  const isPjsip = n === 5 && b[s] === 80 && b[s + 1] === 74 && b[s + 2] === 83 && b[s + 3] === 73 && b[s + 4] === 80;
  if (!isSip && !isPjsip) return TARGET_SLOW;
  let s2 = -1;
  let at = -1;
  let lastAt = -1;
  for (let i = r; i < e; i++) {
    const c = b[i];
    if (c === 47) {
      if (s2 < 0) s2 = i;
    } else if (c === 64) {
      if (at < 0) at = i;
      lastAt = i;
    }
  }
  if (isPjsip) {
    if (s2 >= 0) return TARGET_SLOW;
    out.tech = 'PJSIP';
    if (lastAt >= 0) {
      out.peer = names.get(b, lastAt + 1, e);
      out.number = names.get(b, r, lastAt);
    } else {
      out.peer = names.get(b, r, e);
      out.number = undefined;
    }
    return TARGET_READ;
  }
  out.tech = 'SIP';
  let hs: number;
  let he: number;
  if (at >= 0 && (s2 < 0 || at < s2)) {
    hs = at + 1;
    he = s2 >= 0 ? s2 : e;
    out.number = names.get(b, r, at);
  } else if (s2 >= 0) {
    hs = r;
    he = s2;
    out.number = s2 + 1 < e ? names.get(b, s2 + 1, e) : undefined;
  } else {
    hs = r;
    he = e;
    out.number = undefined;
  }
  // stripPort: `host:port` → host; an IPv6 literal (several colons) stays whole; `[v6]` goes the slow way.
  if (hs < he && b[hs] === 91) return TARGET_SLOW;
  let colon = -1;
  let colons = 0;
  for (let i = hs; i < he; i++) {
    if (b[i] === 58) {
      if (colon < 0) colon = i;
      colons++;
    }
  }
  out.peer = names.get(b, hs, colons === 1 ? colon : he);
  return TARGET_READ;
}
