/**
 * Diagnosis of one call from its SIP messages (every hop of one Call-ID, in capture order) and, when the
 * capture had them, its call records (RTP counts). A pure function: testable on hand-made message lists.
 *
 * Each diagnosis has a stable id, a severity, a bilingual explanation, the evidence (which messages, by
 * their 0-based index in the list, and when) and the catalogue hint that applies. A normal answered call
 * gets none.
 */
import { describeCode, getHint, q850Label, type Hint, type Text } from '../catalogue/index.js';
import { CallFlag, type CallRecord, type SipMessage } from '../types.js';
import { ruCount, ruDecimal, ruPlural, ruTimes } from './ru.js';

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
  'no-answer',
  'unavailable',
  'declined',
  'unwanted',
  'rejected',
  'dropped',
] as const;
export type DiagnosisId = (typeof DIAGNOSIS_IDS)[number];

export type Severity = 'info' | 'warning' | 'error';

export interface Evidence {
  /** 0-based index of the message in the call's message list. */
  index: number;
  ts: number;
  /**
   * What the message is and why it matters, in both languages: the label as on the wire (`INVITE`,
   * `486 Busy Here`, the same in both) and, after a colon, the note (`INVITE: offered PCMU (0)`).
   */
  what: Text;
}

export interface Diagnosis {
  id: DiagnosisId;
  severity: Severity;
  text: Text;
  evidence: Evidence[];
  /** The catalogue hint for the situation, when it has one. */
  hint?: Hint;
}

/**
 * RFC 3261 T1, and 64·T1: the limit of timers B, F and H, and how long a UAS retransmits a 200 OK that gets
 * no ACK before it ends the session (§13.3.1.4).
 */
export const T1_MS = 500;
export const TIMER_H_MS = 64 * T1_MS;

/** `INVITE`, `200 OK`, `486 Busy Here`: how a message is named in the ladder and in evidence. */
export function messageLabel(m: SipMessage): string {
  if (m.isRequest) return m.method ?? '?';
  return m.reason ? `${m.status} ${m.reason}` : String(m.status ?? '?');
}

const secs = (ms: number): string => (ms / 1000).toFixed(1);
/** `3,2`: seconds for Russian text, with the decimal comma. */
const secsRu = (ms: number): string => ruDecimal(secs(ms));

function ev(list: readonly SipMessage[], i: number, note?: Text): Evidence {
  const m = list[i]!;
  const label = messageLabel(m);
  return { index: i, ts: m.ts, what: note ? { en: `${label}: ${note.en}`, ru: `${label}: ${note.ru}` } : { en: label, ru: label } };
}

const REQUEST: Text = { en: 'request', ru: 'запрос' };
const RING_BEGAN: Text = { en: 'ringing began', ru: 'начался звонок' };

/** `from 10.0.0.5 (Server)`: who sent a response. */
const fromNote = (r: SipMessage): Text => {
  const ua = r.userAgent ? ` (${r.userAgent})` : '';
  return { en: `from ${r.src}${ua}`, ru: `от ${r.src}${ua}` };
};

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

/** The outer parties of a call whose legs a B2BUA links (each leg with a Call-ID of its own), and the B2BUA between them. */
export interface LinkedParties {
  /** The address that sent the first INVITE toward the B2BUA. */
  caller: string;
  /** The address that answered the B2BUA's INVITE on the far leg. */
  callee: string;
  /** The B2BUA: the address every leg's INVITE hop shares. */
  middle: string;
}

export interface DiagnoseOptions {
  /**
   * The leg is one of several linked legs that `linkedTeardown` found ended by the B2BUA: its BYE is judged
   * against the call's outer parties (a BYE from the B2BUA is no party's), not this leg's two ends.
   */
  parties?: LinkedParties;
  /**
   * Another leg carries the diagnosis that the B2BUA tore the call down: on this one, that alone is not said again
   * (what else its BYE shows, a cause or a limit, still is).
   */
  quietMiddle?: boolean;
}

/**
 * Diagnoses one call. `messages` are the call's SIP messages in capture order (all hops of its Call-ID, or
 * all legs); `records` the call records of the same Call-ID, when known (for RTP).
 */
