import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openInput, sniffKind, UnknownFormatError } from '../../src/input/open.js';
import { InputError } from '../../src/errors.js';

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

  it('reports corrupt gzip as an input error, not a crash', async () => {
    const bad = gzipSync(Buffer.from('x'.repeat(10000)));
    bad[20] ^= 0xff;
    bad[21] ^= 0xff;
    await expect(openInput({ path: file('bad.gz', bad), display: 'bad.gz' })).rejects.toThrow(/bad\.gz: /);
  });
});
