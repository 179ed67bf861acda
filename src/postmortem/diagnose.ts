/**
 * Diagnosis of one call from its SIP messages (every hop of one Call-ID, in capture order) and, when the
 * capture had them, its call records (RTP counts). A pure function: testable on hand-made message lists.
 *
 * Each diagnosis has a stable id, a severity, a bilingual explanation, the evidence (which messages, by
 * their 0-based index in the list, and when) and the catalogue hint that applies. A normal answered call
 * gets none.
 */
import { describeCode, getHint, type Hint, type Text } from '../catalogue/index.js';
import { CallFlag, type CallRecord, type SipMessage } from '../types.js';

export const DIAGNOSIS_IDS = [
  'no-ack',
  'timeout',
  'auth-failed',
  'stale-nonce',
  'busy-at-device',
  'busy',
  'cancelled',
  'codec',
  'no-route',
  'overload',
  'one-way-audio',
] as const;
export type DiagnosisId = (typeof DIAGNOSIS_IDS)[number];

export type Severity = 'info' | 'warning' | 'error';

export interface Evidence {
  /** 0-based index of the message in the call's message list. */
  index: number;
  ts: number;
  /** What the message is (`INVITE`, `200 OK`) and why it matters. */
  what: string;
}

export interface Diagnosis {
  id: DiagnosisId;
  severity: Severity;
  text: Text;
  evidence: Evidence[];
  /** The catalogue hint for the situation, when it has one. */
  hint?: Hint;
}

/** RFC 3261 T1 and the 64·T1 timers (B, F, H): a 200 OK is retransmitted until then without an ACK. */
export const T1_MS = 500;
export const TIMER_H_MS = 64 * T1_MS;

/** `INVITE`, `200 OK`, `486 Busy Here`: how a message is named in the ladder and in evidence. */
export function messageLabel(m: SipMessage): string {
  if (m.isRequest) return m.method ?? '?';
  return m.reason ? `${m.status} ${m.reason}` : String(m.status ?? '?');
}

const secs = (ms: number): string => (ms / 1000).toFixed(1);

function ev(list: readonly SipMessage[], i: number, note?: string): Evidence {
  const m = list[i]!;
  return { index: i, ts: m.ts, what: note ? `${messageLabel(m)}: ${note}` : messageLabel(m) };
}

function hintOf(...ids: string[]): Hint | undefined {
  for (const id of ids) {
    const h = getHint(id);
    if (h) return h;
  }
  return undefined;
}

/** Hint ids the catalogue attaches to a response (its provider phrase variant first). */
function catalogueHints(code: number, reason: string | undefined): string[] {
  return describeCode(code, reason)?.hints.map((h) => h.id) ?? [];
}

const isInviteFinal = (m: SipMessage): boolean => !m.isRequest && m.cseqMethod === 'INVITE' && (m.status ?? 0) >= 200;
const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** Host part of a SIP URI (`sip:user@host:port;params` → `host`), without regex. */
export function uriHost(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  let s = uri;
  const colon = s.indexOf(':');
  if (colon >= 0 && colon < 5) s = s.slice(colon + 1);
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  let end = s.length;
  for (const c of [';', '>', '?']) {
    const i = s.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  s = s.slice(0, end);
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    return close > 0 ? s.slice(1, close) : s;
  }
  const pc = s.indexOf(':');
  return pc >= 0 ? s.slice(0, pc) : s;
}

/** A private (RFC 1918 / RFC 6598 shared) IPv4 address. */
export function isPrivateIpv4(a: string | undefined): boolean {
  if (!a) return false;
  const p = a.split('.');
  if (p.length !== 4) return false;
  const [x, y] = [Number(p[0]), Number(p[1])];
  return x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127);
}

/** Whether a challenge response carries a stale nonce: its phrase says so, or its raw text has `stale=true`. */
function isStale(m: SipMessage): boolean {
  if (lower(m.reason).includes('stale')) return true;
  if (m.raw === undefined) return false;
  // the raw text is attacker-controlled: a plain search, no regex
  const r = m.raw.toLowerCase();
  let i = r.indexOf('stale');
  while (i >= 0) {
    let j = i + 5;
    while (r[j] === ' ' || r[j] === '\t') j++;
    if (r[j] === '=') {
      j++;
      while (r[j] === ' ' || r[j] === '\t' || r[j] === '"') j++;
      if (r.startsWith('true', j)) return true;
    }
    i = r.indexOf('stale', i + 5);
  }
  return false;
}

