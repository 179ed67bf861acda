import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ethernet, udpPacket, writePcap } from '../../src/capture/writer.js';
import { cells, mdParts, plain, splitCode, unescapedMarkup } from './md-helpers.js';
import { run } from './run.js';

/** Strings from the wire reach a terminal, a spreadsheet and a browser: none of them may act on them. */
describe('hostile strings from the wire', () => {
  const callId = '=HYPERLINK("http://x")<script>alert(1)</script>\u001b[31m';
  const ua = '<img src=x onerror=alert(1)> friendly-scanner \u001b]0;pwned\u0007';
  const reason = 'Busy <b>"now"</b> \u001b[2J';
  const msg = (start: string, extra: string[]): string =>
    [start, 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', 'From: <sip:=1+1@10.0.0.1>;tag=a', `To: <sip:-2@10.0.0.2>${start.startsWith('SIP') ? ';tag=b' : ''}`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  const dir = mkdtempSync(join(tmpdir(), 'pm-hostile-'));
  const file = join(dir, 'hostile.pcap');
  writeFileSync(
    file,
    writePcap([
      { ts: 1e12, data: ethernet(udpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5060, dport: 5060, payload: msg('INVITE sip:-2@10.0.0.2 SIP/2.0', [`User-Agent: ${ua}`]) })) },
      { ts: 1e12 + 50, data: ethernet(udpPacket({ src: '10.0.0.2', dst: '10.0.0.1', sport: 5060, dport: 5060, payload: msg(`SIP/2.0 486 ${reason}`, [`Server: ${ua}`]) })) },
    ]),
  );

  it('text: no escape character reaches the terminal', async () => {
    const r = await run(['flow', file, '--call-id', callId]);
    expect(r.out).toContain('486 Busy');
    expect(r.out).not.toContain('\u001b');
    expect(r.out).not.toContain('\u0007');
    const s = await run(['scanners', file, '--all']);
    expect(s.out).not.toContain('\u001b');
    const c = await run(['calls', file]);
    expect(c.out).not.toContain('\u001b');
  });

  it('html: everything escaped', async () => {
    const r = await run(['flow', file, '--call-id', callId, '--format', 'html']);
    expect(r.out).not.toContain('<script>');
    expect(r.out).not.toContain('<img');
    expect(r.out).not.toContain('<b>');
    expect(r.out).toContain('&lt;script&gt;');
  });

  it('md: Call-ID as one code span, everything else escaped, the table intact', async () => {
    for (const lang of ['en', 'ru']) {
      const r = await run(['flow', file, '--call-id', callId, '--format', 'md', '--lang', lang]);
      expect(r.code).toBe(0);
      expect(r.out).not.toContain('\u001b');
      expect(r.out).not.toContain('\u0007');
      const md = mdParts(r.out);
      expect(splitCode(md.heading).code).toEqual(['=HYPERLINK("http://x")<script>alert(1)</script>\uFFFD[31m']);
      // outside the code span no tag survives: every < is an entity
      const text = r.out.split('\n').map((l) => splitCode(l).text).join('\n');
      expect(text).not.toContain('<');
      expect(text).toContain('&lt;b&gt;"now"&lt;/b&gt;');
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt; friendly-scanner');
      expect(md.rows).toHaveLength(2);
      const row = cells(md.rows[1]!);
      expect(row).toHaveLength(md.header.length);
      expect(plain(row[3]!)).toBe('486 Busy <b>"now"</b> \uFFFD[2J');
      expect(unescapedMarkup(row[3]!)).toEqual([]);
    }
  });

  it('csv: formula cells neutralised', async () => {
    const r = await run(['calls', file, '--format', 'csv']);
    const row = r.out.split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://x"")`);
    expect(row).toContain(",'=1+1,'-2,486,");
  });

  it('json: valid and carries the strings as they were', async () => {
    const r = await run(['flow', file, '--call-id', callId, '--format', 'json']);
    const j = JSON.parse(r.out) as { callId: string; messages: Array<{ reason?: string }> };
    expect(j.callId).toBe(callId);
    expect(j.messages[1]!.reason).toBe(reason);
  });
});
