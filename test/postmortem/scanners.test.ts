import { describe, expect, it } from 'vitest';
import { DEFAULT_SCANNER_THRESHOLDS, ScannerDetector, isScannerAgent } from '../../src/postmortem/scanners.js';
import { scannersJson, scannersTable } from '../../src/postmortem/scanners-render.js';
import type { SipMessage } from '../../src/types.js';

const msg = (o: Partial<SipMessage>): SipMessage => ({
  ts: 1_700_000_000_000, src: '1.1.1.1', srcPort: 5060, dst: '2.2.2.2', dstPort: 5060, transport: 'udp', isRequest: true, callId: 'x', cseq: 1, cseqMethod: 'INVITE', position: { file: 'f' }, ...o,
});

describe('ScannerDetector', () => {
  it('behaviour alone: INVITEs to many extensions that get no useful answer make an enumeration', () => {
    const d = new ScannerDetector();
    for (let i = 0; i < 12; i++) {
      d.message(msg({ method: 'INVITE', toUser: String(1000 + i), fromUser: i % 2 ? '1000' : '1001', userAgent: 'Asterisk PBX' }));
      d.message(msg({ isRequest: false, status: 404, src: '2.2.2.2', dst: '1.1.1.1' }));
    }
    const [r] = d.result();
    expect(r).toMatchObject({ address: '1.1.1.1', verdict: 'enumeration', targets: 12, answered: 0, callerIds: ['1001', '1000'] });
    expect(r!.reasons.join('; ')).toContain('caller ids 1001, 1000');
  });

  it('a carrier trunk calling many numbers, most answered or ringing, is not flagged', () => {
    const d = new ScannerDetector();
    for (let i = 0; i < 50; i++) {
      d.message(msg({ method: 'INVITE', toUser: `7495${1000000 + i}` }));
      d.message(msg({ isRequest: false, status: i % 3 ? 180 : 486, src: '2.2.2.2', dst: '1.1.1.1' }));
      d.message(msg({ isRequest: false, status: i % 2 ? 403 : 200, src: '2.2.2.2', dst: '1.1.1.1' }));
    }
    const [r] = d.result();
    expect(r!.verdict).toBe('ok');
    expect(r!.refusals).toBe(25);
    expect(r!.authFailures).toBe(0);
  });

  it('calls to unknown extensions: many distinct ones are an enumeration, one is a misdial; the peer name is no target', () => {
    const d = new ScannerDetector();
    for (let i = 0; i < 12; i++) d.security({ ts: 1, address: '198.51.100.99', kind: 'unknown-extension', target: `00468123456${i}`, position: { file: 'l', line: i + 1 } });
    d.security({ ts: 1, address: '203.0.113.5', kind: 'unknown-extension', user: 'trunk', target: '5551234', position: { file: 'l', line: 13 } });
    const [scan, misdial] = d.result();
    expect(scan).toMatchObject({ address: '198.51.100.99', verdict: 'enumeration', targets: 12, events: { 'unknown-extension': 12 } });
    expect(scan!.reasons).toEqual(["12 distinct target users in the PBX's security lines (no request of it seen)"]);
    expect(misdial).toMatchObject({ address: '203.0.113.5', verdict: 'ok', targets: 1, sampleTargets: ['5551234'] });
    // the PBX naming a scanner is still enough on its own
    d.security({ ts: 1, address: '192.0.2.9', kind: 'probe', detail: 'hacking attempt detected', position: { file: 'l', line: 14 } });
    expect(d.result().find((r) => r.address === '192.0.2.9')!.verdict).toBe('scanner');
  });

  it('security events: counts by kind, targets from user names, undated events do not set the times', () => {
    const d = new ScannerDetector();
    for (let i = 0; i < 10; i++) d.security({ ts: 0, address: '9.9.9.9', kind: 'auth-failed', user: `u${i % 3}`, position: { file: 'l' } });
    const [r] = d.result();
    expect(r).toMatchObject({ verdict: 'brute-force', events: { 'auth-failed': 10 }, targets: 3, authFailures: 10 });
    expect(r!.firstSeen).toBeUndefined();
  });

  it('known tool names, case-insensitive; target sets capped', () => {
    expect(isScannerAgent('SIPVicious/0.3')).toBe('sipvicious');
    expect(isScannerAgent('VaxSIPUserAgent/3.1')).toBe('vaxsipuseragent');
    expect(isScannerAgent('Yealink SIP-T46S')).toBeUndefined();
    const d = new ScannerDetector();
    for (let i = 0; i < 10_050; i++) d.message(msg({ method: 'OPTIONS', toUser: String(i) }));
    const [r] = d.result();
    expect(r).toMatchObject({ targets: 10_000, targetsCapped: true, verdict: 'enumeration' });
    expect(r!.sampleTargets).toHaveLength(20);
  });

  it('methods named like Object.prototype properties are counted like any other', () => {
    const d = new ScannerDetector();
    for (const m of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__proto__', 'OPTIONS']) d.message(msg({ method: m }));
    const [r] = d.result();
    expect(r!.totalRequests).toBe(7);
    expect(Object.getPrototypeOf(r!.requests)).toBe(Object.prototype);
    expect(Object.entries(r!.requests)).toEqual([['constructor', 1], ['toString', 1], ['valueOf', 1], ['hasOwnProperty', 1], ['__proto__', 2], ['OPTIONS', 1]]);
    const j = JSON.parse(JSON.stringify(scannersJson([r!], 1, DEFAULT_SCANNER_THRESHOLDS))) as { sources: Array<{ requests: Record<string, number> }> };
    expect(Object.values(j.sources[0]!.requests)).toEqual([1, 1, 1, 1, 2, 1]);
    expect(scannersTable([r!], 1)).toContain('__proto__ 2, constructor 1, toString 1, valueOf 1, hasOwnProperty 1, OPTIONS 1');
  });
});
