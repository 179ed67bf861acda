import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureDecoder } from '../../src/capture/decoder.js';
import { InputError } from '../../src/errors.js';
import { newAccounting, type InputAccounting } from '../../src/types.js';
import { feed, RecordingHandler } from './helpers.js';

const dir = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const pcapDir = `${dir}pcap/`;
const oracleDir = `${dir}pcap-oracle/`;

function run(file: string, data: Uint8Array, chunk: number): { acc: InputAccounting; h: RecordingHandler; format: string | undefined } {
  const acc = newAccounting(file, 'unknown', 'packet');
  const h = new RecordingHandler();
  const d = createCaptureDecoder(file, h, acc);
  feed(d, data, chunk);
  return { acc, h, format: d.format };
}

function oraclePackets(name: string): number | undefined {
  const f = `${oracleDir}${name}.capinfos.txt`;
  if (!existsSync(f)) return undefined;
  const m = /Number of packets:\s+(\d+)/.exec(readFileSync(f, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

describe.skipIf(!existsSync(pcapDir))('capture decoder on the corpus (needs ../shared/corpus)', () => {
  const names = existsSync(pcapDir) ? readdirSync(pcapDir).sort() : [];
  for (const name of names) {
    it(name, () => {
      const data = new Uint8Array(readFileSync(pcapDir + name));
      const head = data.subarray(0, 4);
      const isCapture = [0x0a, 0xd4, 0xa1, 0x4d].includes(head[0]!);
      if (!isCapture) {
        let err: unknown;
        try {
          run(name, data, 0);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InputError);
        expect((err as Error).message).not.toContain('\n');
        return;
      }
      const whole = run(name, data, 0);
      const { acc } = whole;
      expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
      expect(acc.bytes).toBe(data.length);
      const expected = oraclePackets(name);
      if (expected !== undefined) expect(acc.read).toBe(expected);
      expect(acc.ignoredBy['tcp-out-of-order'] ?? 0).toBe(0);
      expect(acc.ignoredBy['ip-fragment'] ?? 0).toBeGreaterThanOrEqual(0);
      for (const size of [1, 7]) {
        const r = run(name, data, size);
        expect(r.acc).toEqual(acc);
        expect(r.h.seen).toEqual(whole.h.seen);
        expect(r.h.ended).toEqual(whole.h.ended);
      }
    });
  }
});
