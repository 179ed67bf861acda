/**
 * A Call-ID reused for a new call (audit 3A, finding 1): `flow` splits it into its dialogs by the call tracker's rule
 * (a new initial INVITE with another From-tag is a new dialog; a message belongs to the dialog whose INVITE's From-tag
 * is its From-tag or To-tag), says so in every format, and diagnoses each dialog on its own. And the flow page's HTML
 * neutralises the bidirectional controls of wire strings (audit 3B, finding 2, carried to the flow page).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap, type CapturedPacket } from '../../src/capture/writer.js';
import { splitDialogs } from '../../src/postmortem/dialogs.js';
import { buildFlow, flowHtml, flowJson, flowMd, flowText, type CallFlow } from '../../src/postmortem/ladder.js';
import { isBidiControl } from '../../src/printable.js';
import type { CallRecord, SipMessage } from '../../src/types.js';
import { run } from './run.js';

const CALLER = '198.51.100.10';
const SERVER = '203.0.113.5';
const T0 = Date.UTC(2024, 4, 14, 9, 30, 0);

/** One message on the wire: `up` from the caller to the server. Tags as given (a callee's BYE: its tag in From). */
interface Wire {
  t: number;
  up: boolean;
  /** `INVITE`, or a status line tail (`486 Busy Here`). */
  what: string;
  fromTag?: string;
  toTag?: string;
  cseq: number;
  method?: string;
  branch: string;
  headers?: string[];
}

