import { describe, expect, it } from 'vitest';
import { matchSecurity } from '../../src/asterisk/security.js';
import { digest, fixture, reconciled, run } from './helpers.js';

describe('security lines', () => {
  it('security.log: events per address and kind', () => {
    const r = run(fixture('security.log'), 0, {}, 'security.log');
    reconciled(r.acc);
    const per: Record<string, number> = {};
    for (const e of r.security) per[e.address] = (per[e.address] ?? 0) + 1;
    expect(per).toEqual({
      '198.51.100.66': 6,
      '192.0.2.77': 1,
      '198.51.100.67': 2,
      '198.51.100.68': 2,
      '2001:db8::99': 2,
      '192.0.2.78': 1,
      '192.0.2.79': 1,
      '192.0.2.80': 1,
    });
    const kinds = r.security.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'auth-failed')).toHaveLength(7);
    expect(kinds.filter((k) => k === 'no-such-peer')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'acl-denied')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'probe')).toHaveLength(3);
    // the benign ChallengeSent event and two unrelated lines are ignored with their reasons
    expect(r.acc.ignoredBy).toEqual({ 'security-informational': 1, 'not-call-related': 2 });
    // syslog line without a year takes it from the full dates before it
    const last = r.security[r.security.length - 1]!;
    expect(new Date(last.ts).toISOString()).toBe('2024-03-02T03:17:00.000Z');
    expect(last.user).toBe('1005');
    expect(digest(run(fixture('security.log'), 1, {}, 'security.log'))).toBe(digest(r));
  });

  it('reads each known form', () => {
    expect(matchSecurity("Registration from '<sip:301@example.com>' failed for '1.2.3.4:5060' - Wrong password")).toMatchObject({
      kind: 'auth-failed',
      address: '1.2.3.4',
      user: '301',
    });
    expect(matchSecurity("Request 'REGISTER' from '<sip:7@h>' failed for '1.2.3.4:5060' (callid: abc) - No matching endpoint found")).toMatchObject({
      kind: 'no-such-peer',
      address: '1.2.3.4',
      detail: 'REGISTER: No matching endpoint found',
    });
    expect(matchSecurity("Call from '' (1.2.3.4:5060) to extension '011' rejected because extension not found in context 'x'.")).toMatchObject({
      kind: 'probe',
      address: '1.2.3.4',
    });
    expect(matchSecurity("anonymous: Call (UDP:1.2.3.4:65049) to extension '00' rejected because extension not found in context 'x'.")).toMatchObject({
      address: '1.2.3.4',
    });
    expect(matchSecurity("Call from 'anonymous' (TCP:[2001:db8::5]:61470) to extension '9' rejected because extension not found in context 'x'.")).toMatchObject({
      address: '2001:db8::5',
      user: 'anonymous',
    });
    expect(
      matchSecurity('SecurityEvent="FailedACL",EventTV="1",Severity="Error",Service="AMI",AccountID="admin",RemoteAddress="IPV4/TCP/192.0.2.4/62389"'),
    ).toMatchObject({ kind: 'acl-denied', address: '192.0.2.4', user: 'admin', detail: 'FailedACL (AMI)' });
    // A crafted SessionID repeating RemoteAddress: the last one is the real one.
    expect(
      matchSecurity('SecurityEvent="InvalidAccountID",SessionID="",RemoteAddress="IPV4/UDP/5.6.7.8/1111"",RemoteAddress="IPV4/UDP/10.0.0.9/5061"')!.address,
    ).toBe('10.0.0.9');
    expect(matchSecurity('SecurityEvent="SuccessfulAuth",RemoteAddress="IPV4/UDP/1.2.3.4/5060"')).toBeNull();
    expect(matchSecurity('Everything is fine')).toBeUndefined();
  });

  it('attacker-controlled text of any length is read in linear time', () => {
    const evil = `Registration from '${"'".repeat(200_000)}' failed for '${'1'.repeat(200_000)}`;
    const t0 = performance.now();
    matchSecurity(evil);
    matchSecurity(`SecurityEvent="${'"'.repeat(100_000)}RemoteAddress="`.repeat(3));
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
