import { describe, expect, it } from 'vitest';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';
import { inputLines } from '../../src/cli/input-lines.js';
import { CallFlag, type CallRecord } from '../../src/types.js';
import { digest, fixture, reconciled, run } from './helpers.js';

/** edge-cases.log plus a line longer than the cap and a last line without a newline. */
function edgeInput(eol: '\n' | '\r\n'): Buffer {
  const text = fixture('edge-cases.log').toString().replace(/\n/g, eol);
  const long = `[2023-11-14 22:15:00] VERBOSE[1] pbx.c: ${'x'.repeat(70_000)}${eol}`;
  const last = '[2023-11-14 22:15:01] NOTICE[2] chan_sip.c: Registration from \'<sip:9@x>\' failed for \'192.0.2.200:5060\' - Wrong password';
  return Buffer.from(text + long + last);
}

describe('edge cases', () => {
  for (const eol of ['\n', '\r\n'] as const) {
    it(`accounting with ${eol === '\n' ? 'LF' : 'CRLF'} line ends: every line in one bucket, with positions`, () => {
      const r = run(edgeInput(eol), 0, {}, 'edge');
      reconciled(r.acc);
      expect(r.acc.read).toBe(27);
      expect(r.acc.anomalies).toEqual({ 'bad-timestamp': 2, 'bad-json': 2, 'line-too-long': 1 });
      expect(r.acc.samples.map((s) => [s.name, s.position.line])).toEqual([
        ['bad-timestamp', 10],
        ['bad-timestamp', 11],
        ['bad-json', 12],
        ['bad-json', 13],
        ['line-too-long', 26],
      ]);
      expect(r.acc.ignoredBy).toEqual({ comment: 1, blank: 1, 'local-channel': 1 });
      // The last line has no newline and is still read.
      expect(r.security.map((e) => [e.address, e.position.line])).toEqual([['192.0.2.200', 27]]);
    });
  }

  it('1-byte and odd-size chunks give identical results', () => {
    const data = edgeInput('\r\n');
    const whole = digest(run(data));
    for (const size of [1, 2, 3, 7, 1000, 65_537]) expect(digest(run(data, size))).toBe(whole);
  });

  it('a Dial to two peers is one attempt per peer; the one not answered is cancelled', () => {
    const r = run(edgeInput('\n'));
    const alpha = r.records.find((x) => x.callId.startsWith('C-00000010') && x.route === 'alpha')!;
    const beta = r.records.find((x) => x.route === 'beta')!;
    expect(alpha).toMatchObject({ finalCode: 200, callee: '555', caller: '200', duration: 20_000, disconnectedBy: 'callee', earlyMedia: true, pdd: 2000 });
    expect(alpha.flags & CallFlag.EarlyMedia).toBeTruthy();
    expect(beta).toMatchObject({ finalCode: 487, codeSource: 'disposition', disconnectedBy: 'caller', pdd: 1000 });
    expect(beta.flags & CallFlag.Cancelled).toBeTruthy();
  });

  it('caller hang-up while ringing is a 487; Auto fallthrough status gives the code; Local channels are no attempt', () => {
    const r = run(edgeInput('\n'));
    expect(r.records.find((x) => x.route === 'gamma')).toMatchObject({ finalCode: 487, disconnectedBy: 'caller', callee: '777' });
    expect(r.records.find((x) => x.route === 'delta')).toMatchObject({ finalCode: 503, disposition: 'CHANUNAVAIL' });
    expect(r.records.some((x) => x.route.startsWith('Local') || x.callee === '999')).toBe(false);
  });

  it('an attempt still ringing at the end of the input is emitted as Unfinished', () => {
    const r = run(edgeInput('\n'));
    const open = r.records.find((x) => x.callee === '444')!;
    expect(open.flags & CallFlag.Unfinished).toBeTruthy();
    expect(open.finalCode).toBeUndefined();
    expect(open.codeSource).toBe('none');
    expect(r.records).toHaveLength(5);
    expect(r.acc.records).toBe(5);
  });

  it('a bug met on one line costs that line, named with its position, not the rest of the chunk', () => {
    const data = fixture('scenario-ast13-chansip.log');
    const whole = run(data);
    expect(whole.records.length).toBeGreaterThan(2);
    let seen = 0;
    const got: CallRecord[] = [];
    const src = createAsteriskLogSource('bug.log', {
      record: (r) => {
        if (seen++ === 0) throw new Error('sink failed');
        got.push(r);
      },
    });
    src.push(data); // one chunk: before, everything after the failing line was lost with it
    src.end();
    expect(got.map((r) => r.callId)).toEqual(whole.records.slice(1).map((r) => r.callId));
    expect(src.accounting.anomalies['internal-error']).toBe(1);
    expect(src.accounting.samples.find((x) => x.name === 'internal-error')).toMatchObject({ position: { file: 'bug.log' }, detail: 'sink failed' });
    reconciled(src.accounting);
    expect(inputLines([src.accounting])).toEqual([expect.stringMatching(/^sipscope: bug\.log: 1 line not read because of an internal error \(first: line \d+: sink failed\); please report it\n$/)]);
  });

  it('a UTF-8 BOM before the first line is skipped', () => {
    const line = "[2024-01-02 03:04:05] NOTICE[1] chan_sip.c: Registration from '<sip:1@x>' failed for '192.0.2.9:5060' - Wrong password\n";
    const r = run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line)]));
    expect(r.security.map((e) => [e.address, new Date(e.ts).toISOString()])).toEqual([['192.0.2.9', '2024-01-02T03:04:05.000Z']]);
    expect(digest(run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line)]), 1))).toBe(digest(r));
  });

  it('garbage and binary input never throw and are all accounted for', () => {
    const junk = Buffer.alloc(200_000);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      junk[i] = x >>> 24;
    }
    // sprinkle things that look like the start of known lines
    junk.write('[2023-11-14 22:13:20] VERBOSE[1][C-0', 100);
    junk.write('\n<--- SIP read from UDP:1.2.3.4:5060 --->\nINVITE sip:x SIP/2.0\n', 5000);
    junk.write('\n{"logmsg":{"message":7}}\n', 9000);
    const r = run(junk, 977);
    reconciled(r.acc);
    expect(r.acc.anomalies['internal-error']).toBeUndefined();
  });
});

describe('Auto fallthrough dial statuses (one table with the CDR reader: DIAL_STATUS_TO_SIP)', () => {
  const lines = (status: string): Buffer =>
    Buffer.from(
      [
        '[2024-03-05 11:00:00] VERBOSE[380][C-00000001] pbx.c: Executing [5550001@from-internal:1] Dial("PJSIP/trunkin-00000001", "PJSIP/5550001@alpha,30") in new stack',
        '[2024-03-05 11:00:00] VERBOSE[380][C-00000001] app_dial.c: Called PJSIP/5550001@alpha',
        `[2024-03-05 11:00:04] VERBOSE[380][C-00000001] pbx.c: Auto fallthrough, channel 'PJSIP/trunkin-00000001' status is '${status}'`,
        '',
      ].join('\n'),
    );

  for (const [status, code] of [
    ['BUSY', 486],
    ['CHANUNAVAIL', 503],
    ['DONTCALL', 603],
    ['TORTURE', 603],
    ['INVALIDARGS', 500],
  ] as const) {
    it(`${status} → ${code}`, () => {
      const r = run(lines(status));
      reconciled(r.acc);
      expect(r.records).toHaveLength(1);
      expect(r.records[0]).toMatchObject({ route: 'alpha', finalCode: code, disposition: status });
    });
  }
});