function sipText(callId: string, w: Wire): string {
  const resp = /^\d/.test(w.what);
  const method = w.method ?? (resp ? 'INVITE' : w.what);
  const lines = [
    resp ? `SIP/2.0 ${w.what}` : `${w.what} sip:74957770002@${SERVER} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER}:5060;branch=z9hG4bK${w.branch}`,
    `From: <sip:74951230001@${CALLER}>${w.fromTag !== undefined ? `;tag=${w.fromTag}` : ''}`,
    `To: <sip:74957770002@${SERVER}>${w.toTag !== undefined ? `;tag=${w.toTag}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${w.cseq} ${method}`,
    ...(w.headers ?? []),
    'Content-Length: 0',
  ];
  return lines.join('\r\n') + '\r\n\r\n';
}

function pcapFile(callId: string, ws: readonly Wire[]): string {
  const packets: CapturedPacket[] = ws.map((w) => ({
    ts: T0 + w.t,
    data: ethernet(udpPacket({ src: w.up ? CALLER : SERVER, dst: w.up ? SERVER : CALLER, sport: 5060, dport: 5060, payload: sipText(callId, w) })),
  }));
  const file = join(mkdtempSync(join(tmpdir(), 'pm-dialogs-')), 'call.pcap');
  writeFileSync(file, writePcap(packets));
  return file;
}

/** The auditor's s13_reuse: INVITE → 486 → ACK, then 8 s later a new dialog (new From-tag, CSeq 1 again) answered and hung up. */
const REUSED: Wire[] = [
  { t: 0, up: true, what: 'INVITE', fromTag: 'ftreuse-', cseq: 1, branch: 'a1', headers: ['User-Agent: PhoneA/1.0'] },
  { t: 20, up: false, what: '486 Busy Here', fromTag: 'ftreuse-', toTag: 'tt1', cseq: 1, branch: 'a1', headers: ['Server: audit-srv/1.0'] },
  { t: 40, up: true, what: 'ACK', fromTag: 'ftreuse-', toTag: 'tt1', cseq: 1, branch: 'a1' },
  { t: 8040, up: true, what: 'INVITE', fromTag: 'ftNEW13', cseq: 1, branch: 'b1', headers: ['User-Agent: PhoneA/1.0'] },
  { t: 8060, up: false, what: '180 Ringing', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 1, branch: 'b1' },
  { t: 8560, up: false, what: '200 OK', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 1, branch: 'b1' },
  { t: 8580, up: true, what: 'ACK', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 1, branch: 'b2' },
  { t: 9580, up: true, what: 'BYE', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 2, branch: 'b3' },
  { t: 9600, up: false, what: '200 OK', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 2, method: 'BYE', branch: 'b3' },
];
const REUSED_ID = 'reuse-13@198.51.100.10';

interface FlowJsonOut {
  legs: Array<{ records: Array<{ finalCode?: number; source: { packet?: number } }>; dialogs?: Array<{ dialog: number; fromTag?: string; invite: boolean; first: number; last: number; messages: number }> }>;
  messages: Array<{ index: number; dialog?: number; label: string }>;
  diagnosis: Array<{ id: string; leg: string; dialog?: number; evidence: Array<{ index: number }> }>;
  dialogNote?: { en: string; ru: string };
}

describe('flow on a Call-ID reused for a new call', () => {
  const file = pcapFile(REUSED_ID, REUSED);
  const flow = (...more: string[]): Promise<{ code: number; out: string; err: string }> => run(['flow', file, '--call-id', REUSED_ID, ...more]);

  it('text: says the Call-ID holds 2 dialogs, marks each row and where each begins, and diagnoses each', async () => {
    const { code, out } = await flow();
    expect(code).toBe(0);
    expect(out).toContain(
      `  Call-ID ${REUSED_ID} holds 2 dialogs: it was reused for a new call (a new INVITE with another From-tag: ftreuse-, ftNEW13). Each dialog is a call of its own and is diagnosed on its own.\n` +
        '    D1 = dialog 1: #1–#3, From-tag ftreuse-, 486 Busy Here\n' +
        '    D2 = dialog 2: #4–#9, From-tag ftNEW13, answered (200 OK)\n',
    );
    expect(out).toMatch(/\n=== dialog 1 \(D1\) =+\n\+0\.000s +#1 +D1 /);
    expect(out).toMatch(/\n\+0\.040s +#3 +D1 [^\n]*\n=== dialog 2 \(D2\) =+\n\+8\.040s +#4 +D2 /);
    const diagnosis = out.slice(out.indexOf('\nDiagnosis:\n'));
    expect(diagnosis).toContain('\n  dialog 1 (D1, #1–#3) — 486 Busy Here:\n    [info] busy: The callee was busy');
    // the last call on the Call-ID was answered and ended normally: it is not called busy
    expect(diagnosis).toContain('\n  dialog 2 (D2, #4–#9) — answered (200 OK): nothing wrong found.\n');
  });

  it('text in Russian', async () => {
    const { out } = await flow('--lang', 'ru');
    expect(out).toContain(
      `  Под Call-ID ${REUSED_ID} — 2 диалога: Call-ID использован повторно для нового вызова (новый INVITE с другим From-tag: ftreuse-, ftNEW13). Каждый диалог — отдельный вызов со своим диагнозом.\n` +
        '    Д1 = диалог 1: #1–#3, From-tag ftreuse-, 486 Busy Here\n' +
        '    Д2 = диалог 2: #4–#9, From-tag ftNEW13, отвечен (200 OK)\n',
    );
    expect(out).toMatch(/\n=== диалог 2 \(Д2\) =+\n\+8,040 с +#4 +Д2 /);
    expect(out).toContain('\n  диалог 1 (Д1, #1–#3) — 486 Busy Here:\n    [сведения] busy: Абонент занят');
    expect(out).toContain('\n  диалог 2 (Д2, #4–#9) — отвечен (200 OK): нарушений не найдено.\n');
  });

  it('Markdown: the outcome of each dialog, the warning, a dialog column, the diagnosis per dialog (en, ru)', async () => {
    const md = (await flow('--format', 'md')).out;
    expect(md).toContain('**Outcome:** D1: 486 Busy Here; D2: answered (200 OK) · 1 leg · 9 messages');
    expect(md).toContain(`> **Warning:** Call-ID ${REUSED_ID} holds 2 dialogs: it was reused for a new call`);
    expect(md).toContain('- **D1** dialog 1: `#1`–`#3`, From-tag `ftreuse-`, 486 Busy Here\n- **D2** dialog 2: `#4`–`#9`, From-tag `ftNEW13`, answered (200 OK)\n');
    expect(md).toContain('| # | dialog | time | from → to | message | meaning |');
    expect(md).toContain(`| 4 | D2 | +8.040s | ${CALLER}:5060 → ${SERVER}:5060 | INVITE |  |`);
    const diagnosis = md.slice(md.indexOf('### Diagnosis'));
    expect(diagnosis).toContain('**D1** dialog 1: `#1`–`#3`, From-tag `ftreuse-`, 486 Busy Here\n\n- **busy** (info): ');
    expect(diagnosis).toContain('**D2** dialog 2: `#4`–`#9`, From-tag `ftNEW13`, answered (200 OK)\n\nNothing wrong found.\n');
    const ru = (await flow('--format', 'md', '--lang', 'ru')).out;
    expect(ru).toContain('**Итог:** Д1: 486 Busy Here; Д2: отвечен (200 OK) · плеч: 1 · сообщений: 9');
    expect(ru).toContain(`> **Внимание:** Под Call-ID ${REUSED_ID} — 2 диалога:`);
    expect(ru).toContain('| # | диалог | время | откуда → куда | сообщение | смысл |');
    expect(ru).toContain('**Д2** диалог 2: `#4`–`#9`, From-tag `ftNEW13`, отвечен (200 OK)\n\nНарушений не найдено.\n');
  });

  it('HTML: the warning and the dialogs, a heading per dialog in the diagnosis, a dialog column, the SVG marks where each begins', async () => {
    const html = (await flow('--format', 'html')).out;
    expect(html).toContain(`<p class="warn">Call-ID ${REUSED_ID} holds 2 dialogs: it was reused for a new call`);
    expect(html).toContain('<li><b>D2</b> dialog 2: #4–#9, From-tag ftNEW13, answered (200 OK)</li>');
    expect(html).toContain('<h3>Dialog 1 (D1, #1–#3) — 486 Busy Here</h3>\n<ul>\n<li><b class="sev-info">busy</b> (info): ');
    expect(html).toContain('<h3>Dialog 2 (D2, #4–#9) — answered (200 OK)</h3>\n<p>Nothing wrong found.</p>');
    expect(html).toContain('<th>dialog</th>');
    expect(html).toContain('<tr><td>4</td><td>A</td><td>D2</td><td>+8.040s</td>');
    expect(html).toContain('>dialog 2 (D2)</text>');
    const ru = (await flow('--format', 'html', '--lang', 'ru')).out;
    expect(ru).toContain('<h3>Диалог 2 (Д2, #4–#9) — отвечен (200 OK)</h3>\n<p>Нарушений не найдено.</p>');
  });

  it('JSON: the dialogs of the leg, each message’s and each diagnosis’s dialog, the note in both languages', async () => {
    const j = JSON.parse((await flow('--format', 'json')).out) as FlowJsonOut;
    expect(j.legs[0]!.dialogs).toEqual([
      { dialog: 1, invite: true, first: 0, last: 2, messages: 3, fromTag: 'ftreuse-' },
      { dialog: 2, invite: true, first: 3, last: 8, messages: 6, fromTag: 'ftNEW13' },
    ]);
    expect(j.messages.map((m) => m.dialog)).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(j.diagnosis.map((d) => [d.id, d.leg, d.dialog, d.evidence.map((e) => e.index)])).toEqual([['busy', 'A', 1, [1]]]);
    expect(j.dialogNote?.en).toContain('holds 2 dialogs');
    expect(j.dialogNote?.ru).toContain('— 2 диалога');
  });

  it('the dialogs are the call tracker’s attempts: one `calls` row each, whose INVITE opens that dialog', async () => {
    const rows = JSON.parse((await run(['calls', file, '-f', 'json'])).out) as Array<{ code?: number; answered: boolean; source: string }>;
    expect(rows.map((r) => [r.code, r.answered])).toEqual([[486, false], [200, true]]);
    const j = JSON.parse((await flow('--format', 'json')).out) as FlowJsonOut;
    // one packet a message: a record's INVITE packet is its dialog's first message
    expect(j.legs[0]!.records.map((r) => r.source.packet)).toEqual(j.legs[0]!.dialogs!.map((d) => d.first + 1));
  });

  it('each dialog is diagnosed: a busy call, then a redial on the same Call-ID that rang out (480 after 8 s)', async () => {
    const redial: Wire[] = [
      ...REUSED.slice(0, 5),
      { t: 16060, up: false, what: '480 Temporarily Unavailable', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 1, branch: 'b1' },
      { t: 16080, up: true, what: 'ACK', fromTag: 'ftNEW13', toTag: 'tt2', cseq: 1, branch: 'b1' },
    ];
    const j = JSON.parse((await run(['flow', pcapFile(REUSED_ID, redial), '--call-id', REUSED_ID, '--format', 'json'])).out) as FlowJsonOut;
    expect(j.diagnosis.map((d) => [d.id, d.dialog])).toEqual([['busy', 1], ['no-answer', 2]]);
  });

  it('a new call while the first is still open: each message goes to its dialog (the callee’s BYE and a late 200 to the first BYE)', async () => {
    const id = 'open-1@198.51.100.10';
    const ws: Wire[] = [
      { t: 0, up: true, what: 'INVITE', fromTag: 'f1', cseq: 1, branch: 'a1' },
      { t: 100, up: false, what: '200 OK', fromTag: 'f1', toTag: 't1', cseq: 1, branch: 'a1' },
      { t: 120, up: true, what: 'ACK', fromTag: 'f1', toTag: 't1', cseq: 1, branch: 'a2' },
      { t: 5000, up: true, what: 'BYE', fromTag: 'f1', toTag: 't1', cseq: 2, branch: 'a3' },
      // the redial, before the first BYE is answered
      { t: 5100, up: true, what: 'INVITE', fromTag: 'f2', cseq: 1, branch: 'b1' },
      { t: 5150, up: false, what: '200 OK', fromTag: 'f1', toTag: 't1', cseq: 2, method: 'BYE', branch: 'a3' },
      { t: 5200, up: false, what: '200 OK', fromTag: 'f2', toTag: 't2', cseq: 1, branch: 'b1' },
      { t: 5220, up: true, what: 'ACK', fromTag: 'f2', toTag: 't2', cseq: 1, branch: 'b2' },
      // the callee hangs up the second call: its own tag in From, the caller's in To
      { t: 9000, up: false, what: 'BYE', fromTag: 't2', toTag: 'f2', cseq: 1, branch: 'c1' },
      { t: 9010, up: true, what: '200 OK', fromTag: 't2', toTag: 'f2', cseq: 1, method: 'BYE', branch: 'c1' },
    ];
    const file2 = pcapFile(id, ws);
    const j = JSON.parse((await run(['flow', file2, '--call-id', id, '--format', 'json'])).out) as FlowJsonOut;
    expect(j.messages.map((m) => m.dialog)).toEqual([1, 1, 1, 1, 2, 1, 2, 2, 2, 2]);
    expect(j.legs[0]!.dialogs!.map((d) => [d.first, d.last, d.messages])).toEqual([[0, 5, 5], [4, 9, 5]]);
    const rows = JSON.parse((await run(['calls', file2, '-f', 'json'])).out) as Array<{ hangup?: string }>;
    expect(rows.map((r) => r.hangup)).toEqual(['caller', 'callee']);
    // the first dialog's 200 to its BYE, after the second began, is marked D1 in the ladder
    expect((await run(['flow', file2, '--call-id', id])).out).toMatch(/\n\+5\.150s +#6 +D1 /);
  });

  it('a retry with credentials keeps its From-tag: one dialog, no dialog mark, note or key', async () => {
    const id = 'auth-1@198.51.100.10';
    const ws: Wire[] = [
      { t: 0, up: true, what: 'INVITE', fromTag: 'f1', cseq: 1, branch: 'a1' },
      { t: 10, up: false, what: '407 Proxy Authentication Required', fromTag: 'f1', toTag: 't0', cseq: 1, branch: 'a1' },
      { t: 20, up: true, what: 'ACK', fromTag: 'f1', toTag: 't0', cseq: 1, branch: 'a1' },
      { t: 30, up: true, what: 'INVITE', fromTag: 'f1', cseq: 2, branch: 'a2' },
      { t: 300, up: false, what: '486 Busy Here', fromTag: 'f1', toTag: 't1', cseq: 2, branch: 'a2' },
      { t: 320, up: true, what: 'ACK', fromTag: 'f1', toTag: 't1', cseq: 2, branch: 'a2' },
    ];
    const file3 = pcapFile(id, ws);
    const out = (await run(['flow', file3, '--call-id', id, '--format', 'json'])).out;
    expect(out).not.toContain('"dialog');
    const text = (await run(['flow', file3, '--call-id', id])).out;
    expect(text).not.toMatch(/dialog|D1/);
  });
});