/** RFC 3551 static payload types, for SDP without a=rtpmap. */
// A Map: the payload type is SDP text, and `constructor` must not find Object's.
const STATIC_PT = new Map([['0', 'PCMU'], ['3', 'GSM'], ['4', 'G723'], ['8', 'PCMA'], ['9', 'G722'], ['18', 'G729']]);
const codecName = (c: string): string => {
  const name = STATIC_PT.get(c);
  return name ? `${name} (${c})` : c;
};

const CODEC_CODES = new Set([415, 488, 606]);
const NO_ROUTE_CODES = new Set([404, 484, 604]);
const QUOTA_WORDS = ['quota', 'limit', 'cps', 'capacity', 'overload', 'too many'];
const ROUTE_WORDS = ['route', 'routing', 'destination', 'not allowed', 'forbidden destination', 'no gateway'];

/**
 * Diagnoses one call. `messages` are the call's SIP messages in capture order (all hops of its Call-ID, or
 * all legs); `records` the call records of the same Call-ID, when known (for RTP).
 */
export function diagnose(messages: readonly SipMessage[], records: CallRecord | readonly CallRecord[] = []): Diagnosis[] {
  const recs: readonly CallRecord[] = Array.isArray(records) ? records : [records as CallRecord];
  const out: Diagnosis[] = [];
  const list = messages;
  const idx = (pred: (m: SipMessage) => boolean, from = 0): number => {
    for (let i = from; i < list.length; i++) if (pred(list[i]!)) return i;
    return -1;
  };
  const all = (pred: (m: SipMessage) => boolean): number[] => {
    const r: number[] = [];
    for (let i = 0; i < list.length; i++) if (pred(list[i]!)) r.push(i);
    return r;
  };

  const invites = all((m) => m.isRequest && m.method === 'INVITE' && m.toTag === undefined);
  // finals of the initial INVITE transactions only (a re-INVITE's 491 or 488 inside an answered call is not
  // how the call ended); when the INVITE itself was not captured, every INVITE final counts
  const initialCseq = new Set(invites.map((i) => list[i]!.cseq));
  const finals = all((m) => isInviteFinal(m) && (initialCseq.size === 0 || initialCseq.has(m.cseq)));
  const answeredFinal = finals.find((i) => (list[i]!.status ?? 0) < 300);
  const failureFinals = finals.filter((i) => (list[i]!.status ?? 0) >= 300);
  /** The deciding failure: the last non-challenge failure of the INVITE. */
  const lastFailure = [...failureFinals].reverse().find((i) => list[i]!.status !== 401 && list[i]!.status !== 407);
  const cancels = all((m) => m.isRequest && m.method === 'CANCEL');

  // ── no-ack: 200 OK retransmitted, no ACK, BYE ~32 s after ──────────────────────────────────────────
  if (answeredFinal !== undefined) {
    // per hop: a proxy relaying the 200 OK is not a retransmission
    const hops = new Map<string, number[]>();
    for (const i of finals) {
      const m = list[i]!;
      if ((m.status ?? 0) >= 300) continue;
      const k = `${m.cseq} ${m.src}:${m.srcPort}>${m.dst}:${m.dstPort}`;
      const l = hops.get(k);
      if (l) l.push(i);
      else hops.set(k, [i]);
    }
    for (const oks of hops.values()) {
      if (oks.length < 2) continue;
      const ok = list[oks[0]!]!;
      const ackAt = idx((m) => m.isRequest && m.method === 'ACK' && m.cseq === ok.cseq && m.src === ok.dst, oks[0]!);
      if (ackAt >= 0) continue;
      const bye = idx((m) => m.isRequest && m.method === 'BYE', oks[0]!);
      const after = bye >= 0 ? list[bye]!.ts - ok.ts : undefined;
      const near = after !== undefined && after >= TIMER_H_MS - 8000 && after <= TIMER_H_MS + 8000;
      const evidence = [ev(list, oks[0]!, 'answer'), ev(list, oks[oks.length - 1]!, `retransmission ${oks.length - 1} of the 200 OK, no ACK`)];
      if (bye >= 0) evidence.push(ev(list, bye, `${secs(after!)} s after the 200 OK`));
      out.push({
        id: 'no-ack',
        severity: 'error',
        text: {
          en:
            `The 200 OK was sent ${oks.length} times by ${ok.src} and no ACK came back` +
            (bye >= 0 ? `; the call was torn down ${secs(after!)} s after answer${near ? ' (64×T1 = 32 s: the callee gave up waiting for the ACK)' : ''}` : '') +
            '. The ACK is lost on its way back: NAT, a SIP ALG or a firewall between the caller and the callee.',
          ru:
            `200 OK отправлен ${oks.length} раз(а) с ${ok.src}, ACK не вернулся` +
            (bye >= 0 ? `; вызов разорван через ${secs(after!)} с после ответа${near ? ' (64×T1 = 32 с: вызываемая сторона перестала ждать ACK)' : ''}` : '') +
            '. ACK теряется по дороге: NAT, SIP ALG или межсетевой экран между сторонами.',
        },
        evidence,
        hint: hintOf('no-ack-30s'),
      });
      break;
    }
  }

  // ── timeout: 408, or no final response at all ──────────────────────────────────────────────────
  const t408 = finals.find((i) => list[i]!.status === 408);
  if (t408 !== undefined) {
    const evidence = [];
    if (invites.length) evidence.push(ev(list, invites[0]!, 'request'));
    evidence.push(ev(list, t408, invites.length ? `${secs(list[t408]!.ts - list[invites[0]!]!.ts)} s after the INVITE` : 'timeout'));
    out.push({
      id: 'timeout',
      severity: 'error',
      text: {
        en: 'The request timed out (408): the next hop or the callee did not answer in time. Check the firewall, the transport (UDP ↔ TCP) and whether the far end is reachable.',
        ru: 'Запрос не получил ответа вовремя (408): следующий узел или абонент не ответил. Проверьте межсетевой экран, транспорт (UDP ↔ TCP) и доступность удалённой стороны.',
      },
      evidence,
      hint: hintOf('timeout-transport'),
    });
  } else if (invites.length && finals.length === 0 && cancels.length === 0 && noAnswerLongEnough(list, invites, recs)) {
    const first = invites[0]!;
    const retrans = invites.filter((i) => list[i]!.cseq === list[first]!.cseq && list[i]!.src === list[first]!.src).length;
    const evidence = [ev(list, first, 'no final response came')];
    if (retrans > 1) evidence.push(ev(list, invites[retrans - 1]!, `sent ${retrans} times`));
    const last = list[list.length - 1]!;
    out.push({
      id: 'timeout',
      severity: 'error',
      text: {
        en: `No final response to the INVITE (${retrans > 1 ? `sent ${retrans} times, ` : ''}${secs(last.ts - list[first]!.ts)} s of traffic seen): a firewall, the wrong transport or an unreachable next hop.`,
        ru: `На INVITE не пришёл окончательный ответ (${retrans > 1 ? `отправлен ${retrans} раз(а), ` : ''}в записи ${secs(last.ts - list[first]!.ts)} с): межсетевой экран, не тот транспорт или недоступный следующий узел.`,
      },
      evidence,
      hint: hintOf('timeout-transport'),
    });
  }

  // ── auth-failed / stale-nonce ───────────────────────────────────────────────────────────────────
  const challenges = all((m) => !m.isRequest && (m.status === 401 || m.status === 407));
  if (challenges.length) {
    const stale = challenges.filter((i) => isStale(list[i]!));
    const f403 = idx((m) => !m.isRequest && m.status === 403, challenges[0]!);
    // distinct transactions challenged (CSeq + method): the retried request was challenged again
    const keys = new Set(challenges.map((i) => `${list[i]!.cseqMethod} ${list[i]!.cseq}`));
    const repeated = keys.size >= 2;
    const succeeded = idx((m) => !m.isRequest && (m.status ?? 0) >= 200 && (m.status ?? 0) < 300, challenges[challenges.length - 1]!) >= 0;
    if (stale.length) {
      out.push({
        id: 'stale-nonce',
        severity: succeeded ? 'info' : 'warning',
        text: {
          en: 'The server rejected the digest nonce as stale: the client answered an expired challenge. Check the device clock (NTP), the digest algorithm, and anything replaying old requests.',
          ru: 'Сервер отверг nonce дайджеста как устаревший: клиент ответил на истёкший вызов. Проверьте часы устройства (NTP), алгоритм дайджеста и то, что повторяет старые запросы.',
        },
        evidence: stale.map((i) => ev(list, i, 'stale nonce')),
        hint: hintOf('stale-nonce'),
      });
    }
    if ((f403 >= 0 || repeated) && !succeeded) {
      const evidence = challenges.slice(0, 3).map((i) => ev(list, i, 'challenge'));
      if (f403 >= 0) evidence.push(ev(list, f403, 'credentials refused'));
      out.push({
        id: 'auth-failed',
        severity: 'error',
        text: {
          en:
            (f403 >= 0 ? 'The request was challenged and then refused with 403' : `The request was challenged ${keys.size} times: the credentials sent were not accepted`) +
            ': wrong user name, password or realm (they are case-sensitive), or an account not allowed from this address.',
          ru:
            (f403 >= 0 ? 'Запрос получил вызов аутентификации и затем отказ 403' : `Запрос получил вызов аутентификации ${keys.size} раз(а): отправленные учётные данные не приняты`) +
            ': неверные имя, пароль или realm (регистр важен), или учётной записи не разрешён этот адрес.',
        },
        evidence,
        hint: hintOf('credentials'),
      });
    }
  }

  // ── busy-at-device / busy ──────────────────────────────────────────────────────────────────────
  const busy = finals.filter((i) => list[i]!.status === 486);
  if (busy.length) out.push(diagnoseBusy(list, busy, invites));

  // ── cancelled ─────────────────────────────────────────────────────────────────────────────────
  // the 487 proves the INVITE ended by the CANCEL; without it (the capture stops early) the CANCEL's own 200 does
  const r487 = finals.find((i) => list[i]!.status === 487) ?? list.findIndex((m) => !m.isRequest && m.cseqMethod === 'CANCEL' && m.status === 200);
  if (cancels.length && r487 >= 0 && answeredFinal === undefined) {
    const c = cancels[0]!;
    const inv = invites.length ? invites[0]! : -1;
    const ring = idx((m) => !m.isRequest && m.cseqMethod === 'INVITE' && (m.status ?? 0) >= 180 && (m.status ?? 0) < 200);
    const cts = list[c]!.ts;
    const ringSec = ring >= 0 && list[ring]!.ts <= cts ? secs(cts - list[ring]!.ts) : undefined;
    const setupSec = inv >= 0 ? secs(cts - list[inv]!.ts) : undefined;
    const evidence = [];
    if (inv >= 0) evidence.push(ev(list, inv, 'request'));
    if (ring >= 0) evidence.push(ev(list, ring, 'ringing began'));
    evidence.push(ev(list, c, 'caller gave up'), ev(list, r487, list[r487]!.status === 487 ? 'INVITE terminated' : 'CANCEL accepted'));
    out.push({
      id: 'cancelled',
      severity: 'info',
      text: {
        en:
          `The caller cancelled the call` +
          (ringSec !== undefined ? ` after ${ringSec} s of ringing` : ' before any ringing') +
          (setupSec !== undefined ? ` (${setupSec} s after the INVITE)` : '') +
          '. Long rings that end in CANCEL mean nobody answered; very short ones, a caller or a dialer giving up early.',
        ru:
          `Вызывающий отменил вызов` +
          (ringSec !== undefined ? ` после ${ringSec} с звонка` : ' до начала звонка') +
          (setupSec !== undefined ? ` (через ${setupSec} с после INVITE)` : '') +
          '. Долгий звонок с CANCEL — никто не ответил; очень короткий — абонент или автодозвон сдался рано.',
      },
      evidence,
    });
  }

  // ── codec ─────────────────────────────────────────────────────────────────────────────────────
  const codec = finals.find((i) => CODEC_CODES.has(list[i]!.status ?? 0));
  if (codec !== undefined) {
    const inv = [...invites].reverse().find((i) => i < codec && list[i]!.sdp) ?? invites.find((i) => list[i]!.sdp);
    const offered = inv !== undefined ? list[inv]!.sdp!.codecs.map(codecName) : [];
    const r = list[codec]!;
    const accepted = (r.sdp?.codecs ?? []).map(codecName);
    const evidence = [];
    if (inv !== undefined) evidence.push(ev(list, inv, `offered ${offered.join(', ') || 'no codec'}`));
    evidence.push(ev(list, codec, accepted.length ? `the far end accepts ${accepted.join(', ')}` : 'no common codec'));
    const o = offered.length ? offered.join(', ') : undefined;
    const a = accepted.length ? accepted.join(', ') : undefined;
    out.push({
      id: 'codec',
      severity: 'error',
      text: {
        en: `The far end refused the media offer (${r.status}): offered ${o ?? 'unknown (no SDP seen)'}; accepted ${a ?? 'not stated'}. Enable a codec both sides support, or transcode.`,
        ru: `Удалённая сторона отвергла предложение медиа (${r.status}): предложено ${o ?? 'неизвестно (SDP не видно)'}; принимает ${a ?? 'не указано'}. Включите кодек, общий для обеих сторон, или транскодирование.`,
      },
      evidence,
      hint: hintOf('codecs'),
    });
  }

  // ── no-route ──────────────────────────────────────────────────────────────────────────────────
  if (lastFailure !== undefined) {
    const r = list[lastFailure]!;
    const code = r.status ?? 0;
    const hints = catalogueHints(code, r.reason);
    const phrase = lower(r.reason);
    const routePhrase = code === 403 && (hints.includes('no-route') || ROUTE_WORDS.some((w) => phrase.includes(w)));
    if (NO_ROUTE_CODES.has(code) || routePhrase) {
      const hint = code === 484 ? hintOf('number-incomplete', ...hints) : code === 403 ? hintOf('no-route') : hintOf(...hints, 'no-route');
      const evidence = [];
      const inv = invites.length ? invites[0]! : -1;
      if (inv >= 0) evidence.push(ev(list, inv, `to ${list[inv]!.toUser ?? list[inv]!.requestUri ?? '?'}`));
      evidence.push(ev(list, lastFailure, code === 484 ? 'number incomplete' : 'no route'));
      out.push({
        id: 'no-route',
        severity: 'error',
        text: {
          en:
            code === 484
              ? 'The dialled number is incomplete (484): check the digits and the number normalisation.'
              : `The destination could not be routed (${code}${r.reason ? ' ' + r.reason : ''}): the number does not exist there, or the plan has no route to it.`,
          ru:
            code === 484
              ? 'Набранный номер неполный (484): проверьте цифры и нормализацию номера.'
              : `Направление не маршрутизируется (${code}${r.reason ? ' ' + r.reason : ''}): номера там нет или в тарифном плане нет маршрута к нему.`,
        },
        evidence,
        hint,
      });
    }

    // ── overload ──────────────────────────────────────────────────────────────────────────────────
    const quota = code === 500 && (hints.includes('cps-limit') || hints.includes('overload') || QUOTA_WORDS.some((w) => phrase.includes(w)));
    if (code === 503 || quota) {
      const ra = r.retryAfter;
      out.push({
        id: 'overload',
        severity: 'warning',
        text: {
          en:
            (code === 503 ? 'The next hop is unavailable or overloaded (503)' : `The server refused for a quota or limit (500${r.reason ? ' ' + r.reason : ''})`) +
            (ra !== undefined ? `; it asks to retry after ${ra} s` : '') +
            '. Pace the traffic, honour Retry-After and re-route meanwhile.',
          ru:
            (code === 503 ? 'Следующий узел недоступен или перегружен (503)' : `Сервер отказал по квоте или лимиту (500${r.reason ? ' ' + r.reason : ''})`) +
            (ra !== undefined ? `; просит повторить через ${ra} с` : '') +
            '. Снизьте темп вызовов, соблюдайте Retry-After и перемаршрутизируйте на это время.',
        },
        evidence: [ev(list, lastFailure, ra !== undefined ? `Retry-After ${ra}` : 'refused')],
        hint: quota ? hintOf('cps-limit', 'overload') : hintOf('overload'),
      });
    }
  }

  // ── one-way-audio ────────────────────────────────────────────────────────────────────────────────
  // Direction is told by the SDP endpoints: when offer and answer announce the same address (a hairpin through
  // one host, a local call), the packets cannot be attributed to a side and no conclusion is drawn. Nor when
  // another record of the call (another hop) saw both directions.
  const offerAddrs = new Set(list.filter((m) => m.isRequest && m.sdp?.addr).map((m) => m.sdp!.addr!));
  const sharedMedia = list.some((m) => !m.isRequest && m.sdp?.addr !== undefined && offerAddrs.has(m.sdp.addr));
  const twoWay = recs.some((r) => r.rtp !== undefined && r.rtp.fromCaller > 0 && r.rtp.fromCallee > 0);
  for (const rec of sharedMedia || twoWay ? [] : recs) {
    const rtp = rec.rtp;
    if (!rtp || rec.answer === undefined) continue;
    const total = rtp.fromCaller + rtp.fromCallee;
    if (total === 0 || (rtp.fromCaller > 0 && rtp.fromCallee > 0)) continue;
    const silent = rtp.fromCallee === 0 ? 'callee' : 'caller';
    const okIdx = answeredFinal ?? -1;
    const sdpAddrs = list.filter((m) => m.sdp?.addr).map((m) => m.sdp!.addr!);
    const priv = sdpAddrs.find(isPrivateIpv4);
    out.push({
      id: 'one-way-audio',
      severity: 'error',
      text: {
        en:
          `One-way audio: after answer ${total} RTP packets came from the ${silent === 'callee' ? 'caller' : 'callee'} and none from the ${silent}.` +
          (priv ? ` The SDP announces a private address (${priv}): media is sent where it cannot arrive.` : ' Check NAT and the media addresses in the SDP of both sides.'),
        ru:
          `Односторонний звук: после ответа ${total} пакетов RTP пришло от ${silent === 'callee' ? 'вызывающего' : 'вызываемого'} и ни одного от ${silent === 'callee' ? 'вызываемого' : 'вызывающего'}.` +
          (priv ? ` В SDP указан частный адрес (${priv}): медиа отправляется туда, куда не дойдёт.` : ' Проверьте NAT и адреса медиа в SDP обеих сторон.'),
      },
      evidence: okIdx >= 0 ? [ev(list, okIdx, `answer; RTP caller→callee ${rtp.fromCaller}, callee→caller ${rtp.fromCallee}`)] : [],
      hint: priv ? hintOf('private-ip') : undefined,
    });
    break;
  }
  return out;
}

