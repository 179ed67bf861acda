import { describe, expect, it } from 'vitest';
import { ByteStrings, str } from '../../src/asterisk/strings.js';

describe('ByteStrings', () => {
  it('gives the text of the bytes, repeated names from the cache', () => {
    const names = new ByteStrings(4);
    const b = Buffer.from('x PJSIP/alpha-0000001a PJSIP/alpha-0000001a PJSIP/alpha-0000001b');
    expect(names.get(b, 2, 22)).toBe('PJSIP/alpha-0000001a');
    expect(names.get(b, 23, 43)).toBe('PJSIP/alpha-0000001a');
    expect(names.get(b, 44, 64)).toBe('PJSIP/alpha-0000001b');
    expect(names.get(b, 2, 2)).toBe('');
  });

  it('decodes UTF-8 text (not kept) and still finds ASCII names afterwards, in any slot', () => {
    const names = new ByteStrings(1); // two slots: every name collides with others
    const words = ['Müller', 'alpha', 'Zoë', 'beta', 'alpha', 'β-peer', 'beta'];
    const b = Buffer.from(words.join(' '));
    let at = 0;
    for (const w of words) {
      const n = Buffer.byteLength(w);
      expect(names.get(b, at, at + n)).toBe(w);
      expect(str(b, at, at + n)).toBe(w);
      at += n + 1;
    }
  });

  it('a hit needs every byte the same: names one byte apart where the hash does not look (lengths 13 to 40)', () => {
    // The hash reads the first byte and the last 12: names of one length that differ only in between share a
    // hash and a slot, and only the compare of the slot's words tells them apart (whole words and the last 0–3
    // bytes).
    const names = new ByteStrings(1);
    for (let n = 13; n <= 40; n++) {
      const a = 'PJSIP/' + 'abcdefghijklmnopqrstuvwxyz0123456789ABCD'.slice(0, n - 6);
      for (let k = 1; k < n - 12; k++) {
        const other = a.slice(0, k) + '_' + a.slice(k + 1);
        const b = Buffer.from(`${a} ${other} ${a}`);
        expect([names.get(b, 0, n), names.get(b, n + 1, 2 * n + 1), names.get(b, 2 * n + 2, 3 * n + 2)]).toEqual([a, other, a]);
      }
    }
  });

  it('str reads a plain Uint8Array as UTF-8 too', () => {
    const u = new Uint8Array(Buffer.from('café'));
    expect(str(u, 0, u.length)).toBe('café');
  });
});
