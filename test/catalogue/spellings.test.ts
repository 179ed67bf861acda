import { describe, expect, it } from 'vitest';
import { describeToText } from '../../src/catalogue/format.js';
import { allEntries, allTopics, describeCode, findTopic, phraseKey } from '../../src/catalogue/index.js';
import { parseCodeQuery, readExplainQuery } from '../../src/catalogue/query.js';

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
    expect(parseCodeQuery('SIP 415 (No Media)')).toEqual({ code: 415, reason: 'No Media' });
    expect(parseCodeQuery('sip 486')).toEqual({ code: 486 });
    expect(parseCodeQuery('SIP/2.0 486 Busy Here')).toEqual({ code: 486, reason: 'Busy Here' });
    expect(parseCodeQuery('SIPX 4860')).toBeUndefined();
    expect(parseCodeQuery('SIP')).toBeUndefined();
  });

  it('finds a topic by its keywords in both languages, the seed\'s own wordings included (L3)', () => {
    const cases: [string, string][] = [
      ['ghost call', 'ghost-calls'],
      ['ghost calls', 'ghost-calls'],
      ['phantom calls at night', 'ghost-calls'],
      ['calls from 1000', 'ghost-calls'],
      ['призрачные вызовы', 'ghost-calls'],
      ['фантомные звонки', 'ghost-calls'],
      ['звонки с номера 1000', 'ghost-calls'],
      ['звонки с коротких номеров', 'ghost-calls'],
      ['Приходят звонки с непонятных номеров 1000, 1001, 1002', 'ghost-calls'],
      ['calls drop after 30 seconds', 'no-ack-30s'],
      ['call drops after 30 sec', 'no-ack-30s'],
      ['call drops after 30s', 'no-ack-30s'],
      ['disconnect after 30 seconds', 'no-ack-30s'],
      ['calls hang up after 32 s', 'no-ack-30s'],
      ['звонки обрываются через 30 секунд', 'no-ack-30s'],
      ['звонок самопроизвольно завершается через 30 секунд', 'no-ack-30s'],
      ['разрыв через 30 секунд', 'no-ack-30s'],
      ['вызов сбрасывается через 30 с', 'no-ack-30s'],
      ['звонок рвётся через полминуты', 'no-ack-30s'],
      ['No DNS', 'no-dns'],
      ['No Dns Result', 'no-dns'],
      ['ошибка DNS', 'no-dns'],
    ];
    for (const [q, id] of cases) expect(findTopic(q)?.id, q).toBe(id);
    // a topic's own title finds it, in both languages
    for (const t of allTopics()) {
      expect(findTopic(t.title.en)?.id, t.title.en).toBe(t.id);
      expect(findTopic(t.title.ru)?.id, t.title.ru).toBe(t.id);
    }
    // numbers are whole: 300 seconds is not 30; a count is no duration (`30 calls`, `30 minutes`) and no
    // number calls come from (`calls to 1000 numbers`) (N2)
    for (const q of [
      'calls drop after 300 seconds', 'call quality', '30 calls', 'hello', '',
      '30 calls dropped today', 'calls drop after 30 minutes', 'звонки обрываются через 30 минут',
      'calls to 1000 numbers failed', 'звонков 1000 сегодня',
    ]) {
      expect(findTopic(q), q).toBeUndefined();
    }
  });

  it('finds ghost calls from a 3-digit short number again, since a number after `from` is no code (N2)', () => {
    for (const q of ['calls from 100', 'calls from 100 at night', 'звонки с 100', 'входящие звонки от 100']) {
      expect(readExplainQuery(q), q).toMatchObject({ kind: 'topic', topic: { id: 'ghost-calls' } });
    }
  });

  it('reads a query with a code as the code, never as a topic; a topic only when no code is given', () => {
    const codes = [
      'SIP/2.0 486 Busy Here', '503 Service Unavailable', 'Got SIP response 480 "DNS failure" back from 10.0.0.1',
      'error 200 OK after 30 seconds, then the call drops', '408 Request Timeout', 'SIP 484 – Addres incomplete',
    ];
    for (const q of codes) expect(readExplainQuery(q)?.kind, q).toBe('code');
    expect(readExplainQuery('ghost calls from 1000')?.kind).toBe('topic');
    expect(readExplainQuery('phone shows 486 Busy')).toEqual({ kind: 'code', code: 486, reason: 'Busy' });
    expect(readExplainQuery('nothing here')).toBeUndefined();
    // a number taken from the middle of a description is no code (N2): neither a code card nor a topic
    for (const q of ['calls drop after 120 seconds', 'RTP timeout after 180 seconds', 'after 600 ms the call fails', 'My calls to 100 fail', 'Call from 300 to 486 failed']) {
      expect(readExplainQuery(q), q).toBeUndefined();
    }
  });

  it('finds the troubleshooting topics in Russian too', () => {
    expect(findTopic('Призрачные звонки')?.id).toBe('ghost-calls');
    expect(findTopic('звонки с 1000')?.id).toBe('ghost-calls');
    expect(findTopic('Звонок обрывается через 30 секунд')?.id).toBe('no-ack-30s');
    expect(findTopic('ошибка DNS')?.id).toBe('no-dns');
    expect(findTopic('ghost calls')?.id).toBe('ghost-calls');
  });
});

describe('cards that do not contradict themselves (L1)', () => {
  it('no card both advises another vendor and says another vendor would get the same answer', () => {
    let checked = 0;
    for (const e of allEntries()) {
      for (const v of e.variants) {
        const d = describeCode(e.code, v.reason)!;
        const en = describeToText(d, 'en');
        const ru = describeToText(d, 'ru');
        if (en.includes('send it to another vendor') || /(^|[.;:] )Re-route/m.test(en)) {
          checked++;
          expect(en, `${e.code} ${v.reason}`).not.toContain('another vendor would get the same answer');
          expect(ru, `${e.code} ${v.reason}`).not.toContain('другой вендор получит тот же ответ');
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10); // the no-route and db-failure phrases
  });

  it('no card of a phrase that blames the dialled number advises another vendor, or a password (N10)', () => {
    let checked = 0;
    for (const e of allEntries()) {
      for (const v of e.variants) {
        if (!/dialled number|number is wrong|number was dialled/i.test(v.description.en)) continue;
        checked++;
        const d = describeCode(e.code, v.reason)!;
        const en = describeToText(d, 'en');
        const ru = describeToText(d, 'ru');
        const what = `${e.code} ${v.reason}`;
        expect(en, what).not.toContain('a switch should try another vendor');
        expect(ru, what).not.toContain('коммутатору стоит попробовать другого вендора');
        expect(en, what).not.toMatch(/password/i);
        expect(ru, what).not.toMatch(/парол/i);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3); // 403 not found, 480 Invalid Phone Number, 484 Addres incomplete
  });
});
