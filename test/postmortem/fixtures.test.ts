import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pcapOf, scannerCapture, scenarios } from './scenarios.js';

const dir = new URL('../../fixtures/postmortem/', import.meta.url);

/** The committed pcaps are exactly what scenarios.ts builds (PM_WRITE_FIXTURES=1 rewrites them). */
describe('postmortem fixtures', () => {
  const files: Array<[string, Uint8Array]> = [
    ...scenarios().map((s): [string, Uint8Array] => [`${s.name}.pcap`, pcapOf(s.packets)]),
    ['scanners.pcap', pcapOf(scannerCapture())],
  ];
  for (const [name, bytes] of files) {
    it(name, () => {
      const url = new URL(name, dir);
      if (process.env.PM_WRITE_FIXTURES === '1' || !existsSync(url)) writeFileSync(url, bytes);
      expect(Buffer.compare(readFileSync(url), Buffer.from(bytes))).toBe(0);
    });
  }
});
