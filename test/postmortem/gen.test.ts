import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

const gen = (name: string): string => new URL(`../../fixtures/gen/${name}`, import.meta.url).pathname;
const truth = (name: string): { totals: { attempts: number; answered: number; codes: Record<string, number> } } => JSON.parse(readFileSync(gen(name), 'utf8'));

interface Row { code: number | null; answered: boolean; callId: string }

/** `calls` gives one row per attempt whatever the source, agreeing with the generator's ground truth. */
describe('calls against generated ground truth', () => {
  for (const [input, t] of [
    ['alpha-beta.pcap', 'alpha-beta.truth.json'],
    ['alpha-beta.log', 'alpha-beta.truth.json'],
    ['alpha-beta-tcp.pcap', 'alpha-beta.truth.json'],
    ['edge-cases.pcap', 'edge-cases.truth.json'],
  ] as const) {
    it(input, async () => {
      const r = await run(['calls', gen(input), '--format', 'json']);
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.out) as Row[];
      const want = truth(t).totals;
      expect(rows).toHaveLength(want.attempts);
      expect(rows.filter((x) => x.answered)).toHaveLength(want.answered);
      const codes: Record<string, number> = {};
      for (const x of rows) codes[String(x.code)] = (codes[String(x.code)] ?? 0) + 1;
      expect(codes).toEqual(want.codes);
    });
  }

  it('edge cases: each failed call gets its diagnosis, the answered ones none', async () => {
    const rows = JSON.parse((await run(['calls', gen('edge-cases.pcap'), '--format', 'json'])).out) as Row[];
    const got: Record<string, string[]> = {};
    for (const row of rows) {
      const j = JSON.parse((await run(['flow', gen('edge-cases.pcap'), '--call-id', row.callId, '--format', 'json'])).out) as { diagnosis: Array<{ id: string }> };
      got[String(row.code)] = [...(got[String(row.code)] ?? []), ...j.diagnosis.map((d) => d.id)];
    }
    expect(got).toEqual({ '200': [], '487': ['cancelled'], '408': ['timeout'], '404': ['no-route'] });
  });
});

describe('flow from an Asterisk log with SIP dumps', () => {
  it('ladder with the log endpoint, 486 diagnosed', async () => {
    const log = new URL('../../fixtures/asterisk/scenario-chansip-debug.log', import.meta.url).pathname;
    const rows = JSON.parse((await run(['calls', log, '--format', 'json', '--code', '486'])).out) as Row[];
    expect(rows).toHaveLength(1);
    const j = JSON.parse((await run(['flow', log, '--call-id', rows[0]!.callId, '--format', 'json'])).out) as { columns: string[]; messages: Array<{ label: string }>; diagnosis: Array<{ id: string }> };
    expect(j.messages[0]!.label).toBe('INVITE');
    expect(j.messages.map((m) => m.label)).toContain('486 Busy Here');
    expect(j.diagnosis.map((d) => d.id)).toHaveLength(1);
    expect(['busy', 'busy-at-device']).toContain(j.diagnosis[0]!.id);
  });
});
