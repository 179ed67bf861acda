import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allEntries, describeCode, findTopic, getEntry, phraseKey } from '../../src/catalogue/index.js';
import { readExplainQuery } from '../../src/catalogue/query.js';

interface SeedCode {
  code: number;
  reason: string;
}
interface SeedCodes {
  statusLines: SeedCode[];
  registryList: SeedCode[];
}

const seedFile = fileURLToPath(new URL('../../../shared/seeds/000_ebda7055a57690ba.txt', import.meta.url));
const fixtureFile = fileURLToPath(new URL('../../fixtures/catalogue/seed-codes.json', import.meta.url));
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as SeedCodes;

/** `SIP/2.0 NNN phrase` lines (the provider table) and `- NNN Reason` lines (the registry list) of the seed. */
function extract(text: string): SeedCodes {
  const statusLines: SeedCode[] = [];
  const registryList: SeedCode[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const s = /^SIP\/2\.0 (\d{3}) (.+)$/.exec(line);
    if (s) statusLines.push({ code: Number(s[1]), reason: s[2]! });
    const r = /^- (\d{3}) (.+)$/.exec(line);
    if (r) registryList.push({ code: Number(r[1]), reason: r[2]! });
  }
  return { statusLines, registryList };
}

const hasSeed = existsSync(seedFile);
const seed: SeedCodes = hasSeed ? extract(readFileSync(seedFile, 'utf8')) : fixture;

describe(`seed codes and phrases (${hasSeed ? 'from ../shared/seeds' : 'from fixtures/catalogue/seed-codes.json'})`, () => {
  it('has the expected number of lines', () => {
    expect(seed.statusLines.length).toBe(88);
    expect(seed.registryList.length).toBeGreaterThanOrEqual(75);
  });

  it.each(seed.registryList.map((c) => [c.code, c.reason] as const))('registry code %i %s is catalogued', (code, reason) => {
    const e = getEntry(code);
    expect(e, `code ${code}`).toBeDefined();
    // the registry's phrase is the default, a standard spelling of it, or a known variant: never unknown
    const d = describeCode(code, reason)!;
    expect(d.note, `${code} ${reason}`).toBeUndefined();
    expect(e!.description.en.length).toBeGreaterThan(10);
    expect(e!.description.ru.length).toBeGreaterThan(10);
    expect(e!.rfc).toMatch(/^RFC \d+/);
  });

  it.each(seed.statusLines.map((c) => [c.code, c.reason] as const))('provider line %i %s is read as a code, never a topic', (code, reason) => {
    const line = `SIP/2.0 ${code} ${reason}`;
    expect(readExplainQuery(line)).toEqual({ kind: 'code', code, reason });
    expect(findTopic(line)).toBeUndefined();
    expect(findTopic(reason)).toBeUndefined();
  });

  it.each(seed.registryList.map((c) => [c.code, c.reason] as const))('registry line %i %s is read as a code, never a topic', (code, reason) => {
    expect(readExplainQuery(`- ${code} ${reason}`)).toEqual({ kind: 'code', code, reason });
    expect(findTopic(reason)).toBeUndefined();
  });

  it.each(seed.statusLines.map((c) => [c.code, c.reason] as const))('provider line %i %s resolves', (code, reason) => {
    const d = describeCode(code, reason)!;
    expect(d, `code ${code}`).toBeDefined();
    expect(d.status).not.toBe('unknown');
    expect(d.note).toBeUndefined();
    const e = getEntry(code)!;
    if (phraseKey(reason) === phraseKey(e.reason)) {
      // same phrase as the default up to case and punctuation: the code's own description applies
      expect(d.variant).toBeUndefined();
    } else {
      // a provider phrase: a variant spelled exactly as the seed spells it, explained in both languages
      expect(d.variant?.reason).toBe(reason);
      expect(d.variant!.description.en.length).toBeGreaterThan(5);
      expect(d.variant!.description.ru.length).toBeGreaterThan(5);
      expect(e.variants.some((v) => v.reason === reason)).toBe(true);
    }
  });

  it.skipIf(!hasSeed)('the committed list equals what the seed holds (needs ../shared/seeds)', () => {
    expect(fixture.statusLines).toEqual(seed.statusLines);
    expect(fixture.registryList).toEqual(seed.registryList);
  });

  it('covers every registry code of the seed and nothing the seed lacks except provider codes', () => {
    const seedCodes = new Set([...seed.registryList, ...seed.statusLines].map((c) => c.code));
    for (const e of allEntries()) expect(seedCodes.has(e.code), `${e.code} not in the seed`).toBe(true);
  });
});

/**
 * The seed's troubleshooting table (a Russian provider's FAQ): the left column, verbatim, as a user would paste
 * it, with what `explain` must make of it. A code row must resolve with no "not in the catalogue" note.
 */
const TABLE: [row: string, expected: { code: number; variant?: string } | { topic: string }][] = [
  ['При попытке регистрации аккаунта выдает ошибку Sip 403 – Forbidden', { code: 403 }],
  ['При попытке регистрации аккаунта выдает ошибку Sip 401 – Unauthorized', { code: 401 }],
  ['При попытке регистрации пишет: «Ошибка Sip 503 – Service Unavailablе» |', { code: 503 }],
  ['При наборе номера выдает ошибку 403 not found |', { code: 403, variant: 'not found' }],
  ['При попытке регистрации выдает ошибку 408 – Request Timeout |', { code: 408 }],
  ['При наборе номера выдает ошибку 486 – Busy |', { code: 486 }],
  ['При звонке ошибка SIP 415 (No Media) |', { code: 415, variant: 'No Media' }],
  ['При звонке выдает ошибку Sip 500 (Internal Server Error) |', { code: 500, variant: 'Internal Server Error' }],
  ['При звонке выдает ошибку SIP 502 (Bad Gateway) |', { code: 502 }],
  ['При звонке абоненту отображается ошибка 603 – Declined |', { code: 603 }],
  ['При наборе номера и разговоре звонок самопроизвольно завершается через 30 секунд |', { topic: 'no-ack-30s' }],
  ['При регистрации пишет ошибку No Dns Result', { topic: 'no-dns' }],
  ['Приходят звонки с непонятных номеров 1000, 1001, 1002 (обычно состоят из 4 цифр). При ответе – тишина |', { topic: 'ghost-calls' }],
  ['При звонке выдает ошибку SIP 484 – Addres incomplete', { code: 484, variant: 'Addres incomplete' }],
];

describe('the seed\'s troubleshooting table', () => {
  it.each(TABLE)('%s', (row, expected) => {
    const q = readExplainQuery(row);
    if ('topic' in expected) {
      expect(q?.kind).toBe('topic');
      if (q?.kind === 'topic') expect(q.topic.id).toBe(expected.topic);
      return;
    }
    expect(q?.kind).toBe('code');
    if (q?.kind !== 'code') return;
    expect(q.code).toBe(expected.code);
    // the separator and the quotes are no part of the phrase
    expect(q.reason).toMatch(/^[A-Za-z]/);
    const d = describeCode(q.code, q.reason)!;
    expect(d.note).toBeUndefined();
    expect(d.variant?.reason).toBe(expected.variant);
  });

  it.skipIf(!hasSeed)('quotes the seed verbatim (needs ../shared/seeds)', () => {
    const text = readFileSync(seedFile, 'utf8');
    for (const [row] of TABLE) expect(text.includes(row), row).toBe(true);
    // and it is the whole table: every row of its left column that names an error is listed
    const rows = text.split('\n').filter((l) => /^(При |Приходят )/.test(l));
    expect(rows.length).toBe(TABLE.length);
  });
});
