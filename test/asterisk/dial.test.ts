import { describe, expect, it } from 'vitest';
import { reconciled, run } from './helpers.js';

const log = (lines: string[]) => Buffer.from(lines.join('\n') + '\n');

describe('Dial correlation details', () => {
  it('responses of a two-peer Dial go to the right peers, whatever order they came in', () => {
    const r = run(
      log([
        '[2023-11-14 10:00:00] VERBOSE[10][C-00000001] pbx.c: -- Executing [555@out:1] Dial("SIP/100-00000001", "SIP/alpha/555&SIP/beta/555") in new stack',
        '[2023-11-14 10:00:00] VERBOSE[10][C-00000001] app_dial.c: -- Called SIP/alpha/555',
        '[2023-11-14 10:00:00] VERBOSE[10][C-00000001] app_dial.c: -- Called SIP/beta/555',
        '[2023-11-14 10:00:01] VERBOSE[20][C-00000001] chan_sip.c: -- Got SIP response 503 "Service Unavailable" back from 198.51.100.20:5060',
        '[2023-11-14 10:00:01] VERBOSE[20][C-00000001] chan_sip.c: -- Got SIP response 486 "Busy Here" back from 203.0.113.10:5060',
        '[2023-11-14 10:00:01] VERBOSE[10][C-00000001] app_dial.c: -- SIP/alpha-00000002 is busy',
        '[2023-11-14 10:00:01] VERBOSE[10][C-00000001] app_dial.c: -- SIP/beta-00000003 is circuit-busy',
        '[2023-11-14 10:00:01] VERBOSE[10][C-00000001] app_dial.c: == Everyone is busy/congested at this time (2:1/1/0)',
      ]),
    );
    reconciled(r.acc);
    expect(r.acc.used).toBe(8);
    const by = Object.fromEntries(r.records.map((x) => [x.route, x]));
    expect(by.alpha).toMatchObject({ finalCode: 486, finalReason: 'Busy Here', dstAddr: '203.0.113.10', codeSource: 'sip' });
    expect(by.beta).toMatchObject({ finalCode: 503, finalReason: 'Service Unavailable', dstAddr: '198.51.100.20', codeSource: 'sip' });
  });

  it('a response line of a call whose Dial is over does not leak into another call', () => {
    const r = run(
      log([
        '[2023-11-14 10:00:00] VERBOSE[10][C-00000001] pbx.c: -- Executing [555@out:1] Dial("SIP/100-00000001", "SIP/alpha/555") in new stack',
        '[2023-11-14 10:00:00] VERBOSE[10][C-00000001] app_dial.c: -- Called SIP/alpha/555',
        '[2023-11-14 10:00:01] VERBOSE[10][C-00000001] app_dial.c: -- SIP/alpha-00000002 is busy',
        '[2023-11-14 10:00:01] VERBOSE[10][C-00000001] app_dial.c: == Everyone is busy/congested at this time (1:1/0/0)',
        '[2023-11-14 10:00:01] VERBOSE[11][C-00000002] pbx.c: -- Executing [556@out:1] Dial("SIP/101-00000003", "SIP/beta/556") in new stack',
        '[2023-11-14 10:00:01] VERBOSE[11][C-00000002] app_dial.c: -- Called SIP/beta/556',
        '[2023-11-14 10:00:01] VERBOSE[20][C-00000001] chan_sip.c: -- Got SIP response 600 "Busy Everywhere" back from 203.0.113.10:5060',
        '[2023-11-14 10:00:02] VERBOSE[11][C-00000002] app_dial.c: -- SIP/beta-00000004 is circuit-busy',
        '[2023-11-14 10:00:02] VERBOSE[11][C-00000002] app_dial.c: == Everyone is busy/congested at this time (1:0/1/0)',
      ]),
    );
    reconciled(r.acc);
    expect(r.acc.ignoredBy['no-call-info']).toBe(1);
    const by = Object.fromEntries(r.records.map((x) => [x.route, x]));
    expect(by.alpha).toMatchObject({ finalCode: 486, codeSource: 'disposition' });
    expect(by.beta).toMatchObject({ finalCode: 503, codeSource: 'disposition' });
  });

  it('without markers, a response from the SIP thread is taken by the next failure within 2 s only', () => {
    const lines = (gap: string) => [
      '[Nov 14 10:00:00] VERBOSE[10] pbx.c: -- Executing [555@out:1] Dial("SIP/100-00000001", "SIP/alpha/555") in new stack',
      '[Nov 14 10:00:00] VERBOSE[10] app_dial.c: -- Called SIP/alpha/555',
      '[Nov 14 10:00:01] VERBOSE[20] chan_sip.c: -- Got SIP response 404 "Not Found" back from 203.0.113.10:5060',
      '[Nov 14 10:00:01] VERBOSE[20] chan_sip.c: -- Got SIP response 183 "Session Progress" back from 203.0.113.10:5060',
      `[Nov 14 10:00:${gap}] VERBOSE[10] app_dial.c: -- SIP/alpha-00000002 is circuit-busy`,
    ];
    const near = run(log(lines('02')), 0, { year: 2023 });
    expect(near.records[0]).toMatchObject({ finalCode: 404, finalReason: 'Not Found', codeSource: 'sip' });
    expect(near.acc.ignoredBy['no-call-info']).toBe(1); // the 183 is not an outcome
    const far = run(log(lines('09')), 0, { year: 2023 });
    expect(far.records[0]).toMatchObject({ finalCode: 503, codeSource: 'disposition' });
  });

  it('CallerID from the dialplan; answered call ended by the caller leaving the bridge', () => {
    const r = run(
      log([
        '[2023-11-14 10:00:00.000] VERBOSE[10][C-00000007] pbx.c: Executing [s@macro-dialout:1] Set("PJSIP/1001-00000001", "CALLERID(all)=\\"Front Desk\\" <+14155550100>") in new stack',
        '[2023-11-14 10:00:00.100] VERBOSE[10][C-00000007] pbx.c: Executing [s@macro-dialout:2] Dial("PJSIP/1001-00000001", "PJSIP/+4930123@carrier-b,60,tT") in new stack',
        '[2023-11-14 10:00:00.120] VERBOSE[10][C-00000007] app_dial.c: Called PJSIP/+4930123@carrier-b',
        '[2023-11-14 10:00:01.920] VERBOSE[10][C-00000007] app_dial.c: PJSIP/carrier-b-00000002 is making progress passing it to PJSIP/1001-00000001',
        '[2023-11-14 10:00:06.500] VERBOSE[10][C-00000007] app_dial.c: PJSIP/carrier-b-00000002 answered PJSIP/1001-00000001',
        '[2023-11-14 10:01:06.500] VERBOSE[10][C-00000007] bridge_channel.c: Channel PJSIP/1001-00000001 left \'simple_bridge\' basic-bridge <x>',
        '[2023-11-14 10:01:06.510] VERBOSE[12][C-00000007] bridge_channel.c: Channel PJSIP/carrier-b-00000002 left \'simple_bridge\' basic-bridge <x>',
      ]),
    );
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({
      route: 'carrier-b',
      caller: '+14155550100',
      callee: '+4930123',
      pdd: 1800,
      duration: 60_000,
      disconnectedBy: 'caller',
      earlyMedia: true,
    });
  });

  it('--routes maps a peer given as an address', () => {
    const r = run(
      log([
        '[2023-11-14 10:00:00] VERBOSE[10][C-00000001] app_dial.c: -- Called SIP/555@203.0.113.10:5060',
        '[2023-11-14 10:00:03] VERBOSE[10][C-00000001] app_dial.c: -- SIP/203.0.113.10-00000002 answered SIP/100-00000001',
        '[2023-11-14 10:00:33] VERBOSE[10][C-00000001] pbx.c: == Spawn extension (out, 555, 1) exited non-zero on \'SIP/100-00000001\'',
      ]),
      0,
      { routeOf: (a) => (a === '203.0.113.10' ? 'alpha' : undefined) },
    );
    expect(r.records.map((x) => [x.route, x.finalCode, x.duration])).toEqual([['alpha', 200, 30_000]]);
  });
});
