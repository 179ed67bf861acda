import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allEntries, describeCode, getEntry, phraseKey } from '../../src/catalogue/index.js';

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
