import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { run } from './run.js';
import { scenarios } from './scenarios.js';

const fx = (name: string): string => new URL(`../../fixtures/postmortem/${name}`, import.meta.url).pathname;

interface FlowJson {
  callId: string;
  legs: Array<{ leg: string; callId: string; linkedBy: string }>;
  messages: Array<{ index: number; label: string; leg: string; raw?: string; from: string; to: string }>;
  diagnosis: Array<{ id: string; severity: string; text: { en: string; ru: string }; evidence: Array<{ index: number; ts: number; what: { en: string; ru: string } }>; hint?: { id: string } }>;
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
          // both languages, each starting with the message as on the wire
          const label = j.messages[e.index]!.label;
          expect(e.what.en.startsWith(label)).toBe(true);
          expect(e.what.ru.startsWith(label)).toBe(true);
        }
      }
      expect(j.messages.every((m) => typeof m.raw === 'string' && m.raw.startsWith(m.label.split(' ')[0]!) || m.raw!.startsWith('SIP/2.0'))).toBe(true);
    });
  }
});

describe('flow: legs, formats, errors', () => {
  it('links the B2BUA leg by its X- correlation header, not the unrelated call', async () => {
    const r = await run(['flow', fx('b2bua-legs.pcap'), '--call-id', 'b2bA-4f1c@198.51.100.10', '--format', 'json']);
    const j = JSON.parse(r.out) as FlowJson;
    expect(j.legs.map((l) => [l.callId, l.linkedBy])).toEqual([['b2bA-4f1c@198.51.100.10', 'self'], ['legB-9911@203.0.113.5', 'correlation']]);
    expect(j.messages.map((m) => `${m.leg} ${m.label}`)).toEqual([
      'A INVITE', 'A 100 Trying', 'B INVITE', 'B 100 Trying', 'B 480 Temporarily Unavailable', 'B ACK', 'A 480 Temporarily Unavailable', 'A ACK',
    ]);
    const text = await run(['flow', fx('b2bua-legs.pcap'), '--call-id', 'b2bA-4f1c@198.51.100.10']);
    expect(text.out).toContain('leg B: legB-9911@203.0.113.5 (linked by correlation, 4 messages, route: 192.0.2.77)');
    expect(text.out).toMatch(/#5 +B +\|/);
    // each leg diagnosed on its own: the far side's 480 (leg B) and its relay to the phone (leg A)
    expect(text.out).toContain('[warning] unavailable (leg A)');
    expect(text.out).toContain('[warning] unavailable (leg B)');
    expect(text.out).toContain('#5 +0.700s 480 Temporarily Unavailable: 680 ms after the INVITE; from 192.0.2.77');
    const normal = await run(['flow', fx('normal.pcap'), '--call-id', 'normal-4f1c@198.51.100.10']);
    expect(normal.out).toContain('Diagnosis: nothing wrong found.');
  });

  it('text ladder: columns per endpoint, arrows both ways, offsets, meanings, diagnosis and hint', async () => {
    const r = await run(['flow', fx('no-ack.pcap'), '--call-id', 'noack-4f1c@198.51.100.10']);
    const lines = r.out.split('\n');
    expect(lines[2]).toMatch(/198\.51\.100\.10:5060 +203\.0\.113\.5:5060/);
    expect(lines.find((l) => l.includes('#1 '))).toMatch(/\+0\.000s +#1 +\|-+ INVITE -+>\|/);
    expect(lines.find((l) => l.includes('#4 '))).toMatch(/\+2\.000s +#4 +\|<-+ 200 OK -+\| +The request succeeded/);
    expect(r.out).toContain('[error] no-ack');
    expect(r.out).toContain('hint (no-ack-30s)');
    const ru = await run(['flow', fx('no-ack.pcap'), '--call-id', 'noack-4f1c@198.51.100.10', '--lang', 'ru']);
    expect(ru.out).toContain('Диагноз:');
    expect(ru.out).toContain('ACK не вернулся');
  });

  it('html: a self-contained page with an SVG ladder', async () => {
    const r = await run(['flow', fx('busy-at-device.pcap'), '--call-id', 'busydev-4f1c@198.51.100.10', '--format', 'html']);
    expect(r.out.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.out).toContain('Content-Security-Policy');
    expect(r.out).toContain('<svg');
    expect((r.out.match(/<line x1=/g) ?? []).length).toBeGreaterThanOrEqual(9);
    expect(r.out).toContain('busy-at-device');
    expect(r.out).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('unknown Call-ID: exit 1 with a message; missing input: exit 2', async () => {
    const r = await run(['flow', fx('normal.pcap'), '--call-id', 'nope']);
    expect(r.code).toBe(1);
    expect(r.err).toBe("sipscope: no SIP message with Call-ID 'nope' in the inputs (`sipscope calls <inputs> -f csv` lists whole Call-IDs)\n");
    // no report at all, in any format: an empty one would read "nothing wrong found"
    expect(r.out).toBe('');
    expect((await run(['flow', fx('normal.pcap'), '--call-id', 'nope', '--format', 'json'])).out).toBe('');
    const m = await run(['flow', fx('missing.pcap'), '--call-id', 'x']);
    expect(m.code).toBe(2);
  });
});

describe('calls', () => {
  const all = scenarios().map((s) => fx(`${s.name}.pcap`));

  it('csv: one row per attempt, filters by code, header and formula-safe cells', async () => {
    const r = await run(['calls', ...all, '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\r\n');
    expect(rows[0]).toBe('start,route,caller,callee,code,reason,meaning,pdd_ms,answered,duration_sec,hangup,flags,call_id,source');
    // busy-at-device has two hops of one Call-ID, the B2BUA capture three calls
    expect(rows.length - 1).toBe(scenarios().length + 1 + 2);
    expect(r.out).toContain(",'+74951230001,'+74957770002,480,");
    const busy = await run(['calls', ...all, '--format', 'csv', '--code', '486']);
    expect(busy.out.trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[4])).toEqual(['486', '486']);
    const c5 = await run(['calls', ...all, '--format', 'csv', '--code', '5xx']);
    expect(c5.out.trimEnd().split('\r\n').length).toBe(2);
  });

  it('json: a streamed array of rows with flags and meanings; --number, --since/--until, --limit', async () => {
    const r = await run(['calls', fx('no-ack.pcap'), fx('normal.pcap'), '--format', 'json']);
    const rows = JSON.parse(r.out) as Array<{ code: number; flags: string[]; answered: boolean; durationSec: number | null; hangup: string | null; callId: string }>;
    expect(rows).toHaveLength(2);
    const noack = rows.find((x) => x.callId.startsWith('noack'))!;
    expect(noack.flags).toContain('NoAck');
    const normal = rows.find((x) => x.callId.startsWith('normal'))!;
    expect(normal).toMatchObject({ code: 200, answered: true, durationSec: 10, hangup: 'caller' });
    expect(JSON.parse((await run(['calls', ...all, '--format', 'json', '--number', '9999'])).out)).toHaveLength(1);
    expect(JSON.parse((await run(['calls', ...all, '--format', 'json', '--since', '2024-05-14T09:31:00Z'])).out)).toHaveLength(0);
    expect(JSON.parse((await run(['calls', ...all, '--format', 'json', '--until', '2024-05-14T09:31:00Z', '--limit', '3'])).out)).toHaveLength(3);
  });

  it('a call with no time (an undated console excerpt) is a row with no start, in every format, and in no window', async () => {
    const log = new URL('../../fixtures/asterisk/console-excerpt-no-stamps.log', import.meta.url).pathname;
    const dated = new URL('../../fixtures/asterisk/scenario-ast13-chansip.log', import.meta.url).pathname;
    const table = await run(['calls', log, dated]);
    expect(table.err).toBe('');
    const lines = table.out.trimEnd().split('\n');
    // undated last, after the dated calls of the second log
    expect(lines.at(-1)).toMatch(/^\(no time\) +carrier-x +667 +\+15035550100 +486 Busy Here/);
    expect(lines.length).toBeGreaterThan(3);
    const json = JSON.parse((await run(['calls', log, '--format', 'json'])).out) as Array<{ start: string | null; code: number }>;
    expect(json).toEqual([expect.objectContaining({ start: null, code: 486 })]);
    const csv = (await run(['calls', log, '--format', 'csv'])).out.trimEnd().split('\r\n');
    expect(csv[1]).toMatch(/^,carrier-x,667,/);
    expect(JSON.parse((await run(['calls', log, '--format', 'json', '--until', '2100-01-01T00:00Z'])).out)).toEqual([]);
  });

  it('a missing input among good ones: said on stderr, exit 2, the others still read (json stays valid)', async () => {
    const r = await run(['calls', '/nonexistent/a.pcap', fx('normal.pcap'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('sipscope: /nonexistent/a.pcap: no such file or folder\n');
    expect((JSON.parse(r.out) as Array<{ callId: string }>).map((x) => x.callId)).toEqual(['normal-4f1c@198.51.100.10']);
    const s = await run(['scanners', '/nonexistent/b.log', fx('normal.pcap'), '--format', 'json']);
    expect(s.code).toBe(2);
    expect(s.err).toBe('sipscope: /nonexistent/b.log: no such file or folder\n');
    expect(JSON.parse(s.out)).toBeDefined();
  });

  it('--map names the columns of a CDR with no header, as for analyze', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const day = readFileSync(new URL('../../fixtures/sample/carrier-day.cdr.csv', import.meta.url), 'utf8');
    const file = join(mkdtempSync(join(tmpdir(), 'sipscope-calls-')), 'nohdr.csv');
    writeFileSync(file, day.slice(day.indexOf('\n') + 1));
    const r = await run(['calls', file, '--map', 'start=2', '--map', 'route=7', '--map', 'sipcode=8', '--format', 'json', '--code', '486']);
    expect(r.code).toBe(0);
    const whole = await run(['calls', new URL('../../fixtures/sample/carrier-day.cdr.csv', import.meta.url).pathname, '--format', 'json', '--code', '486']);
    const key = (out: string) => (JSON.parse(out) as Array<{ start: string; route: string; code: number }>).map((x) => `${x.start} ${x.route} ${x.code}`);
    expect(key(r.out)).toEqual(key(whole.out));
    expect(key(r.out).length).toBeGreaterThan(50);
  });

  it('table sorted by start; bad options are usage errors', async () => {
    const r = await run(['calls', fx('cancelled.pcap'), fx('codec.pcap')]);
    expect(r.out).toMatch(/^start +route +caller/);
    expect(r.out).toContain('487 Request Terminated');
    expect((await run(['calls', fx('codec.pcap'), '--code', 'abc'])).code).toBe(2);
    expect((await run(['calls', fx('codec.pcap'), '--since', 'yesterday-ish'])).code).toBe(2);
  });
});

describe('scanners', () => {
  it('generated capture: friendly-scanner sweep, REGISTER brute force, a normal phone left out', async () => {
    const r = await run(['scanners', fx('scanners.pcap'), '--format', 'json']);
    const j = JSON.parse(r.out) as { addresses: number; sources: Array<{ address: string; verdict: string; targets: number; refusals: number; userAgents: string[]; requests: Record<string, number> }> };
    expect(j.addresses).toBe(4);
    expect(j.sources.map((s) => [s.address, s.verdict])).toEqual([['185.53.88.7', 'brute-force'], ['45.134.26.11', 'scanner'], ['80.82.77.33', 'enumeration']]);
    expect(j.sources[2]).toMatchObject({ targets: 15, requests: { INVITE: 15 }, callerIds: ['1000', '1001'], userAgents: [] });
    const scan = j.sources[1]!;
    expect(scan).toMatchObject({ targets: 40, userAgents: ['friendly-scanner'], requests: { REGISTER: 20, OPTIONS: 20 } });
    expect(j.sources[0]!.refusals).toBe(15);
    const all = JSON.parse((await run(['scanners', fx('scanners.pcap'), '--format', 'json', '--all'])).out) as typeof j;
    expect(all.sources.find((s) => s.address === '198.51.100.33')?.verdict).toBe('ok');
    const table = await run(['scanners', fx('scanners.pcap')]);
    expect(table.out).toContain('45.134.26.11: scanner — User-Agent of a scanning tool (friendly-scanner)');
    expect(table.out).toContain('3 suspicious of 4 source addresses.');
    expect(table.out).toContain('80.82.77.33: enumeration — 15 distinct target users, 0 of 15 requests answered; its INVITEs present caller ids 1000, 1001');
    expect(table.out).toContain('hint (ghost-calls):');
  });

  it('a clean capture has none', async () => {
    const r = await run(['scanners', fx('normal.pcap')]);
    expect(r.out).toContain('No scanner or brute force found (1 source address seen).');
  });
});

describe('standard input, fed in 1-byte and odd-size chunks', () => {
  const chunks = (buf: Buffer, size: number): Readable => {
    const parts: Buffer[] = [];
    for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
    return Readable.from(parts);
  };
  for (const size of [1, 7, 13]) {
    it(`no-ack.pcap in ${size}-byte chunks gives the same flow`, async () => {
      const whole = JSON.parse((await run(['flow', fx('no-ack.pcap'), '--call-id', 'noack-4f1c@198.51.100.10', '--format', 'json'])).out) as FlowJson;
      const r = await run(['flow', '-', '--call-id', 'noack-4f1c@198.51.100.10', '--format', 'json'], chunks(readFileSync(fx('no-ack.pcap')), size));
      const j = JSON.parse(r.out) as FlowJson;
      expect(j.diagnosis).toEqual(whole.diagnosis);
      expect(j.messages.map((m) => m.label)).toEqual(whole.messages.map((m) => m.label));
    });
  }
  it('linked legs cannot be fetched from standard input: said so', async () => {
    const r = await run(['flow', '-', '--call-id', 'b2bA-4f1c@198.51.100.10', '--format', 'json'], chunks(readFileSync(fx('b2bua-legs.pcap')), 64));
    const j = JSON.parse(r.out) as FlowJson & { note?: { en: string; ru: string } };
    expect(j.legs).toHaveLength(1);
    expect(j.note?.en).toContain('standard input cannot be read twice');
    expect(j.note?.ru).toContain('стандартный ввод нельзя прочитать дважды');
  });
  it('the note on legs left out, and the time offsets, in the asked language (text, html, md)', async () => {
    const stdin = (): Readable => chunks(readFileSync(fx('b2bua-legs.pcap')), 64);
    const base = ['flow', '-', '--call-id', 'b2bA-4f1c@198.51.100.10'];
    const ruNote = 'найдено связанных плеч: 1, но стандартный ввод нельзя прочитать дважды: чтобы их увидеть, передайте запись файлом';
    const enNote = '1 linked leg found but standard input cannot be read twice: give the capture as a file to see them';
    const text = (await run([...base, '--lang', 'ru'], stdin())).out;
    expect(text).toContain(`  примечание: ${ruNote}`);
    expect(text).toContain('+0,000 с  #1 ');
    expect(text).toContain('      #3 +0,710 с 480 Temporarily Unavailable: через 710 мс после INVITE');
    const html = (await run([...base, '--format', 'html', '--lang', 'ru'], stdin())).out;
    expect(html).toContain(`<p class="sub">примечание: ${ruNote}</p>`);
    expect(html).toContain('<td>+0,710 с</td>');
    expect(html).toContain('>+0,710 с</text>');
    expect(html).toContain('<li>#3 +0,710 с 480 Temporarily Unavailable: через 710 мс после INVITE; от 203.0.113.5</li>');
    const md = (await run([...base, '--format', 'md', '--lang', 'ru'], stdin())).out;
    expect(md).toContain(`> **Примечание:** ${ruNote}`);
    expect(md).toContain('| 3 | +0,710 с | ');
    expect(md).toContain('  - `#3` +0,710 с 480 Temporarily Unavailable');
    for (const out of [text, html, md]) {
      expect(out).not.toContain('standard input');
      expect(out).not.toMatch(/\+\d+\.\d{3}s/);
    }
    // English as before
    const en = (await run(base, stdin())).out;
    expect(en).toContain(`  note: ${enNote}`);
    expect(en).toContain('+0.000s   #1 ');
    expect(en).toContain('      #3 +0.710s 480 Temporarily Unavailable: 710 ms after the INVITE');
    expect((await run([...base, '--format', 'md'], stdin())).out).toContain(`> **Note:** ${enNote}`);
    expect((await run([...base, '--format', 'html'], stdin())).out).toContain(`<p class="sub">note: ${enNote}</p>`);
  });
  it('calls from standard input', async () => {
    const r = await run(['calls', '-', '--format', 'json'], chunks(readFileSync(fx('cancelled.pcap')), 5));
    expect((JSON.parse(r.out) as Array<{ code: number }>).map((x) => x.code)).toEqual([487]);
  });
});
