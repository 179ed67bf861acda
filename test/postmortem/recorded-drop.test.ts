/**
 * Answered calls that a proxy ended itself, recorded from real stacks on loopback (scripts/record/record-drop.sh,
 * fixtures/recorded/README.md): kamailio 5.6's dialog module times the dialog out and sends a BYE to both
 * parties. `flow` must say `dropped` — torn down by kamailio (127.0.0.1), or a session timer that expired —
 * and the captures' wire counts must equal tshark's `-z sip,stat`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import { WireCounter, parseSipStat } from '../../src/sip/wire.js';
import type { CallRecord } from '../../src/types.js';
import { feed } from '../capture/helpers.js';
import { run } from './run.js';

const fx = (name: string): string => new URL(`../../fixtures/recorded/${name}`, import.meta.url).pathname;

/** Reads a capture as the analyser does, in `chunk`-byte pieces (0: at once): its call records and wire counts. */
function read(name: string, chunk: number): { records: CallRecord[]; wire: WireCounter; acc: ReturnType<typeof createCaptureSource>['accounting'] } {
  const records: CallRecord[] = [];
  const wire = new WireCounter();
  const src = createCaptureSource(name, { record: (r) => records.push(r), message: (m) => wire.add(m) }, {});
  feed(src, readFileSync(fx(name)), chunk);
  return { records, wire, acc: src.accounting };
}

interface FlowJson {
  callId: string;
  messages: Array<{ index: number; label: string; from: string; to: string; method?: string; status?: number; cseqMethod?: string; userAgent?: string; raw?: string }>;
  diagnosis: Array<{ id: string; severity: string; text: { en: string; ru: string }; evidence: Array<{ index: number; what: { en: string; ru: string } }> }>;
}

