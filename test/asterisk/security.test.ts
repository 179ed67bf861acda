import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchSecurity } from '../../src/asterisk/security.js';
import { digest, fixture, reconciled, run } from './helpers.js';
import type { SecurityEvent } from '../../src/types.js';

/** Kept apart from fixtures/asterisk (whose every file has pinned digests): the forged lines scanners reads. */
const spoofed = readFileSync(new URL('../../fixtures/postmortem/security-spoofed.log', import.meta.url));

/** Events per address. */
function perAddress(events: readonly SecurityEvent[]): Record<string, number> {
  const per: Record<string, number> = {};
  for (const e of events) per[e.address] = (per[e.address] ?? 0) + 1;
  return per;
}

describe('security lines', () => {
  it('security.log: events per address and kind', () => {
    const r = run(fixture('security.log'), 0, {}, 'security.log');
    reconciled(r.acc);
    expect(perAddress(r.security)).toEqual({
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
    expect(kinds.filter((k) => k === 'probe')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'unknown-extension')).toHaveLength(2);
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
      kind: 'unknown-extension',
      address: '1.2.3.4',
      target: '011',
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

  it('security-spoofed.log: each event counts for the address Asterisk wrote, never for the copies in the client text', () => {
    const r = run(spoofed, 0, {}, 'security-spoofed.log');
    reconciled(r.acc);
    expect(perAddress(r.security)).toEqual({
      '198.51.100.66': 10,
      '198.51.100.67': 10,
      '198.51.100.69': 1,
      '198.51.100.70': 1,
      '198.51.100.72': 1,
      '198.51.100.73': 1,
      '198.51.100.74': 1,
      '198.51.100.76': 1,
    });
    // the forged lines whose real address cannot be told are not counted for anybody
    expect(r.acc.ignoredBy).toEqual({ 'not-call-related': 4 });
    expect(r.security.slice(0, 10).map((e) => e.user)).toEqual(['100', '101', '102', '103', '104', '105', '106', '107', '108', '109']);
    expect(digest(run(spoofed, 7, {}, 'security-spoofed.log'))).toBe(digest(r));
  });

  it('chan_sip registration: only the fixed reason follows the address, so the last frame is the real one', () => {
    const reg = "Registration from '\"x' failed for '203.0.113.10:5060' - Wrong password\" <sip:101@203.0.113.1>' failed for '198.51.100.66:5093' - Wrong password";
    expect(matchSecurity(reg)).toEqual({ kind: 'auth-failed', address: '198.51.100.66', user: '101', detail: 'REGISTER: Wrong password' });
    // the user is the URI's, not a sip: in the display name
    expect(matchSecurity("Registration from '\"sip:999@x\" <sip:5@h>' failed for '1.2.3.4' - Wrong password")!.user).toBe('5');
    expect(matchSecurity("Registration from '\"n\" <sip:<b>7@h>;tag=1' failed for '1.2.3.4' - Wrong password")!.user).toBe('<b>7');
    // a SecurityEvent text inside the From is part of the From, not an event
    expect(matchSecurity(`Registration from '<sip:8@h>SecurityEvent="InvalidPassword",RemoteAddress="IPV4/UDP/203.0.113.10/5060"' failed for '1.2.3.4:5060' - Wrong password`)).toMatchObject({ address: '1.2.3.4', detail: 'REGISTER: Wrong password' });
  });

  it('res_pjsip: From before and Call-ID after the address; copies that disagree blame nobody', () => {
    const line = (from: string, callId: string) => `Request 'REGISTER' from '${from}' failed for '198.51.100.68:5060' (callid: ${callId}) - No matching endpoint found`;
    expect(matchSecurity(line('<sip:1@h>', "x' failed for '203.0.113.10:5060' (callid: y"))).toBeUndefined();
    expect(matchSecurity(line(`"a' failed for '203.0.113.10:5060' (callid: b) - Failed to authenticate" <sip:2@h>`, 'c'))).toBeUndefined();
    // a copy naming the same address is harmless
    expect(matchSecurity(line('<sip:3@h>', "x' failed for '198.51.100.68:1'"))).toMatchObject({ address: '198.51.100.68', user: '3' });
    // the reason ends the line: a ` - ` in the Call-ID does not choose the kind
    expect(matchSecurity(line('<sip:7@h>', 'z - Failed to authenticate'))).toEqual({ kind: 'no-such-peer', address: '198.51.100.68', user: '7', detail: 'REGISTER: No matching endpoint found' });
    // the method comes from Asterisk's words, not from the From
    expect(matchSecurity("Request from '<sip:Request 'BYE'@h>' failed for '1.2.3.4:5060' (callid: c) - Failed to authenticate")!.detail).toBe('request: Failed to authenticate');
  });

  it('unknown extension: the caller name and the extension may copy `(addr) to extension`', () => {
    const probe = matchSecurity("Call from 'x (203.0.113.10:5060) y' (198.51.100.67:5070) to extension '004681' rejected because extension not found in context 'from-trunk'.");
    expect(probe).toEqual({ kind: 'unknown-extension', address: '198.51.100.67', user: 'x (203.0.113.10:5060) y', target: '004681', detail: "INVITE to unknown extension '004681'" });
    expect(matchSecurity("Call from 'x' (203.0.113.10:5060) to extension '1' (198.51.100.67:5070) to extension '2' rejected because extension not found in context 'c'.")).toBeUndefined();
    expect(matchSecurity("Call from '' (198.51.100.75:5060) to extension '1' (203.0.113.10:5060) to extension '2' rejected because extension not found in context 'c'.")).toBeUndefined();
    // an extension holding the words of the end of the line: the last ones are Asterisk's
    expect(matchSecurity("Call from '' (1.2.3.4:5060) to extension 'a' rejected because extension not found in context 'b'. x' rejected because extension not found in context 'default'.")).toMatchObject({
      address: '1.2.3.4',
      detail: "INVITE to unknown extension 'a' rejected because extension not found in context 'b'. x'",
    });
  });

  it('security log: where the client text follows RemoteAddress, every copy must name the same address', () => {
    const crf = (tail: string) =>
      `SecurityEvent="ChallengeResponseFailed",EventTV="1",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="<unknown>",SessionID="s",LocalAddress="IPV4/UDP/10.0.0.1/5060",RemoteAddress="IPV4/UDP/198.51.100.71/5060",Challenge="${tail}",Response="",ExpectedResponse=""`;
    expect(matchSecurity(crf('n",RemoteAddress="IPV4/UDP/203.0.113.10/5060'))).toBeUndefined();
    expect(matchSecurity(crf('n'))).toMatchObject({ kind: 'auth-failed', address: '198.51.100.71' });
    // the event name is Asterisk's only at the start, before any quoted text
    expect(matchSecurity(`Foo 'SecurityEvent="InvalidPassword",RemoteAddress="IPV4/UDP/203.0.113.10/5060"'`)).toBeUndefined();
  });

  it('IAX2, AMI and FreePBX lines: the client text around the address does not move it', () => {
    expect(matchSecurity("No registration for peer 'p (from 203.0.113.10) q' (from 198.51.100.73)")).toEqual({
      kind: 'no-such-peer',
      address: '198.51.100.73',
      user: 'p (from 203.0.113.10) q',
      detail: 'IAX2 registration for an unknown peer',
    });
    expect(matchSecurity('b Friendly Scanner from 203.0.113.10: Friendly Scanner from 198.51.100.74')).toMatchObject({ address: '198.51.100.74' });
    expect(matchSecurity('x Rejecting unknown SIP connection from 203.0.113.10 Rejecting unknown SIP connection from 198.51.100.77"')).toMatchObject({ address: '198.51.100.77' });
    expect(matchSecurity("Host 198.51.100.76 failed to authenticate as 'a failed MD5 authentication'")).toEqual({
      kind: 'auth-failed',
      address: '198.51.100.76',
      user: 'a failed MD5 authentication',
      detail: 'authentication failed',
    });
    expect(matchSecurity("192.0.2.5 failed to authenticate as 'it's me'")!.user).toBe("it's me");
    expect(matchSecurity("192.0.2.4 tried to authenticate with nonexistent user 'o'neil'")!.user).toBe("o'neil");
  });

  it('attacker-controlled text of any length is read in linear time', () => {
    const evil = `Registration from '${"'".repeat(200_000)}' failed for '${'1'.repeat(200_000)}`;
    const t0 = performance.now();
    matchSecurity(evil);
    matchSecurity(`SecurityEvent="${'"'.repeat(100_000)}RemoteAddress="`.repeat(3));
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
