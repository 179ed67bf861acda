import { describe, expect, it } from 'vitest';
import {
  allEntries,
  codeClass,
  describeCode,
  dispositionToSip,
  getEntry,
  hangupCauseToQ850,
  hangupCauseToSip,
  isAnswered,
  isKnownHangupCause,
  isReroutable,
  isUserBusy,
  ISA_INEFFECTIVE,
  NER_Q850_CAUSES,
  q850Name,
  q850ToSip,
  SEER_EFFECTIVE,
  sipToQ850,
} from '../../src/catalogue/index.js';

describe('RFC 3398 §7.2.4.1: Q.850 cause → SIP response', () => {
  it.each([
    [1, 404], [2, 404], [3, 404], [17, 486], [18, 408], [19, 480], [20, 480], [21, 403], [22, 410], [23, 410],
    [26, 404], [27, 502], [28, 484], [29, 501], [31, 480], [34, 503], [38, 503], [41, 503], [42, 503], [47, 503],
    [55, 403], [57, 403], [58, 503], [65, 488], [70, 488], [79, 501], [87, 403], [88, 503], [102, 504],
    [111, 500], [127, 500],
  ])('cause %i → %i', (cause, sip) => {
    expect(q850ToSip(cause)).toBe(sip);
  });
  it('16 (normal clearing) is no response; out-of-range causes are undefined', () => {
    expect(q850ToSip(16)).toBeUndefined();
    expect(q850ToSip(0)).toBeUndefined();
    expect(q850ToSip(128)).toBeUndefined();
    expect(q850ToSip(1.5)).toBeUndefined();
  });
  it.each([
    [6, 480], [44, 503], [50, 503], [63, 503], [69, 501], [95, 500], [100, 500],
  ])('unlisted cause %i gets its class default %i', (cause, sip) => {
    expect(q850ToSip(cause)).toBe(sip);
  });
});

describe('RFC 3398 §8.2.6.1: SIP response → Q.850 cause', () => {
  it.each([
    [400, 41], [401, 21], [402, 21], [403, 21], [404, 1], [405, 63], [406, 79], [407, 21], [408, 102], [410, 22],
    [413, 127], [414, 127], [415, 79], [416, 127], [420, 127], [421, 127], [423, 127], [480, 18], [481, 41],
    [482, 25], [483, 25], [484, 28], [485, 1], [486, 17], [500, 41], [501, 79], [502, 38], [503, 41], [504, 102],
    [505, 127], [513, 127], [600, 17], [603, 21], [604, 1],
  ])('%i → cause %i', (sip, cause) => {
    expect(sipToQ850(sip)).toBe(cause);
  });
  it('unlisted failures map to 31; non-failures to nothing', () => {
    expect(sipToQ850(422)).toBe(31);
    expect(sipToQ850(580)).toBe(31);
    expect(sipToQ850(607)).toBe(31);
    expect(sipToQ850(200)).toBeUndefined();
    expect(sipToQ850(183)).toBeUndefined();
    expect(sipToQ850(302)).toBeUndefined();
    expect(sipToQ850(99)).toBeUndefined();
  });
  it('round trip of the busy and unallocated rows', () => {
    expect(q850ToSip(sipToQ850(486)!)).toBe(486);
    expect(q850ToSip(sipToQ850(404)!)).toBe(404);
    expect(sipToQ850(q850ToSip(17)!)).toBe(17);
  });
});