// ── splitDialogs on hand-made lists ──────────────────────────────────────────────────────────────────

type Opt = Partial<SipMessage> & { at: number };
function m(o: Opt): SipMessage {
  const { at, ...rest } = o;
  return { ts: at, src: CALLER, srcPort: 5060, dst: SERVER, dstPort: 5060, transport: 'udp', isRequest: false, callId: 'c1', cseq: 1, cseqMethod: 'INVITE', position: { file: 'x', packet: at }, ...rest };
}
const invite = (at: number, fromTag?: string): SipMessage => m({ at, isRequest: true, method: 'INVITE', ...(fromTag !== undefined ? { fromTag } : {}) });
const REASON: Record<number, string> = { 100: 'Trying', 200: 'OK', 401: 'Unauthorized', 486: 'Busy Here' };
const resp = (at: number, status: number, fromTag?: string, toTag?: string): SipMessage =>
  m({ at, src: SERVER, dst: CALLER, status, reason: REASON[status]!, ...(fromTag !== undefined ? { fromTag } : {}), ...(toTag !== undefined ? { toTag } : {}) });
const rec = (packet: number, start: number): CallRecord => ({ source: { file: 'x', packet }, start } as unknown as CallRecord);
const groups = (ms: SipMessage[], rs: CallRecord[] = []): Array<[string | undefined, boolean, number[], number[]]> =>
  splitDialogs(ms, rs).map((p) => [p.fromTag, p.invite, p.indices, p.records.map((r) => r.source.packet!)]);

