import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAsteriskLog } from '../../src/asterisk/index.js';
import { CORPUS, digest, reconciled, run } from './helpers.js';

const dir = CORPUS;
const file = (name: string) => readFileSync(new URL(name, dir));

describe.skipIf(!existsSync(dir))('real Asterisk logs (needs ../shared/corpus)', () => {
  const names = existsSync(dir) ? readdirSync(dir).sort() : [];

  for (const name of names) {
    it(`${name}: read without a crash, accounting reconciled, same in 1-byte chunks`, () => {
      const data = file(name);
      const lines = data.toString('latin1').split('\n').length - (data[data.length - 1] === 10 ? 1 : 0);
      const r = run(data, 0, { year: 2024 }, name);
      reconciled(r.acc);
      expect(r.acc.read).toBe(lines);
      expect(r.acc.bytes).toBe(data.length);
      expect(r.acc.anomalies['internal-error']).toBeUndefined();
      expect(digest(run(data, 1, { year: 2024 }, name))).toBe(digest(r));
    });
  }

  it('futel issue 122: one attempt on the twilio peer ending in 486 "Busy Here"', () => {
    const r = run(file('futel__asteriskserver__issue122_twilio_486_excerpt.log'));
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({
      route: 'twilio-termination',
      callee: '+15038419766',
      caller: '667',
      finalCode: 486,
      finalReason: 'Busy Here',
      codeSource: 'sip',
      dstAddr: '54.172.60.3',
    });
    expect(r.acc.notes.some((n) => n.includes('no timestamp'))).toBe(true);
  });

  it('fail2ban test log: every failJSON host is the address of the event read from the next line', () => {
    const text = file('fail2ban__fail2ban__asterisk.log').toString('utf8');
    const lines = text.split('\n');
    const expected = new Map<number, string>();
    lines.forEach((l, i) => {
      const m = /^# failJSON: .*"match": true\s*,\s*"host": "([^"]+)"/.exec(l);
      if (m) expected.set(i + 2, m[1]!); // the next line, 1-based
    });
    expect(expected.size).toBe(48);
    const r = run(Buffer.from(text), 0, {}, 'fail2ban');
    const got = new Map(r.security.map((e) => [e.position.line!, e.address]));
    for (const [line, host] of expected) expect([line, got.get(line)]).toEqual([line, host]);
    expect(r.security).toHaveLength(48);
    expect(r.acc.ignoredBy.comment).toBe(67);
    // fail2ban's own timestamps for two lines
    const first = r.security.find((e) => e.position.line === 3)!;
    expect(new Date(first.ts).toISOString()).toBe('2012-02-13T17:21:54.000Z');
    expect(first).toMatchObject({ kind: 'auth-failed', user: '301' });
  });

  it('crowdsec test logs: events per address, benign ChallengeSent left out', () => {
    const count = (name: string) => {
      const r = run(file(name), 0, {}, name);
      const per: Record<string, number> = {};
      for (const e of r.security) per[e.address] = (per[e.address] ?? 0) + 1;
      return { per, r };
    };
    expect(count('crowdsecurity__hub__asterisk-bf__asterisk-bf.log').per).toEqual({ '172.17.0.1': 6 });
    expect(count('crowdsecurity__hub__asterisk-logs__asterisk-logs.log').per).toEqual({ '172.17.0.1': 4 });
    expect(count('crowdsecurity__hub__asterisk-user-enum__asterisk-user-enum.log').per).toEqual({ '172.17.0.1': 6 });
    const sys = count('crowdsecurity__hub__asterisk-syslogs__asterisk-logs.log');
    expect(sys.per).toEqual({ '192.168.100.12': 5 });
    expect(sys.r.acc.ignoredBy['security-informational']).toBe(1);
    // User enumeration: one account name per probe.
    const users = count('crowdsecurity__hub__asterisk-user-enum__asterisk-user-enum.log').r.security.map((e) => e.user);
    expect(users).toEqual(['netadmin', 'admin', 'toto', 'tata', 'tutu', 'root']);
    // [Dec 21 12:57:01] takes its year from the event's EventTV (2021).
    const bf = count('crowdsecurity__hub__asterisk-bf__asterisk-bf.log').r;
    expect(new Date(bf.security[0]!.ts).toISOString()).toBe('2021-12-21T12:57:01.000Z');
    expect(bf.acc.notes.some((n) => n.includes('EventTV'))).toBe(true);
  });

  it('the real Asterisk 18 full log and its JSON copy give the same accounting', () => {
    const plain = run(file('tejdeepsingh__hackathon2025__full'));
    const json = run(file('tejdeepsingh__hackathon2025__full-json'));
    expect(json.acc.format).toBe('asterisk-json-log');
    expect(json.acc.ignoredBy).toEqual(plain.acc.ignoredBy);
    expect(plain.records).toHaveLength(0); // IVR calls, no Dial
  });

  it('the real messages log: failed PJSIP registrations per address', () => {
    const r = run(file('tejdeepsingh__hackathon2025__messages'), 0, { year: 2025 });
    expect(r.security.length).toBeGreaterThan(0);
    expect(new Set(r.security.map((e) => e.address))).toEqual(new Set(['192.168.1.9']));
    expect(r.security.every((e) => e.kind === 'no-such-peer' || e.kind === 'auth-failed')).toBe(true);
  });

  it('isAsteriskLog recognises every Asterisk file and not the FreeSWITCH one', () => {
    for (const name of names) {
      const head = file(name).subarray(0, 65536);
      expect([name, isAsteriskLog(head)]).toEqual([name, !name.includes('freeswitch')]);
    }
  });
});
