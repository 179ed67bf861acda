import { expect, test } from 'vitest';
import { Prng } from '../../src/gen/prng.js';
import { reconciled, runCdr } from './helpers.js';

/** Junk that breaks rows: quotes, delimiters, line ends, NUL, non-ASCII. */
const JUNK = ['"', '""', '"a,b"', ',', ';', '\t', '|', '\n', '\r\n', '\r', ' ', '#', 'é', '\u0000', 'x'.repeat(40), 'NULL', ''];

/** Per layout: a header (or none) and a value maker per column. */
const LAYOUTS: { header: string; d: string; cols: ((r: Prng) => string)[] }[] = [
  {
    header: 'calldate,src,dst,dstchannel,billsec,disposition,trunk\n',
    d: ',',
    cols: [
      (r) => r.pick(['2024-03-05 10:00:00', '2024-03-05 10:00:07', '0000-00-00 00:00:00', 'NULL', 'bad']),
      (r) => String(r.int(1000, 1010)),
      (r) => `"""Agent"" <${r.int(1, 9)}>"`,
      (r) => r.pick(['PJSIP/alpha-0000001a', 'SIP/beta-01', 'Local/1@ctx-1;2', 'NULL', '']),
      (r) => r.pick(['0', '30', '1:05', 'x']),
      (r) => r.pick(['ANSWERED', 'BUSY', 'NO ANSWER', 'FAILED', 'CONGESTION', '']),
      (r) => r.pick(['alpha', 'beta', 'NULL', '']),
    ],
  },
  {
    header: 'Setup Time;Vendor;SIP Code;Q.850;PDD\n',
    d: ';',
    cols: [
      (r) => r.pick(['05/03/2024 10:00', '15/03/2024 10:00:01', '1709632800', '']),
      (r) => r.pick(['alpha', 'beta', '"g;amma"']),
      (r) => r.pick(['200', '486 Busy Here', '503', '', '99']),
      (r) => r.pick(['16', '17', '34', 'USER_BUSY', '']),
      (r) => r.pick(['1.5', '2300', '']),
    ],
  },
  {
    header: '',
    d: ',',
    cols: [
      () => '"Agent"',
      (r) => `"${r.int(1000, 1010)}"`,
      () => '"4420"',
      () => '"default"',
      (r) => r.pick(['"2020/2/10 22:41"', '2020/2/10 22:41:05']),
      (r) => r.pick(['"2020/2/10 22:41"', '""']),
      () => '"2020/2/10 22:42"',
      () => '"60"',
      (r) => r.pick(['"30"', '"0"']),
      (r) => r.pick(['"NORMAL_CLEARING"', '"USER_BUSY"', '"NO_ANSWER"', '"ORIGINATOR_CANCEL"']),
      (r) => `"${r.int(1, 1e6)}"`,
    ],
  },
];

test('broken rows never throw, every row is accounted for, and both paths agree', () => {
  const rnd = new Prng(2024);
  let records = 0;
  let malformed = 0;
  for (let k = 0; k < 300; k++) {
    const l = LAYOUTS[k % LAYOUTS.length];
    let s = l.header;
    const rows = rnd.int(1, 30);
    for (let i = 0; i < rows; i++) {
      const f = l.cols.map((c) => c(rnd));
      // Break about one row in four: a junk piece into a field, or a field dropped.
      if (rnd.chance(0.25)) {
        const j = rnd.int(0, f.length - 1);
        if (rnd.chance(0.5)) f[j] = f[j].slice(0, rnd.int(0, f[j].length)) + rnd.pick(JUNK) + f[j].slice(rnd.int(0, f[j].length));
        else f.splice(j, 1);
      }
      s += f.join(l.d) + rnd.pick(['\n', '\n', '\r\n']);
    }
    const bytes = Buffer.from(s, 'utf8');
    const whole = runCdr('fuzz.csv', bytes);
    expect(reconciled(whole.acc), JSON.stringify(s)).toBe(true);
    const chunked = runCdr('fuzz.csv', bytes, {}, {}, rnd.int(1, 17));
    expect(chunked.records, JSON.stringify(s)).toEqual(whole.records);
    expect(chunked.acc.anomalies).toEqual(whole.acc.anomalies);
    const ref = runCdr('fuzz.csv', bytes, {}, { path: 'reference' });
    expect(ref.records, JSON.stringify(s)).toEqual(whole.records);
    expect(ref.acc.anomalies).toEqual(whole.acc.anomalies);
    expect(ref.acc.ignoredBy).toEqual(whole.acc.ignoredBy);
    records += whole.records.length;
    malformed += whole.acc.malformed;
  }
  // The mix makes both: rows that read and rows that do not.
  expect(records).toBeGreaterThan(1000);
  expect(malformed).toBeGreaterThan(100);
});
