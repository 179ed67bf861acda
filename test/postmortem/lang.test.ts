/**
 * `flow --lang ru`: the evidence notes are Russian in the text and HTML output (the message label stays as on
 * the wire), English with `--lang en`, and JSON carries both. Also the refusal rules (603, 607, 608) end to end
 * from a capture, where the message text is kept and a 608's Call-Info jCard can be found.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap } from '../../src/capture/writer.js';
import { plain } from './md-helpers.js';
import { run } from './run.js';
import { A, P, T0, scenarios, sdp, sip } from './scenarios.js';

const fx = (name: string): string => new URL(`../../fixtures/postmortem/${name}`, import.meta.url).pathname;

interface FlowJson {
  messages: Array<{ index: number; label: string; userAgent?: string; sdp?: { codecs?: string[] } }>;
  diagnosis: Array<{ id: string; evidence: Array<{ index: number; what: { en: string; ru: string } }> }>;
}

/** SIP names and header names that stay Latin in a Russian note. */
const SIP_WORDS = ['INVITE', 'ACK', 'OK', 'CANCEL', 'BYE', 'RTP', 'Request', 'URI', 'Retry', 'After', 'Reason', 'Q', 'Call', 'Info', 'jCard', 'purpose', 'jwscard', 'nonce', 'CSeq'];
const CYRILLIC = /[А-Яа-яЁё]/;

/** Latin words of a note that are neither SIP names nor wire values of the call (user agents, codecs, URIs). */
function foreignWords(note: string, j: FlowJson, extra: string[] = []): string[] {
  const ok = new Set(SIP_WORDS);
  const add = (s: string | undefined): void => {
    for (const w of s?.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) ok.add(w);
  };
  for (const m of j.messages) {
    add(m.userAgent);
    for (const c of m.sdp?.codecs ?? []) add(c);
  }
  extra.forEach(add);
  return (note.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => !ok.has(w));
}

/** Evidence lines of the text output: `#n +1.234s <label>: <note>` (`+1,234 с` in Russian) → [n, rest]. */
function textEvidence(out: string): Array<[number, string]> {
  const r: Array<[number, string]> = [];
  for (const line of out.split('\n')) {
    const m = /^ {6}#(\d+) \+\d+(?:\.\d{3}s|,\d{3} с) (.*)$/.exec(line);
    if (m) r.push([Number(m[1]), m[2]!]);
  }
  return r;
}

