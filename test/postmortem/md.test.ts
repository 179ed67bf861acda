/**
 * `flow --format md`: the post-mortem as Markdown for a ticket or a chat. Its structure on every generated
 * capture in both languages (read back cell by cell and compared with the JSON of the same call), legs, the
 * options around it (--out, unknown formats, --help), and hostile wire strings that must stay inert text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap } from '../../src/capture/writer.js';
import { printable } from '../../src/printable.js';
import { cells, mdParts, plain, splitCode, unescapedMarkup } from './md-helpers.js';
import { run } from './run.js';
import { scenarios } from './scenarios.js';

const fx = (name: string): string => new URL(`../../fixtures/postmortem/${name}`, import.meta.url).pathname;

interface FlowJson {
  callId: string;
  legs: Array<{ leg: string; callId: string }>;
  messages: Array<{ index: number; leg: string; ts: number; offsetMs: number; from: string; to: string; label: string; meaning?: { en: string; ru: string } }>;
  diagnosis: Array<{ id: string; severity: string; leg: string; text: { en: string; ru: string }; evidence: Array<{ index: number; ts: number; what: { en: string; ru: string } }>; hint?: { id: string; text: { en: string; ru: string } } }>;
}

const WORDS = {
  en: { call: 'Call', outcome: '**Outcome:** ', ladder: '### Ladder', diagnosis: '### Diagnosis', head: ['#', 'time', 'from → to', 'message', 'meaning'], hint: 'hint', none: ['Nothing wrong found.', 'No diagnosis rule matched; the final response and its meaning are in the ladder above.'] },
  ru: { call: 'Вызов', outcome: '**Итог:** ', ladder: '### Диаграмма обмена', diagnosis: '### Диагноз', head: ['#', 'время', 'откуда → куда', 'сообщение', 'смысл'], hint: 'совет', none: ['Нарушений не найдено.', 'Ни одно правило диагноза не подошло; окончательный ответ и его смысл — на диаграмме выше.'] },
} as const;
const SEVERITY = { en: { error: 'error', warning: 'warning', info: 'info' }, ru: { error: 'ошибка', warning: 'предупреждение', info: 'сведения' } } as const;

/** The offset as printed: `+0.300s`, in Russian `+0,300 с`. */
const offset = (ms: number, lang: 'en' | 'ru' = 'en'): string => (lang === 'ru' ? `+${(ms / 1000).toFixed(3).replace('.', ',')} с` : `+${(ms / 1000).toFixed(3)}s`);

describe('flow --format md on every generated capture, en and ru', () => {
  for (const s of scenarios()) {
    for (const lang of ['en', 'ru'] as const) {
      it(`${s.name} (${lang})`, async () => {
        const base = ['flow', fx(`${s.name}.pcap`), '--call-id', s.callId, '--no-link'];
        const j = JSON.parse((await run([...base, '--format', 'json'])).out) as FlowJson;
        const r = await run([...base, '--format', 'md', '--lang', lang]);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        const w = WORDS[lang];
        const md = mdParts(r.out);
        expect(r.out.endsWith('\n')).toBe(true);
        expect(md.heading).toBe(`## ${w.call} \`${s.callId}\``);
        expect(md.summary.startsWith(w.outcome)).toBe(true);
        expect(md.summary).toContain(lang === 'ru' ? `сообщений: ${j.messages.length}` : `${j.messages.length} messages`);
        expect(md.summary).toContain(lang === 'ru' ? 'плеч: 1' : '1 leg ');
        expect(md.sections).toEqual([w.ladder, w.diagnosis]);

        // the ladder: one row a message, each cell what the JSON says, in the asked language
        expect(md.header).toEqual(w.head);
        expect(md.delimiter).toBe('| ---: | ---: | --- | --- | --- |');
        expect(md.rows).toHaveLength(j.messages.length);
        md.rows.forEach((row, i) => {
          const m = j.messages[i]!;
          expect(cells(row).map(plain)).toEqual([String(i + 1), offset(m.offsetMs, lang), `${m.from} → ${m.to}`, m.label, m.meaning?.[lang] ?? '']);
        });

        // the diagnosis: id, severity in the language, text, evidence `#n offset note`, hint
        if (j.diagnosis.length === 0) {
          expect(md.diagnosis).toHaveLength(1);
          expect(w.none).toContain(md.diagnosis[0]);
          return;
        }
        const t0 = Math.min(...j.messages.map((m) => m.ts));
        const expected: string[] = [];
        for (const d of j.diagnosis) {
          expected.push(`- **${d.id}** (${SEVERITY[lang][d.severity as 'error']}): ${d.text[lang]}`);
          for (const ev of d.evidence) expected.push(`  - \`#${ev.index + 1}\` ${offset(ev.ts - t0, lang)} ${ev.what[lang]}`);
          if (d.hint) expected.push(`  - _${w.hint} (${d.hint.id})_: ${d.hint.text[lang]}`);
        }
        expect(md.diagnosis.map(plain)).toEqual(expected);
        expect(md.diagnosis.filter((l) => l.startsWith('- **')).map((l) => l.slice(4, l.indexOf('**', 4)))).toEqual(s.expect);
      });
    }
  }

  it('en and ru differ in every fixed word; the Russian has none of the English ones', async () => {
    const base = ['flow', fx('no-ack.pcap'), '--call-id', 'noack-4f1c@198.51.100.10', '--format', 'md'];
    const en = (await run(base)).out;
    const ru = (await run([...base, '--lang', 'ru'])).out;
    for (const word of ['Call ', 'Outcome', 'Ladder', 'Diagnosis', '| time |', 'meaning', 'hint (', '(error)', ' messages', ' leg ']) {
      expect(en).toContain(word);
      expect(ru).not.toContain(word);
    }
    expect(ru).toContain('ACK не вернулся');
    expect(ru).toContain('**no-ack** (ошибка)');
  });
});

