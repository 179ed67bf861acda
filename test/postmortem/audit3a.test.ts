import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/postmortem/diagnose.js';
import type { SipMessage } from '../../src/types.js';
import { run } from './run.js';

// audit 3A: findings 5 to 8 and 10 (`flow`: routes in every format, auth evidence, early media, a late 486, Russian)

const fx = (name: string): string => new URL(`../../fixtures/postmortem/${name}`, import.meta.url).pathname;
const A = '10.1.1.1';
const P = '10.2.2.2';

type Opt = Partial<SipMessage> & { at: number; up?: boolean };
function m(o: Opt): SipMessage {
  const { at, up, ...rest } = o;
  const u = up ?? rest.isRequest ?? false;
  return { ts: at, src: u ? A : P, srcPort: 5060, dst: u ? P : A, dstPort: 5060, transport: 'udp', isRequest: false, callId: 'c1', cseq: 1, cseqMethod: 'INVITE', fromTag: 'f', position: { file: 'x', packet: 1 }, ...rest };
}
type More = Partial<SipMessage> & { up?: boolean };
const req = (method: string, at: number, o: More = {}): SipMessage => m({ isRequest: true, method, cseqMethod: method, at, ...o });
const resp = (status: number, reason: string, at: number, o: More = {}): SipMessage => m({ status, reason, toTag: status > 100 ? 't' : undefined, at, ...o });

describe('finding 6: --routes names the routes in text, Markdown and HTML, not only in JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-routes-'));
  const routes = join(dir, 'routes.csv');
  writeFileSync(routes, 'match,route\n192.0.2.77,carrierX\n203.0.113.5,sbc\n');
  const legs = ['flow', fx('b2bua-legs.pcap'), '--call-id', 'b2bA-4f1c@198.51.100.10', '--routes', routes];

  it('each leg’s line names its route', async () => {
    const text = (await run(legs)).out;
    expect(text).toContain('  leg A: b2bA-4f1c@198.51.100.10 (asked, 4 messages, route: sbc)');
    expect(text).toContain('  leg B: legB-9911@203.0.113.5 (linked by correlation, 4 messages, route: carrierX)');
    const md = (await run([...legs, '--format', 'md', '--lang', 'ru'])).out;
    expect(md).toContain('- **B**: `legB-9911@203.0.113.5` (связан по заголовку X-, сообщений: 4, маршрут: carrierX)');
    const html = (await run([...legs, '--format', 'html'])).out;
    expect(html).toContain('<li>leg B: legB-9911@203.0.113.5 (linked by correlation, route: carrierX)</li>');
  });

  it('a one-leg call names its route on its first line (md: the summary line; html: under the heading)', async () => {
    const one = ['flow', fx('normal.pcap'), '--call-id', 'normal-4f1c@198.51.100.10', '--routes', routes];
    expect((await run(one)).out.split('\n')[0]).toBe('Call normal-4f1c@198.51.100.10 — 2024-05-14T09:30:00.000Z (route: sbc)');
    expect((await run([...one, '--format', 'md'])).out).toContain(' over 12.010 s · route: sbc\n');
    expect((await run([...one, '--format', 'html'])).out).toContain('1 leg · route: sbc</p>');
  });

  it('a route name is wire-like text: escaped in HTML and Markdown', async () => {
    const hostile = join(dir, 'hostile.csv');
    writeFileSync(hostile, 'match,route\n203.0.113.5,<b>x</b>|*y*\n');
    const one = ['flow', fx('normal.pcap'), '--call-id', 'normal-4f1c@198.51.100.10', '--routes', hostile];
    expect((await run([...one, '--format', 'html'])).out).toContain('route: &lt;b&gt;x&lt;/b&gt;|*y*');
    expect((await run([...one, '--format', 'md'])).out).toContain('route: &lt;b&gt;x&lt;/b&gt;\\|\\*y\\*');
  });
});

