import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import { WireCounter, parseSipStat } from '../../src/sip/wire.js';
import type { CallRecord } from '../../src/types.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const pcapDir = `${corpus}pcap/`;
const oracleDir = `${corpus}pcap-oracle/`;

/**
 * Captures whose counts differ from tshark on purpose (see docs/sip.md "Deliberate differences"):
 * file → the responses we expect instead of the oracle's.
 */
const DELIBERATE: Record<string, Record<string, number>> = {
  // HEP3 on UDP/9060: tshark 4.0 shows it as data; we decode the SIP inside (INVITE → 100, 407; OPTIONS → 200).
  'sipcapture__hep-wireshark__hep.pcap': { '100': 1, '200': 1, '407': 1 },
};

function run(file: string, chunk: number): { wire: WireCounter; records: CallRecord[]; acc: ReturnType<typeof createCaptureSource>['accounting'] } {
  const wire = new WireCounter();
  const records: CallRecord[] = [];
  const src = createCaptureSource(file, { record: (r) => records.push(r), message: (m) => wire.add(m) }, {});
  const data = readFileSync(`${pcapDir}${file}`);
  for (let i = 0; i < data.length; i += chunk) src.push(data.subarray(i, Math.min(data.length, i + chunk)));
  src.end();
  return { wire, records, acc: src.accounting };
}

describe.skipIf(!existsSync(pcapDir))('wire counts equal tshark -z sip,stat (needs ../shared/corpus)', () => {
  const files = existsSync(pcapDir) ? readdirSync(pcapDir).sort() : [];
  for (const file of files) {
    const head = readFileSync(`${pcapDir}${file}`).subarray(0, 4);
    const magic = head.readUInt32BE(0);
    if (![0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(magic)) {
      it(`${file} is refused (not pcap/pcapng)`, () => {
        expect(() => run(file, 1 << 16)).toThrow(/not pcap/);
      });
      continue;
    }
    it(file, () => {
      const oracle = parseSipStat(readFileSync(`${oracleDir}${file}.sip_stat.txt`, 'utf8'));
      const { wire, acc } = run(file, 1 << 16);
      expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
      expect(wire.tsharkResponses()).toEqual(DELIBERATE[file] ?? oracle.responses);
      if (!DELIBERATE[file]) expect(wire.requests).toEqual(oracle.requests);
      // Odd-size chunks give the same result.
      const odd = run(file, 997);
      expect(odd.wire.toJSON()).toEqual(wire.toJSON());
    });
  }
});