/** Evidence items of the HTML diagnosis: `<li>#n +1.234s <label>: <note></li>` → [n, rest] (still escaped). */
function htmlEvidence(out: string): Array<[number, string]> {
  const r: Array<[number, string]> = [];
  for (const m of out.matchAll(/<li>#(\d+) \+\d+(?:\.\d{3}s|,\d{3} с) ([^<]*)<\/li>/g)) r.push([Number(m[1]), m[2]!]);
  return r;
}

/** Evidence items of the Markdown diagnosis: `  - \`#n\` +1.234s <label>: <note>` → [n, rest] (escapes undone). */
function mdEvidence(out: string): Array<[number, string]> {
  const r: Array<[number, string]> = [];
  for (const line of out.split('\n')) {
    const m = /^ {2}- `#(\d+)` \+\d+(?:\.\d{3}s|,\d{3} с) (.*)$/.exec(line);
    if (m) r.push([Number(m[1]), plain(m[2]!)]);
  }
  return r;
}

/** Checks the notes of one rendering: label first, then a note in the asked language. */
function checkNotes(items: Array<[number, string]>, j: FlowJson, lang: 'en' | 'ru', extra: string[] = []): number {
  let notes = 0;
  for (const [n, rest] of items) {
    const label = j.messages[n - 1]!.label;
    expect(rest.startsWith(label), rest).toBe(true);
    if (rest === label) continue;
    expect(rest.slice(label.length, label.length + 2)).toBe(': ');
    const note = rest.slice(label.length + 2);
    notes++;
    if (lang === 'ru') {
      expect(note, rest).toMatch(CYRILLIC);
      expect(foreignWords(note, j, extra), rest).toEqual([]);
    } else expect(note, rest).not.toMatch(CYRILLIC);
  }
  return notes;
}

describe('flow evidence in the asked language, on every generated capture', () => {
  for (const s of scenarios().filter((x) => x.expect.length)) {
    it(`${s.name}: text, html and md, en and ru`, async () => {
      const base = ['flow', fx(`${s.name}.pcap`), '--call-id', s.callId, '--no-link'];
      const j = JSON.parse((await run([...base, '--format', 'json'])).out) as FlowJson;
      const evidence = j.diagnosis.flatMap((d) => d.evidence);
      expect(evidence.length).toBeGreaterThan(0);
      for (const e of evidence) {
        expect(typeof e.what.en).toBe('string');
        expect(typeof e.what.ru).toBe('string');
      }
      const notes = evidence.filter((e) => e.what.en !== j.messages[e.index]!.label).length;

      const textEn = (await run(base)).out;
      const textRu = (await run([...base, '--lang', 'ru'])).out;
      expect(textEvidence(textEn)).toHaveLength(evidence.length);
      expect(checkNotes(textEvidence(textEn), j, 'en')).toBe(notes);
      expect(checkNotes(textEvidence(textRu), j, 'ru')).toBe(notes);
      // what the JSON carries is what each language prints
      for (const e of evidence) {
        expect(textEn).toContain(e.what.en);
        expect(textRu).toContain(e.what.ru);
      }
      const htmlRu = (await run([...base, '--format', 'html', '--lang', 'ru'])).out;
      const htmlEn = (await run([...base, '--format', 'html'])).out;
      expect(checkNotes(htmlEvidence(htmlRu), j, 'ru')).toBe(notes);
      expect(checkNotes(htmlEvidence(htmlEn), j, 'en')).toBe(notes);
      const mdRu = (await run([...base, '--format', 'md', '--lang', 'ru'])).out;
      const mdEn = (await run([...base, '--format', 'md'])).out;
      expect(mdEvidence(mdEn)).toHaveLength(evidence.length);
      expect(checkNotes(mdEvidence(mdRu), j, 'ru')).toBe(notes);
      expect(checkNotes(mdEvidence(mdEn), j, 'en')).toBe(notes);
      expect(mdEvidence(mdRu).map(([, rest]) => rest)).toEqual(evidence.map((e) => e.what.ru));
    });
  }

  it('no English note words in the Russian output (notes of the older rules included)', async () => {
    const english = ['answer', 'retransmission', 'after the', ': request', 'no final response', 'challenge', 'credentials refused', 'ringing began', 'caller gave up', 'terminated', 'offered', 'the far end accepts', 'no route', 'rang first', 'the proxy', ': from ', 'refused'];
    let all = '';
    for (const s of scenarios().filter((x) => x.expect.length)) {
      const base = ['flow', fx(`${s.name}.pcap`), '--call-id', s.callId, '--no-link'];
      const j = JSON.parse((await run([...base, '--format', 'json'])).out) as FlowJson;
      const out = (await run([...base, '--lang', 'ru'])).out;
      // the notes alone: a label such as `408 Request Timeout` is the wire's, in both languages
      all += textEvidence(out).map(([n, rest]) => rest.slice(j.messages[n - 1]!.label.length)).join('\n') + '\n';
    }
    for (const w of english) expect(all.toLowerCase(), w).not.toContain(w);
    for (const w of ['ответ', 'запрос', 'предложено', 'до этого звонило', 'вызывающий отменил вызов', 'через', 'от ']) expect(all, w).toContain(w);
  });
});

describe('refusals end to end: 603, 607 and 608 from a capture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-refusals-'));
  // a hostile jCard address: control characters for the terminal, markup for the browser
  const jcard = 'https://block.example.net/j?<img src=x onerror=alert(1)\u001b[2J';
  const capture = (name: string, code: string, opts: { ringAt?: number; finalAt: number; headers?: string[] }): { file: string; callId: string } => {
    const d = { callId: `${name}-4f1c@${A}`, from: A, fromTag: `ft-${name}`, to: P, toTag: `tt-${name}`, caller: '74951230001', callee: '74957770002' };
    const msgs: Array<[number, string, string, string]> = [
      [0, A, P, sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, [[0, 'PCMU']]) })],
      [10, P, A, sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false })],
    ];
    if (opts.ringAt !== undefined) msgs.push([opts.ringAt, P, A, sip(d, { resp: '180 Ringing', cseq: 1, from: A })]);
    msgs.push([opts.finalAt, P, A, sip(d, { resp: code, cseq: 1, from: A, headers: opts.headers })]);
    msgs.push([opts.finalAt + 10, A, P, sip(d, { method: 'ACK', cseq: 1, from: A, branch: 'ack1' })]);
    const file = join(dir, `${name}.pcap`);
    writeFileSync(file, writePcap(msgs.map(([t, src, dst, text]) => ({ ts: T0 + t, data: ethernet(udpPacket({ src, dst, sport: 5060, dport: 5060, payload: text })) }))));
    return { file, callId: d.callId };
  };
  const flow = async (c: { file: string; callId: string }, ...args: string[]): Promise<string> => (await run(['flow', c.file, '--call-id', c.callId, ...args])).out;

  it('603 without ringing, 17 ms after the INVITE: automatic; after ringing: a person', async () => {
    const auto = capture('decl-auto', '603 Decline', { finalAt: 17 });
    const en = await flow(auto);
    expect(en).toContain('[warning] declined: The call was declined 17 ms after the INVITE without ringing');
    expect(en).toContain('#3 +0.017s 603 Decline: 17 ms after the INVITE; from 203.0.113.5');
    expect(en).toContain('hint (blacklisted)');
    const ru = await flow(auto, '--lang', 'ru');
    expect(ru).toContain('[предупреждение] declined: Вызов отклонён через 17 мс после INVITE без звонка');
    expect(ru).toContain('#3 +0,017 с 603 Decline: через 17 мс после INVITE; от 203.0.113.5');
    expect(ru).toContain('совет (blacklisted)');
    const person = await flow(capture('decl-person', '603 Decline', { ringAt: 400, finalAt: 7400 }));
    expect(person).toContain('[info] declined: The callee declined the call: it rang for 7.0 s');
    expect(person).toContain('#3 +0.400s 180 Ringing: ringing began, 7.0 s before the 603');
  });

  it('a refusal retransmitted without an ACK: timed and cited from its first copy (480 and 603, en and ru)', async () => {
    const d = { callId: `retrans-4f1c@${A}`, from: A, fromTag: 'ft-re', to: P, toTag: 'tt-re', caller: '74951230001', callee: '74957770002' };
    const write = (name: string, code: string, ringAt: number | undefined, copies: number[]): { file: string; callId: string } => {
      const msgs: Array<[number, string, string, string]> = [[0, A, P, sip(d, { method: 'INVITE', cseq: 1, from: A, toTag: false, body: sdp(A, 40000, [[0, 'PCMU']]) })]];
      msgs.push([10, P, A, sip(d, { resp: '100 Trying', cseq: 1, from: A, toTag: false })]);
      if (ringAt !== undefined) msgs.push([ringAt, P, A, sip(d, { resp: '180 Ringing', cseq: 1, from: A })]);
      for (const t of copies) msgs.push([t, P, A, sip(d, { resp: code, cseq: 1, from: A })]);
      const file = join(dir, `${name}.pcap`);
      writeFileSync(file, writePcap(msgs.map(([t, src, dst, text]) => ({ ts: T0 + t, data: ethernet(udpPacket({ src, dst, sport: 5060, dport: 5060, payload: text })) }))));
      return { file, callId: d.callId };
    };
    const r480 = write('retrans480', '480 Temporarily Unavailable', 500, [2500, 3000, 4000, 6000, 10000]);
    const en = await flow(r480, '--format', 'md');
    expect(en).toContain("- **unavailable** (warning): The callee's phone was alerted and then the call was refused: 180 Ringing, and 2.0 s later 480 (2.5 s after the INVITE).");
    expect(en).toContain('  - `#3` +0.500s 180 Ringing: ringing began, 2.0 s before the 480');
    expect(en).toContain('  - `#4` +2.500s 480 Temporarily Unavailable: 2.5 s after the INVITE; from 203.0.113.5');
    expect(en).not.toContain('**no-answer**');
    const ru = await flow(r480, '--format', 'md', '--lang', 'ru');
    expect(ru).toContain('  - `#4` +2,500 с 480 Temporarily Unavailable: через 2,5 с после INVITE; от 203.0.113.5');
    const r603 = write('retrans603', '603 Decline', undefined, [300, 800, 1800, 3800]);
    const dec = await flow(r603);
    expect(dec).toContain('[warning] declined: The call was declined 300 ms after the INVITE without ringing');
    expect(dec).toContain('      #3 +0.300s 603 Decline: 300 ms after the INVITE; from 203.0.113.5');
  });

  it('607 names the caller ID presented', async () => {
    const c = capture('unwanted', '607 Unwanted', { ringAt: 300, finalAt: 4300 });
    expect(await flow(c)).toContain('#1 +0.000s INVITE: caller ID 74951230001');
    const ru = await flow(c, '--lang', 'ru');
    expect(ru).toContain('[предупреждение] unwanted: Вызываемый абонент пометил вызов как нежелательный');
    expect(ru).toContain('#1 +0,000 с INVITE: номер вызывающего: 74951230001');
  });

  it('608 with a Call-Info jCard: cited from the kept message text; a hostile address stays inert (text, html, md)', async () => {
    const c = capture('rejected', '608 Rejected', { finalAt: 90, headers: [`Call-Info: <${jcard}>;purpose=jwscard`] });
    const en = await flow(c);
    expect(en).toContain('[warning] rejected: The call was rejected by an intermediary, not by the callee');
    expect(en).toContain('608 Rejected: 90 ms after the INVITE; from 203.0.113.5; Call-Info with a jCard (purpose=jwscard): https://block.example.net/j?<img src=x onerror=alert(1)\uFFFD[2J');
    expect(en).not.toContain('\u001b');
    const ru = await flow(c, '--lang', 'ru');
    expect(ru).toContain('Call-Info с jCard (purpose=jwscard): https://block.example.net/j?');
    expect(ru).not.toContain('\u001b');
    const html = await flow(c, '--format', 'html', '--lang', 'ru');
    expect(html).not.toContain('<img');
    expect(html).toContain('Call-Info с jCard (purpose=jwscard): https://block.example.net/j?&lt;img src=x onerror=alert(1)');
    for (const lang of ['en', 'ru']) {
      const md = await flow(c, '--format', 'md', '--lang', lang);
      expect(md).not.toContain('<img');
      expect(md).not.toContain('\u001b');
      expect(md).toContain('(purpose=jwscard): https://block.example.net/j?&lt;img src=x onerror=alert(1)\uFFFD\\[2J');
      expect(mdEvidence(md).at(-1)![1]).toContain(`(purpose=jwscard): ${jcard.replace('\u001b', '\uFFFD')}`);
    }
    const j = JSON.parse(await flow(c, '--format', 'json')) as FlowJson;
    const d = j.diagnosis.find((x) => x.id === 'rejected')!;
    expect(d.evidence.at(-1)!.what.en).toContain(jcard);
    expect(d.evidence.at(-1)!.what.ru).toContain(jcard);
    // folded after the `;` or around the `=` (RFC 3261 §7.3.1): still found
    for (const header of ['Call-Info: <https://a.example/jc>;\r\n  purpose=jwscard', 'Call-Info: <https://a.example/jc>;purpose =\r\n jwscard']) {
      const folded = await flow(capture('rejected-fold', '608 Rejected', { finalAt: 300, headers: [header] }));
      expect(folded, header).toContain('608 Rejected: 300 ms after the INVITE; from 203.0.113.5; Call-Info with a jCard (purpose=jwscard): https://a.example/jc');
      expect(folded, header).toContain('the jCard is at https://a.example/jc.');
    }
    // without the header: said so
    expect(await flow(capture('rejected-plain', '608 Rejected', { finalAt: 90 }))).toContain('608 Rejected: 90 ms after the INVITE; from 203.0.113.5; no Call-Info with a jCard');
  });
});