describe('finding 7: auth-failed cites the challenges that led to the refusal, in message order', () => {
  it('a 403: the challenges before it, not those after', () => {
    const ms = [
      req('REGISTER', 0, { cseq: 1 }), resp(401, 'Unauthorized', 100, { cseq: 1, cseqMethod: 'REGISTER' }),
      req('REGISTER', 1000, { cseq: 2 }), resp(403, 'Wrong password', 1100, { cseq: 2, cseqMethod: 'REGISTER' }),
      req('REGISTER', 90_000, { cseq: 3 }), resp(401, 'Unauthorized', 90_100, { cseq: 3, cseqMethod: 'REGISTER' }),
      req('REGISTER', 91_000, { cseq: 4 }), resp(401, 'nonce has changed', 91_100, { cseq: 4, cseqMethod: 'REGISTER' }),
    ];
    const d = diagnose(ms).find((x) => x.id === 'auth-failed')!;
    expect(d.text.en.startsWith('The request was challenged and then refused with 403')).toBe(true);
    expect(d.evidence.map((e) => e.index)).toEqual([1, 3]);
  });

  it('a registration that failed, then succeeded, then failed again is judged on its last round', () => {
    const ms = [
      req('REGISTER', 0, { cseq: 1 }), resp(401, 'Unauthorized', 100, { cseq: 1, cseqMethod: 'REGISTER' }),
      req('REGISTER', 1000, { cseq: 2 }), resp(403, 'Wrong password', 1100, { cseq: 2, cseqMethod: 'REGISTER' }),
      req('REGISTER', 5000, { cseq: 3 }), resp(401, 'Unauthorized', 5100, { cseq: 3, cseqMethod: 'REGISTER' }),
      req('REGISTER', 6000, { cseq: 4 }), resp(200, 'OK', 6100, { cseq: 4, cseqMethod: 'REGISTER' }),
      req('REGISTER', 500_000, { cseq: 5 }), resp(401, 'Unauthorized', 500_100, { cseq: 5, cseqMethod: 'REGISTER' }),
      req('REGISTER', 501_000, { cseq: 6 }), resp(401, 'nonce has changed', 501_100, { cseq: 6, cseqMethod: 'REGISTER' }),
    ];
    const d = diagnose(ms).find((x) => x.id === 'auth-failed')!;
    expect(d.text.en.startsWith('The request was challenged 2 times: the credentials sent were not accepted')).toBe(true);
    expect(d.text.ru.startsWith('Запрос дважды получил требование аутентификации: отправленные учётные данные не приняты')).toBe(true);
    expect(d.evidence.map((e) => e.index)).toEqual([9, 11]);
  });
});

