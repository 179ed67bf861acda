import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, linkedTeardown } from '../../src/postmortem/diagnose.js';
import { CallRows, type CallRow } from '../../src/postmortem/calls.js';
import { buildFlow } from '../../src/postmortem/ladder.js';
import type { CallRecord, SipMessage } from '../../src/types.js';
import { run } from './run.js';
import { b2buaEnding, busyCalls, pcapOf } from './scenarios.js';

// audit 3A, finding 2: a B2BUA that ends both legs itself is neither party's hang-up

const dir = mkdtempSync(join(tmpdir(), 'pm-b2bua-end-'));
const capture = (end: 'b2bua' | 'caller' | 'callee'): { file: string; callIdA: string; callIdB: string } => {
  const c = b2buaEnding(end);
  const file = join(dir, `${end}.pcap`);
  writeFileSync(file, pcapOf(c.packets));
  return { file, callIdA: c.callIdA, callIdB: c.callIdB };
};

interface FlowJson {
  legs: Array<{ callId: string; linkedBy: string }>;
  messages: Array<{ leg: string; label: string; src: string }>;
  diagnosis: Array<{ id: string; severity: string; leg: string; text: { en: string; ru: string }; evidence: Array<{ index: number; what: { en: string; ru: string } }> }>;
}

describe('flow: a B2BUA that sent the BYE on every leg tore the call down', () => {
  it('one `dropped` for the call, on the asked leg, naming the B2BUA and the outer parties; the other legs’ BYEs cited', async () => {
    const c = capture('b2bua');
    const r = await run(['flow', c.file, '--call-id', c.callIdA, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as FlowJson;
    expect(j.legs.map((l) => l.linkedBy)).toEqual(['self', 'numbers']);
    expect(j.diagnosis.map((d) => [d.id, d.severity, d.leg])).toEqual([['dropped', 'warning', 'A']]);
    const d = j.diagnosis[0]!;
    expect(d.text.en).toBe(
      'The call was torn down by the B2BUA 203.0.113.5, neither the caller (198.51.100.10) nor the callee (192.0.2.77): it sent the BYE on every leg of the call itself, 0:30.0 after answer on this leg. Most likely a session or media timer, a duration limit or a failover there ended it.',
    );
    expect(d.text.ru).toBe(
      'Вызов разорвал B2BUA 203.0.113.5, а не вызывающая (198.51.100.10) и не вызываемая (192.0.2.77) сторона: он сам отправил BYE во все плечи вызова, в этом плече — через 0:30,0 после ответа. Скорее всего, вызов завершил таймер сессии или медиа, ограничение длительности или переключение на резерв в этом B2BUA.',
    );
    // the answer and the BYE of the asked leg, and leg B's BYE, in message order
    expect(d.evidence.map((e) => `${j.messages[e.index]!.leg} ${j.messages[e.index]!.label}`)).toEqual(['A 200 OK', 'B BYE', 'A BYE']);
    expect(d.evidence.map((e) => e.what.en)).toEqual(['200 OK: answer', 'BYE: sent by 203.0.113.5 on leg B too', 'BYE: 0:30.0 after answer, sent by the B2BUA (203.0.113.5)']);
    expect(d.evidence[1]!.what.ru).toBe('BYE: 203.0.113.5 отправил его и в плече B');

    // asked by the far leg's Call-ID: the same call, the same parties (that leg is A now)
    const fromB = JSON.parse((await run(['flow', c.file, '--call-id', c.callIdB, '--format', 'json'])).out) as FlowJson;
    expect(fromB.diagnosis.map((x) => [x.id, x.leg])).toEqual([['dropped', 'A']]);
    expect(fromB.diagnosis[0]!.text.en).toContain('neither the caller (198.51.100.10) nor the callee (192.0.2.77)');

    // each leg alone (--no-link) only knows that its other end sent the BYE: nothing to say, as before
    expect((JSON.parse((await run(['flow', c.file, '--call-id', c.callIdA, '--format', 'json', '--no-link'])).out) as FlowJson).diagnosis).toEqual([]);
  });

  it('a party’s hang-up relayed by the B2BUA stays a plain hang-up, either way', async () => {
    for (const end of ['caller', 'callee'] as const) {
      const c = capture(end);
      for (const id of [c.callIdA, c.callIdB]) {
        const j = JSON.parse((await run(['flow', c.file, '--call-id', id, '--format', 'json'])).out) as FlowJson;
        expect(j.legs).toHaveLength(2);
        expect(j.diagnosis, `${end} ${id}`).toEqual([]);
      }
    }
  });
});

describe('calls: hangup across the legs and hops of a call', () => {
  const rows = async (file: string): Promise<Array<{ callId: string; hangup: string | null }>> => JSON.parse((await run(['calls', file, '--format', 'json'])).out);

  it('`proxy` on both legs when the B2BUA ended them; caller or callee on both when a party hung up', async () => {
    const t = capture('b2bua');
    expect((await rows(t.file)).map((x) => [x.callId, x.hangup]).sort()).toEqual([[t.callIdA, 'proxy'], [t.callIdB, 'proxy']].sort());
    for (const end of ['caller', 'callee'] as const) {
      const c = capture(end);
      expect((await rows(c.file)).map((x) => x.hangup)).toEqual([end, end]);
    }
    // the table and CSV say the same
    const table = (await run(['calls', t.file])).out;
    expect(table.split('\n').filter((l) => / yes +30\.0 +proxy /.test(l))).toHaveLength(2);
    const csv = (await run(['calls', t.file, '--format', 'csv'])).out.trimEnd().split('\r\n').slice(1);
    expect(csv.map((l) => l.split(',')[10])).toEqual(['proxy', 'proxy']);
  });

  it('a proxy that ended both hops of one Call-ID (the recorded proxy-drop and session-timer captures): `proxy` on both', async () => {
    for (const name of ['proxy-drop.pcap', 'session-expired.pcap']) {
      const file = new URL(`../../fixtures/recorded/${name}`, import.meta.url).pathname;
      expect((await rows(file)).map((x) => x.hangup), name).toEqual(['proxy', 'proxy']);
    }
  });
});

// ── the pieces, on hand-made data ───────────────────────────────────────────────────────────────────

const A = '10.1.1.1';
const P = '10.2.2.2';
const F = '10.3.3.3';

function m(o: Partial<SipMessage> & { at: number; from: string; to: string; callId: string }): SipMessage {
  const { at, from, to, ...rest } = o;
  return { ts: at, src: from, srcPort: 5060, dst: to, dstPort: 5060, transport: 'udp', isRequest: false, cseq: 1, cseqMethod: 'INVITE', fromTag: 'f', position: { file: 'x', packet: 1 }, ...rest };
}
/** One answered leg `from → to` (INVITE at `t`, 200 at `t + 1000`), then a BYE from `byeFrom` at 60 s. */
function leg(callId: string, from: string, to: string, t: number, byeFrom?: string): SipMessage[] {
  const out = [
    m({ callId, at: t, from, to, isRequest: true, method: 'INVITE' }),
    m({ callId, at: t + 1000, from: to, to: from, status: 200, reason: 'OK', toTag: 't' }),
    m({ callId, at: t + 1010, from, to, isRequest: true, method: 'ACK', cseqMethod: 'ACK', toTag: 't' }),
  ];
  if (byeFrom) out.push(m({ callId, at: 60_000 + t, from: byeFrom, to: byeFrom === from ? to : from, isRequest: true, method: 'BYE', cseqMethod: 'BYE', cseq: 2, toTag: 't' }));
  return out;
}

describe('linkedTeardown', () => {
  it('finds the B2BUA that began the BYE on every leg, and the outer parties', () => {
    const a = leg('a', A, P, 0, P);
    const b = leg('b', P, F, 20, P);
    expect(linkedTeardown([a, b])).toEqual({ caller: A, callee: F, middle: P, byes: [3, 3] });
    expect(linkedTeardown([b, a])).toEqual({ caller: A, callee: F, middle: P, byes: [3, 3] });
  });

  it('a leg the B2BUA tried first and that failed (no answer, no BYE) is left aside', () => {
    const failed = [m({ callId: 'b0', at: 10, from: P, to: '10.4.4.4', isRequest: true, method: 'INVITE' }), m({ callId: 'b0', at: 15, from: '10.4.4.4', to: P, status: 503, reason: 'Service Unavailable', toTag: 'u' })];
    const a = leg('a', A, P, 0, P);
    const b = leg('b', P, F, 20, P);
    expect(linkedTeardown([a, failed, b])).toEqual({ caller: A, callee: F, middle: P, byes: [3, -1, 3] });
    // asked by the failed leg's Call-ID: the first leg with a BYE says it, citing the other's
    const flow = buildFlow('b0', [failed, a, b].map((messages, i) => ({ callId: ['b0', 'a', 'b'][i]!, by: i ? ('numbers' as const) : ('self' as const), messages, records: [] })));
    const drops = flow.diagnosis.filter((d) => d.id === 'dropped');
    expect(drops.map((d) => d.leg)).toEqual(['B']);
    expect(drops[0]!.evidence.map((e) => e.what.en)).toEqual(['200 OK: answer', 'BYE: 0:59.0 after answer, sent by the B2BUA (10.2.2.2)', 'BYE: sent by 10.2.2.2 on leg C too']);
    // one answered leg alone is no B2BUA teardown
    expect(linkedTeardown([a, failed])).toBeUndefined();
  });

  it('nothing when a party sent a BYE, a leg has none or was not answered, or the legs are one', () => {
    expect(linkedTeardown([leg('a', A, P, 0, A), leg('b', P, F, 20, P)])).toBeUndefined();
    expect(linkedTeardown([leg('a', A, P, 0, P), leg('b', P, F, 20, F)])).toBeUndefined();
    expect(linkedTeardown([leg('a', A, P, 0, P), leg('b', P, F, 20)])).toBeUndefined();
    expect(linkedTeardown([leg('a', A, P, 0, P), leg('b', P, F, 20, P).filter((x) => x.status !== 200 && x.method !== 'BYE')])).toBeUndefined();
    expect(linkedTeardown([leg('a', A, P, 0, P)])).toBeUndefined();
    // a click-to-call: the B2BUA called both parties, so neither is the caller
    expect(linkedTeardown([leg('a', P, A, 0, P), leg('b', P, F, 20, P)])).toBeUndefined();
  });

  it('diagnose with the parties: the B2BUA is no party; said on one leg only', () => {
    const parties = { caller: A, callee: F, middle: P };
    const a = leg('a', A, P, 0, P);
    expect(diagnose(a).map((d) => d.id)).toEqual([]);
    const d = diagnose(a, [], { parties });
    expect(d.map((x) => x.id)).toEqual(['dropped']);
    expect(d[0]!.text.en).toContain('torn down by the B2BUA 10.2.2.2, neither the caller (10.1.1.1) nor the callee (10.3.3.3)');
    expect(diagnose(a, [], { parties, quietMiddle: true })).toEqual([]);
    // what else the BYE shows is still said on a quiet leg, with the B2BUA named as its sender
    const withCause = a.map((x) => (x.method === 'BYE' ? { ...x, q850: 41 } : x));
    const q = diagnose(withCause, [], { parties, quietMiddle: true });
    expect(q.map((x) => x.id)).toEqual(['dropped']);
    expect(q[0]!.text.en.startsWith('The B2BUA (10.2.2.2) ended the call 0:59.0 after answer, and not as a plain hang-up: its Reason is Q.850 cause 41')).toBe(true);
  });
});

describe('CallRows', () => {
  const rec = (o: Partial<CallRecord> & { callId: string }): CallRecord => ({
    route: 'r', start: 0, answer: 1000, end: 60_000, finalCode: 200, codeSource: 'sip', flags: 0, source: { file: 'f.pcap' }, caller: '74951230001', callee: '74957770002', ...o,
  });
  const collect = (records: CallRecord[]): CallRow[] => {
    const out: CallRow[] = [];
    const rows = new CallRows((row) => out.push(row));
    for (const r of records) rows.add(r);
    rows.end();
    return out;
  };
  const legA = (o: Partial<CallRecord> = {}): CallRecord => rec({ callId: 'a', srcAddr: A, dstAddr: P, disconnectedBy: 'callee', ...o });
  const legB = (o: Partial<CallRecord> = {}): CallRecord => rec({ callId: 'b', srcAddr: P, dstAddr: F, start: 20, end: 60_020, disconnectedBy: 'caller', caller: '+7 495 123-00-01', callee: '+7 (495) 777-00-02', ...o });
  const hangups = (rs: CallRow[]): Array<[string, string | null]> => rs.map((r) => [r.callId, r.hangup]);

  it('the legs whose BYEs all came from the address between them: proxy', () => {
    expect(hangups(collect([legA(), legB()]))).toEqual([['a', 'proxy'], ['b', 'proxy']]);
    // a party's hang-up: each keeps its own
    expect(hangups(collect([legA({ disconnectedBy: 'caller' }), legB()]))).toEqual([['a', 'caller'], ['b', 'caller']]);
    expect(hangups(collect([legA(), legB({ disconnectedBy: 'callee' })]))).toEqual([['a', 'callee'], ['b', 'callee']]);
  });

  it('not linked: other numbers, INVITEs over 5 s apart, the same hop (a redial), BYEs over 32 s apart', () => {
    expect(hangups(collect([legA(), legB({ callee: '74950000000' })]))).toEqual([['a', 'callee'], ['b', 'caller']]);
    expect(hangups(collect([legA(), legB({ start: 6000 })]))).toEqual([['a', 'callee'], ['b', 'caller']]);
    expect(hangups(collect([legA(), legB({ srcAddr: A, dstAddr: P, disconnectedBy: 'callee' })]))).toEqual([['a', 'callee'], ['b', 'callee']]);
    expect(hangups(collect([legA(), legB({ end: 93_000 })]))).toEqual([['a', 'callee'], ['b', 'caller']]);
  });

  it('an unanswered attempt has no hangup, whatever the source says (an Asterisk Dial outcome)', () => {
    expect(hangups(collect([rec({ callId: 'x', answer: undefined, finalCode: 486, disconnectedBy: 'callee' })]))).toEqual([['x', null]]);
    expect(hangups(collect([rec({ callId: 'y', answer: undefined, finalCode: 480, disconnectedBy: 'caller' })]))).toEqual([['y', null]]);
    // an answered call from a log without times keeps it
    expect(hangups(collect([rec({ callId: 'z', answer: undefined, end: undefined, finalCode: 200, disconnectedBy: 'caller' })]))).toEqual([['z', 'caller']]);
  });

  it('a hotline or a load test (every call to one number, on one hop): each row looks at a few others, not every held one (re-audit A, N1)', () => {
    // 20,000 answered 5-second calls at 100 per second from one caller to one callee: about 7,400 rows are held at
    // once. Reading a record's Call-ID is what every candidate check does: count the reads.
    let reads = 0;
    const n = 20_000;
    const out: CallRow[] = [];
    const rows = new CallRows((row) => out.push(row));
    for (let i = 0; i < n; i++) {
      const r = legA({ start: i * 10, answer: i * 10 + 500, end: i * 10 + 5000, disconnectedBy: i % 2 ? 'caller' : 'callee' });
      const id = `load-${i}`;
      Object.defineProperty(r, 'callId', { get: () => (reads++, id), enumerable: true });
      rows.add(r);
    }
    rows.end();
    expect(out.length).toBe(n);
    expect(out.every((r) => r.hangup === 'caller' || r.hangup === 'callee')).toBe(true);
    expect(reads).toBeLessThan(20 * n);
  });

  it('legs are still found across the time slots of the index: INVITEs 4.99 s apart, on either side of a slot boundary', () => {
    expect(hangups(collect([legA({ start: 4_990, answer: 5_500 }), legB({ start: 9_980, answer: 10_000 })]))).toEqual([['a', 'proxy'], ['b', 'proxy']]);
    // 5.01 s apart: not the same call
    expect(hangups(collect([legA({ start: 4_990, answer: 5_500 }), legB({ start: 10_001, answer: 10_500 })]))).toEqual([['a', 'callee'], ['b', 'caller']]);
  });

  it('streams: a row waits only until its input has gone 74 s past its end; unanswered rows go out at once', () => {
    const out: string[] = [];
    const rows = new CallRows((row) => out.push(row.callId));
    rows.add(legA());
    expect(out).toEqual([]);
    rows.add(rec({ callId: 'failed', answer: undefined, finalCode: 486, end: 62_000 }));
    expect(out).toEqual(['failed']);
    rows.add(legB());
    rows.add(rec({ callId: 'later', answer: undefined, finalCode: 486, start: 130_000, end: 134_100 }));
    expect(out).toEqual(['failed', 'later', 'a', 'b']);
    rows.end();
    expect(out).toEqual(['failed', 'later', 'a', 'b']);
    // another input's time does not move this one's rows on; the legs of a split capture (two files) still meet
    const split: Array<[string, string | null]> = [];
    const two = new CallRows((row) => split.push([row.callId, row.hangup]));
    two.add(legA({ source: { file: 'p1.pcap' } }));
    two.add(rec({ callId: 'far', answer: undefined, finalCode: 486, start: 500_000, end: 500_100, source: { file: 'p2.pcap' } }));
    two.add(legB({ source: { file: 'p2.pcap' } }));
    two.end();
    expect(split).toEqual([['far', null], ['b', 'proxy'], ['a', 'proxy']]);
  });
});

describe('calls --limit (re-audit A, N5)', () => {
  it('gives the first N rows by start in every format, not the first written (answered rows wait for the rest of their call)', async () => {
    // an answered call over a B2BUA (two rows, at 0 and 20 ms), then refused calls from 5 s on: their rows are
    // written at once, the answered ones only at the end of the input
    const busy = busyCalls(['late-1@x', 'late-2@x', 'late-3@x']).map((p) => ({ ...p, ts: p.ts + 5000 }));
    const c = b2buaEnding('caller');
    const file = join(dir, 'limit.pcap');
    writeFileSync(file, pcapOf([...c.packets, ...busy].sort((x, y) => x.ts - y.ts)));
    const json = JSON.parse((await run(['calls', file, '-f', 'json', '--limit', '2'])).out) as CallRow[];
    expect(json.map((r) => r.callId)).toEqual([c.callIdA, c.callIdB]);
    expect(json.map((r) => r.hangup)).toEqual(['caller', 'caller']);
    const csv = (await run(['calls', file, '-f', 'csv', '--limit', '3'])).out.trimEnd().split('\n');
    expect(csv.slice(1).map((l) => l.split(',')[12])).toEqual([c.callIdA, c.callIdB, 'late-1@x']);
    const table = (await run(['calls', file, '--limit', '2'])).out;
    expect(table).toContain(c.callIdA);
    expect(table).not.toContain('late-1@x');
    // without --limit, every row
    expect((JSON.parse((await run(['calls', file, '-f', 'json'])).out) as CallRow[]).length).toBe(5);
  });
});

describe('calls on inputs of the same period (re-audit A, N2)', () => {
  it('CallRows tells inputs whose held rows began in the same period from the pieces of one split capture', () => {
    const rec = (callId: string, file: string, start: number): CallRecord => ({
      callId, route: 'r', start, answer: start + 1000, end: start + 60_000, finalCode: 200, codeSource: 'sip', flags: 0, source: { file },
      caller: '74951230001', callee: '74957770002', srcAddr: A, dstAddr: P, disconnectedBy: 'caller',
    });
    const pieces = new CallRows(() => undefined);
    // a call begun at the end of piece 1 ends after piece 2's first call began: still no overlap of the inputs
    for (const [id, file, t] of [['a', 'p2', 200_000], ['b', 'p2', 300_000], ['c', 'p1', 0], ['d', 'p1', 190_000]] as const) pieces.add(rec(id, file, t));
    pieces.end();
    expect(pieces.inputsOverlap()).toBe(false);
    const same = new CallRows(() => undefined);
    for (const [id, file, t] of [['a', 'eth0', 0], ['b', 'eth0', 100_000], ['c', 'eth1', 50_000]] as const) same.add(rec(id, file, t));
    same.end();
    expect(same.inputsOverlap()).toBe(true);
  });

  it('calls says on stderr that a teardown is judged within each input, and how to judge it across them', async () => {
    const c = b2buaEnding('b2bua');
    const one = join(dir, 'eth0.pcap');
    const two = join(dir, 'eth1.pcap');
    // eth0 holds calls begun at 0 and 60 s, eth1 one begun at 30 s: the same period
    writeFileSync(one, pcapOf([...c.packets, ...b2buaEnding('callee').packets.map((p) => ({ ...p, ts: p.ts + 60_000 }))].sort((x, y) => x.ts - y.ts)));
    writeFileSync(two, pcapOf(b2buaEnding('caller').packets.map((p) => ({ ...p, ts: p.ts + 30_000 }))));
    const note = 'sipscope: the inputs cover the same period: who hung up (`proxy`) is judged within each input, so a B2BUA teardown whose legs are in different inputs is missed; `sipscope flow` judges them together, or merge the captures first (mergecap -w all.pcap …)\n';
    const both = await run(['calls', one, two, '-f', 'csv']);
    expect(both.err).toBe(note);
    const alone = await run(['calls', one, '-f', 'csv']);
    expect(alone.err).toBe('');
  });
});
