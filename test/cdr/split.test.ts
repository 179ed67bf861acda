import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { Prng } from '../../src/gen/prng.js';
import { splitRows, type SplitOut } from './helpers.js';

type Out = SplitOut;

const split = (kind: 'fast' | 'ref', input: Buffer, delim = 44, chunk = 0): Out => splitRows(kind, input, { delim, chunk });

/** Deterministic pseudo-random numbers for the fuzz cases. */
function rng(seed: number): () => number {
  const p = new Prng(seed);
  return () => p.next();
}

describe('CSV splitters', () => {
  test('lines without a delimiter after a wide column are not each searched to the end of the buffer', () => {
    // A row whose first column is wide (the native search), then 20,000 blank lines and a last row.
    const input = Buffer.from(`${'x'.repeat(40)},b\n${'\n'.repeat(20_000)}tail,z\n`);
    let searched = 0;
    const indexOf = Buffer.prototype.indexOf;
    const counting = function (this: Buffer, v: string | number | Buffer | Uint8Array, from?: number): number {
      const r = indexOf.call(this, v as never, from);
      if (v === 44) searched += (r < 0 ? this.length : r) - (from ?? 0);
      return r;
    };
    Buffer.prototype.indexOf = counting as typeof Buffer.prototype.indexOf;
    let out: Out;
    try {
      out = split('fast', input);
    } finally {
      Buffer.prototype.indexOf = indexOf;
    }
    expect(out[0]).toEqual(['@1', 'x'.repeat(40), 'b']);
    expect(out.at(-1)).toEqual(['@20002', 'tail', 'z']);
    // Each byte once, give or take: the search's answer is kept while it lies ahead.
    expect(searched).toBeLessThan(2 * input.length);
  });

  test('RFC 4180 basics', () => {
    const input = Buffer.from('a,"b,c","d""e"\r\n"x\ny",,z\n');
    expect(split('fast', input)).toEqual([
      ['@1', 'a', 'b,c', 'd"e'],
      ['@2', 'x\ny', '', 'z'],
    ]);
  });

  test('relaxed quoting keeps the text as csv-parse relax_quotes does', () => {
    const input = Buffer.from('1,""Caller 1" <1115>",3\n2,""" <2484605333>",4\n3,"a""b"c,d\n4,ab"c,5\n');
    const want = parse(input, { relax_quotes: true, relax_column_count: true });
    const fast = split('fast', input).map((r) => (r as string[]).slice(1));
    expect(fast).toEqual(want);
    expect(fast[0][1]).toBe('""Caller 1" <1115>"');
  });

  test('unclosed quote: one malformed record, reading resumes on the next line', () => {
    const input = Buffer.from('a,b\n"open,c\nd,e\nf,g\n');
    const want = ['@1', 'a', 'b'];
    for (const kind of ['fast', 'ref'] as const) {
      expect(split(kind, input)).toEqual([want, 'unclosed-quote@2', ['@3', 'd', 'e'], ['@4', 'f', 'g']]);
    }
  });

  test('fuzz: fast path = csv-parse reference on random inputs, whole and in 1-byte chunks', () => {
    const rnd = rng(12345);
    // The long token makes columns wide enough for the native-search path of the fast splitter.
    const alphabet = ['a', 'b', ',', ',', '"', '"', '\n', '\r\n', '\r', ' ', ';', 'é', '1', 'x'.repeat(20)];
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const n = Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const input = Buffer.from(s, 'utf8');
      const ref = split('ref', input);
      const fast = split('fast', input);
      expect(fast, JSON.stringify(s)).toEqual(ref);
      expect(split('fast', input, 44, 1), JSON.stringify(s)).toEqual(ref);
      expect(split('ref', input, 44, 1), JSON.stringify(s)).toEqual(ref);
    }
  });

  test('fuzz with ; and tab delimiters', () => {
    const rnd = rng(777);
    for (const d of [';', '\t', '|']) {
      const alphabet = ['x', d, d, '"', '\n', '\r\n', ','];
      for (let k = 0; k < 1000; k++) {
        let s = '';
        const n = Math.floor(rnd() * 30);
        for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
        const input = Buffer.from(s);
        expect(split('fast', input, d.charCodeAt(0)), JSON.stringify(s)).toEqual(split('ref', input, d.charCodeAt(0)));
      }
    }
  });

  test('records wider than the fast arrays go through csv-parse', () => {
    const wide = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `"q${i}"` : `v${i}`)).join(',');
    const input = Buffer.from(`a,b\n${wide}\nc,d\n`);
    const out = split('fast', input);
    expect(out).toEqual(split('ref', input));
    expect((out[1] as string[]).length).toBe(301);
  });
});

test('asciiString builds the same text as Buffer for every length', async () => {
  const { asciiString, decode } = await import('../../src/cdr/row.js');
  const b = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"; ,');
  for (let s = 0; s < 5; s++) {
    for (let e = s; e <= b.length; e++) {
      expect(asciiString(b, s, e)).toBe(b.toString('latin1', s, e));
      expect(decode(b, s, e, true)).toBe(b.toString('utf8', s, e));
    }
  }
  const u = Buffer.from('Zoë Иван');
  expect(decode(u, 0, u.length)).toBe('Zoë Иван');
});