describe('finding 8: early media is not ringing; a 486 after a long ring', () => {
  const inv = (at = 0): SipMessage => req('INVITE', at, { cseqMethod: 'INVITE', up: true });
  it('CANCEL after a 183 with SDP only: early media, not ringing', () => {
    const sdp = { codecs: ['0'], addr: P, port: 4000 } as SipMessage['sdp'];
    const ms = [inv(), resp(100, 'Trying', 10), resp(183, 'Session Progress', 500, { sdp }), req('CANCEL', 2500, { up: true }), resp(200, 'OK', 2510, { cseqMethod: 'CANCEL' }), resp(487, 'Request Terminated', 2520)];
    const d = diagnose(ms).find((x) => x.id === 'cancelled')!;
    expect(d.text.en.startsWith('The caller cancelled the call after 2.0 s of early media (183 Session Progress: a ring-back tone or an announcement) with no 180 Ringing (2.5 s after the INVITE).')).toBe(true);
    expect(d.text.ru.startsWith('Вызывающий отменил вызов после 2,0 с ранних медиа (183 Session Progress: сигнал КПВ или речевое объявление) без 180 Ringing (через 2,5 с после INVITE).')).toBe(true);
    expect(d.evidence.map((e) => e.what.en)).toContain('183 Session Progress: early media began, no ringing');
    expect(d.evidence.map((e) => e.what.ru)).toContain('183 Session Progress: начались ранние медиа, звонка нет');
    // a 180 after the 183 is ringing: counted from it
    const rang = diagnose([...ms.slice(0, 3), resp(180, 'Ringing', 1000), ...ms.slice(3)]).find((x) => x.id === 'cancelled')!;
    expect(rang.text.en.startsWith('The caller cancelled the call after 1.5 s of ringing')).toBe(true);
    // an 18x that came after the CANCEL is not cited
    const late = diagnose([inv(), req('CANCEL', 1000, { up: true }), resp(180, 'Ringing', 1005), resp(487, 'Request Terminated', 1010)]).find((x) => x.id === 'cancelled')!;
    expect(late.text.en.startsWith('The caller cancelled the call before any ringing')).toBe(true);
    expect(late.evidence.map((e) => e.index)).toEqual([0, 1, 3]);
  });

  it('486 after 30 s of ringing: a no-answer timer or a rejection, more likely than a busy line', () => {
    // as in the corpus capture: the 486 from the proxy carries no To-tag, so nothing ties it to the device that rang
    const ms = [inv(), resp(100, 'Trying', 10), resp(180, 'Ringing', 190), resp(486, 'Obsadene', 30_300, { toTag: undefined }), req('ACK', 30_310, { up: true })];
    const d = diagnose(ms).find((x) => x.id === 'busy')!;
    expect(d.text.en).toBe(
      "The call was refused with 486 Busy Here from 10.2.2.2 after 30.1 s of ringing: a line in use answers busy at once, so this is more likely a no-answer timer on the callee's side that answers 486 (a proxy's or PBX's ring time-out), or the callee rejecting the call while it rang (many phones send 486 for that), than a busy line.",
    );
    expect(d.text.ru).toBe(
      'Вызов отклонён ответом 486 Busy Here от 10.2.2.2, после того как звонило 30,1 с: занятая линия отвечает «занято» сразу, поэтому это скорее таймер неответа на стороне вызываемого, отвечающий 486 (таймаут звонка в прокси или АТС), или абонент отклонил вызов, пока телефон звонил (многие телефоны отвечают на это 486), чем занятая линия.',
    );
    expect(d.evidence.map((e) => `${e.index} ${e.what.en}`)).toEqual(['2 180 Ringing: ringing began, 30.1 s before the 486', '3 486 Obsadene: from 10.2.2.2']);
    // the device that rang answered busy itself (same To-tag): said on busy-at-device too
    const device = diagnose([inv(), resp(180, 'Ringing', 190), resp(486, 'Busy Here', 20_190)]).find((x) => x.id === 'busy-at-device')!;
    expect(device.text.en).toContain('answered busy. It rang for 20.0 s before the 486: a line in use answers busy at once');
    // a busy line answers at once: the plain reading stands
    const quick = diagnose([inv(), resp(180, 'Ringing', 190), resp(486, 'Busy Here', 1200, { toTag: undefined })]).find((x) => x.id === 'busy')!;
    expect(quick.text.en.startsWith('The callee was busy (486 from 10.2.2.2)')).toBe(true);
  });

  it('re-audit A, N4/N8: only ringing counts (not a 183 with SDP), not with Q.850 cause 17, and the hint does not say "try later" under it', () => {
    const sdp = { codecs: ['0'], addr: P, port: 4000 } as SipMessage['sdp'];
    const long = [inv(), resp(100, 'Trying', 10), resp(180, 'Ringing', 190), resp(486, 'Busy Here', 30_300, { toTag: undefined })];
    const d = diagnose(long).find((x) => x.id === 'busy')!;
    expect(d.hint!.text.en).toBe("Ask the callee's side (the proxy, PBX or carrier) what sent the 486 after so long a ring, and whether its no-answer time-out answers 486. Try later only if the line was really in use.");
    expect(d.hint!.text.ru).toBe('Уточните у стороны вызываемого (прокси, АТС или оператора), что отправило 486 после такого долгого звонка и не отвечает ли там таймер неответа кодом 486. Звонить позже имеет смысл, только если линия действительно была занята.');
    // a busy announcement in early media (183 with SDP, no 180), then 486: a busy line, the plain reading and hint
    const announced = diagnose([inv(), resp(100, 'Trying', 10), resp(183, 'Session Progress', 300, { sdp, toTag: undefined }), resp(486, 'Busy Here', 8_300, { toTag: undefined })]).find((x) => x.id === 'busy')!;
    expect(announced.text.en.startsWith('The callee was busy (486 from 10.2.2.2)')).toBe(true);
    expect(announced.text.ru).not.toContain('звонило');
    expect(announced.evidence.map((e) => e.what.en).join()).not.toContain('ringing');
    expect(announced.hint!.text.en.startsWith('The callee is busy: try later.')).toBe(true);
    // the device that answered busy sent that early media (same To-tag): said as early media, not ringing
    const device = diagnose([inv(), resp(183, 'Session Progress', 300, { sdp }), resp(486, 'Busy Here', 8_300, { q850: 17, reasonHeader: 'Q.850;cause=17' })]).find((x) => x.id === 'busy-at-device')!;
    expect(device.text.en).toContain('the device that sent early media (same To-tag as its 18x) answered busy.');
    expect(device.text.ru).toContain('ответило «занято» то же устройство, что передавало ранние медиа');
    expect(device.evidence.map((e) => e.what.en)).toEqual(['183 Session Progress: early media first', '486 Busy Here: from 10.2.2.2']);
    // an 18x with no SDP is ringing
    const progress = diagnose([inv(), resp(183, 'Session Progress', 300, { toTag: undefined }), resp(486, 'Busy Here', 8_300, { toTag: undefined })]).find((x) => x.id === 'busy')!;
    expect(progress.text.en).toContain('after 8.0 s of ringing');
    // Reason: Q.850;cause=17 (user busy): the far side says the line was busy
    const cause17 = diagnose([...long.slice(0, 3), resp(486, 'Busy Here', 30_300, { toTag: undefined, q850: 17, reasonHeader: 'Q.850;cause=17' })]).find((x) => x.id === 'busy')!;
    expect(cause17.text.en.startsWith('The callee was busy (486 from 10.2.2.2)')).toBe(true);
    expect(cause17.hint!.text.en.startsWith('The callee is busy: try later.')).toBe(true);
  });
});