describe('flow --format md: legs, --out, formats', () => {
  it('a B2BUA call: a leg column, the legs listed, each diagnosis names its leg', async () => {
    const base = ['flow', fx('b2bua-legs.pcap'), '--call-id', 'b2bA-4f1c@198.51.100.10', '--format', 'md'];
    const md = mdParts((await run(base)).out);
    expect(md.summary).toBe('**Outcome:** 480 Temporarily Unavailable · 2 legs · 8 messages · 2024-05-14T09:30:00.000Z, over 0.720 s');
    expect(md.legs).toEqual(['- **A**: `b2bA-4f1c@198.51.100.10` (asked, 4 messages, route: 203.0.113.5)', '- **B**: `legB-9911@203.0.113.5` (linked by correlation, 4 messages, route: 192.0.2.77)']);
    expect(md.header).toEqual(['#', 'leg', 'time', 'from → to', 'message', 'meaning']);
    expect(md.rows.map((r) => cells(r)[1])).toEqual(['A', 'A', 'B', 'B', 'B', 'B', 'A', 'A']);
    expect(cells(md.rows[4]!).map(plain)).toEqual(['5', 'B', '+0.700s', '192.0.2.77:5060 → 203.0.113.5:5060', '480 Temporarily Unavailable', expect.stringContaining('unavailable now')]);
    expect(md.diagnosis.filter((l) => l.startsWith('- **'))).toEqual([expect.stringMatching(/^- \*\*unavailable\*\* \(warning, leg A\): /), expect.stringMatching(/^- \*\*unavailable\*\* \(warning, leg B\): /)]);
    expect(md.diagnosis).toContain('  - `#5` +0.700s 480 Temporarily Unavailable: 680 ms after the INVITE; from 192.0.2.77');
    const ru = mdParts((await run([...base, '--lang', 'ru'])).out);
    expect(ru.summary).toBe('**Итог:** 480 Temporarily Unavailable · плеч: 2 · сообщений: 8 · 2024-05-14T09:30:00.000Z, за 0,720 с');
    expect(ru.legs[1]).toBe('- **B**: `legB-9911@203.0.113.5` (связан по заголовку X-, сообщений: 4, маршрут: 192.0.2.77)');
    expect(ru.header[1]).toBe('плечо');
    expect(ru.diagnosis[0]).toMatch(/^- \*\*unavailable\*\* \(предупреждение, плечо A\): /);
  });

  it('the outcome: answered, a failure, or none', async () => {
    const summary = async (name: string, callId: string, lang = 'en'): Promise<string> => mdParts((await run(['flow', fx(`${name}.pcap`), '--call-id', callId, '--format', 'md', '--lang', lang])).out).summary;
    expect(await summary('normal', 'normal-4f1c@198.51.100.10')).toMatch(/^\*\*Outcome:\*\* answered \(200 OK\) · 1 leg · \d+ messages · /);
    expect(await summary('normal', 'normal-4f1c@198.51.100.10', 'ru')).toMatch(/^\*\*Итог:\*\* отвечен \(200 OK\) · плеч: 1 · /);
    expect(await summary('cancelled', 'cancel-4f1c@198.51.100.10')).toMatch(/^\*\*Outcome:\*\* 487 Request Terminated · /);
    expect(await summary('timeout-silent', 'tnone-4f1c@198.51.100.10')).toMatch(/^\*\*Outcome:\*\* no final response to an INVITE · /);
    expect(await summary('timeout-silent', 'tnone-4f1c@198.51.100.10', 'ru')).toMatch(/^\*\*Итог:\*\* окончательного ответа на INVITE нет · /);
  });

  it('--out file.md writes the same Markdown to the file and nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-md-'));
    const base = ['flow', fx('busy-at-device.pcap'), '--call-id', 'busydev-4f1c@198.51.100.10', '--format', 'md', '--lang', 'ru'];
    const shown = await run(base);
    for (const flag of ['--out', '-o']) {
      const file = join(dir, `call${flag}.md`);
      const r = await run([...base, flag, file]);
      expect(r.code).toBe(0);
      expect(r.out).toBe('');
      expect(readFileSync(file, 'utf8')).toBe(shown.out);
    }
    expect(shown.out.startsWith('## Вызов `busydev-4f1c@198.51.100.10`\n')).toBe(true);
  });

  it('unknown formats and languages are still usage errors (exit 2, nothing on stdout); --help lists md', async () => {
    for (const bad of [['--format', 'csv'], ['--format', 'markdown'], ['--format', 'MD'], ['-f', 'table'], ['--lang', 'de']]) {
      const r = await run(['flow', fx('normal.pcap'), '--call-id', 'normal-4f1c@198.51.100.10', ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`'${bad[1]}' is invalid`);
    }
    const e = await run(['flow', fx('normal.pcap'), '--call-id', 'x', '--format', 'csv']);
    expect(e.err).toContain('Allowed choices are text, json, html, md.');
    const help = await run(['flow', '--help']);
    expect(help.out).toMatch(/choices: "text",\s+"json", "html", "md"/);
    expect(help.out).toContain('--format md');
  });

  it('no message with the Call-ID: no Markdown either, exit 1', async () => {
    const r = await run(['flow', fx('normal.pcap'), '--call-id', 'nope', '--format', 'md']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
  });
});