/**
 * A missing final response is a timeout only when the call had the time to get one: the INVITE was
 * retransmitted, or the messages span Timer B (32 s), or the tracker closed the call as timed out. A capture
 * that simply ends early is not a timeout.
 */
function noAnswerLongEnough(list: readonly SipMessage[], invites: number[], recs: readonly CallRecord[]): boolean {
  const first = list[invites[0]!]!;
  if (invites.some((i) => i !== invites[0] && list[i]!.cseq === first.cseq && list[i]!.src === first.src)) return true;
  if (list[list.length - 1]!.ts - first.ts >= TIMER_H_MS) return true;
  return recs.some((r) => (r.flags & CallFlag.TimedOut) !== 0);
}

function diagnoseBusy(list: readonly SipMessage[], busy: number[], invites: number[]): Diagnosis {
  // The 486 that came from furthest: on several hops, the one whose sender received an INVITE but did not
  // forward it (it is the device); the others are relays of it.
  const forwarded = new Set(invites.map((i) => list[i]!.src));
  const deepest = busy.find((i) => !forwarded.has(list[i]!.src)) ?? busy[busy.length - 1]!;
  const r = list[deepest]!;
  const reasons: { en: string; ru: string }[] = [];
  const evidence: Evidence[] = [];
  // the INVITE this 486 answers (same hop, reversed)
  const inv = [...invites].reverse().find((i) => i < deepest && list[i]!.dst === r.src && list[i]!.src === r.dst);
  if (busy.length > 1 && busy.some((i) => i !== deepest && list[i]!.src !== r.src)) {
    reasons.push({ en: `it was relayed over ${busy.length} hops and originated at ${r.src}, the last hop`, ru: `он прошёл ${busy.length} участка и возник на ${r.src}, последнем узле` });
  }
  // a Request-URI naming the sender is the device's contact only on a forwarded INVITE: on the first hop it
  // names the proxy's domain
  if (inv !== undefined && forwarded.size > 1) {
    const host = uriHost(list[inv]!.requestUri);
    if (host && host === r.src) {
      reasons.push({ en: `${r.src} is the device's own contact address (the INVITE's Request-URI)`, ru: `${r.src} — собственный адрес устройства (Request-URI в INVITE)` });
      evidence.push(ev(list, inv, `Request-URI host ${host}`));
    }
  }
  const ring = list.findIndex((m, i) => i < deepest && !m.isRequest && m.cseqMethod === 'INVITE' && (m.status ?? 0) >= 180 && (m.status ?? 0) < 200 && m.src === r.src && m.toTag !== undefined && m.toTag === r.toTag);
  if (ring >= 0) {
    reasons.push({ en: 'the device that rang (same To-tag as its 18x) answered busy', ru: 'ответило «занято» то же устройство, что звонило (тот же To-tag, что у 18x)' });
    evidence.push(ev(list, ring, 'rang first'));
  }
  const trying = list.findIndex((m, i) => i < deepest && !m.isRequest && m.status === 100 && m.src === r.src);
  let proxyMade = false;
  if (trying >= 0 && list[trying]!.userAgent && r.userAgent) {
    if (list[trying]!.userAgent !== r.userAgent) {
      reasons.push({ en: `its Server (${r.userAgent}) differs from the next hop's own (${list[trying]!.userAgent}, on its 100 Trying): it came from behind the proxy`, ru: `его Server (${r.userAgent}) отличается от собственного у следующего узла (${list[trying]!.userAgent}, в 100 Trying): ответ пришёл из-за прокси` });
      evidence.push(ev(list, trying, 'the proxy'));
    } else if (ring < 0 && reasons.length === 0) proxyMade = true;
  }
  evidence.push(ev(list, deepest, `from ${r.src}${r.userAgent ? ` (${r.userAgent})` : ''}`));
  const hint = getHint('busy');
  if (reasons.length) {
    return {
      id: 'busy-at-device',
      severity: 'warning',
      text: {
        en: `The 486 Busy Here was sent by the endpoint itself, not by the proxy: ${reasons.map((x) => x.en).join('; ')}. If the line was not really in use, look at the device (call waiting off, DND, a hung call or registration, its busy level).`,
        ru: `486 Busy Here отправило само оконечное устройство, а не прокси: ${reasons.map((x) => x.ru).join('; ')}. Если линия не была занята, проверьте устройство (ожидание вызова выключено, DND, зависший вызов или регистрация, лимит занятости).`,
      },
      evidence,
      hint,
    };
  }
  return {
    id: 'busy',
    severity: 'info',
    text: proxyMade
      ? {
          en: `The 486 Busy Here was generated by the next hop ${r.src} itself (the same Server as its 100 Trying). If ${r.src} is a proxy or PBX, the busy is its own decision (a call limit, busy level or DND), not the phone's.`,
          ru: `486 Busy Here сформировал сам следующий узел ${r.src} (тот же Server, что в его 100 Trying). Если ${r.src} — прокси или АТС, занятость решила она (лимит вызовов, уровень занятости или DND), а не телефон.`,
        }
      : {
          en: `The callee was busy (486 from ${r.src}); whether the device or a proxy decided it cannot be told from this hop alone.`,
          ru: `Абонент занят (486 от ${r.src}); решило ли это устройство или прокси, по одному участку сказать нельзя.`,
        },
    evidence,
    hint,
  };
}
