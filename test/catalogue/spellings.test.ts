import { describe, expect, it } from 'vitest';
import { describeCode, findTopic, phraseKey } from '../../src/catalogue/index.js';
import { parseCodeQuery } from '../../src/catalogue/query.js';

describe('phrases as people paste them', () => {
  it('a Latin phrase with a Cyrillic look-alike letter is the same phrase; a Russian phrase stays Russian; ё is е', () => {
    // the seed's own `503 Service Unavailablе` ends in a Cyrillic е
    expect(phraseKey('Service Unavailabl\u0435')).toBe(phraseKey('Service Unavailable'));
    expect(describeCode(503, 'Service Unavailabl\u0435')!.note).toBeUndefined();
    expect(describeCode(503, 'Service Unavailable')!.note).toBeUndefined();
    expect(phraseKey('Неверный номер')).toBe('неверныйномер');
    expect(phraseKey('Ёмкость исчерпана')).toBe(phraseKey('емкость исчерпана'));
    expect(describeCode(503, 'Service Unusable')!.note?.en).toContain('is not in the catalogue');
  });

  it('a provider phrase with its typo corrected finds the same variant and its hint', () => {
    for (const reason of ['AUTH Error: Stall nonce', 'AUTH Error: Stale nonce', 'auth error - stale nonce']) {
      const d = describeCode(401, reason)!;
      expect(d.variant?.reason, reason).toBe('AUTH Error: Stall nonce');
      expect(d.hints.map((h) => h.id), reason).toContain('stale-nonce');
    }
  });

  it('reads `SIP 415 (No Media)` as people write it, and still refuses what is no code', () => {
    expect(parseCodeQuery('SIP 415 (No Media)')).toEqual({ code: 415, reason: '(No Media)' });
    expect(parseCodeQuery('sip 486')).toEqual({ code: 486 });
    expect(parseCodeQuery('SIP/2.0 486 Busy Here')).toEqual({ code: 486, reason: 'Busy Here' });
    expect(parseCodeQuery('SIPX 486')).toBeUndefined();
    expect(parseCodeQuery('SIP')).toBeUndefined();
  });

  it('finds the troubleshooting topics in Russian too', () => {
    expect(findTopic('Призрачные звонки')?.id).toBe('ghost-calls');
    expect(findTopic('звонки с 1000')?.id).toBe('ghost-calls');
    expect(findTopic('Звонок обрывается через 30 секунд')?.id).toBe('no-ack-30s');
    expect(findTopic('ошибка DNS')?.id).toBe('no-dns');
    expect(findTopic('ghost calls')?.id).toBe('ghost-calls');
  });
});