async function flowJson(name: string, callId: string): Promise<FlowJson> {
  const r = await run(['flow', fx(name), '--call-id', callId, '--format', 'json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as FlowJson;
}

const KAMAILIO = '127.0.0.1:5060';
const byes = (j: FlowJson): string[] => j.messages.filter((m) => m.method === 'BYE').map((m) => `${m.from} -> ${m.to} ${m.userAgent ?? ''}`);

for (const name of ['proxy-drop.pcap', 'session-expired.pcap']) {
  describe(`${name}: wire counts`, () => {
    const whole = read(name, 0);
    it('equal tshark -z sip,stat', () => {
      const oracle = parseSipStat(readFileSync(`${fx(name)}.sip_stat.txt`, 'utf8'));
      expect(oracle.messages).toBeGreaterThan(0);
      expect(whole.wire.tsharkResponses()).toEqual(oracle.responses);
      expect(whole.wire.requests).toEqual(oracle.requests);
      expect(whole.wire.messages).toBe(oracle.messages);
      expect(whole.acc.read).toBe(whole.acc.used + whole.acc.ignored + whole.acc.malformed);
      expect(whole.acc.malformed).toBe(0);
    });
    for (const chunk of [1, 1021]) {
      it(`the same in ${chunk}-byte chunks`, () => {
        const r = read(name, chunk);
        expect(r.records).toEqual(whole.records);
        expect(r.wire.toJSON()).toEqual(whole.wire.toJSON());
      });
    }
  });
}

describe('proxy-drop.pcap: kamailio ends an answered call when its dialog times out (4 s)', () => {
  const callId = '7eae676acf595a84';

  it('one answered attempt per hop, RTP both ways until the BYE', () => {
    const { records } = read('proxy-drop.pcap', 0);
    expect(records.map((r) => `${r.route} ${r.callId} ${r.finalCode} ${r.answer !== undefined ? 'answered' : '-'}`).sort()).toEqual([
      `127.0.0.1 ${callId} 200 answered`,
      `127.0.0.2 ${callId} 200 answered`,
    ]);
    for (const r of records) {
      expect(r.duration).toBeGreaterThan(3000);
      expect(r.duration).toBeLessThan(6000);
      expect(r.rtp!.fromCaller).toBeGreaterThan(100);
      expect(r.rtp!.fromCallee).toBeGreaterThan(100);
    }
  });

  it('flow: both BYEs come from kamailio, and the diagnosis is dropped, torn down by 127.0.0.1', async () => {
    const j = await flowJson('proxy-drop.pcap', callId);
    expect(j.callId).toBe(callId);
    expect(j.messages).toHaveLength(13);
    const ua = 'kamailio (5.6.3 (x86_64/linux))';
    expect(byes(j)).toEqual([`${KAMAILIO} -> 127.0.0.10:5070 ${ua}`, `${KAMAILIO} -> 127.0.0.2:5080 ${ua}`]);
    expect(j.diagnosis.map((d) => [d.id, d.severity])).toEqual([['dropped', 'warning']]);
    const d = j.diagnosis[0]!;
    expect(d.text.en).toBe(
      'The call was torn down by 127.0.0.1, neither the caller (127.0.0.10) nor the callee (127.0.0.2): the BYE began there 0:03.5 after answer. A proxy or SBC ended it (a session or media timer, a duration limit, a failover).',
    );
    expect(d.text.ru).toBe(
      'Вызов разорвал 127.0.0.1, а не вызывающая (127.0.0.10) и не вызываемая (127.0.0.2) сторона: BYE начался там через 0:03,5 после ответа. Его завершил прокси или SBC (таймер сессии или медиа, ограничение длительности, переключение на резерв).',
    );
    // the callee's 200 OK (the answer) and kamailio's first BYE, toward the caller
    expect(d.evidence.map((e) => [e.index, j.messages[e.index]!.from, e.what.en])).toEqual([
      [5, '127.0.0.2:5080', '200 Answering: answer'],
      [9, KAMAILIO, 'BYE: 0:03.5 after answer, sent by 127.0.0.1'],
    ]);
    expect(d.evidence[1]!.what.ru).toBe('BYE: через 0:03,5 после ответа, отправитель: узел 127.0.0.1');
  });

  it('flow text, en and ru', async () => {
    const en = await run(['flow', fx('proxy-drop.pcap'), '--call-id', callId]);
    expect(en.out).toContain('[warning] dropped: The call was torn down by 127.0.0.1, neither the caller (127.0.0.10) nor the callee (127.0.0.2)');
    expect(en.out).toMatch(/#10 +\+3\.504s BYE: 0:03\.5 after answer, sent by 127\.0\.0\.1/);
    const ru = await run(['flow', fx('proxy-drop.pcap'), '--call-id', callId, '--lang', 'ru']);
    expect(ru.out).toContain('[предупреждение] dropped: Вызов разорвал 127.0.0.1, а не вызывающая (127.0.0.10) и не вызываемая (127.0.0.2) сторона');
  });
});

describe('session-expired.pcap: Session-Expires 90 s never refreshed; kamailio (sst module) ends the call at expiry', () => {
  const callId = 'timer-3278@127.0.0.12';

  it('one answered attempt per hop, 90 s long', () => {
    const { records } = read('session-expired.pcap', 0);
    expect(records.map((r) => `${r.route} ${r.finalCode} ${r.answer !== undefined ? 'answered' : '-'}`).sort()).toEqual(['127.0.0.1 200 answered', '127.0.0.2 200 answered']);
    for (const r of records) {
      expect(r.duration).toBeGreaterThan(90_000);
      expect(r.duration).toBeLessThan(91_000);
    }
  });

  it('flow: the timer was asked for and granted, nobody refreshed, kamailio sent both BYEs; the diagnosis is an expired session timer', async () => {
    const j = await flowJson('session-expired.pcap', callId);
    expect(j.messages).toHaveLength(13);
    const se = (m: FlowJson['messages'][number]): boolean => /\r\nSession-Expires: 90;refresher=uac\r\n/.test(m.raw ?? '');
    // the caller's INVITE, kamailio's relay of it, and kamailio's 200 to the caller (baresip's own 200 has none)
    expect(j.messages.filter(se).map((m) => `${m.from} ${m.label}`)).toEqual([
      '127.0.0.12:5072 INVITE',
      `${KAMAILIO} INVITE`,
      `${KAMAILIO} 200 Answering`,
    ]);
    // no refresh: the only INVITEs are the caller's and kamailio's relay of it, and there is no UPDATE
    expect(j.messages.filter((m) => m.method === 'INVITE' || m.method === 'UPDATE').map((m) => `${m.from} ${m.label}`)).toEqual(['127.0.0.12:5072 INVITE', `${KAMAILIO} INVITE`]);
    const ua = 'kamailio (5.6.3 (x86_64/linux))';
    expect(byes(j)).toEqual([`${KAMAILIO} -> 127.0.0.12:5072 ${ua}`, `${KAMAILIO} -> 127.0.0.2:5080 ${ua}`]);

    expect(j.diagnosis.map((d) => [d.id, d.severity])).toEqual([['dropped', 'error']]);
    const d = j.diagnosis[0]!;
    // a proxy enforcing the timer: at the expiry, not before it, and neither party
    expect(d.text.en).toBe(
      'The session timer expired: Session-Expires 90 s was agreed, the caller to refresh it, no refresh (re-INVITE or UPDATE) came, and 127.0.0.1, neither the caller (127.0.0.12) nor the callee (127.0.0.2), ended the call 1:30.4 after the answer, 0.4 s after the expiry. Check that the refresher sends its re-INVITE or UPDATE at half the interval and that it gets through.',
    );
    expect(d.text.ru).toContain(
      'Истёк таймер сессии: согласован Session-Expires 90 с, обновлять должна вызывающая сторона, обновления (re-INVITE или UPDATE) не было, и вызов завершил 127.0.0.1, а не вызывающая (127.0.0.12) и не вызываемая (127.0.0.2) сторона, через 1:30,4 после ответа, через 0,4 с после истечения.',
    );
    expect(d.evidence.map((e) => [e.index, j.messages[e.index]!.from, e.what.en])).toEqual([
      [4, '127.0.0.2:5080', '200 Answering: answer'],
      [9, KAMAILIO, 'BYE: 1:30.4 after answer, sent by 127.0.0.1'],
    ]);
  });
});
