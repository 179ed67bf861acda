/**
 * Files that come close to a CDR export (audit 3B, findings 8 and 9) get a clear one-line error instead of
 * "not recognised as a pcap/pcapng capture, an Asterisk log or a CDR CSV export": UTF-16 text without a BOM, and
 * a header of known columns with no start time column (with the `--map start=` to use). UTF-16BE with a BOM is
 * read (its bytes swapped into UTF-16LE, the same offsets).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isCdrCsv, whyNotCdr } from '../../src/cdr/index.js';
import { openInput, UnknownFormatError } from '../../src/input/open.js';
import { runCdr } from './helpers.js';

const carrier = readFileSync(new URL('../../fixtures/cdr/carrier.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sipscope-refusal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error openInput gives a file with these bytes. */
async function refusal(name: string, bytes: Uint8Array, columnMap?: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    const opened = await openInput({ path, display: name }, { columnMap });
    await opened.close();
    return 'opened';
  } catch (err) {
    expect(err).toBeInstanceOf(UnknownFormatError);
    return (err as Error).message;
  }
}

const u16le = Buffer.from(carrier.toString('latin1'), 'utf16le');

describe('UTF-16', () => {
  test('UTF-16BE with a BOM is read: the same records as UTF-8, whole and in odd chunks, on the reference path', () => {
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(u16le).swap16()]);
    expect(isCdrCsv(be.subarray(0, 4000))).toBe(true);
    const plain = runCdr('c.csv', carrier);
    for (const chunk of [0, 1, 7, 4096]) {
      const got = runCdr('c.csv', be, {}, {}, chunk);
      expect(got.records).toEqual(plain.records);
      expect(got.acc.notes[1]).toBe("delimiter: ';', UTF-16BE BOM (its bytes swapped into UTF-16LE for csv-parse), split by csv-parse (reference path)");
    }
  });

  test('UTF-16 without a BOM: not read, and the error says what to do', async () => {
    const want = (order: string): string =>
      `x.csv: UTF-16 text (${order}-endian) without a byte-order mark (BOM), which is not read: save it as UTF-8, or as UTF-16 with a BOM (Excel's "Unicode Text" has one)`;
    expect(await refusal('x.csv', u16le)).toBe(want('little'));
    expect(await refusal('x.csv', Buffer.from(u16le).swap16())).toBe(want('big'));
  });
});

describe('a header with known columns but no start time column', () => {
  const de = 'Datum/Uhrzeit;Anrufer;Ziel;Carrier;SIP-Code;Q.850;Dauer;PDD (s);Call-ID\n05.03.2024 06:01:05;4420;7495;vendor-a;200;16;0:00:50;6,718;c1@h\n05.03.2024 06:02:33;4421;7496;vendor-c;480;19;0:00:00;4,629;c2@h\n';

  test('the error names the columns found and the --map start= to use (a column that holds dates)', async () => {
    expect(await refusal('de.csv', Buffer.from(de))).toBe(
      'de.csv: CDR header found (columns callId ← Call-ID (col 9), route ← Carrier (col 4), sipCode ← SIP-Code (col 5), cause ← Q.850 (col 6), pdd ← PDD (s) (col 8)), but no start time column: use --map start=COLUMN (the column "Datum/Uhrzeit" holds dates: --map start=Datum/Uhrzeit)',
    );
    // What it says works.
    expect(await refusal('de.csv', Buffer.from(de), { start: 'Datum/Uhrzeit' })).toBe('opened');
  });

  test('a --map start= that names no column says so', () => {
    expect(whyNotCdr(Buffer.from(de), { columnMap: { start: 'Datum' } })).toMatch(/but no start time column: use --map start=COLUMN .*; --map start=Datum: no such column in the header \(Datum\/Uhrzeit, Anrufer/);
  });

  test('a CSV of something else keeps the generic message', async () => {
    expect(await refusal('rates.csv', Buffer.from('prefix,rate,currency\n7495,0.01,USD\n'))).toBe('rates.csv: not recognised as a pcap/pcapng capture, an Asterisk log or a CDR CSV export');
  });
});