describe('splitDialogs: the tracker’s rule', () => {
  it('no From-tags (RFC 2543): nothing proves a new dialog, one part', () => {
    expect(groups([invite(1), resp(2, 486), invite(3), resp(4, 200)])).toEqual([[undefined, false, [0, 1, 2, 3], []]]);
  });

  it('one From-tag on two INVITEs (a retry): one part with every record', () => {
    expect(groups([invite(1, 'a'), resp(2, 401, 'a', 'x'), invite(3, 'a'), resp(4, 200, 'a', 'y')], [rec(1, 1)])).toEqual([['a', true, [0, 1, 2, 3], [1]]]);
  });

  it('an INVITE with no From-tag among tagged ones proves nothing: it and a tagless response go to the dialog open then', () => {
    const ms = [invite(1, 'a'), resp(2, 486, 'a', 'x'), invite(3, 'b'), invite(4), resp(5, 100), resp(6, 200, 'b', 'y')];
    expect(groups(ms)).toEqual([['a', true, [0, 1], []], ['b', true, [2, 3, 4, 5], []]]);
  });

  it('messages of a dialog whose INVITE the capture missed make a dialog of their own, before the others', () => {
    const ms = [
      m({ at: 1, isRequest: true, method: 'BYE', cseqMethod: 'BYE', cseq: 5, fromTag: 'callee0', toTag: 'caller0' }),
      invite(2, 'a'),
      m({ at: 3, status: 200, reason: 'OK', cseqMethod: 'BYE', cseq: 5, fromTag: 'callee0', toTag: 'caller0' }),
      resp(4, 486, 'a', 'x'),
      invite(5, 'b'),
      m({ at: 6, isRequest: true, method: 'ACK', cseqMethod: 'ACK', fromTag: 'caller0', toTag: 'callee0' }),
      resp(7, 200, 'b', 'y'),
    ];
    expect(groups(ms)).toEqual([[undefined, false, [0, 2, 5], []], ['a', true, [1, 3], []], ['b', true, [4, 6], []]]);
  });

  // audit 3, re-audit A, N3: a second From-tag is a new dialog only on the same hop, or once the earlier dialog is over
  const PHONE = '192.0.2.22';
  const hop2 = (o: Opt): SipMessage => m({ src: SERVER, dst: PHONE, ...o });
  const back2 = (o: Opt): SipMessage => m({ src: PHONE, dst: SERVER, ...o });
  it('an SBC that keeps the Call-ID and writes its own From-tag on the next hop: one dialog of two hops', () => {
    const ms = [
      invite(1, 'a'),
      hop2({ at: 2, isRequest: true, method: 'INVITE', fromTag: 'sbc' }),
      back2({ at: 3, status: 180, reason: 'Ringing', fromTag: 'sbc', toTag: 'ph' }),
      resp(4, 180, 'a', 's1'),
      back2({ at: 5, status: 486, reason: 'Busy Here', fromTag: 'sbc', toTag: 'ph' }),
      resp(6, 486, 'a', 's1'),
    ];
    expect(groups(ms, [rec(1, 1), rec(2, 2)])).toEqual([['a', true, [0, 1, 2, 3, 4, 5], [1, 2]]]);
  });

  it('the same hop with another From-tag while the first dialog is open: a new dialog', () => {
    const ms = [invite(1, 'a'), resp(2, 401, 'a', 'x'), invite(3, 'b'), resp(4, 200, 'b', 'y')];
    expect(groups(ms)).toEqual([['a', true, [0, 1], []], ['b', true, [2, 3], []]]);
  });

  it('another hop with another From-tag once the first dialog is over (its 486, or its BYE answered): a new dialog', () => {
    const failed = [invite(1, 'a'), resp(2, 486, 'a', 'x'), hop2({ at: 3, isRequest: true, method: 'INVITE', fromTag: 'b' }), back2({ at: 4, status: 200, reason: 'OK', fromTag: 'b', toTag: 'y' })];
    expect(groups(failed)).toEqual([['a', true, [0, 1], []], ['b', true, [2, 3], []]]);
    const hungUp = [
      invite(1, 'a'),
      resp(2, 200, 'a', 'x'),
      m({ at: 3, src: SERVER, dst: CALLER, isRequest: true, method: 'BYE', cseqMethod: 'BYE', cseq: 7, fromTag: 'x', toTag: 'a' }),
      m({ at: 4, status: 200, reason: 'OK', cseqMethod: 'BYE', cseq: 7, fromTag: 'x', toTag: 'a' }),
      hop2({ at: 5, isRequest: true, method: 'INVITE', fromTag: 'b' }),
    ];
    expect(groups(hungUp)).toEqual([['a', true, [0, 1, 2, 3], []], ['b', true, [4], []]]);
    // the same capture with the BYE not yet answered: the INVITE on the other hop is a hop of the open call
    expect(groups(hungUp.filter((_, i) => i !== 3)).length).toBe(1);
  });

  // review 2, finding 6: the rule is a lookup of the message's tags among the INVITEs' From-tags, From-tag first
  it('a message goes to the dialog its From-tag names, else the one its To-tag names (the callee’s requests)', () => {
    const ms = [
      invite(1, 'a'),
      resp(2, 200, 'a', 'x'),
      invite(3, 'b'),
      m({ at: 4, src: SERVER, dst: CALLER, isRequest: true, method: 'BYE', cseqMethod: 'BYE', cseq: 9, fromTag: 'x', toTag: 'a' }),
      m({ at: 5, isRequest: true, method: 'INFO', cseqMethod: 'INFO', cseq: 2, fromTag: 'b', toTag: 'a' }),
    ];
    expect(groups(ms)).toEqual([['a', true, [0, 1, 3], []], ['b', true, [2, 4], []]]);
  });

  it('records go to the dialog of their INVITE (by position), else to the one begun last at their start', () => {
    const ms = [invite(10, 'a'), resp(11, 486, 'a', 'x'), invite(20, 'b'), resp(21, 200, 'b', 'y')];
    expect(groups(ms, [rec(20, 20), rec(10, 10), rec(99, 25)])).toEqual([['a', true, [0, 1], [10]], ['b', true, [2, 3], [20, 99]]]);
  });
});

