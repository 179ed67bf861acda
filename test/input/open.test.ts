import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openInput, UnknownFormatError } from '../../src/input/open.js';
import { sniffKind } from '../../src/input/sniff-kind.js';
import { InputError } from '../../src/errors.js';
import { benchRtpScenario } from '../../src/gen/bench-spec.js';
import { renderToFile, writeCapture } from '../../src/gen/index.js';
import { readInput } from '../../src/pipeline.js';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import type { CallRecord } from '../../src/types.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-open-'));
const file = (name: string, data: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const fx = (name: string): string => new URL(`../../fixtures/gen/${name}`, import.meta.url).pathname;

async function drain(it: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of it) n += c.length;
  return n;
}

describe('sniffKind', () => {
  it.each([
    ['pcap µs LE', [0xd4, 0xc3, 0xb2, 0xa1], 'capture'],
    ['pcap µs BE', [0xa1, 0xb2, 0xc3, 0xd4], 'capture'],
    ['pcap ns LE', [0x4d, 0x3c, 0xb2, 0xa1], 'capture'],
    ['pcapng', [0x0a, 0x0d, 0x0d, 0x0a], 'capture'],
  ])('%s', (_name, bytes, kind) => {
    expect(sniffKind(Uint8Array.from([...bytes, 0, 0, 0, 0]))).toBe(kind);
  });

  it('does not take text about a log for a log', () => {
    const tsv = `local_file\trepo\tdescription\nx.log\ta/b\t${'a long description of the file '.repeat(10)}-- Called SIP/x, Everyone is busy/congested (1:1/0/0)\n`;
    expect(sniffKind(Buffer.from(tsv))).toBeUndefined();
  });

  it('recognises an Asterisk log line', () => {
    expect(sniffKind(Buffer.from('[2024-03-05 09:00:00] VERBOSE[3000][C-00000001] app_dial.c: Called PJSIP/1@x\n'))).toBe('asterisk-log');
  });
});

