import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { scenarios } from './scenarios.js';

const fx = (name: string): string => new URL(`../../fixtures/postmortem/${name}`, import.meta.url).pathname;

export async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, stderrIsTTY: false };
  const code = await main(['node', 'sipscope', ...args], io);
  return { code, out, err };
}

interface FlowJson {
  callId: string;
  legs: Array<{ leg: string; callId: string; linkedBy: string }>;
  messages: Array<{ index: number; label: string; leg: string; raw?: string; from: string; to: string }>;
  diagnosis: Array<{ id: string; severity: string; text: { en: string; ru: string }; evidence: Array<{ index: number; ts: number; what: string }>; hint?: { id: string } }>;
}

describe('flow: one diagnosis per generated capture', () => {
  for (const s of scenarios()) {
    it(`${s.name} → [${s.expect.join(', ')}]`, async () => {
      const r = await run(['flow', fx(`${s.name}.pcap`), '--call-id', s.callId, '--format', 'json', '--no-link']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as FlowJson;
      expect(j.callId).toBe(s.callId);
      expect(j.diagnosis.map((d) => d.id)).toEqual(s.expect);
      for (const d of j.diagnosis) {
        expect(d.evidence.length).toBeGreaterThan(0);
        expect(d.text.en.length).toBeGreaterThan(20);
        expect(d.text.ru.length).toBeGreaterThan(20);
        for (const e of d.evidence) {
          expect(e.index).toBeGreaterThanOrEqual(0);
          expect(e.index).toBeLessThan(j.messages.length);
        }
      }
      expect(j.messages.every((m) => typeof m.raw === 'string' && m.raw.startsWith(m.label.split(' ')[0]!) || m.raw!.startsWith('SIP/2.0'))).toBe(true);
    });
  }
});