describe('buildFlow: a reused Call-ID among linked legs', () => {
  it('three dialogs: the note says 2 new calls and new INVITEs, in English and Russian (re-audit A, N8)', () => {
    const ms = [invite(1, 'a'), resp(2, 486, 'a', 'x'), invite(10, 'b'), resp(11, 480, 'b', 'y'), invite(20, 'c'), resp(21, 200, 'c', 'z')];
    const f = buildFlow('c1', [{ callId: 'c1', by: 'self', messages: ms, records: [] }]);
    expect(f.dialogNote!.en).toBe('Call-ID c1 holds 3 dialogs: it was reused for 2 new calls (new INVITEs with other From-tags: a, b, c). Each dialog is a call of its own and is diagnosed on its own.');
    expect(f.dialogNote!.ru).toBe('Под Call-ID c1 — 3 диалога: Call-ID использован повторно для 2 новых вызовов (новые INVITE с другими From-tag: a, b, c). Каждый диалог — отдельный вызов со своим диагнозом.');
  });

  it('each dialog of the leg is diagnosed and named with its leg; the other leg keeps its own group', () => {
    const a = [invite(1, 'a'), resp(2, 486, 'a', 'x'), invite(10, 'b'), resp(11, 200, 'b', 'y')];
    const b = [m({ at: 10.5, callId: 'c2', src: SERVER, dst: '192.0.2.77', isRequest: true, method: 'INVITE', fromTag: 'q' }), m({ at: 10.8, callId: 'c2', src: '192.0.2.77', dst: SERVER, status: 503, reason: 'Service Unavailable', fromTag: 'q', toTag: 'r' })];
    const f = buildFlow('c1', [{ callId: 'c1', by: 'self', messages: a, records: [] }, { callId: 'c2', by: 'numbers', messages: b, records: [] }]);
    expect(f.diagnosis.map((d) => [d.id, d.leg, d.dialog])).toEqual([['busy', 'A', 1], ['overload', 'B', undefined]]);
    const text = flowText(f);
    expect(text).toContain('  Call-ID c1 (leg A) holds 2 dialogs:');
    expect(text).toContain('    D1 = leg A, dialog 1: #1–#2, From-tag a, 486 Busy Here\n');
    expect(text).toContain('\n  leg A, dialog 2 (D2, #3–#6) — answered (200 OK): nothing wrong found.\n  leg B:\n    [warning] overload:');
    // leg B's rows carry no dialog mark; leg A's do
    expect(text).toMatch(/#4 +B +\S/);
    expect(text).toMatch(/#3 +A D2 /);
    const md = flowMd(f);
    expect(md).toContain('| # | leg | dialog | time |');
    expect(md).toContain('\n**leg B**\n\n- **overload**');
    const j = flowJson(f) as { legs: Array<{ dialogs?: unknown[] }> };
    expect(j.legs.map((l) => l.dialogs?.length)).toEqual([2, undefined]);
  });
});

// ── the flow page and the bidirectional controls ────────────────────────────────────────────────────

describe('flow HTML: bidirectional controls from the wire are neutralised', () => {
  it('in a reason phrase, a User-Agent, a Server and the Call-ID: none is left anywhere in the page', async () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const id = `bidi-\u202egnp.exe${bidi}@198.51.100.10`;
    const ws: Wire[] = [
      { t: 0, up: true, what: 'INVITE', fromTag: 'f1', cseq: 1, branch: 'a1', headers: [`User-Agent: Phone\u2067A${bidi}/1.0`] },
      { t: 20, up: false, what: `486 Busy \u202eereh${bidi}`, fromTag: 'f1', toTag: 't1', cseq: 1, branch: 'a1', headers: [`Server: Srv\u202d${bidi}`] },
      { t: 40, up: true, what: 'ACK', fromTag: 'f1', toTag: 't1', cseq: 1, branch: 'a1' },
    ];
    const file = pcapFile(id, ws);
    for (const lang of ['en', 'ru']) {
      const { code, out } = await run(['flow', file, '--call-id', id, '--format', 'html', '--lang', lang]);
      expect(code).toBe(0);
      // the page has the strings (the table, the raw text, the diagnosis's evidence), with U+FFFD for each control
      expect(out).toContain('<pre>INVITE sip:');
      expect(out).toContain(`486 Busy \uFFFDereh${'\uFFFD'.repeat(12)}`);
      expect(out).toContain(`Phone\uFFFDA${'\uFFFD'.repeat(12)}/1.0`);
      expect(out).toContain(`<bdi>bidi-\uFFFDgnp.exe${'\uFFFD'.repeat(12)}@198.51.100.10</bdi>`);
      const left = [...out].filter((ch) => isBidiControl(ch.charCodeAt(0)));
      expect(left).toEqual([]);
    }
  });
});

// review 2, finding 3: a scanner may start thousands of dialogs on one Call-ID; rendering sorts the messages into
// them once, not once per dialog (which read the whole message list per dialog, several times per render)
describe('rendering a Call-ID of many dialogs reads its messages a bounded number of times each', () => {
  const D = 300;
  const ms = Array.from({ length: D }, (_, i) => [invite(i * 10, `t${i}`), resp(i * 10 + 1, 486, `t${i}`, `x${i}`)]).flat();
  const f = buildFlow('scan', [{ callId: 'scan', by: 'self', messages: ms, records: [] }]);
  /** The flow with its message list counting the reads of its elements. */
  const counting = (): { flow: CallFlow; reads: () => number } => {
    let n = 0;
    const messages = new Proxy(f.messages, {
      get(t, k, r) {
        if (typeof k === 'string' && k !== '' && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57) n++;
        return Reflect.get(t, k, r) as unknown;
      },
    });
    return { flow: { ...f, messages }, reads: () => n };
  };

  it.each([
    ['text', (x: CallFlow) => flowText(x)],
    ['Markdown', (x: CallFlow) => flowMd(x)],
    ['HTML', (x: CallFlow) => flowHtml(x)],
  ])('%s', (_, render) => {
    expect(f.legs[0]!.dialogs).toHaveLength(D);
    const c = counting();
    const out = render(c.flow);
    expect(out).toBe(render(f));
    expect(out).toContain(`dialog ${D}`);
    // a few reads per message (its row, its dialog, the summary), not one per message and dialog
    expect(c.reads()).toBeLessThan(10 * f.messages.length);
  });
});
