import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

/**
 * `flow` with the Call-ID `calls` shows for a call read from Asterisk Dial lines (`<marker>/<tech>/<peer>#n`):
 * such a call has no SIP messages, and the one line says why and how to get them (audit 3, L8).
 */
const dir = mkdtempSync(join(tmpdir(), 'sipscope-flow-dial-'));
const full = join(dir, 'full');
writeFileSync(
  full,
  [
    '[2024-11-14 22:00:00] Asterisk 13.38.3 built by root',
    '[Nov 14 22:14:00] VERBOSE[2110][C-00000002] pbx.c:     -- Executing [5551002@from-internal:1] Dial("SIP/101-00000003", "SIP/alpha/5551002,30") in new stack',
    '[Nov 14 22:14:00] VERBOSE[2110][C-00000002] app_dial.c:     -- Called SIP/alpha/5551002',
    '[Nov 14 22:14:01] VERBOSE[2002][C-00000002] chan_sip.c:     -- Got SIP response 486 "Busy Here" back from 203.0.113.10:5060',
    '[Nov 14 22:14:01] VERBOSE[2110][C-00000002] app_dial.c:     -- SIP/alpha-00000004 is busy',
    '[Nov 14 22:14:01] VERBOSE[2110][C-00000002] app_dial.c:   == Everyone is busy/congested at this time (1:1/0/0)',
    '',
  ].join('\n'),
);

describe('flow with the id of a call read from Dial lines', () => {
  it('says the call has no SIP dump, where it was read and what to turn on; exit 1 as for a Call-ID not found', async () => {
    const calls = await run(['calls', full, '--format', 'csv']);
    expect(calls.out).toContain('C-00000002/SIP/alpha#1');
    const r = await run(['flow', full, '--call-id', 'C-00000002/SIP/alpha#1']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `sipscope: call 'C-00000002/SIP/alpha#1' was read from Asterisk Dial lines (${full} line 3; 486 Busy Here on route alpha), ` +
        'not from a SIP message dump, so it has no SIP ladder: with `sip set debug on` (chan_sip) or `pjsip set logger on` (PJSIP) Asterisk would log one\n',
    );
  });

  it('an id of that form that no call has: the usual line', async () => {
    const r = await run(['flow', full, '--call-id', 'C-00000002/SIP/alpha#2']);
    expect(r.code).toBe(1);
    expect(r.err.startsWith("sipscope: no SIP message with Call-ID 'C-00000002/SIP/alpha#2' in the inputs")).toBe(true);
    expect(r.err).not.toContain('Dial lines');
  });
});
