import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap } from '../../src/capture/writer.js';
import { run } from './run.js';

const spoofed = new URL('../../fixtures/postmortem/security-spoofed.log', import.meta.url).pathname;

interface ScannersJson {
  sources: Array<{ address: string; verdict: string; requests: Record<string, number>; totalRequests: number; events: Record<string, number> }>;
}

describe('scanners: text the client controls', () => {
  it('a log whose From, caller name, Call-ID, peer name or extension copies the frame around the address blames no innocent address', async () => {
    const r = await run(['scanners', spoofed, '--all', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as ScannersJson;
    // 203.0.113.10 is the address every forged copy names
    expect(r.out).not.toContain('203.0.113.10"');
    expect(Object.fromEntries(j.sources.map((s) => [s.address, [s.verdict, s.events]]))).toEqual({
      '198.51.100.66': ['brute-force', { 'auth-failed': 10 }],
      '198.51.100.67': ['enumeration', { 'unknown-extension': 10 }],
      '198.51.100.69': ['ok', { 'no-such-peer': 1 }],
      '198.51.100.70': ['ok', { 'auth-failed': 1 }],
      '198.51.100.72': ['ok', { 'no-such-peer': 1 }],
      '198.51.100.73': ['ok', { 'no-such-peer': 1 }],
      '198.51.100.74': ['scanner', { probe: 1 }],
      '198.51.100.76': ['ok', { 'auth-failed': 1 }],
    });
    const table = (await run(['scanners', spoofed])).out;
    expect(table).toMatch(/^198\.51\.100\.66 +brute-force/m);
    expect(table).not.toContain('203.0.113.10');
  });

  const dir = mkdtempSync(join(tmpdir(), 'pm-scan-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'methods.pcap');
  const methods = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
  writeFileSync(
    file,
    writePcap(
      methods.map((m, i) => ({
        ts: 1e12 + i,
        data: ethernet(udpPacket({ src: '45.0.0.9', dst: '10.0.0.1', sport: 5060, dport: 5060, payload: `${m} sip:100@10.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 45.0.0.9;branch=z9hG4bK${i}\r\nFrom: <sip:9@45.0.0.9>;tag=${i}\r\nTo: <sip:100@10.0.0.1>\r\nCall-ID: m${i}\r\nCSeq: 1 ${m}\r\nContent-Length: 0\r\n\r\n` })),
      })),
    ),
  );

  it('request methods named like Object.prototype properties: counts, in JSON and in the table', async () => {
    const j = JSON.parse((await run(['scanners', file, '--all', '--format', 'json'])).out) as ScannersJson;
    expect(j.sources).toHaveLength(1);
    expect(j.sources[0]!.requests).toEqual({ constructor: 1, toString: 1, valueOf: 1, hasOwnProperty: 1, ['__proto__']: 1 });
    expect(Object.keys(j.sources[0]!.requests)).toEqual(methods);
    expect(j.sources[0]!.totalRequests).toBe(5);
    const table = (await run(['scanners', file, '--all'])).out;
    expect(table).toContain('constructor 1, toString 1, valueOf 1, hasOwnProperty 1, __proto__ 1');
  });
});