describe('FreeSWITCH hangup causes', () => {
  it.each([
    ['NORMAL_CLEARING', 16, undefined], ['USER_BUSY', 17, 486], ['NO_ANSWER', 19, 480], ['NO_USER_RESPONSE', 18, 408],
    ['CALL_REJECTED', 21, 403], ['UNALLOCATED_NUMBER', 1, 404], ['NORMAL_TEMPORARY_FAILURE', 41, 503],
    ['RECOVERY_ON_TIMER_EXPIRE', 102, 504], ['NO_ROUTE_DESTINATION', 3, 404], ['SUBSCRIBER_ABSENT', 20, 480],
    ['INVALID_NUMBER_FORMAT', 28, 484], ['NORMAL_CIRCUIT_CONGESTION', 34, 503], ['SWITCH_CONGESTION', 42, 503],
    ['DESTINATION_OUT_OF_ORDER', 27, 502], ['INCOMPATIBLE_DESTINATION', 88, 503], ['INTERWORKING', 127, 500],
    ['ORIGINATOR_CANCEL', undefined, 487], ['LOSE_RACE', undefined, 487], ['GATEWAY_DOWN', undefined, 503],
    ['MEDIA_TIMEOUT', undefined, undefined],
  ] as const)('%s → Q.850 %s → SIP %s', (name, cause, sip) => {
    expect(hangupCauseToQ850(name)).toBe(cause);
    expect(hangupCauseToSip(name)).toBe(sip);
    expect(isKnownHangupCause(name)).toBe(true);
  });
  it('ignores case, spaces and underscores; unknown names are undefined', () => {
    expect(hangupCauseToQ850('user busy')).toBe(17);
    expect(hangupCauseToQ850('Normal_Clearing')).toBe(16);
    expect(hangupCauseToQ850('NO_SUCH_CAUSE')).toBeUndefined();
    expect(isKnownHangupCause('NO_SUCH_CAUSE')).toBe(false);
  });
  it('names Q.850 causes', () => {
    expect(q850Name(16)).toBe('NORMAL_CLEARING');
    expect(q850Name(102)).toBe('RECOVERY_ON_TIMER_EXPIRE');
    expect(q850Name(200)).toBeUndefined();
  });
});

describe('Asterisk dispositions', () => {
  it.each([
    ['ANSWERED', 200], ['NO ANSWER', 480], ['BUSY', 486], ['FAILED', 500], ['CONGESTION', 503], ['no_answer', 480],
  ])('%s → %i (inferred)', (disp, code) => {
    const m = dispositionToSip(disp)!;
    expect(m.code).toBe(code);
    expect(m.inferred).toBe(true);
    expect(m.note.en).not.toBe('');
  });
  it('unknown disposition', () => expect(dispositionToSip('DOCUMENTATION')).toBeUndefined());
});

describe('sets and policies', () => {
  it('RFC 6076 sets and NER causes', () => {
    expect([...SEER_EFFECTIVE].sort()).toEqual([200, 480, 486, 600, 603]);
    expect([...ISA_INEFFECTIVE].sort()).toEqual([408, 500, 503, 504]);
    expect([...NER_Q850_CAUSES].sort((a, b) => a - b)).toEqual([16, 17, 18, 19, 21]);
  });
  it('answered and busy', () => {
    expect(isAnswered(200)).toBe(true);
    expect(isAnswered(202)).toBe(true);
    expect(isAnswered(180)).toBe(false);
    expect(isAnswered(300)).toBe(false);
    expect(isUserBusy(486)).toBe(true);
    expect(isUserBusy(600)).toBe(true);
    expect(isUserBusy(603)).toBe(false);
  });
  it.each([
    [486, false], [600, false], [603, false], [604, false], [404, false], [484, false], [487, false], [410, false],
    [606, false], [607, false], [608, false], [200, false], [180, false], [302, false],
    [408, true], [480, true], [503, true], [500, true], [502, true], [504, true], [403, true], [401, true],
    [488, true], [415, true], [402, true], [599, true], [498, true], [699, false],
  ])('isReroutable(%i) = %s', (code, expected) => {
    expect(isReroutable(code)).toBe(expected);
  });
  it('classes from the first digit', () => {
    expect(codeClass(100)).toBe('provisional');
    expect(codeClass(299)).toBe('success');
    expect(codeClass(380)).toBe('redirection');
    expect(codeClass(499)).toBe('client');
    expect(codeClass(555)).toBe('server');
    expect(codeClass(699)).toBe('global');
    expect(codeClass(99)).toBeUndefined();
    expect(codeClass(700)).toBeUndefined();
  });
});