describe('findings 5 and 10: Russian wording', () => {
  it('a challenge is «запрос/требование аутентификации», never «вызов»', () => {
    const stale = diagnose([req('INVITE', 0, { up: true }), resp(401, 'Stale Nonce', 10)]).find((x) => x.id === 'stale-nonce')!;
    expect(stale.text.ru).toBe(
      'Сервер отверг nonce дайджеста как устаревший: клиент ответил на устаревший запрос аутентификации (challenge). Проверьте часы устройства (NTP), алгоритм дайджеста и не отправляет ли что-то повторно старые запросы.',
    );
    const f403 = diagnose([req('INVITE', 0, { up: true }), resp(407, 'Proxy Authentication Required', 10), req('INVITE', 20, { up: true, cseq: 2 }), resp(403, 'Forbidden', 30, { cseq: 2 })]).find((x) => x.id === 'auth-failed')!;
    expect(f403.text.ru.startsWith('Запрос получил требование аутентификации, а затем отказ 403: ')).toBe(true);
    const three = diagnose([1, 2, 3].flatMap((c) => [req('INVITE', c * 100, { up: true, cseq: c }), resp(407, 'Proxy Authentication Required', c * 100 + 10, { cseq: c })])).find((x) => x.id === 'auth-failed')!;
    expect(three.text.ru.startsWith('Запрос 3 раза получил требование аутентификации')).toBe(true);
    for (const d of [stale, f403, three]) expect(d.text.ru).not.toContain('вызов');
  });

  it('cancelled: «прекратил попытку слишком рано»; unavailable: an announcement, not a voice message', () => {
    const c = diagnose([req('INVITE', 0, { up: true }), resp(180, 'Ringing', 100), req('CANCEL', 900, { up: true }), resp(487, 'Request Terminated', 910)]).find((x) => x.id === 'cancelled')!;
    expect(c.text.ru.endsWith('очень короткий — абонент или автодозвон прекратил попытку слишком рано.')).toBe(true);
    const u = diagnose([req('INVITE', 0, { up: true }), resp(183, 'Session Progress', 100), resp(480, 'Temporarily Unavailable', 143)]).find((x) => x.id === 'unavailable')!;
    expect(u.text.ru).toContain('(183 всего за 43 мс до него — слишком мало для звонка: ранние медиа в таком случае — обычно объявление автоинформатора)');
    expect(u.text.ru).not.toContain('голосовое сообщение');
  });

  it('the ladder heading and the no-rule sentence: «Диаграмма обмена», «на диаграмме выше»', async () => {
    const md = (await run(['flow', fx('normal.pcap'), '--call-id', 'normal-4f1c@198.51.100.10', '--format', 'md', '--lang', 'ru'])).out;
    expect(md).toContain('\n### Диаграмма обмена\n');
    expect(md).not.toContain('Лестница');
    const html = (await run(['flow', fx('no-route.pcap'), '--call-id', 'noroute-4f1c@198.51.100.10', '--format', 'html', '--lang', 'ru'])).out;
    expect(html).toContain('<h2>Диаграмма обмена</h2>');
  });
});