describe('flow --format md: hostile strings stay text', () => {
  // every Markdown and HTML device a renderer knows, a pipe to break the table, a mention, math, a line separator
  const callId = 'c`a``ll|id*x*_y_[l](javascript:alert(1))<script>alert(1)</script>@here #';
  const reason = 'Busy | `code` **b** _i_ ~~s~~ [x](http://e.example) ![i](http://e.example/i.png) <img src=x onerror=alert(1)> @channel $\\frac{1}{2}$ &amp; \\| #1\u2028| x |\u0007';
  const ua = '<b>ua</b> | @all @here [u](javascript:1) `\u001b[31m`';
  const msg = (start: string, extra: string[]): string =>
    [start, 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', 'From: <sip:a@10.0.0.1>;tag=a', `To: <sip:b@10.0.0.2>${start.startsWith('SIP') ? ';tag=b' : ''}`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  const file = join(mkdtempSync(join(tmpdir(), 'pm-md-hostile-')), 'hostile.pcap');
  writeFileSync(
    file,
    writePcap([
      { ts: 1e12, data: ethernet(udpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5060, dport: 5060, payload: msg('INVITE sip:b@10.0.0.2 SIP/2.0', [`User-Agent: ${ua}`]) })) },
      { ts: 1e12 + 50, data: ethernet(udpPacket({ src: '10.0.0.2', dst: '10.0.0.1', sport: 5060, dport: 5060, payload: msg(`SIP/2.0 486 ${reason}`, [`Server: ${ua}`]) })) },
    ]),
  );

  for (const lang of ['en', 'ru'] as const) {
    it(`${lang}: the table holds, the Call-ID is one exact code span, nothing else is markup`, async () => {
      const r = await run(['flow', file, '--call-id', callId, '--format', 'md', '--lang', lang]);
      expect(r.code).toBe(0);
      const md = mdParts(r.out);
      const label = JSON.parse((await run(['flow', file, '--call-id', callId, '--format', 'json'])).out).messages[1].label as string;
      expect(label.startsWith('486 Busy | `code`')).toBe(true);
      // no control character, line separator or raw line break inside a line
      for (let i = 0; i < r.out.length; i++) {
        const c = r.out.charCodeAt(i);
        if (c !== 10) expect(c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029, `char ${c.toString(16)} at ${i}`).toBe(false);
      }
      // the heading: the Call-ID exactly, as one code span
      const h = splitCode(md.heading);
      expect(h.code).toEqual([callId]);
      expect(h.text).toBe(`## ${WORDS[lang].call} \u0000`);
      // the table: every row as many cells as the header, the label read back as sent (line separator replaced)
      expect(md.rows).toHaveLength(2);
      for (const row of md.rows) expect(cells(row)).toHaveLength(md.header.length);
      const cell = cells(md.rows[1]!)[3]!;
      expect(plain(cell)).toBe(printable(label).replace('\u2028', '\uFFFD'));
      expect(unescapedMarkup(cell)).toEqual([]);
      // outside code spans: no raw HTML, no link or image syntax, no mention, no unescaped markup from the wire
      const all = r.out.split('\n').map((l) => splitCode(l).text).join('\n');
      for (const bad of ['<', '@channel', '@here', '@all', '$\\frac']) expect(all, bad).not.toContain(bad);
      expect(all).not.toMatch(/(^|[^\\])\]\(/); // `](` that no backslash escapes
      expect(all).toContain('\\[x\\](http://e.example)');
      expect(all).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(all).toContain('@\u2060channel');
      const evidence = md.diagnosis.filter((l) => l.startsWith('  - `#'));
      expect(evidence.length).toBeGreaterThan(0);
      for (const l of evidence) expect(unescapedMarkup(splitCode(l).text.slice(4))).toEqual([]);
      expect(evidence.map((l) => plain(l)).join('\n')).toContain('<b>ua</b> | @all @here [u](javascript:1)');
      const outcome = md.summary.slice(WORDS[lang].outcome.length, md.summary.indexOf(' · '));
      expect(unescapedMarkup(outcome)).toEqual([]);
      expect(plain(outcome)).toBe(printable(label).replace('\u2028', '\uFFFD'));
    });
  }
});