export function diagnose(messages: readonly SipMessage[], records: CallRecord | readonly CallRecord[] = [], opts: DiagnoseOptions = {}): Diagnosis[] {
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
  // re-INVITEs (a To-tag: in a dialog): `CSeq src>dst` of each hop they crossed
  const inDialog = new Set(list.filter((m) => m.isRequest && m.method === 'INVITE' && m.toTag !== undefined).map((m) => `${m.cseq} ${m.src}>${m.dst}`));
  /** A final answering a re-INVITE: same CSeq, on the hop the re-INVITE crossed, the other way. */
  const answersReInvite = (m: SipMessage): boolean => inDialog.has(`${m.cseq} ${m.dst}>${m.src}`);
  // finals of the initial INVITE transactions only (a re-INVITE's 491 or 488 inside an answered call is not
  // how the call ended); when the INVITE itself was not captured, every INVITE final counts but those that
  // answer a re-INVITE (a capture that starts mid-call)
  const initialCseq = new Set(invites.map((i) => list[i]!.cseq));
  const finals = all((m) => isInviteFinal(m) && (initialCseq.size === 0 || initialCseq.has(m.cseq)) && !answersReInvite(m));
  const answeredFinal = finals.find((i) => (list[i]!.status ?? 0) < 300);
  const failureFinals = finals.filter((i) => (list[i]!.status ?? 0) >= 300);
  /**
   * The deciding failure: the last non-challenge failure of the INVITE, as first sent on its hop. A final
   * retransmitted until its ACK comes (or Timer H fires) is one response: its times are those of the first copy.
   */
  const lastSent = [...failureFinals].reverse().find((i) => list[i]!.status !== 401 && list[i]!.status !== 407);
  const lastFailure = lastSent === undefined ? undefined : firstCopy(list, failureFinals, lastSent);
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
      const evidence = [
        ev(list, oks[0]!, { en: 'answer', ru: 'ответ' }),
        ev(list, oks[oks.length - 1]!, { en: `retransmission ${oks.length - 1} of the 200 OK, no ACK`, ru: `${oks.length - 1}-я повторная передача 200 OK, ACK нет` }),
      ];
      if (bye >= 0) evidence.push(ev(list, bye, { en: `${secs(after!)} s after the 200 OK`, ru: `через ${secsRu(after!)} с после 200 OK` }));
      out.push({
        id: 'no-ack',
        severity: 'error',
        text: {
          en:
            `The 200 OK was sent ${oks.length} times by ${ok.src} and no ACK came back` +
            (bye >= 0 ? `; the call was torn down ${secs(after!)} s after answer${near ? ' (64×T1 = 32 s: the callee gave up waiting for the ACK)' : ''}` : '') +
            '. The ACK is lost on its way back: NAT, a SIP ALG or a firewall between the caller and the callee.',
          ru:
            `200 OK отправлен ${ruTimes(oks.length)} с ${ok.src}, ACK не вернулся` +
            (bye >= 0 ? `; вызов разорван через ${secsRu(after!)} с после ответа${near ? ' (64×T1 = 32 с: вызываемая сторона перестала ждать ACK)' : ''}` : '') +
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
  if (t408 !== undefined) out.push(diagnose408(list, t408, invites, cancels));
  else if (invites.length && finals.length === 0 && cancels.length === 0 && noAnswerLongEnough(list, invites, recs)) out.push(diagnoseNoFinal(list, invites));

  // ── auth-failed / stale-nonce ───────────────────────────────────────────────────────────────────
  const challenges = all((m) => !m.isRequest && (m.status === 401 || m.status === 407));
  if (challenges.length) {
    const stale = challenges.filter((i) => isStale(list[i]!));
    const is2xx = (m: SipMessage): boolean => !m.isRequest && (m.status ?? 0) >= 200 && (m.status ?? 0) < 300;
    const last = challenges[challenges.length - 1]!;
    const succeeded = idx(is2xx, last) >= 0;
    // The last round of authentication: the challenges after the last success before the final challenge (a
    // REGISTER Call-ID that failed once, then registered, then failed again is judged on its last round; an old
    // 403 that a later success followed explains nothing).
    let okBefore = -1;
    for (let i = last - 1; i >= 0; i--) {
      if (is2xx(list[i]!)) {
        okBefore = i;
        break;
      }
    }
    const round = challenges.filter((i) => i > okBefore);
    const f403 = idx((m) => !m.isRequest && m.status === 403, round[0]!);
    // distinct transactions challenged (CSeq + method): the retried request was challenged again
    const keys = new Set(round.map((i) => `${list[i]!.cseqMethod} ${list[i]!.cseq}`));
    const repeated = keys.size >= 2;
    if (stale.length) {
      out.push({
        id: 'stale-nonce',
        severity: succeeded ? 'info' : 'warning',
        text: {
          en: 'The server rejected the digest nonce as stale: the client answered an expired challenge. Check the device clock (NTP), the digest algorithm, and anything replaying old requests.',
          ru: 'Сервер отверг nonce дайджеста как устаревший: клиент ответил на устаревший запрос аутентификации (challenge). Проверьте часы устройства (NTP), алгоритм дайджеста и не отправляет ли что-то повторно старые запросы.',
        },
        evidence: stale.map((i) => ev(list, i, { en: 'stale nonce', ru: 'устаревший nonce' })),
        hint: hintOf('stale-nonce'),
      });
    }
    if ((f403 >= 0 || repeated) && !succeeded) {
      // in message order: the challenges that led to the 403 (the last three before it), or the round's first three
      const cited = f403 >= 0 ? round.filter((i) => i < f403).slice(-3) : round.slice(0, 3);
      const evidence = cited.map((i) => ev(list, i, { en: 'challenge', ru: 'запрос аутентификации' }));
      if (f403 >= 0) evidence.push(ev(list, f403, { en: 'credentials refused', ru: 'учётные данные отвергнуты' }));
      out.push({
        id: 'auth-failed',
        severity: 'error',
        text: {
          en:
            (f403 >= 0 ? 'The request was challenged and then refused with 403' : `The request was challenged ${keys.size} times: the credentials sent were not accepted`) +
            ': wrong user name, password or realm (they are case-sensitive), or an account not allowed from this address.',
          ru:
            (f403 >= 0
              ? 'Запрос получил требование аутентификации, а затем отказ 403'
              : `Запрос ${keys.size === 2 ? 'дважды' : ruTimes(keys.size)} получил требование аутентификации: отправленные учётные данные не приняты`) +
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
    const cts = list[c]!.ts;
    // Ringing is a 180 (with or without SDP). Without one, a 183 or another 18x with SDP before the CANCEL was early
    // media (a ring-back tone or an announcement), and an 18x without SDP (181, 182) only progress: not ringing.
    const prov = (m: SipMessage, i: number): boolean => i < c && !m.isRequest && m.cseqMethod === 'INVITE' && (m.status ?? 0) >= 180 && (m.status ?? 0) < 200;
    const rang = list.findIndex((m, i) => prov(m, i) && m.status === 180);
    const ring = rang >= 0 ? rang : list.findIndex(prov);
    const kind: 'ringing' | 'media' | 'progress' = rang >= 0 ? 'ringing' : ring >= 0 && (list[ring]!.status === 183 || list[ring]!.sdp !== undefined) ? 'media' : 'progress';
    const ringMs = ring >= 0 ? cts - list[ring]!.ts : undefined;
    const setupMs = inv >= 0 ? cts - list[inv]!.ts : undefined;
    const evidence = [];
    if (inv >= 0) evidence.push(ev(list, inv, REQUEST));
    if (ring >= 0) {
      evidence.push(
        ev(list, ring, kind === 'ringing' ? RING_BEGAN : kind === 'media' ? { en: 'early media began, no ringing', ru: 'начались ранние медиа, звонка нет' } : { en: 'call progress, no ringing', ru: 'ход установления вызова, звонка нет' }),
      );
    }
    evidence.push(
      ev(list, c, { en: 'caller gave up', ru: 'вызывающий отменил вызов' }),
      ev(list, r487, list[r487]!.status === 487 ? { en: 'INVITE terminated', ru: 'INVITE прерван' } : { en: 'CANCEL accepted', ru: 'CANCEL принят' }),
    );
    const label = ring >= 0 ? messageLabel(list[ring]!) : '';
    const after: Text =
      ringMs === undefined
        ? { en: ' before any ringing', ru: ' до начала звонка' }
        : kind === 'ringing'
          ? { en: ` after ${secs(ringMs)} s of ringing`, ru: ` после ${secsRu(ringMs)} с звонка` }
          : kind === 'media'
            ? { en: ` after ${secs(ringMs)} s of early media (${label}: a ring-back tone or an announcement) with no 180 Ringing`, ru: ` после ${secsRu(ringMs)} с ранних медиа (${label}: сигнал КПВ или речевое объявление) без 180 Ringing` }
            : { en: ` after ${secs(ringMs)} s of call progress (${label}) with no ringing`, ru: ` после ${secsRu(ringMs)} с хода установления вызова (${label}) без звонка` };
    out.push({
      id: 'cancelled',
      severity: 'info',
      text: {
        en:
          `The caller cancelled the call` +
          after.en +
          (setupMs !== undefined ? ` (${secs(setupMs)} s after the INVITE)` : '') +
          '. Long rings that end in CANCEL mean nobody answered; very short ones, a caller or a dialer giving up early.',
        ru:
          `Вызывающий отменил вызов` +
          after.ru +
          (setupMs !== undefined ? ` (через ${secsRu(setupMs)} с после INVITE)` : '') +
          '. Долгий звонок с CANCEL — никто не ответил; очень короткий — абонент или автодозвон прекратил попытку слишком рано.',
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
    if (inv !== undefined) {
      evidence.push(ev(list, inv, offered.length ? { en: `offered ${offered.join(', ')}`, ru: `предложено: ${offered.join(', ')}` } : { en: 'offered no codec', ru: 'кодеки не предложены' }));
    }
    evidence.push(
      ev(list, codec, accepted.length ? { en: `the far end accepts ${accepted.join(', ')}`, ru: `удалённая сторона принимает: ${accepted.join(', ')}` } : { en: 'no common codec', ru: 'нет общего кодека' }),
    );
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
      // README: `number-incomplete` for 484, `no-route` for a routing 403, else the code's own (a plain 404 or 604
      // has none: the carrier's "no gateway in your plan" would send a PBX user to the provider)
      const hint = code === 484 ? hintOf('number-incomplete', ...hints) : code === 403 ? hintOf('no-route') : hintOf(...hints);
      const evidence = [];
      const inv = invites.length ? invites[0]! : -1;
      if (inv >= 0) {
        const to = list[inv]!.toUser ?? list[inv]!.requestUri ?? '?';
        evidence.push(ev(list, inv, { en: `to ${to}`, ru: `кому: ${to}` }));
      }
      evidence.push(ev(list, lastFailure, code === 484 ? { en: 'number incomplete', ru: 'номер неполный' } : { en: 'no route', ru: 'нет маршрута' }));
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
        evidence: [ev(list, lastFailure, ra !== undefined ? { en: `Retry-After ${ra} s`, ru: `Retry-After ${ra} с` } : { en: 'refused', ru: 'отказ' })],
        hint: quota ? hintOf('cps-limit', 'overload') : hintOf('overload'),
      });
    }

    // ── no-answer / unavailable / declined / unwanted / rejected ────────────────────────────────────
    // how the callee's side refused; not when a branch answered, nor when the caller had cancelled first
    // (then the refusal only answers the CANCEL race)
    const cancelledFirst = cancels.some((c) => c < lastFailure);
    if (answeredFinal === undefined && !cancelledFirst) {
      const d = diagnoseRefusal(list, lastFailure, invites);
      if (d) out.push(d);
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
    out.push(diagnoseOneWay(list, rec, rtp, invites, answeredFinal));
    break;
  }

  // ── dropped: an answered call ended by something else than a party's plain hang-up ─────────────────
  if (answeredFinal !== undefined) {
    const d = diagnoseDrop(list, invites, answeredFinal, initialCseq, recs, opts);
    if (d) out.push(d);
  }
  return out;
}

// ── dropped calls ───────────────────────────────────────────────────────────────────────────────────

/**
 * Walks the headers of a message's raw text (up to the blank line), each with its folded continuation lines
 * (RFC 3261 §7.3.1): `visit(head, pos, stop)` gets the header section and one header's span [pos, stop), and
 * ends the walk by returning a value. No regex: the raw text comes from the wire.
 */
function eachHeader<T>(raw: string, visit: (head: string, pos: number, stop: number) => T | undefined): T | undefined {
  let end = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (end < 0 || (lf >= 0 && lf < end)) end = lf;
  const head = end < 0 ? raw : raw.slice(0, end);
  let pos = 0;
  while (pos < head.length) {
    let stop = head.indexOf('\n', pos);
    if (stop < 0) stop = head.length;
    while (stop < head.length && (head[stop + 1] === ' ' || head[stop + 1] === '\t')) {
      const next = head.indexOf('\n', stop + 1);
      stop = next < 0 ? head.length : next;
    }
    const v = visit(head, pos, stop);
    if (v !== undefined) return v;
    pos = stop + 1;
  }
  return undefined;
}

/** The value of the first header `name` (or its compact form) in a message's raw text, trimmed. */
export function rawHeader(raw: string | undefined, name: string, compact?: string): string | undefined {
  if (raw === undefined) return undefined;
  const want = name.toLowerCase();
  return eachHeader(raw, (head, pos, stop) => {
    const colon = head.indexOf(':', pos);
    if (colon < 0 || colon >= stop) return undefined;
    const h = head.slice(pos, colon).trim().toLowerCase();
    return h === want || (compact !== undefined && h === compact) ? head.slice(colon + 1, stop).trim() : undefined;
  });
}

/** `Session-Expires: 1800;refresher=uac` → { secs: 1800, refresher: 'uac' }. */
function sessionExpires(m: SipMessage): { secs: number; refresher?: string } | undefined {
  const v = rawHeader(m.raw, 'session-expires', 'x');
  if (v === undefined) return undefined;
  let i = 0;
  while (i < v.length && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
  if (i === 0 || i > 9) return undefined;
  const secs = Number(v.slice(0, i));
  const r = v.toLowerCase().indexOf('refresher=');
  const refresher = r >= 0 ? v.slice(r + 10, r + 13).toLowerCase() : undefined;
  return { secs, refresher: refresher === 'uac' || refresher === 'uas' ? refresher : undefined };
}

/** A side whose RTP stopped this long before the BYE, after at least MEDIA_MIN_PACKETS of it, fell silent: an RTP timeout. */
const MEDIA_GAP_MS = 10_000;
const MEDIA_MIN_PACKETS = 50;

/** Common maximum call durations, in minutes: a call lasting one of them to the second was cut by a limit. */
const DURATION_LIMITS_MIN = [30, 60, 90, 120, 180, 240, 360, 480, 720, 1440];

/** `1:00:00.4`, `59:59.8`: a call's length as a clock shows it. */
function clock(ms: number): string {
  const t = Math.max(0, ms) / 1000;
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = (t % 60).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * Why an answered call ended, when it was not a party's plain hang-up (docs/postmortem.md, `dropped`): a session
 * timer that expired (RFC 4028: no refresh within Session-Expires), a refresh or other request inside the call
 * answered 481/408/5xx or not at all before the BYE, a BYE with an abnormal Q.850 cause, a BYE that neither
 * party sent (a proxy or SBC tore the call down), or a length of exactly a usual maximum duration.
 */
function diagnoseDrop(
  list: readonly SipMessage[],
  invites: readonly number[],
  answered: number,
  initialCseq: ReadonlySet<number>,
  recs: readonly CallRecord[],
  opts: DiagnoseOptions,
): Diagnosis | undefined {
  const answer = list[answered]!;
  const origin = byeOrigin(list, answered);
  if (origin < 0) return undefined; // the end is not in the capture
  const bye = list[origin]!;
  // across a B2BUA the parties are the outer ends of the call, not this leg's two ends (one of which is the B2BUA)
  const parties = opts.parties;
  const caller = parties ? parties.caller : invites.length > 0 ? list[invites[0]!]!.src : undefined;
  const callee = parties ? parties.callee : answer.src;
  const b2bua = parties !== undefined && bye.src === parties.middle;
  const who: 'caller' | 'callee' | 'other' = bye.src === caller ? 'caller' : bye.src === callee ? 'callee' : 'other';
  const whoText: Text =
    who === 'caller'
      ? { en: `the caller (${bye.src})`, ru: `вызывающая сторона (${bye.src})` }
      : who === 'callee'
        ? { en: `the callee (${bye.src})`, ru: `вызываемая сторона (${bye.src})` }
        : b2bua
          ? { en: `the B2BUA (${bye.src})`, ru: `B2BUA (${bye.src})` }
          : { en: bye.src, ru: `узел ${bye.src}` };
  /** A Russian past-tense verb agreeing with whoText.ru: `сторона … отправила`, `узел … отправил`. */
  const ruVerb = (masc: string): string => (who === 'other' ? masc : `${masc}а`);
  const cap = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);
  const talk = bye.ts - answer.ts;
  const evidence: Evidence[] = [ev(list, answered, { en: 'answer', ru: 'ответ' })];
  // what the BYE itself says: its Reason header (a Q.850 cause and text) and Asterisk's hang-up cause
  const causeLabel = bye.q850 !== undefined ? q850Label(bye.q850) : undefined;
  const causeText: Text | undefined =
    bye.q850 === undefined ? undefined : { en: `Q.850 cause ${bye.q850}${causeLabel ? ` (${causeLabel.en})` : ''}`, ru: `причина Q.850 ${bye.q850}${causeLabel ? ` (${causeLabel.ru})` : ''}` };
  const byeSaid: Text | undefined = bye.reasonHeader
    ? { en: `The BYE carries Reason: ${bye.reasonHeader}${causeLabel ? ` (${causeLabel.en})` : ''}.`, ru: `В BYE указано Reason: ${bye.reasonHeader}${causeLabel ? ` (${causeLabel.ru})` : ''}.` }
    : undefined;
  const byeNote = (extra?: Text): Text => ({
    en: `${clock(talk)} after answer, sent by ${whoText.en}${extra ? `; ${extra.en}` : ''}`,
    ru: `через ${ruDecimal(clock(talk))} после ответа, отправитель: ${whoText.ru}${extra ? `; ${extra.ru}` : ''}`,
  });

  // 1. a request inside the call (a refresh, an UPDATE, an INFO…) answered with a failure, or not at all, before the BYE
  for (let i = answered + 1; i < origin; i++) {
    const q = list[i]!;
    if (!q.isRequest || q.method === 'ACK' || q.method === 'BYE' || q.method === 'CANCEL' || (q.method === 'INVITE' && initialCseq.has(q.cseq))) continue;
    let resp = -1;
    for (let j = i + 1; j < list.length; j++) {
      const r = list[j]!;
      if (!r.isRequest && r.cseq === q.cseq && r.cseqMethod === q.method && r.src === q.dst && (r.status ?? 0) >= 200) {
        resp = j;
        break;
      }
    }
    const status = resp >= 0 ? list[resp]!.status! : 0;
    // what loses a call: the dialog unknown (481), no answer (408 or none), a server failure (5xx but 501, not
    // supported); other refusals (a codec change refused, glare, a challenge) leave the call as it was
    if (resp > origin) continue;
    if (!(status === 0 || status === 408 || status === 481 || (status >= 500 && status < 600 && status !== 501))) continue;
    const method = q.method ?? '?';
    const later = bye.ts - q.ts;
    // over several hops the refusal is relayed back: the first copy came from where it began
    let first = resp;
    for (let j = i + 1; resp >= 0 && j < resp; j++) {
      const r = list[j]!;
      if (!r.isRequest && r.cseq === q.cseq && r.cseqMethod === q.method && r.status === status) {
        first = j;
        break;
      }
    }
    // the BYE must follow while the request was failing: within a transaction's life (64·T1), and, for a request
    // that got no answer, after its retransmissions had time to go unanswered (not a hang-up that crossed it)
    if (later > TIMER_H_MS + 5000 || (status === 0 && later < 8 * T1_MS)) continue;
    evidence.push(ev(list, i, { en: 'request inside the call', ru: 'запрос внутри вызова' }));
    if (resp >= 0) evidence.push(ev(list, first, fromNote(list[first]!)));
    evidence.push(ev(list, origin, byeNote()));
    const by = first >= 0 ? list[first]!.src : q.dst;
    const why: Text =
      status === 481
        ? { en: `${by} no longer knew the dialog: it restarted, failed over, or lost the call's state`, ru: `${by} уже не знал этот диалог: перезапуск, переключение на резерв или потеря состояния вызова` }
        : status === 0 || status === 408
          ? { en: `${q.dst} stopped answering in the middle of the call: a network break, or a NAT binding that expired (UDP) so that requests toward it no longer arrive`, ru: `${q.dst} перестал отвечать посреди вызова: обрыв сети или истёкшая привязка NAT (UDP), из-за которой запросы к нему больше не доходят` }
          : { en: `${by} refused it`, ru: `${by} отказал в нём` };
    const got: Text = resp >= 0 ? { en: `got ${messageLabel(list[resp]!)}`, ru: `получил ${messageLabel(list[resp]!)}` } : { en: 'got no final response', ru: 'не получил окончательного ответа' };
    return {
      id: 'dropped',
      severity: 'error',
      text: {
        en: `The call was dropped ${clock(talk)} after answer: the ${method} sent inside the call ${got.en}, and ${whoText.en} sent the BYE ${secs(later)} s after that request. ${why.en}.${byeSaid ? ` ${byeSaid.en}` : ''}`,
        ru: `Вызов оборвался через ${ruDecimal(clock(talk))} после ответа: ${method} внутри вызова ${got.ru}, и ${whoText.ru} ${ruVerb('отправил')} BYE через ${secsRu(later)} с после этого запроса. ${why.ru}.${byeSaid ? ` ${byeSaid.ru}` : ''}`,
      },
      evidence,
      hint: status === 481 ? hintOf('duplicate') : undefined,
    };
  }

  // 2. a session timer that expired: no successful refresh within Session-Expires (RFC 4028 §10: the BYE comes
  // slightly before the expiry, by the lesser of 32 s and a third of the interval)
  const se = sessionExpires(answer) ?? (invites.length > 0 ? sessionExpires(list[invites[invites.length - 1]!]!) : undefined);
  if (se !== undefined && se.secs >= 90) {
    let last = answered;
    for (let i = answered + 1; i < origin; i++) {
      const r = list[i]!;
      if (!r.isRequest && (r.status ?? 0) >= 200 && (r.status ?? 0) < 300 && (r.cseqMethod === 'UPDATE' || (r.cseqMethod === 'INVITE' && !initialCseq.has(r.cseq)))) last = i;
    }
    const since = bye.ts - list[last]!.ts;
    const early = Math.min(32, se.secs / 3) * 1000;
    if (since >= se.secs * 1000 - early - 5000 && since <= se.secs * 1000 + 5000) {
      const refresher: Text =
        se.refresher === 'uac' ? { en: ', the caller to refresh it', ru: ', обновлять должна вызывающая сторона' } : se.refresher === 'uas' ? { en: ', the callee to refresh it', ru: ', обновлять должна вызываемая сторона' } : { en: '', ru: '' };
      const from: Text = last === answered ? { en: 'the answer', ru: 'ответа' } : { en: 'the last refresh', ru: 'последнего обновления' };
      if (last !== answered) evidence.push(ev(list, last, { en: 'last refresh', ru: 'последнее обновление' }));
      evidence.push(ev(list, origin, byeNote()));
      // RFC 4028 §10: the side that does not refresh sends its BYE a little before the expiry; a proxy that
      // enforces the timer, at or after it
      const when: Text =
        since < se.secs * 1000
          ? { en: `${secs(se.secs * 1000 - since)} s before the expiry (RFC 4028: the side that does not refresh ends it just before)`, ru: `за ${secsRu(se.secs * 1000 - since)} с до истечения (RFC 4028: сторона, которая не обновляет, завершает вызов незадолго до него)` }
          : { en: `${secs(since - se.secs * 1000)} s after the expiry`, ru: `через ${secsRu(since - se.secs * 1000)} с после истечения` };
      const ender: Text =
        who === 'other' && caller !== undefined
          ? { en: `${bye.src}, neither the caller (${caller}) nor the callee (${callee}),`, ru: `вызов завершил ${bye.src}, а не вызывающая (${caller}) и не вызываемая (${callee}) сторона,` }
          : { en: whoText.en, ru: `${whoText.ru} ${ruVerb('завершил')} вызов` };
      return {
        id: 'dropped',
        severity: 'error',
        text: {
          en: `The session timer expired: Session-Expires ${se.secs} s was agreed${refresher.en}, no refresh (re-INVITE or UPDATE) came, and ${ender.en} ended the call ${clock(since)} after ${from.en}, ${when.en}.${byeSaid ? ` ${byeSaid.en}` : ''} Check that the refresher sends its re-INVITE or UPDATE at half the interval and that it gets through.`,
          ru: `Истёк таймер сессии: согласован Session-Expires ${se.secs} с${refresher.ru}, обновления (re-INVITE или UPDATE) не было, и ${ender.ru} через ${ruDecimal(clock(since))} после ${from.ru}, ${when.ru}.${byeSaid ? ` ${byeSaid.ru}` : ''} Проверьте, что обновляющая сторона шлёт re-INVITE или UPDATE на половине интервала и что он доходит.`,
        },
        evidence,
      };
    }
  }

  // 3. media that stopped well before the BYE (an RTP timeout), with no re-INVITE or UPDATE that could have put
  // the call on hold or moved its media
  const mediaMoved = list.some((m, i) => i > answered && i < origin && m.isRequest && (m.method === 'UPDATE' || (m.method === 'INVITE' && !initialCseq.has(m.cseq))));
  for (const rec of mediaMoved ? [] : recs) {
    const r = rec.rtp;
    if (r === undefined || rec.answer === undefined) continue;
    const end = bye.ts - rec.answer;
    const gap = (n: number, last: number | undefined): number => (n >= MEDIA_MIN_PACKETS && last !== undefined ? end - last : 0);
    const fromCaller = gap(r.fromCaller, r.lastFromCaller);
    const fromCallee = gap(r.fromCallee, r.lastFromCallee);
    if (fromCaller < MEDIA_GAP_MS && fromCallee < MEDIA_GAP_MS) continue;
    evidence.push(ev(list, origin, byeNote()));
    const both = fromCaller >= MEDIA_GAP_MS && fromCallee >= MEDIA_GAP_MS;
    const side: Text = fromCallee >= MEDIA_GAP_MS ? { en: 'the callee', ru: 'вызываемой стороны' } : { en: 'the caller', ru: 'вызывающей стороны' };
    const other: Text = fromCallee >= MEDIA_GAP_MS ? { en: "the caller's", ru: 'от вызывающей' } : { en: "the callee's", ru: 'от вызываемой' };
    const g = both ? Math.min(fromCaller, fromCallee) : Math.max(fromCaller, fromCallee);
    const lastAt = end - g;
    const said = byeSaid ? ` ${byeSaid.en}` : '';
    const saidRu = byeSaid ? ` ${byeSaid.ru}` : '';
    return {
      id: 'dropped',
      severity: 'warning',
      text: both
        ? {
            en: `Media stopped before the BYE: no RTP in either direction for the last ${secs(g)} s before ${whoText.en} sent it (${clock(talk)} after answer). Both sides fell silent at once: a network break between them and the capture point, or the media moved elsewhere; the BYE looks like an RTP (media) timeout.${said}`,
            ru: `Медиа пропало до BYE: последние ${secsRu(g)} с перед тем, как ${whoText.ru} ${ruVerb('отправил')} BYE (через ${ruDecimal(clock(talk))} после ответа), RTP не было ни в одну сторону. Обе стороны замолчали разом: обрыв сети между ними и точкой захвата или медиа ушло по другому пути; BYE похож на тайм-аут RTP (медиа).${saidRu}`,
          }
        : {
            en: `Media stopped before the BYE: the last RTP from ${side.en} came ${clock(lastAt)} after answer, ${secs(g)} s before ${whoText.en} sent the BYE, while ${other.en} went on. The BYE looks like an RTP (media) timeout: ${side.en}'s side lost its network, or its media went elsewhere (NAT).${said}`,
            ru: `Медиа пропало до BYE: последний пакет RTP от ${side.ru} пришёл через ${ruDecimal(clock(lastAt))} после ответа, за ${secsRu(g)} с до того, как ${whoText.ru} ${ruVerb('отправил')} BYE, а RTP ${other.ru} шёл дальше. BYE похож на тайм-аут RTP (медиа): сторона потеряла сеть или её медиа ушло по другому адресу (NAT).${saidRu}`,
          },
      evidence,
    };
  }

  // 4. a BYE with an abnormal cause
  const q850 = bye.q850;
  const reasonText = bye.reasonHeader;
  const hangupCause = rawHeader(bye.raw, 'x-asterisk-hangupcause');
  const abnormal = q850 !== undefined && q850 !== 16 && q850 !== 31;
  // 5. a BYE that neither party sent (said once per call: on one leg when a B2BUA ended them all)
  const byMiddle = who === 'other' && caller !== undefined && !opts.quietMiddle;
  // 6. a length of exactly a usual limit
  const limit = DURATION_LIMITS_MIN.find((min) => Math.abs(talk - min * 60_000) <= 1000);
  if (!abnormal && !byMiddle && limit === undefined) return undefined;

  const clauses: Text[] = [];
  if (abnormal) clauses.push({ en: `its Reason is ${causeText!.en}, not a normal clearing`, ru: `в Reason указана ${causeText!.ru}, а не нормальное завершение` });
  if (reasonText) clauses.push({ en: `Reason: ${reasonText}`, ru: `Reason: ${reasonText}` });
  if (hangupCause) clauses.push({ en: `X-Asterisk-HangupCause: ${hangupCause}`, ru: `X-Asterisk-HangupCause: ${hangupCause}` });
  if (limit !== undefined) clauses.push({ en: `the call lasted ${clock(talk)}, within a second of ${limit} minutes: a maximum call duration limit`, ru: `вызов длился ${ruDecimal(clock(talk))}, с точностью до секунды ${limit} мин: ограничение длительности вызова` });
  evidence.push(ev(list, origin, byeNote()));
  const lead: Text = byMiddle && b2bua
    ? {
        en: `The call was torn down by the B2BUA ${bye.src}, neither the caller (${caller}) nor the callee (${callee}): it sent the BYE on every leg of the call itself, ${clock(talk)} after answer on this leg. Most likely a session or media timer, a duration limit or a failover there ended it`,
        ru: `Вызов разорвал B2BUA ${bye.src}, а не вызывающая (${caller}) и не вызываемая (${callee}) сторона: он сам отправил BYE во все плечи вызова, в этом плече — через ${ruDecimal(clock(talk))} после ответа. Скорее всего, вызов завершил таймер сессии или медиа, ограничение длительности или переключение на резерв в этом B2BUA`,
      }
    : byMiddle
    ? {
        en: `The call was torn down by ${bye.src}, neither the caller (${caller}) nor the callee (${callee}): the BYE began there ${clock(talk)} after answer. A proxy or SBC ended it (a session or media timer, a duration limit, a failover)`,
        ru: `Вызов разорвал ${bye.src}, а не вызывающая (${caller}) и не вызываемая (${callee}) сторона: BYE начался там через ${ruDecimal(clock(talk))} после ответа. Его завершил прокси или SBC (таймер сессии или медиа, ограничение длительности, переключение на резерв)`,
      }
    : {
        en: `${cap(whoText.en)} ended the call ${clock(talk)} after answer, and not as a plain hang-up`,
        ru: `${cap(whoText.ru)} ${ruVerb('завершил')} вызов через ${ruDecimal(clock(talk))} после ответа, и это не обычный отбой`,
      };
  return {
    id: 'dropped',
    severity: abnormal || byMiddle ? 'warning' : 'info',
    text: {
      en: `${lead.en}${clauses.length ? `: ${clauses.map((c) => c.en).join('; ')}` : ''}.`,
      ru: `${lead.ru}${clauses.length ? `: ${clauses.map((c) => c.ru).join('; ')}` : ''}.`,
    },
    evidence,
  };
}

/**
 * The BYE as first sent, from index `from` on: a BYE whose sender had not received one before (a proxy relays what
 * it received); -1 when there is none.
 */
function byeOrigin(list: readonly SipMessage[], from: number): number {
  const gotBye = new Set<string>();
  for (let i = from; i < list.length; i++) {
    const m = list[i]!;
    if (!m.isRequest || m.method !== 'BYE') continue;
    if (!gotBye.has(m.src)) return i;
    gotBye.add(m.dst);
  }
  return -1;
}

/**
 * A call through a B2BUA (linked legs, each with a Call-ID of its own) that neither party hung up: every answered
 * leg (two at least) has a BYE, and each began at the address all those legs' INVITE hops share — the B2BUA between
 * them — not at the caller or the callee. A normal hang-up shows a BYE from an outer party on one leg (relayed by
 * the B2BUA on the others). A leg that was never answered (a route the B2BUA tried first) ended without a BYE and
 * is left aside. Returns the outer parties and, per leg, the index of its BYE (-1 for a leg left aside); undefined
 * when that is not the case, or when the legs do not show a caller on one side of the B2BUA and a callee on the other
 * (a click-to-call whose B2BUA called both).
 */
export function linkedTeardown(legs: readonly (readonly SipMessage[])[]): (LinkedParties & { byes: number[] }) | undefined {
  if (legs.length < 2) return undefined;
  const byes: number[] = [];
  let middle: string | undefined;
  let caller: string | undefined;
  let callee: string | undefined;
  for (const list of legs) {
    const invites = list.filter((m) => m.isRequest && m.method === 'INVITE' && m.toTag === undefined);
    if (invites.length === 0) return undefined;
    const cseqs = new Set(invites.map((m) => m.cseq));
    const answered = list.findIndex((m) => isInviteFinal(m) && (m.status ?? 0) < 300 && cseqs.has(m.cseq));
    // a leg the B2BUA tried and that failed (a 503 before it tried another route) ended with no BYE: no evidence
    if (answered < 0) {
      byes.push(-1);
      continue;
    }
    const origin = byeOrigin(list, answered);
    if (origin < 0) return undefined;
    const by = list[origin]!.src;
    if (middle === undefined) middle = by;
    else if (by !== middle) return undefined;
    // the B2BUA is on the leg's INVITE path: the caller's side sends it the INVITE, it sends the INVITE on
    if (!invites.some((m) => m.src === by || m.dst === by)) return undefined;
    const inbound = invites.find((m) => m.dst === by && m.src !== by);
    if (inbound && caller === undefined) caller = invites[0]!.src !== by ? invites[0]!.src : inbound.src;
    if (invites.some((m) => m.src === by) && callee === undefined) {
      const ok = list[answered]!;
      if (ok.src !== by) callee = ok.src;
    }
    byes.push(origin);
  }
  if (middle === undefined || caller === undefined || callee === undefined || byes.filter((b) => b >= 0).length < 2) return undefined;
  return { caller, callee, middle, byes };
}

// ── one-way audio ───────────────────────────────────────────────────────────────────────────────────

/** The RFC 1918 / RFC 6598 block of a private IPv4 address (`10`, `172.16`, `192.168`, `100.64`), else undefined. */
function privateBlock(a: string | undefined): string | undefined {
  if (!a || !isPrivateIpv4(a)) return undefined;
  const x = a.slice(0, a.indexOf('.'));
  return x === '10' ? '10' : x === '172' ? '172.16' : x === '192' ? '192.168' : '100.64';
}
const net24 = (a: string): string => a.slice(0, a.lastIndexOf('.'));

interface Media {
  addr: string;
  port?: number;
  /** Index of the message whose SDP announced it. */
  at: number;
}

const mediaEndpoint = (m: Media): string => (m.port === undefined ? m.addr : endpointOf(m.addr, m.port));
const endpointOf = (addr: string, port: number): string => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

/**
 * One-way audio on the hop of `rec`. The silent direction goes from the silent side to the media address the
 * other side announced. A private address is blamed only when it is that destination and the silent side is
 * elsewhere: its own media address (else its signalling address) is not in the same private /24, nor in the same
 * private block as the destination with all the hop's signalling in that block too. When everything is in one
 * private network, NAT is ruled out; otherwise the text stays neutral.
 */
function diagnoseOneWay(list: readonly SipMessage[], rec: CallRecord, rtp: { fromCaller: number; fromCallee: number }, invites: readonly number[], answer: number | undefined): Diagnosis {
  const total = rtp.fromCaller + rtp.fromCallee;
  const silent: 'caller' | 'callee' = rtp.fromCallee === 0 ? 'callee' : 'caller';
  const talker = silent === 'callee' ? 'caller' : 'callee';
  const first = invites.length ? list[invites[0]!]! : undefined;
  const sig = { caller: rec.srcAddr ?? first?.src, callee: rec.dstAddr ?? first?.dst };
  const hopKnown = sig.caller !== undefined && sig.callee !== undefined;
  const sentBy = (m: SipMessage, side: 'caller' | 'callee'): boolean =>
    hopKnown ? m.src === sig[side] && m.dst === sig[side === 'caller' ? 'callee' : 'caller'] : m.isRequest === (side === 'caller');
  /** The media address a side announced, as in force at the answer: its last SDP up to it, else its first after. */
  const mediaOf = (side: 'caller' | 'callee'): Media | undefined => {
    let before = -1;
    let after = -1;
    list.forEach((m, i) => {
      if (!m.sdp?.addr || !sentBy(m, side)) return;
      if (answer === undefined || i <= answer) before = i;
      else if (after < 0) after = i;
    });
    const i = before >= 0 ? before : after;
    return i < 0 ? undefined : { addr: list[i]!.sdp!.addr!, port: list[i]!.sdp!.port, at: i };
  };
  const dest = mediaOf(talker);
  const own = mediaOf(silent);
  const from = own?.addr ?? sig[silent];
  const block = privateBlock(dest?.addr);
  const sameBlock = block !== undefined && privateBlock(from) === block;
  const same24 = sameBlock && net24(dest!.addr) === net24(from!);
  const allLocal = sameBlock && [sig.caller, sig.callee].every((a) => a === undefined || privateBlock(a) === block);
  const blame = block !== undefined && from !== undefined && !same24 && !allLocal;

  const gen = { caller: 'вызывающего', callee: 'вызываемого' } as const;
  const nom = { caller: 'вызывающий', callee: 'вызываемый' } as const;
  const ep = dest ? mediaEndpoint(dest) : undefined;
  const n = ruCount(total, 'пакет', 'пакета', 'пакетов');
  const came = ruPlural(total, 'пришёл', 'пришло', 'пришло');
  let en = `One-way audio: after answer ${total} RTP ${total === 1 ? 'packet' : 'packets'} came from the ${talker}, and none from the ${silent}${ep ? ` to the ${talker}'s media address ${ep}` : ''}.`;
  let ru = `Односторонний звук: после ответа от ${gen[talker]} ${came} ${n} RTP, а от ${gen[silent]}${ep ? ` к медиаадресу ${gen[talker]} ${ep}` : ''} — ни одного.`;
  if (blame) {
    en += ` The ${talker}'s SDP announces a private address (${dest!.addr}) that the ${silent} at ${from} cannot reach from its network: media is sent where it cannot arrive.`;
    ru += ` В SDP ${gen[talker]} указан частный адрес (${dest!.addr}), недоступный из сети ${gen[silent]} (${from}): медиа отправляется туда, куда не дойдёт.`;
  } else if (allLocal) {
    en += ` Both media addresses and the signalling are in the same private network (${from} and ${dest!.addr}), so address translation (NAT) is not the cause: check whether the ${silent} sends media at all (muted, a receive-only or inactive stream, a local firewall) and whether its RTP passes the capture point.`;
    ru += ` Оба медиаадреса и сигнализация — в одной частной сети (${from} и ${dest!.addr}), так что трансляция адресов (NAT) ни при чём: проверьте, отправляет ли ${nom[silent]} медиа вообще (выключен микрофон, поток только на приём или неактивный, локальный межсетевой экран) и проходит ли его RTP через точку записи.`;
  } else {
    en += ' Check NAT and the media addresses in the SDP of both sides.';
    ru += ' Проверьте NAT и адреса медиа в SDP обеих сторон.';
  }
  const notes = new Notes();
  if (answer !== undefined) {
    notes.add(answer, {
      en: `answer; RTP caller→callee ${rtp.fromCaller}, callee→caller ${rtp.fromCallee}`,
      ru: `ответ; RTP от вызывающего к вызываемому ${rtp.fromCaller}, обратно ${rtp.fromCallee}`,
    });
  }
  if (dest) {
    notes.add(
      dest.at,
      blame
        ? { en: `the ${talker}'s media address ${ep}, private: not reachable from ${from}`, ru: `медиаадрес ${gen[talker]} ${ep}, частный: из ${from} недоступен` }
        : { en: `the ${talker}'s media address ${ep}: no RTP seen going to it`, ru: `медиаадрес ${gen[talker]} ${ep}: RTP туда не видно` },
    );
  }
  return { id: 'one-way-audio', severity: 'error', text: { en, ru }, evidence: notes.evidence(list), ...(blame ? { hint: hintOf('private-ip') } : {}) };
}

// ── timeouts ────────────────────────────────────────────────────────────────────────────────────────

/** Any response to an INVITE sent by `from` to `to` before index `before`, or the first provisional one. */
function inviteResponse(list: readonly SipMessage[], from: string, to: string, before: number, provisional = false): number {
  for (let i = 0; i < before && i < list.length; i++) {
    const m = list[i]!;
    if (m.isRequest || m.cseqMethod !== 'INVITE' || m.src !== from || m.dst !== to) continue;
    if (!provisional || (m.status ?? 0) < 200) return i;
  }
  return -1;
}

/**
 * Follows the INVITE from the hop `a → b` along the hops it was forwarded on (captured before `before`): the
 * first hop whose receiver never answered it at all (`silent`: its forwarder and receiver), or else the last hop
 * reached, whose receiver answered (`a → b`).
 */
function followInvite(list: readonly SipMessage[], invites: readonly number[], a: string, b: string, before: number): { a: string; b: string; silent?: { from: string; to: string; at: number } } {
  const visited = new Set([a, b]);
  for (;;) {
    const fwd = invites.find((i) => i < before && list[i]!.src === b && !visited.has(list[i]!.dst));
    if (fwd === undefined) return { a, b };
    const c = list[fwd]!.dst;
    if (inviteResponse(list, c, b, before) < 0) return { a, b, silent: { from: b, to: c, at: fwd } };
    visited.add(c);
    a = b;
    b = c;
  }
}

const TIMEOUT_CHECK: Text = {
  en: 'Check the firewall, the transport (UDP ↔ TCP) and whether the far end is reachable.',
  ru: 'Проверьте межсетевой экран, транспорт (UDP ↔ TCP) и доступность удалённой стороны.',
};

/**
 * A 408 final to the INVITE. When the hop that sent it (or the hop after it) had answered the INVITE
 * provisionally, the transport works and the 408 is that hop's own timer: the callee's side never gave a final
 * answer. Only when a hop never answered at all is the transport or a firewall suspected. A CANCEL of the caller
 * that got no 200 OK is cited, and so is a final that answers the CANCEL rather than the INVITE.
 */
function diagnose408(list: readonly SipMessage[], t408: number, invites: readonly number[], cancels: readonly number[]): Diagnosis {
  const r = list[t408]!;
  const sender = r.src;
  // the INVITE this 408 answers: same CSeq, on its hop the other way; else the first
  // (its first transmission: the times are counted from it)
  const inv = invites.find((i) => i < t408 && list[i]!.cseq === r.cseq && list[i]!.src === r.dst && list[i]!.dst === sender) ?? (invites.length ? invites[0]! : undefined);
  const t0 = inv !== undefined ? list[inv]!.ts : undefined;
  /** Time from the INVITE, `43 ms` or `2.2 s` (`2,2 с`). */
  const at = (i: number): Text | undefined => (t0 !== undefined && list[i]!.ts >= t0 ? { en: durEn(list[i]!.ts - t0), ru: durRu(list[i]!.ts - t0) } : undefined);
  const notes = new Notes();
  if (inv !== undefined) notes.add(inv, REQUEST);

  const path = followInvite(list, invites, r.dst, sender, t408);
  const prov = path.silent ? -1 : inviteResponse(list, path.b, path.a, t408, true);
  const ring = prov < 0 ? -1 : list.findIndex((m, i) => i < t408 && m.src === path.b && m.dst === path.a && isRing(m));
  const a408 = at(t408);
  const cseq = `CSeq ${r.cseq} ${r.cseqMethod}`;
  const fin: Text[] = [
    a408 ? { en: `answers the INVITE (${cseq}), ${a408.en} after it`, ru: `ответ на INVITE (${cseq}), через ${a408.ru} после него` } : { en: `answers the INVITE (${cseq})`, ru: `ответ на INVITE (${cseq})` },
    fromNote(r),
  ];
  let en: string;
  let ru: string;
  let transport = false;
  if (path.silent) {
    const { from, to, at: fwd } = path.silent;
    notes.add(fwd, { en: `forwarded to ${to}: no answer at all`, ru: `передан на ${to}: ответа нет вообще` });
    en = `The request timed out (408 from ${sender}${a408 ? `, ${a408.en} after the INVITE` : ''}): ${from} forwarded the INVITE to ${to}, which never answered it, not even with 100 Trying. ${TIMEOUT_CHECK.en.replace('the far end', to)}`;
    ru = `Запрос не получил ответа вовремя (408 от ${sender}${a408 ? `, через ${a408.ru} после INVITE` : ''}): ${from} передал INVITE на ${to}, а тот не ответил на него вообще, даже 100 Trying. Проверьте межсетевой экран, транспорт (UDP ↔ TCP) и доступность ${to}.`;
    transport = true;
  } else if (prov >= 0) {
    const p = list[prov]!;
    const pa = at(prov);
    notes.add(prov, { en: `${path.b} answered: the INVITE arrived`, ru: `${path.b} ответил: INVITE дошёл` });
    const hop = path.b === sender ? sender : `${path.b} (behind ${sender})`;
    const hopRu = path.b === sender ? sender : `${path.b} (за ${sender})`;
    en =
      `The INVITE got through but no final response came in time: ${hop} answered ${messageLabel(p)}${pa ? ` ${pa.en} after it` : ''}, so the transport and firewall on the way to it work; ` +
      `${a408 ? `${a408.en} after the INVITE, ` : ''}${sender} answered 408: a transaction timer fired there or behind it.`;
    ru =
      `INVITE дошёл, но окончательного ответа вовремя не было: ${hopRu} ответил ${messageLabel(p)}${pa ? ` через ${pa.ru} после него` : ''}, то есть транспорт и межсетевой экран на пути к нему работают; ` +
      `${a408 ? `через ${a408.ru} после INVITE ` : ''}${sender} ответил 408: сработал таймер транзакции на нём или за ним.`;
    if (ring >= 0) {
      const ra = at(ring);
      notes.add(ring, RING_BEGAN);
      en += ` The callee was alerted (${messageLabel(list[ring]!)}${ra ? ` ${ra.en} after the INVITE` : ''}) but nobody answered before that timer: the call rang out, and the network, not the callee, ended it.`;
      ru += ` Абоненту звонили (${messageLabel(list[ring]!)}${ra ? ` через ${ra.ru} после INVITE` : ''}), но до срабатывания таймера никто не ответил: вызов не был принят, и завершила его сеть, а не абонент.`;
    } else {
      en += ` The callee's side behind ${path.b} (the phone, or the next hop after it) never gave a final answer: look there (the callee's registration and reachability, the next hop's routing).`;
      ru += ` Сторона вызываемого за ${path.b} (телефон или следующий за ним узел) так и не дала окончательного ответа: ищите там (регистрация и доступность абонента, маршрутизация следующего узла).`;
    }
  } else {
    en = `The request timed out (408): the next hop or the callee did not answer in time. ${TIMEOUT_CHECK.en}`;
    ru = `Запрос не получил ответа вовремя (408): следующий узел или абонент не ответил. ${TIMEOUT_CHECK.ru}`;
    transport = true;
  }
  notes.add(t408, { en: fin.map((x) => x.en).join('; '), ru: fin.map((x) => x.ru).join('; ') });

  // the caller's CANCEL of this INVITE: accepted (200) or not
  const myCancels = cancels.filter((c) => list[c]!.cseq === r.cseq);
  if (myCancels.length) {
    const c = myCancels[0]!;
    const n = myCancels.filter((i) => list[i]!.src === list[c]!.src && list[i]!.dst === list[c]!.dst).length;
    const ok = list.findIndex((m) => !m.isRequest && m.cseqMethod === 'CANCEL' && m.cseq === r.cseq && (m.status ?? 0) >= 200 && (m.status ?? 0) < 300);
    const refused = list.findIndex((m) => !m.isRequest && m.cseqMethod === 'CANCEL' && m.cseq === r.cseq && (m.status ?? 0) >= 300);
    const ca = at(c);
    const when = { en: ca ? ` ${ca.en} after the INVITE` : '', ru: ca ? ` через ${ca.ru} после INVITE` : '' };
    const times = { en: n > 1 ? ` (sent ${n} times)` : '', ru: n > 1 ? ` (отправлен ${ruTimes(n)})` : '' };
    if (ok >= 0) {
      notes.add(c, { en: 'caller gave up', ru: 'вызывающий отменил вызов' });
      notes.add(ok, { en: 'CANCEL accepted', ru: 'CANCEL принят' });
      en += ` The caller had cancelled${when.en} and the CANCEL was accepted (200 OK), yet the INVITE ended with this 408 rather than 487 Request Terminated.`;
      ru += ` Вызывающий отменил вызов${when.ru}, и CANCEL был принят (200 OK), но INVITE завершился этим 408, а не 487 Request Terminated.`;
    } else {
      notes.add(c, { en: `caller gave up${times.en}; no 200 OK for the CANCEL`, ru: `вызывающий отменил вызов${times.ru}; 200 OK на CANCEL нет` });
      if (refused >= 0) notes.add(refused, { en: `answers the CANCEL (CSeq ${list[refused]!.cseq} CANCEL), not the INVITE`, ru: `ответ на CANCEL (CSeq ${list[refused]!.cseq} CANCEL), а не на INVITE` });
      en +=
        ` The caller had given up${when.en}: its CANCEL${times.en} got no 200 OK` +
        (refused >= 0 ? `; the only final to it, ${messageLabel(list[refused]!)}, answers the CANCEL, not the INVITE.` : '.');
      ru +=
        ` Вызывающий отказался от вызова${when.ru}: на его CANCEL${times.ru} не пришёл 200 OK` +
        (refused >= 0 ? `; единственный окончательный ответ на него, ${messageLabel(list[refused]!)}, относится к CANCEL, а не к INVITE.` : '.');
    }
  }
  return { id: 'timeout', severity: 'error', text: { en, ru }, evidence: notes.evidence(list), ...(transport ? { hint: hintOf('timeout-transport') } : {}) };
}

/**
 * No final response to the INVITE, no CANCEL, and time for one. When the next hop answered provisionally the
 * transport to it works: the call got stuck behind it; a hop that never answered at all is the transport's.
 */
function diagnoseNoFinal(list: readonly SipMessage[], invites: readonly number[]): Diagnosis {
  const first = invites[0]!;
  const f = list[first]!;
  const copies = invites.filter((i) => list[i]!.cseq === f.cseq && list[i]!.src === f.src && list[i]!.dst === f.dst);
  const retrans = copies.length;
  const notes = new Notes();
  notes.add(first, { en: 'no final response came', ru: 'окончательного ответа не было' });
  if (retrans > 1) notes.add(copies[retrans - 1]!, { en: `sent ${retrans} times`, ru: `отправлен ${ruTimes(retrans)}` });
  const last = list[list.length - 1]!;
  const span = { en: secs(last.ts - f.ts), ru: secsRu(last.ts - f.ts) };
  const sent = { en: retrans > 1 ? `sent ${retrans} times, ` : '', ru: retrans > 1 ? `отправлен ${ruTimes(retrans)}, ` : '' };
  const path = followInvite(list, invites, f.src, f.dst, list.length);
  const firstAnswer = inviteResponse(list, f.dst, f.src, list.length);
  if (firstAnswer < 0) {
    return {
      id: 'timeout',
      severity: 'error',
      text: {
        en: `No final response to the INVITE (${sent.en}${span.en} s of traffic seen): a firewall, the wrong transport or an unreachable next hop.`,
        ru: `На INVITE не пришёл окончательный ответ (${sent.ru}за ${span.ru} с записи): межсетевой экран, не тот транспорт или недоступный следующий узел.`,
      },
      evidence: notes.evidence(list),
      hint: hintOf('timeout-transport'),
    };
  }
  if (path.silent) {
    const { from, to, at } = path.silent;
    notes.add(firstAnswer, { en: `${f.dst} answered: the INVITE arrived`, ru: `${f.dst} ответил: INVITE дошёл` });
    notes.add(at, { en: `forwarded to ${to}: no answer at all`, ru: `передан на ${to}: ответа нет вообще` });
    return {
      id: 'timeout',
      severity: 'error',
      text: {
        en: `No final response to the INVITE (${sent.en}${span.en} s of traffic seen): ${from} forwarded it to ${to}, which never answered, not even with 100 Trying. Check the firewall, the transport (UDP ↔ TCP) and whether ${to} is reachable.`,
        ru: `На INVITE не пришёл окончательный ответ (${sent.ru}за ${span.ru} с записи): ${from} передал его на ${to}, а тот не ответил вообще, даже 100 Trying. Проверьте межсетевой экран, транспорт (UDP ↔ TCP) и доступность ${to}.`,
      },
      evidence: notes.evidence(list),
      hint: hintOf('timeout-transport'),
    };
  }
  // the deepest hop reached answered (followInvite checked it, or it is the first hop): its provisional first
  let prov = inviteResponse(list, path.b, path.a, list.length, true);
  if (prov < 0) prov = inviteResponse(list, path.b, path.a, list.length);
  const p = list[prov]!;
  notes.add(prov, { en: `${path.b} answered: the INVITE arrived`, ru: `${path.b} ответил: INVITE дошёл` });
  return {
    id: 'timeout',
    severity: 'error',
    text: {
      en:
        `No final response to the INVITE (${sent.en}${span.en} s of traffic seen), although ${path.b} answered it with ${messageLabel(p)}: the INVITE got through and the transport to it works. ` +
        `The callee's side behind ${path.b} never gave a final answer (still ringing when the capture ended, or a final response lost beyond it).`,
      ru:
        `На INVITE не пришёл окончательный ответ (${sent.ru}за ${span.ru} с записи), хотя ${path.b} ответил на него ${messageLabel(p)}: INVITE дошёл, транспорт до этого узла работает. ` +
        `Сторона вызываемого за ${path.b} так и не дала окончательного ответа (вызов ещё звонил, когда запись кончилась, или окончательный ответ потерялся дальше).`,
    },
    evidence: notes.evidence(list),
  };
}

/** The first of `candidates` that is the same response as `list[i]` on the same hop (status, CSeq, addresses and ports). */
function firstCopy(list: readonly SipMessage[], candidates: readonly number[], i: number): number {
  const r = list[i]!;
  const same = (m: SipMessage): boolean =>
    m.status === r.status && m.cseq === r.cseq && m.src === r.src && m.srcPort === r.srcPort && m.dst === r.dst && m.dstPort === r.dstPort;
  return candidates.find((j) => j <= i && same(list[j]!)) ?? i;
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
    reasons.push({ en: `it was relayed over ${busy.length} hops and originated at ${r.src}, the last hop`, ru: `${r.status} прошёл ${ruCount(busy.length, 'участок', 'участка', 'участков')} и возник на ${r.src}, последнем узле` });
  }
  // a Request-URI naming the sender is the device's contact only on a forwarded INVITE: on the first hop it
  // names the proxy's domain
  if (inv !== undefined && forwarded.size > 1) {
    const host = uriHost(list[inv]!.requestUri);
    if (host && host === r.src) {
      reasons.push({ en: `${r.src} is the device's own contact address (the INVITE's Request-URI)`, ru: `${r.src} — собственный адрес устройства (Request-URI в INVITE)` });
      evidence.push(ev(list, inv, { en: `Request-URI host ${host}`, ru: `хост в Request-URI: ${host}` }));
    }
  }
  const ring = list.findIndex((m, i) => i < deepest && !m.isRequest && m.cseqMethod === 'INVITE' && (m.status ?? 0) >= 180 && (m.status ?? 0) < 200 && m.src === r.src && m.toTag !== undefined && m.toTag === r.toTag);
  if (ring >= 0 && isRinging(list[ring]!)) {
    reasons.push({ en: 'the device that rang (same To-tag as its 18x) answered busy', ru: 'ответило «занято» то же устройство, что звонило (тот же To-tag, что у 18x)' });
    evidence.push(ev(list, ring, { en: 'rang first', ru: 'до этого звонило' }));
  } else if (ring >= 0) {
    // a 183 with SDP is early media, not ringing (a busy announcement, often)
    reasons.push({ en: 'the device that sent early media (same To-tag as its 18x) answered busy', ru: 'ответило «занято» то же устройство, что передавало ранние медиа (тот же To-tag, что у 18x)' });
    evidence.push(ev(list, ring, { en: 'early media first', ru: 'до этого шли ранние медиа' }));
  }
  const trying = list.findIndex((m, i) => i < deepest && !m.isRequest && m.status === 100 && m.src === r.src);
  let proxyMade = false;
  if (trying >= 0 && list[trying]!.userAgent && r.userAgent) {
    if (list[trying]!.userAgent !== r.userAgent) {
      reasons.push({ en: `its Server (${r.userAgent}) differs from the next hop's own (${list[trying]!.userAgent}, on its 100 Trying): it came from behind the proxy`, ru: `его Server (${r.userAgent}) отличается от собственного у следующего узла (${list[trying]!.userAgent}, в 100 Trying): ответ пришёл из-за прокси` });
      evidence.push(ev(list, trying, { en: 'the proxy', ru: 'прокси' }));
    } else if (ring < 0 && reasons.length === 0) proxyMade = true;
  }
  // A line in use answers busy at once: a 486 after seconds of ringing is a no-answer timer that answers busy, or
  // someone rejecting the ringing call, more likely than a busy line. Ringing is a 180 (or an 18x with no SDP): a
  // 183 with SDP is early media, often the busy announcement itself that many carriers play before a real busy's
  // 486. And a Reason with Q.850 cause 17 (user busy) is the far side saying the line was busy.
  const rang = list.findIndex((m, i) => i < deepest && isRinging(m) && m.cseq === r.cseq);
  const rangMs = rang >= 0 && r.ts >= list[rang]!.ts ? r.ts - list[rang]!.ts : undefined;
  const longRing = rangMs !== undefined && rangMs >= NO_ANSWER_MIN_MS && r.q850 !== Q850_USER_BUSY;
  if (longRing && !evidence.some((e) => e.index === rang)) evidence.push(ev(list, rang, { en: `ringing began, ${durEn(rangMs)} before the 486`, ru: `начался звонок, за ${durRu(rangMs)} до 486` }));
  evidence.push(ev(list, deepest, fromNote(r)));
  evidence.sort((a, b) => a.index - b.index);
  const lateWhy: Text = {
    en: "a line in use answers busy at once, so this is more likely a no-answer timer on the callee's side that answers 486 (a proxy's or PBX's ring time-out), or the callee rejecting the call while it rang (many phones send 486 for that), than a busy line",
    ru: 'занятая линия отвечает «занято» сразу, поэтому это скорее таймер неответа на стороне вызываемого, отвечающий 486 (таймаут звонка в прокси или АТС), или абонент отклонил вызов, пока телефон звонил (многие телефоны отвечают на это 486), чем занятая линия',
  };
  const late: Text = longRing ? { en: ` It rang for ${durEn(rangMs)} before the 486: ${lateWhy.en}.`, ru: ` До 486 звонило ${durRu(rangMs)}: ${lateWhy.ru}.` } : { en: '', ru: '' };
  // "try later" would say the opposite of the sentence: a long ring asks whose timer answered 486
  const hint = longRing ? LONG_RING_BUSY_HINT : getHint('busy');
  if (reasons.length) {
    return {
      id: 'busy-at-device',
      severity: 'warning',
      text: {
        en: `The 486 Busy Here was sent by the endpoint itself, not by the proxy: ${reasons.map((x) => x.en).join('; ')}.${late.en} If the line was not really in use, look at the device (call waiting off, DND, a hung call or registration, its busy level).`,
        ru: `486 Busy Here отправило само оконечное устройство, а не прокси: ${reasons.map((x) => x.ru).join('; ')}.${late.ru} Если линия не была занята, проверьте устройство (ожидание вызова выключено, DND, зависший вызов или регистрация, лимит занятости).`,
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
          en: `The 486 Busy Here was generated by the next hop ${r.src} itself (the same Server as its 100 Trying). If ${r.src} is a proxy or PBX, the busy is its own decision (a call limit, busy level or DND), not the phone's. If it is a vendor's gateway, a 486 it makes itself is what a SIM-box answers when its cards are blocked: look for a 486 spike on that route (sipscope analyze).${late.en}`,
          ru: `486 Busy Here сформировал сам следующий узел ${r.src} (тот же Server, что в его 100 Trying). Если ${r.src} — прокси или АТС, занятость решила она (лимит вызовов, уровень занятости или DND), а не телефон. Если это шлюз вендора, собственный 486 — так отвечает SIM-бокс с заблокированными картами: проверьте всплеск 486 на этом маршруте (sipscope analyze).${late.ru}`,
        }
      : longRing
        ? {
            en: `The call was refused with 486 Busy Here from ${r.src} after ${durEn(rangMs)} of ringing: ${lateWhy.en}.`,
            ru: `Вызов отклонён ответом 486 Busy Here от ${r.src}, после того как звонило ${durRu(rangMs)}: ${lateWhy.ru}.`,
          }
        : {
            en: `The callee was busy (486 from ${r.src}); whether the device or a proxy decided it cannot be told from this hop alone.`,
            ru: `Абонент занят (486 от ${r.src}); решило ли это устройство или прокси, по одному участку сказать нельзя.`,
          },
    evidence,
    hint: proxyMade ? (getHint('simbox-486') ?? hint) : hint,
  };
}

// ── refusals by the callee's side: 480, 603, 607, 608 ─────────────────────────────────────────────────

/** A duration for the refusal rules: milliseconds below a second (`43 ms`, not `0.0 s`), else seconds. */
const durEn = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${secs(ms)} s`);
const durRu = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} мс` : `${secsRu(ms)} с`);

/** Q.850 cause 17, user busy (ITU-T Q.850). */
const Q850_USER_BUSY = 17;

/** The `busy` hint when the 486 came after a long ring (the sentence doubts a busy line; "try later" would not). */
const LONG_RING_BUSY_HINT: Hint = {
  id: 'busy',
  text: {
    en: "Ask the callee's side (the proxy, PBX or carrier) what sent the 486 after so long a ring, and whether its no-answer time-out answers 486. Try later only if the line was really in use.",
    ru: 'Уточните у стороны вызываемого (прокси, АТС или оператора), что отправило 486 после такого долгого звонка и не отвечает ли там таймер неответа кодом 486. Звонить позже имеет смысл, только если линия действительно была занята.',
  },
};

/** Ringing: a 180, or another 18x with no SDP (a 183 with SDP is early media: a ring-back tone or an announcement). */
const isRinging = (m: SipMessage): boolean => !m.isRequest && m.cseqMethod === 'INVITE' && (m.status === 180 || (m.status !== undefined && m.status > 180 && m.status < 190 && m.sdp === undefined));

/** An 18x that says the far side is alerting: 180 Ringing, or 183 Session Progress (carriers send ringback as early media). */
const isRing = (m: SipMessage): boolean => !m.isRequest && m.cseqMethod === 'INVITE' && (m.status === 180 || m.status === 183);

/**
 * Shortest time from the first 18x to a 480 that can be a no-answer timer (GSM's no-reply timer starts at 5 s;
 * PBX ring time-outs are 15–60 s). Shorter, the 18x was progress or an announcement, not ringing.
 */
export const NO_ANSWER_MIN_MS = 5000;
/** Shortest time from the first 18x to a decline that a person needs to see the call and press decline. */
export const DECLINE_MIN_RING_MS = 1000;
/** A 603 this soon after the INVITE, without ringing, is an automatic rejection. */
export const AUTO_REJECT_MS = 2000;

/** ASCII case-insensitive `s.startsWith(word, at)`; `word` is lower case. */
function startsWithCi(s: string, at: number, word: string): boolean {
  if (at < 0 || at + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) {
    let c = s.charCodeAt(at + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** A letter, digit, `-` or `.`: what continues a parameter value (`jwscard` must not be `jwscard2`). */
const isTokenChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46;

const JCARD_URI_MAX = 200;

/**
 * RFC 8688 §3.2: a 608 may carry `Call-Info: <uri>;purpose=jwscard`, a jCard naming who rejected the call and
 * how to reach them. Returns that URI ('' when it is not in angle brackets), or undefined when the message
 * text has no such header. The text is attacker-controlled: plain scans, no regex, and one header at a time.
 */
export function jwsCardOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return eachHeader(raw, (head, pos, stop) => {
    if (!startsWithCi(head, pos, 'call-info')) return undefined;
    let j = pos + 9;
    while (head[j] === ' ' || head[j] === '\t') j++;
    return head[j] === ':' ? jwsCardIn(head, j + 1, stop) : undefined;
  });
}

/**
 * Skips linear white space in `head[at, to)`: spaces, tabs and the line end of a fold (CRLF or LF followed by a
 * space or tab, RFC 3261 §7.3.1). Returns the first index past it.
 */
function skipLws(head: string, at: number, to: number): number {
  let j = at;
  while (j < to) {
    const c = head[j];
    if (c === ' ' || c === '\t') j++;
    else if (c === '\r' && head[j + 1] === '\n' && j + 2 < to && (head[j + 2] === ' ' || head[j + 2] === '\t')) j += 3;
    else if (c === '\n' && j + 1 < to && (head[j + 1] === ' ' || head[j + 1] === '\t')) j += 2;
    else break;
  }
  return j;
}

/**
 * The URI of the `purpose=jwscard` entry in a Call-Info value `head[from, to)`, if there is one. Entries are
 * `<uri>;param;param`, separated by commas; one forward pass, every loop bounded by the header.
 */
function jwsCardIn(head: string, from: number, to: number): string | undefined {
  let i = from;
  while (i < to) {
    while (i < to && (head[i] === ' ' || head[i] === '\t' || head[i] === '\r' || head[i] === '\n' || head[i] === ',')) i++;
    let uri = '';
    if (head[i] === '<') {
      let gt = i + 1;
      while (gt < to && head[gt] !== '>') gt++;
      if (gt >= to) return undefined; // unterminated: nothing usable follows
      uri = head.slice(i + 1, gt);
      i = gt + 1;
    }
    for (; i < to && head[i] !== ','; i++) {
      if (head[i] !== ';') continue;
      let j = skipLws(head, i + 1, to);
      if (!startsWithCi(head, j, 'purpose')) continue;
      j = skipLws(head, j + 7, to);
      if (head[j] !== '=') continue;
      j = skipLws(head, j + 1, to);
      if (head[j] === '"') j = skipLws(head, j + 1, to);
      if (!startsWithCi(head, j, 'jwscard') || j + 7 > to || isTokenChar(head.charCodeAt(j + 7))) continue;
      return uri.length > JCARD_URI_MAX ? uri.slice(0, JCARD_URI_MAX - 1) + '…' : uri;
    }
  }
  return undefined;
}

/** Notes gathered per message, then made into evidence in message order. */
class Notes {
  private readonly by = new Map<number, { en: string[]; ru: string[] }>();
  add(i: number, t?: Text): void {
    let n = this.by.get(i);
    if (!n) this.by.set(i, (n = { en: [], ru: [] }));
    if (t && t.en) {
      n.en.push(t.en);
      n.ru.push(t.ru);
    }
  }
  evidence(list: readonly SipMessage[]): Evidence[] {
    return [...this.by.keys()]
      .sort((a, b) => a - b)
      .map((i) => {
        const n = this.by.get(i)!;
        return ev(list, i, n.en.length ? { en: n.en.join('; '), ru: n.ru.join('; ') } : undefined);
      });
  }
}

/**
 * The deciding failure 480, 603, 607 or 608 of a call nobody answered and the caller did not cancel: what the
 * ringing (or its absence) and the times say beyond the catalogue's meaning of the code.
 */
function diagnoseRefusal(list: readonly SipMessage[], final: number, invites: number[]): Diagnosis | undefined {
  const d = refusal(list, final, invites);
  const r = list[final]!;
  // a 480 or 603 says little by itself; a Q.850 cause in its Reason header (RFC 3326) is the far side's own account
  // (a 480 with cause 21 is a rejection, not an absent callee). 16 and 31 say nothing either way.
  if (d && r.q850 !== undefined && (r.status === 480 || r.status === 603) && r.q850 !== 16 && r.q850 !== 31) {
    const label = q850Label(r.q850);
    const cause = { en: `Q.850 ${r.q850}${label ? ` (${label.en})` : ''}`, ru: `Q.850 ${r.q850}${label ? ` (${label.ru})` : ''}` };
    d.text = (causeAgrees.get(d) ?? CAUSE_AGREES[d.id])?.includes(r.q850)
      ? { en: `${d.text.en} The Reason header agrees: ${cause.en}.`, ru: `${d.text.ru} Заголовок Reason это подтверждает: ${cause.ru}.` }
      : {
          en: `${d.text.en} The Reason header gives another cause, ${cause.en}: it is the far side's own account, trust it over this reading.`,
          ru: `${d.text.ru} В заголовке Reason указана другая причина — ${cause.ru}: это объяснение самой удалённой стороны, доверяйте ему больше, чем этому выводу.`,
        };
  }
  return d;
}

/** Q.850 causes that say the same as a refusal diagnosis: no answer, no user responding, absent, rejected. */
const CAUSE_AGREES: Partial<Record<DiagnosisId, readonly number[]>> = { 'no-answer': [18, 19], unavailable: [18, 20], declined: [21] };
/** The agreeing causes of a refusal reading other than its id's (a 480 after a short ring: rejected or a short timer). */
const causeAgrees = new WeakMap<Diagnosis, readonly number[]>();

function refusal(list: readonly SipMessage[], final: number, invites: number[]): Diagnosis | undefined {
  const r = list[final]!;
  const code = r.status ?? 0;
  if (code !== 480 && code !== 603 && code !== 607 && code !== 608) return undefined;
  // a provider phrase the catalogue knows (`480 No money left`, `480 DB Timeout`, `480 Empty Route Set`) is the
  // provider's own failure, not the callee's state: the ladder's meaning of that phrase stands
  if (code === 480 && describeCode(code, r.reason)?.variant) return undefined;

  const inv = invites.find((i) => i < final && list[i]!.cseq === r.cseq);
  const ring = list.findIndex((m, i) => i < final && isRing(m) && m.cseq === r.cseq);
  // the same refusal sent first by another hop: the one that made it (the deciding one only relays it)
  const origin = list.findIndex((m, i) => i < final && isInviteFinal(m) && m.status === code && m.cseq === r.cseq && m.src !== r.src);
  const since = (i: number | undefined): number | undefined => {
    if (i === undefined || i < 0) return undefined;
    const d = r.ts - list[i]!.ts;
    return d >= 0 ? d : undefined; // stamps out of order: no time
  };
  const setupMs = since(inv);
  const ringMs = since(ring);
  const setupEn = setupMs !== undefined ? ` (${durEn(setupMs)} after the INVITE)` : '';
  const setupRu = setupMs !== undefined ? ` (через ${durRu(setupMs)} после INVITE)` : '';

  const notes = new Notes();
  if (inv !== undefined) {
    const caller = list[inv]!.fromUser;
    notes.add(inv, (code === 607 || code === 608) && caller ? { en: `caller ID ${caller}`, ru: `номер вызывающего: ${caller}` } : REQUEST);
  }
  if (origin >= 0) notes.add(origin, { en: `sent first ${fromNote(list[origin]!).en}`, ru: `первым отправлен ${fromNote(list[origin]!).ru}` });
  const fin: Text[] = [];
  if (setupMs !== undefined) fin.push({ en: `${durEn(setupMs)} after the INVITE`, ru: `через ${durRu(setupMs)} после INVITE` });
  if (origin < 0) fin.push(fromNote(r));
  if (r.q850 !== undefined) {
    const label = q850Label(r.q850);
    fin.push({ en: `Reason: Q.850 cause ${r.q850}${label ? ` (${label.en})` : ''}`, ru: `Reason: Q.850, причина ${r.q850}${label ? ` (${label.ru})` : ''}` });
  }
  const ra = r.retryAfter;
  if (ra !== undefined) fin.push({ en: `Retry-After ${ra} s`, ru: `Retry-After ${ra} с` });
  const finalNote = (): Text => ({ en: fin.map((x) => x.en).join('; '), ru: fin.map((x) => x.ru).join('; ') });
  /** The 18x came, but too shortly before the final to be ringing. */
  const briefRing = (min: number): boolean => ringMs !== undefined && ringMs < min;
  const ringNote = (min: number): void => {
    if (ring < 0 || ringMs === undefined) return;
    const [en, ru] = [durEn(ringMs), durRu(ringMs)];
    notes.add(ring, ringMs >= min ? { en: `ringing began, ${en} before the ${code}`, ru: `начался звонок, за ${ru} до ${code}` } : { en: `only ${en} before the ${code}: not ringing`, ru: `всего за ${ru} до ${code}: это не звонок` });
  };

  if (code === 480) {
    const raEn = ra !== undefined ? ` It asks to retry after ${ra} s (RFC 3261 §21.4.18: when the callee is expected back).` : '';
    const raRu = ra !== undefined ? ` Ответ просит повторить через ${ra} с (RFC 3261 §21.4.18: когда абонент, как ожидается, снова будет доступен).` : '';
    if (ringMs !== undefined && ringMs >= NO_ANSWER_MIN_MS) {
      ringNote(NO_ANSWER_MIN_MS);
      notes.add(final, finalNote());
      return {
        id: 'no-answer',
        severity: 'info',
        text: {
          en:
            `Nobody answered: the far side rang for ${durEn(ringMs)} and then ended the call itself with 480${setupEn}. ` +
            "A no-answer timer on the callee's side (the phone, the PBX's ring time-out or the carrier's) fired before the caller gave up." +
            raEn +
            " The caller's own time-out was not the limit: to let calls ring longer, raise that timer or forward unanswered calls (voicemail) on the callee's side.",
          ru:
            `Никто не ответил: на удалённой стороне звонило ${durRu(ringMs)}, после чего она сама завершила вызов ответом 480${setupRu}. ` +
            'Таймер неответа на стороне вызываемого (в телефоне, таймаут звонка в АТС или у оператора) сработал раньше, чем вызывающий прекратил попытку.' +
            raRu +
            ' Звонок ограничил не таймаут вызывающего: чтобы звонок длился дольше, увеличьте этот таймер или настройте переадресацию неотвеченных вызовов (голосовая почта) на стороне вызываемого.',
        },
        evidence: notes.evidence(list),
      };
    }
    // Less than 5 s of 18x: a 183 (or any 18x with SDP) is progress or early media, usually an announcement; a 180
    // without SDP says a phone was alerted. Alerted for a second or more and then 480: someone refused it while
    // it rang (or DND was switched on), or the ring time-out is very short.
    const alert = list.findIndex((m, i) => i < final && m.cseq === r.cseq && isRing(m) && m.status === 180 && !m.sdp);
    const alertMs = alert >= 0 ? since(alert) : undefined;
    if (alertMs !== undefined && alertMs >= DECLINE_MIN_RING_MS) {
      const [aEn, aRu] = [durEn(alertMs), durRu(alertMs)];
      notes.add(alert, { en: `ringing began, ${aEn} before the ${code}`, ru: `начался звонок, за ${aRu} до ${code}` });
      notes.add(final, finalNote());
      const d: Diagnosis = {
        id: 'unavailable',
        severity: 'warning',
        text: {
          en:
            `The callee's phone was alerted and then the call was refused: 180 Ringing, and ${aEn} later 480${setupEn}. ` +
            'That is too soon for a no-answer timer (at least 5 s, usually 15–60 s): the callee most likely rejected the call or switched on do-not-disturb while it rang ' +
            "(many phones and PBXs answer that with 480 rather than 603), or the ring time-out on the callee's side is set very short." +
            raEn +
            " For your own subscriber check its do-not-disturb and call-rejection settings and its ring time-out; if a person rejected the call, that is the callee's choice, not a network fault.",
          ru:
            `Телефон абонента зазвонил, после чего вызов был отклонён: пришёл 180 Ringing, а через ${aRu} — 480${setupRu}. ` +
            'Это слишком рано для таймера неответа (не меньше 5 с, обычно 15–60 с): скорее всего, абонент отклонил вызов или включил «не беспокоить», пока телефон звонил ' +
            '(многие телефоны и АТС отвечают на это 480, а не 603), либо на стороне вызываемого задан очень короткий таймаут звонка.' +
            raRu +
            ' Если это ваш абонент, проверьте его настройки «не беспокоить» и отклонения вызовов и таймаут звонка; если вызов отклонил человек, это выбор абонента, а не сбой сети.',
        },
        evidence: notes.evidence(list),
      };
      // a rejection (21) or a no-answer timer (19) are what this reading says
      causeAgrees.set(d, [19, 21]);
      return d;
    }
    ringNote(NO_ANSWER_MIN_MS);
    notes.add(final, finalNote());
    const brief = briefRing(NO_ANSWER_MIN_MS);
    const [xEn, xRu] = ringMs !== undefined ? [durEn(ringMs), durRu(ringMs)] : ['', ''];
    const ringMsg = ring >= 0 ? list[ring]! : undefined;
    const ringCode = ringMsg?.status ?? 0;
    // a brief 180 without SDP (less than a second): no announcement, just no time for anyone to react
    const media = ringMsg !== undefined && (ringMsg.status === 183 || ringMsg.sdp !== undefined);
    const briefEn = !brief ? '' : media ? ` (the ${ringCode} only ${xEn} before it is too short to be ringing: early media there is usually an announcement)` : ` (the ${ringCode} only ${xEn} before it is too short for anyone to react)`;
    const briefRu = !brief ? '' : media ? ` (${ringCode} всего за ${xRu} до него — слишком мало для звонка: ранние медиа в таком случае — обычно объявление автоинформатора)` : ` (${ringCode} всего за ${xRu} до него — слишком мало, чтобы кто-то успел отреагировать)`;
    return {
      id: 'unavailable',
      severity: 'warning',
      text: {
        en:
          `The callee is unavailable: 480${setupMs !== undefined ? ` came ${durEn(setupMs)} after the INVITE` : ''} with no ringing` +
          briefEn +
          ', so no phone was alerted. The callee is not registered (phone off or out of network) or has do-not-disturb on; or, on a carrier route, the route has no capacity or no way onward.' +
          raEn +
          " For your own subscriber check its registration and DND; on a carrier route compare with the route's other calls: many 480s without ringing at once are the route's problem, not the callees'.",
        ru:
          `Абонент недоступен: 480${setupMs !== undefined ? ` пришёл через ${durRu(setupMs)} после INVITE` : ''} без звонка` +
          briefRu +
          ', то есть ни один телефон не звонил. Абонент не зарегистрирован (телефон выключен или вне сети) или включил «не беспокоить»; либо, на маршруте оператора, у маршрута нет свободной ёмкости или пути дальше.' +
          raRu +
          ' Если это ваш абонент, проверьте его регистрацию и DND; на маршруте оператора сравните с другими вызовами по нему: много 480 без звонка сразу — проблема маршрута, а не абонентов.',
      },
      evidence: notes.evidence(list),
      hint: hintOf('dnd'),
    };
  }

  if (code === 603) {
    ringNote(DECLINE_MIN_RING_MS);
    notes.add(final, finalNote());
    const evidence = notes.evidence(list);
    if (ringMs !== undefined && ringMs >= DECLINE_MIN_RING_MS) {
      return {
        id: 'declined',
        severity: 'info',
        text: {
          en:
            `The callee declined the call: it rang for ${durEn(ringMs)} and then was refused with 603 Decline${setupEn}. Someone saw the call and rejected it (the decline button). ` +
            "This is the callee's choice, not a network fault; 6xx is final for every route, so re-routing will not connect it.",
          ru:
            `Абонент отклонил вызов: звонило ${durRu(ringMs)}, затем пришёл отказ 603 Decline${setupRu}. Кто-то увидел вызов и отклонил его (кнопкой «отклонить»). ` +
            'Это выбор абонента, а не сбой сети; 6xx окончателен для всех маршрутов, перемаршрутизация вызов не соединит.',
        },
        evidence,
      };
    }
    const brief = briefRing(DECLINE_MIN_RING_MS);
    const briefEn = brief ? ` (the ${list[ring]!.status} only ${durEn(ringMs!)} before the 603 is too short for a person to react)` : '';
    const briefRu = brief ? ` (${list[ring]!.status} всего за ${durRu(ringMs!)} до 603 — слишком мало, чтобы человек успел отреагировать)` : '';
    if (setupMs !== undefined && setupMs < AUTO_REJECT_MS) {
      return {
        id: 'declined',
        severity: 'warning',
        text: {
          en:
            `The call was declined ${durEn(setupMs)} after the INVITE without ringing${briefEn}: faster than any person, so an automatic rejection — ` +
            "call barring on the callee's line, the caller's number on a blacklist, do-not-disturb set to reject, or a rejection of anonymous calls. " +
            "If these calls should go through, check the caller ID presented and ask the callee's operator whether the number is barred.",
          ru:
            `Вызов отклонён через ${durRu(setupMs)} после INVITE без звонка${briefRu}: быстрее, чем успел бы человек, значит, автоматически — ` +
            'запрет вызовов на линии абонента, номер вызывающего в чёрном списке, режим «не беспокоить» с отказом или отказ от анонимных вызовов. ' +
            'Если такие вызовы должны проходить, проверьте передаваемый номер вызывающего и уточните у оператора абонента, не заблокирован ли номер.',
        },
        evidence,
        hint: hintOf('blacklisted'),
      };
    }
    return {
      id: 'declined',
      severity: 'info',
      text: {
        en:
          `The call was declined (603)${setupMs !== undefined ? ` ${durEn(setupMs)} after the INVITE` : ''} with no ringing seen${briefEn}: either the far side does not signal ringing, ` +
          'or the decline was automatic (call barring, a blacklist, do-not-disturb set to reject); this capture cannot tell which.',
        ru:
          `Вызов отклонён (603)${setupMs !== undefined ? ` через ${durRu(setupMs)} после INVITE` : ''} без видимого звонка${briefRu}: либо удалённая сторона не сообщает о звонке, ` +
          'либо отказ автоматический (запрет вызовов, чёрный список, «не беспокоить» с отказом); по этой записи их не различить.',
      },
      evidence,
      hint: hintOf('blacklisted'),
    };
  }

  if (code === 607) {
    ringNote(DECLINE_MIN_RING_MS);
    notes.add(final, finalNote());
    const rang = ringMs !== undefined && ringMs >= DECLINE_MIN_RING_MS;
    return {
      id: 'unwanted',
      severity: 'warning',
      text: {
        en:
          `The called party marked the call as unwanted (607 Unwanted, RFC 8197)${rang ? ` after ${durEn(ringMs)} of ringing` : ''}${setupEn}. ` +
          "The report usually feeds the operator's spam analytics: the caller's number may now be listed, and its further calls labelled as spam or blocked, to this callee and possibly to others. " +
          'Check the number\'s reputation with the terminating operators and the caller ID presented (a wrong, unformatted or spoofed-looking number is flagged more easily); if the traffic is legitimate, ask the analytics providers to delist the number.',
        ru:
          `Вызываемый абонент пометил вызов как нежелательный (607 Unwanted, RFC 8197)${rang ? `, после того как звонило ${durRu(ringMs)}` : ''}${setupRu}. ` +
          'Такая отметка обычно попадает в антиспам-аналитику оператора: номер вызывающего может оказаться в списках, и его следующие вызовы будут помечаться как спам или блокироваться — к этому абоненту и, возможно, к другим. ' +
          'Проверьте репутацию номера у операторов вызываемых и то, как передаётся номер вызывающего (неверный, ненормализованный или похожий на подменённый номер помечают охотнее); если трафик легитимный, попросите поставщиков аналитики исключить номер из списков.',
      },
      evidence: notes.evidence(list),
      hint: hintOf('blacklisted'),
    };
  }

  // 608: the jCard may be on the refusal as first sent or as relayed
  const carriers = origin >= 0 ? [origin, final] : [final];
  let jcard: { at: number; uri: string } | undefined;
  for (const i of carriers) {
    const uri = jwsCardOf(list[i]!.raw);
    if (uri !== undefined) {
      jcard = { at: i, uri };
      break;
    }
  }
  const rawKept = carriers.some((i) => list[i]!.raw !== undefined);
  if (jcard) {
    const u = jcard.uri ? `: ${jcard.uri}` : '';
    const t = { en: `Call-Info with a jCard (purpose=jwscard)${u}`, ru: `Call-Info с jCard (purpose=jwscard)${u}` };
    if (jcard.at === final) fin.push(t);
    else notes.add(jcard.at, t);
  } else if (rawKept) fin.push({ en: 'no Call-Info with a jCard', ru: 'нет Call-Info с jCard' });
  else fin.push({ en: 'message text not kept', ru: 'текст сообщения не сохранён' });
  notes.add(final, finalNote());
  return {
    id: 'rejected',
    severity: 'warning',
    text: {
      en:
        'The call was rejected by an intermediary, not by the callee (608 Rejected, RFC 8688): a call-analytics or call-blocking service on the path judged it, ' +
        "usually by the reputation of the caller's number, and the callee never saw the call." +
        (jcard
          ? ` The response carries a Call-Info jCard (purpose=jwscard) naming who rejected the call and how to contact them to dispute it${jcard.uri ? `; the jCard is at ${jcard.uri}` : ' (see the message text)'}.`
          : rawKept
            ? ' The response names no one (no Call-Info with purpose=jwscard): ask the terminating operator which service blocked the call.'
            : ' The message text was not kept, so whether it names the blocker (a Call-Info jCard) is unknown.') +
        " Until the number's reputation is fixed its calls will likely be rejected the same way; 6xx is final for every route.",
      ru:
        'Вызов отклонил посредник, а не абонент (608 Rejected, RFC 8688): сервис анализа или блокировки вызовов на пути оценил вызов — ' +
        'обычно по репутации номера вызывающего, — и абонент его не увидел.' +
        (jcard
          ? ` В ответе есть Call-Info с jCard (purpose=jwscard): в нём указано, кто отклонил вызов и как с ним связаться, чтобы оспорить решение${jcard.uri ? `; адрес jCard: ${jcard.uri}` : ' (см. текст сообщения)'}.`
          : rawKept
            ? ' Ответ никого не называет (нет Call-Info с purpose=jwscard): узнайте у оператора вызываемого, какой сервис заблокировал вызов.'
            : ' Текст сообщения не сохранён, поэтому неизвестно, назван ли в нём блокирующий (jCard в Call-Info).') +
        ' Пока репутация номера не исправлена, его вызовы, скорее всего, будут отклоняться так же; 6xx окончателен для всех маршрутов.',
    },
    evidence: notes.evidence(list),
  };
}
