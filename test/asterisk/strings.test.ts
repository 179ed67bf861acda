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

  it('str reads a plain Uint8Array as UTF-8 too', () => {
    const u = new Uint8Array(Buffer.from('café'));
    expect(str(u, 0, u.length)).toBe('café');
  });
});
