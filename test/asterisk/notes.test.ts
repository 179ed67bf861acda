import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, run } from './helpers.js';

/** A busy call of the chan_sip scenario: Dial, Called, the response, the Dial outcome (re-audit R-bc, N7). */
const BUSY = [
  '[2023-11-14 22:14:09] VERBOSE[2109][C-00000003] pbx.c:     -- Executing [5550003@from-internal:2] Dial("SIP/102-00000024", "SIP/alpha/5550003,30") in new stack',
  '[2023-11-14 22:14:10] VERBOSE[2109][C-00000003] app_dial.c:     -- Called SIP/alpha/5550003',
  '[2023-11-14 22:14:11] VERBOSE[2050][C-00000003] chan_sip.c:     -- Got SIP response 486 "Busy Here" back from 203.0.113.10:5060',
  '[2023-11-14 22:14:11] VERBOSE[2109][C-00000003] app_dial.c:     -- SIP/alpha-00000025 is busy',
  '[2023-11-14 22:14:11] VERBOSE[2109][C-00000003] app_dial.c:   == Everyone is busy/congested at this time (1:1/0/0)',
];
const STAMP = /^\[[^\]]*\] VERBOSE\[\d+\]\[C-\d+\] [a-z_]+\.c:/;
const notesOf = (lines: string[]): string[] => run(Buffer.from(lines.join('\n') + '\n')).acc.notes;

describe('notes that count one thing say it in the singular (N7)', () => {
  it('no note of any fixture puts "1" before a plural noun', () => {
    const plural = /(?:^|: )1 (?:[A-Za-z-]+ ){0,2}?(?:lines|calls|attempts|timestamps|stamps|rows)\b/;
    let ones = 0;
    for (const f of readdirSync(FIXTURES).filter((n) => n.endsWith('.log') || n.endsWith('.gz'))) {
      for (const o of [{}, { year: 2023 }]) {
        for (const n of run(fixture(f), 0, o, f).acc.notes) {
          if (/(?:^|: )1 /.test(n)) ones++;
          expect(n, f).not.toMatch(plural);
        }
      }
    }
    expect(ones).toBeGreaterThanOrEqual(3); // codeSource, the syslog lines, the year of security.log
  });

  it('the count notes, singular and plural', () => {
    expect(run(fixture('console-excerpt-no-stamps.log')).acc.notes).toContain(
      'codeSource: 1 call attempt from Dial lines (exact SIP code where a "Got SIP response" line was seen, else inferred from the Dial outcome)',
    );
    const security = run(fixture('security.log'), 0, { year: 2023 }).acc.notes;
    expect(security).toContain('1 line unwrapped from a syslog prefix');
    expect(security).toContain('yearInferredFrom: 1 year-less timestamp took its year from the --year option');

    // console lines before the first stamped one
    const oneUnstamped = BUSY.map((l, k) => (k === 0 ? l.replace(STAMP, '') : l));
    expect(notesOf(oneUnstamped)).toContain(
      '1 call line had no timestamp (console output): its time is that of the previous stamped line, or none (undated) before the first one',
    );
    const twoUnstamped = BUSY.map((l, k) => (k <= 1 ? l.replace(STAMP, '') : l));
    expect(notesOf(twoUnstamped)).toContain(
      '2 call lines had no timestamp (console output): their times are those of the previous stamped line, or none (undated) before the first one',
    );
    const grepped = BUSY.map((l, k) => (k === 0 ? `/var/log/asterisk/full:${l}` : l));
    expect(notesOf(grepped)).toContain('1 line carried a grep file-name prefix');
    expect(notesOf(BUSY.map((l) => `/var/log/asterisk/full:${l}`))).toContain('5 lines carried a grep file-name prefix');
  });
});