describe('openInput', () => {
  it('decompresses gzip by content, whatever the name', async () => {
    const plain = await openInput({ path: fx('alpha-beta.pcap'), display: 'p' });
    const gz = await openInput({ path: file('looks-plain.pcap', gzipSync(Buffer.from(await import('node:fs').then((f) => f.readFileSync(fx('alpha-beta.pcap')))))), display: 'g' });
    expect(gz.kind).toBe('capture');
    expect(gz.compressed).toBe('gzip');
    expect(await drain(gz.chunks)).toBe(await drain(plain.chunks));
  });

  it('names what an unsupported file is', async () => {
    await expect(openInput({ path: file('x.cap', Buffer.from('GMBU\x00\x02rest of a netmon file')), display: 'x.cap' })).rejects.toThrow(/x\.cap: not supported: this is a Microsoft Network Monitor capture/);
    await expect(openInput({ path: file('x.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4])), display: 'x.zst' })).rejects.toThrow(UnknownFormatError);
    await expect(openInput({ path: file('empty', ''), display: 'empty' })).rejects.toThrow(/empty: empty input/);
    await expect(openInput({ path: join(dir, 'missing'), display: 'missing' })).rejects.toThrow(InputError);
  });

  it('a zip or a bzip2 file is named even when what it holds reads as text', async () => {
    // a zip whose one entry is stored (not deflated): the CSV is there in plain bytes after a 30-byte header
    const csv = readFileSync(new URL('../../fixtures/cdr/carrier.csv', import.meta.url));
    const name = Buffer.from('carrier.csv');
    const local = Buffer.alloc(30);
    local.write('PK\x03\x04', 0, 'latin1');
    local.writeUInt32LE(csv.length, 18);
    local.writeUInt32LE(csv.length, 22);
    local.writeUInt16LE(name.length, 26);
    const zip = Buffer.concat([local, name, csv, Buffer.from('PK\x01\x02 central directory', 'latin1')]);
    await expect(openInput({ path: file('cdr.zip', zip), display: 'cdr.zip' })).rejects.toThrow(/cdr\.zip: not supported: this is a zip archive/);
    const bz = Buffer.concat([Buffer.from('BZh91AY&SY', 'latin1'), csv]);
    await expect(openInput({ path: file('cdr.bz2', bz), display: 'cdr.bz2' })).rejects.toThrow(/bzip2/);
    // text that merely begins with the letters is still text
    const pk = Buffer.concat([Buffer.from('PK,'), csv]);
    const text = await openInput({ path: file('pk.csv', pk), display: 'pk.csv' });
    expect(text.kind).toBe('cdr-csv');
    await text.close();
  });

  it('reports corrupt gzip as an input error, not a crash', async () => {
    const bad = gzipSync(Buffer.from('x'.repeat(10000)));
    bad[20] ^= 0xff;
    bad[21] ^= 0xff;
    await expect(openInput({ path: file('bad.gz', bad), display: 'bad.gz' })).rejects.toThrow(/bad\.gz: /);
  });

  it('an empty file is of no known format (skipped in a folder, an error when named)', async () => {
    await expect(openInput({ path: file('empty2', ''), display: 'empty2' })).rejects.toThrow(UnknownFormatError);
    await expect(openInput({ path: file('empty.gz', gzipSync(Buffer.alloc(0))), display: 'empty.gz' })).rejects.toThrow(UnknownFormatError);
    expect((await readInput({ path: file('empty3', ''), display: 'empty3', found: true }, { record() {} })).skipped).toBe('empty input');
    expect((await readInput({ path: file('empty4', ''), display: 'empty4' }, { record() {} })).error).toBe('empty input');
  });

  it('an error at the end of an input names the file once (the report and stderr add the name)', async () => {
    const head = readFileSync(fx('alpha-beta.pcap')).subarray(0, 7);
    expect((await readInput({ path: file('t7.pcap', head), display: 't7.pcap' }, { record() {} })).error).toBe('truncated pcap file header (7 of 24 bytes)');
  });

  it('a gzip cut short before the sniffed head is full: its first part is read, then the error says where it stopped', async () => {
    const whole = readFileSync(fx('alpha-beta.pcap'));
    const gz = gzipSync(whole);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const records: CallRecord[] = [];
    const acc = await readInput({ path: file('cut.pcap.gz', cut), display: 'cut.pcap.gz' }, { record: (r) => records.push(r) });
    expect(whole.length).toBeLessThan(64 * 1024); // within the sniffed head
    expect(acc.format).toBe('pcap');
    expect(acc.read).toBeGreaterThan(0);
    expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
    expect(acc.error).toMatch(new RegExp(`^stopped after packet \\d+ \\(${acc.bytes} bytes of gzip-decompressed data\\): corrupt compressed data`));
    expect(acc.bytes).toBeGreaterThan(0);
    expect(acc.bytes).toBeLessThan(whole.length);
  });
});

describe('an input cut short says where: the last unit read whole, and bytes of decompressed data', () => {
  /** Lines ended by LF in the first `n` bytes: those read whole. */
  const wholeLines = (b: Uint8Array, n: number): number => b.subarray(0, n).reduce((k, c) => k + (c === 0x0a ? 1 : 0), 0);
  const cut = (name: string, data: Uint8Array, frac: number): string => {
    const gz = gzipSync(data);
    return file(name, gz.subarray(0, Math.floor(gz.length * frac)));
  };
  const place = (error: string | undefined): { unit: string; n: number; bytes: number } => {
    const m = /^stopped after (packet|line|row) (\d+) \((\d+) bytes of gzip-decompressed data\): corrupt compressed data/.exec(error ?? '');
    expect(m, error).not.toBeNull();
    return { unit: m![1]!, n: Number(m![2]), bytes: Number(m![3]) };
  };

  it('a CDR export: the last row read whole (the next one, cut, is the malformed row)', async () => {
    const [head, ...rows] = readFileSync(fx('alpha-beta.carrier.csv'), 'utf8').trimEnd().split('\n');
    const lines = [head!];
    for (let i = 0; lines.length < 3000; i++) lines.push(rows[i % rows.length]!.replace(/^5eed/, `${i}-`));
    const csv = Buffer.from(lines.join('\n') + '\n');
    const acc = await readInput({ path: cut('big.csv.gz', csv, 0.5), display: 'big.csv.gz' }, { record() {} });
    const p = place(acc.error);
    expect(acc.bytes).toBeGreaterThan(64 * 1024);
    expect(p).toEqual({ unit: 'row', n: wholeLines(csv, acc.bytes), bytes: acc.bytes });
    expect(acc.samples.at(-1)!.position.line).toBe(p.n + 1);
  });

  it('a short CDR export (its rows are read at its end): the same', async () => {
    const csv = readFileSync(fx('alpha-beta.carrier.csv'));
    const acc = await readInput({ path: cut('short.csv.gz', csv, 0.6), display: 'short.csv.gz' }, { record() {} });
    const p = place(acc.error);
    expect(p.n).toBeGreaterThan(1);
    expect(p).toEqual({ unit: 'row', n: wholeLines(csv, acc.bytes), bytes: acc.bytes });
    // cut right after a line end: that line is the last read whole, no row is cut
    const upTo = csv.indexOf(0x0a, 300) + 1;
    const exact = Buffer.concat([gzipSync(csv.subarray(0, upTo)).subarray(0, -8)]);
    const acc2 = await readInput({ path: file('exact.csv.gz', exact), display: 'exact.csv.gz' }, { record() {} });
    expect(acc2.bytes).toBe(upTo);
    expect(place(acc2.error)).toEqual({ unit: 'row', n: wholeLines(csv, upTo), bytes: upTo });
  });

  it('an Asterisk log: the last line read whole', async () => {
    const log = readFileSync(fx('alpha-beta.log'));
    const acc = await readInput({ path: cut('cut.log.gz', log, 0.6), display: 'cut.log.gz' }, { record() {} });
    const p = place(acc.error);
    expect(p.n).toBeGreaterThan(5);
    expect(p).toEqual({ unit: 'line', n: wholeLines(log, acc.bytes), bytes: acc.bytes });
  });

  it('a capture: the last packet read whole', async () => {
    const pcap = readFileSync(fx('alpha-beta.pcap'));
    const acc = await readInput({ path: cut('cut2.pcap.gz', pcap, 0.6), display: 'cut2.pcap.gz' }, { record() {} });
    const p = place(acc.error);
    // pcap records (16-byte header + captured length) that end within the bytes read
    let whole = 0;
    for (let o = 24; o + 16 <= acc.bytes && o + 16 + pcap.readUInt32LE(o + 8) <= acc.bytes; o += 16 + pcap.readUInt32LE(o + 8)) whole++;
    expect(whole).toBeGreaterThan(2);
    expect(p).toEqual({ unit: 'packet', n: whole, bytes: acc.bytes });
  });
});

describe('reading a large plain capture', () => {
  // Over READ_CHUNK (1 MiB) several times, with RTP, so that records straddle chunk boundaries and the
  // reader's three buffers take turns many times.
  const big = join(dir, 'big-rtp.pcap');
  const size = renderToFile(big, (out) => {
    writeCapture(benchRtpScenario(300), out, { rtpMaxSec: 20 });
  });

  it('is large enough to reuse its buffers', () => {
    expect(size).toBeGreaterThan(4 << 20);
  });

  it('never changes a chunk it handed out before the next one is asked for', async () => {
    const opened = await openInput({ path: big, display: 'big' });
    expect(opened.kind).toBe('capture');
    const whole = readFileSync(big);
    let prev: Uint8Array | undefined;
    let prevCopy: Uint8Array | undefined;
    let n = 0;
    let chunks = 0;
    for await (const c of opened.chunks) {
      // The piece after this one is being read ahead meanwhile: let that read finish, then check that
      // neither this piece nor the one before it was written over.
      await new Promise((r) => setTimeout(r, 5));
      if (prev) expect(Buffer.compare(prev, prevCopy!)).toBe(0);
      expect(Buffer.compare(c, whole.subarray(n, n + c.length))).toBe(0);
      prev = c;
      prevCopy = Uint8Array.from(c);
      n += c.length;
      chunks++;
    }
    expect(n).toBe(size);
    expect(chunks).toBeGreaterThan(4);
  });

  it('gives the same records and accounting as the whole file pushed from memory', async () => {
    const viaFile: CallRecord[] = [];
    const acc = await readInput({ path: big, display: 'big' }, { record: (r) => viaFile.push(r) });
    const viaMemory: CallRecord[] = [];
    const src = createCaptureSource('big', { record: (r) => viaMemory.push(r) }, {});
    const whole = readFileSync(big);
    // Odd chunk sizes, unrelated to the reader's.
    for (let at = 0, k = 0; at < whole.length; k++) {
      const len = 1 + ((k * 7919 + 65521) % 900_000);
      src.push(whole.subarray(at, at + len));
      at += len;
    }
    src.end();
    expect(viaFile.length).toBeGreaterThan(250);
    expect(JSON.stringify(viaFile)).toBe(JSON.stringify(viaMemory));
    expect(JSON.stringify(acc)).toBe(JSON.stringify(src.accounting));
  });
});
