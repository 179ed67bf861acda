/**
 * A `--map` this input cannot honour (audit 3B, finding 6): a column name not in its header, a number past its
 * rows' width, a date order other than dmy/mdy. The input is read without that map (as before), and it is said:
 * in the notes and on stderr (InputAccounting.alerts, one line naming the file and the map), so a cron job that
 * mails stderr hears of a typo instead of a report whose every vendor is `unknown`. Before, a wrong name was a
 * note only and a number past the width was not said at all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { inputLines } from '../../src/cli/input-lines.js';
import { UNKNOWN_ROUTE } from '../../src/types.js';
import { bothPaths } from './helpers.js';

const carrier = readFileSync(new URL('../../fixtures/cdr/carrier.csv', import.meta.url));
const master = readFileSync(new URL('../../fixtures/cdr/master18.csv', import.meta.url));

describe('a --map that cannot be honoured', () => {
  test('a name not in the header: ignored (the detected route stays), noted, said on stderr', () => {
    const run = bothPaths('carrier.csv', carrier, { columnMap: { route: 'Nope' } });
    expect(new Set(run.records.map((r) => r.route))).toEqual(new Set(['alpha', 'beta']));
    const msg = '--map route=Nope: no such column in the header (Q.850, Call-ID, Disconnect Time, SIP Code, Vendor, ANI, Setup Time, DNIS, Connect Time, Billsec, PDD (ms), Reason); ignored';
    expect(run.acc.alerts).toEqual([msg]);
    expect(run.acc.notes).toContain(msg);
    expect(inputLines([run.acc])).toEqual([`sipscope: carrier.csv: ${msg}\n`]);
  });

  test('a column number past the rows\' width: ignored and said (before: every route `unknown`, nothing said)', () => {
    const run = bothPaths('carrier.csv', carrier, { columnMap: { route: '99' } });
    expect(run.records.some((r) => r.route === UNKNOWN_ROUTE)).toBe(false);
    expect(run.acc.alerts).toEqual(['--map route=99: the rows have 12 columns; ignored']);
    expect(run.acc.notes.find((n) => n.startsWith('columns:'))).not.toContain('col 99');
  });

  test('a fixed layout names its columns; a date order other than dmy/mdy is said too', () => {
    const run = bothPaths('Master.csv', master, { columnMap: { route: 'trunkname', date: 'ymd' } });
    expect(run.acc.alerts).toEqual([
      expect.stringMatching(/^--map route=trunkname: no such column in the asterisk-cdr-csv layout \(accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, …\); ignored$/),
      '--map date=ymd: use dmy or mdy; ignored',
    ]);
  });

  test('a map that is honoured says nothing', () => {
    const run = bothPaths('carrier.csv', carrier, { columnMap: { route: 'ANI', sipcode: '4', date: 'dmy' } });
    expect(run.acc.alerts).toBeUndefined();
    expect(inputLines([run.acc])).toEqual([]);
  });
});