describe('catalogue data', () => {
  it('has every required code with class, rfc, finality and both languages', () => {
    const required = [
      100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407,
      408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 425, 428, 429, 430, 433, 436, 437,
      438, 439, 440, 469, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 494, 500, 501, 502, 503,
      504, 505, 513, 555, 580, 600, 603, 604, 606, 607, 608,
    ];
    for (const code of required) {
      const e = getEntry(code);
      expect(e, String(code)).toBeDefined();
      expect(e!.class).toBe(codeClass(code));
      expect(e!.final).toBe(code >= 200);
    }
    expect(getEntry(409)!.status).toBe('obsolete');
    expect(getEntry(411)!.status).toBe('obsolete');
    expect(getEntry(486)!.rfc).toBe('RFC 3261 §21.4.24');
  });
  it('entries are unique and ascending; Russian text is Cyrillic, English is not', () => {
    const codes = allEntries().map((e) => e.code);
    expect(codes).toEqual([...new Set(codes)].sort((a, b) => a - b));
    for (const e of allEntries()) {
      expect(e.description.ru, String(e.code)).toMatch(/[а-яё]/i);
      expect(e.description.en, String(e.code)).not.toMatch(/[а-яё]/i);
      for (const v of e.variants) {
        expect(v.description.ru).toMatch(/[а-яё]/i);
        expect(v.description.en).not.toMatch(/[а-яё]/i);
      }
    }
  });
  it('variant phrases are unique per code and never repeat the default', () => {
    for (const e of allEntries()) {
      const d = describeCode(e.code, e.reason)!;
      expect(d.variant).toBeUndefined();
      for (const v of e.variants) expect(describeCode(e.code, v.reason)!.variant!.reason).toBe(v.reason);
    }
  });
});

describe('hints', () => {
  const ids = (code: number, reason?: string): string[] => describeCode(code, reason)!.hints.map((h) => h.id);
  it.each([
    [401, undefined, 'credentials'], [403, undefined, 'credentials'], [407, undefined, 'auth-challenge'],
    [408, undefined, 'timeout-transport'], [415, undefined, 'codecs'], [488, undefined, 'codecs'],
    [484, undefined, 'number-incomplete'], [486, undefined, 'busy'], [486, undefined, 'simbox-486'],
    [503, undefined, 'overload'], [603, undefined, 'blacklisted'], [200, undefined, 'no-ack-30s'],
    [401, 'AUTH Error: Stall nonce', 'stale-nonce'], [500, 'Call placing quota exceeded', 'cps-limit'],
    [488, 'Private IP Address', 'private-ip'], [480, 'DB Timeout', 'db-failure'], [403, 'Empty Route Set', 'no-route'],
  ] as const)('%i %s has hint %s', (code, reason, id) => {
    expect(ids(code, reason)).toContain(id);
  });
  it('a provider phrase with its own hints does not get the general ones of its code', () => {
    expect(ids(403, 'No Money Left on RFC Account')).toEqual(['no-money']);
    expect(ids(403, 'User Disabled')).toContain('credentials');
  });
  it('topics and hints by id', async () => {
    const { findTopic, getHint } = await import('../../src/catalogue/index.js');
    expect(findTopic('No DNS result')!.id).toBe('no-dns');
    expect(findTopic('ghost calls')!.id).toBe('ghost-calls');
    expect(findTopic('nothing like this')).toBeUndefined();
    expect(getHint('no-ack-30s')!.text.ru).toContain('ACK');
    expect(getHint('simbox-486')!.text.en).toContain('486');
  });
  it('every hint a variant names exists and is shown', async () => {
    const { getHint } = await import('../../src/catalogue/index.js');
    for (const e of allEntries()) for (const v of e.variants) {
      const shown = ids(e.code, v.reason);
      for (const id of v.hints ?? []) {
        expect(getHint(id), `${e.code} ${v.reason}: ${id}`).toBeDefined();
        expect(shown).toContain(id);
      }
    }
  });
});

describe('Asterisk cause aliases', () => {
  it.each([
    ['CONGESTION', 42], ['FAILURE', 38], ['BUSY', 17], ['NOANSWER', 19], ['CHANUNAVAIL', 44], ['UNSPECIFIED', 0],
  ])('%s → %i', (name, cause) => expect(hangupCauseToQ850(name)).toBe(cause));
});
