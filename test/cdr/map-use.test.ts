/**
 * One `--map` for a folder of two layouts (re-audit N6). A map that some input of the run honours is only a note on
 * the inputs that lack its column: the README's cron recipe mails any stderr line, and a correct setup must not
 * mail every night. A map no input honours (a typo) is said once, not once per file. A map from `--config` is named
 * by the file and key (`c.json: map.route`), in alerts and notes, as the config's other values are (old finding B12).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { whyNotCdr } from '../../src/cdr/index.js';
import { settleMapUse } from '../../src/cdr/map-use.js';
import { inputLines } from '../../src/cli/input-lines.js';
import { run } from '../postmortem/run.js';
import { runCdr } from './helpers.js';

/** The transient field a CDR input carries until the run settles it (never in a report). */
const mapUse = (acc: object): unknown => (acc as { mapUse?: unknown }).mapUse;

const carrier = readFileSync(new URL('../../fixtures/cdr/carrier.csv', import.meta.url), 'utf8');
/** The same export with its vendor column named `Supplier`. */
const supplier = carrier.replace('Vendor', 'Supplier');

describe('a --map honoured by some inputs of a run', () => {
  test('honoured by one input: the other keeps a note, and nothing is said on stderr', () => {
    const a = runCdr('a.csv', Buffer.from(supplier), { columnMap: { route: 'Supplier' } });
    const b = runCdr('b.csv', Buffer.from(carrier), { columnMap: { route: 'Supplier' } });
    // Each input alone says what it could not honour …
    expect(b.acc.alerts).toEqual([expect.stringMatching(/^--map route=Supplier: no such column in the header \(/)]);
    // … and the run takes it back: a.csv honoured it.
    expect(inputLines([a.acc, b.acc])).toEqual([]);
    expect(b.acc.alerts).toBeUndefined();
    expect(mapUse(b.acc)).toBeUndefined();
    expect(b.acc.notes).toContainEqual(expect.stringMatching(/^--map route=Supplier: no such column in the header/));
    expect(b.acc.notes).toContain('--map route=Supplier: another input of this run has that column, so this one is only noted (not said on stderr)');
  });

  test('honoured by none: said once, on the first input, with how many others lack it', () => {
    const accs = ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv'].map((f) => runCdr(f, Buffer.from(carrier), { columnMap: { route: 'Nope', date: 'xyz' } }).acc);
    const lines = inputLines(accs);
    expect(lines.filter((l) => l.includes('route=Nope'))).toEqual([
      expect.stringMatching(/^sipscope: a\.csv: --map route=Nope: no such column in the header \(.*\); ignored; the same in 4 other inputs \(b\.csv, c\.csv, d\.csv, …\)\n$/),
    ]);
    // A value no layout can take is the input's own alert, as before.
    expect(lines.filter((l) => l.includes('date=xyz')).length).toBe(5);
    expect(accs.every((a) => mapUse(a) === undefined)).toBe(true);
  });

  test('settling twice changes nothing; an input without a map has nothing to settle', () => {
    const a = runCdr('a.csv', Buffer.from(carrier), { columnMap: { route: 'Nope' } }).acc;
    const plain = runCdr('p.csv', Buffer.from(carrier)).acc;
    expect(mapUse(plain)).toBeUndefined();
    expect(mapUse(a)).toBeDefined();
    settleMapUse([a, plain]);
    const once = JSON.stringify(a);
    settleMapUse([a, plain]);
    expect(JSON.stringify(a)).toBe(once);
    expect(a.alerts).toHaveLength(1);
  });

  test('a config file map is named by the file and key in alerts and notes', () => {
    const r = runCdr('a.csv', Buffer.from(carrier), { columnMap: { route: 'Nope', sipcode: '-' }, columnMapNames: { route: 'c.json: map.route', sipcode: 'c.json: map.sipcode' } });
    expect(r.acc.alerts).toEqual([expect.stringMatching(/^c\.json: map\.route=Nope: no such column in the header \(/)]);
    expect(r.acc.notes).toContain('c.json: map.sipcode: column not used');
    // And in the error of an input it makes unreadable (open.ts asks whyNotCdr).
    const head = Buffer.from('Datum/Uhrzeit,Carrier,SIP Code,ANI\n05.03.2024 10:00:00,va,486,123\n');
    expect(whyNotCdr(head, { columnMap: { start: 'ANI' }, columnMapNames: { start: 'c.json: map.start' } })).toBe(
      'c.json: map.start=ANI: that column holds no dates in the first rows (ANI), so this is not read as a CDR',
    );
  });
});

describe('analyze: a folder of two layouts, one --map (the re-audit twolay/)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-mapuse-'));
  writeFileSync(join(dir, 'a.csv'), supplier);
  writeFileSync(join(dir, 'b.csv'), carrier);

  test('--map route=Supplier: nothing on stderr, and each vendor where it belongs', async () => {
    for (const jobs of ['1', '2']) {
      const r = await run(['analyze', dir, '--map', 'route=Supplier', '--format', 'json', '--no-progress', '--jobs', jobs]);
      expect(r.err, jobs).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { inputs: Array<{ alerts?: string[]; mapUse?: unknown; notes: string[] }>; routes: Array<{ route: string }> };
      expect(j.inputs.every((i) => i.alerts === undefined && i.mapUse === undefined)).toBe(true);
      expect(j.routes.map((x) => x.route).sort()).toEqual(['alpha', 'beta']);
    }
  });

  test('a typo: one stderr line for the run; from --config it names the file and key', async () => {
    const typo = await run(['analyze', dir, '--map', 'route=Suplier', '--no-progress']);
    expect(typo.err.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^sipscope: .*a\.csv: --map route=Suplier: no such column in the header \(.*\); ignored; the same in 1 other input \(.*b\.csv\)$/)]);
    expect(typo.code).toBe(0);
    const cfg = join(mkdtempSync(join(tmpdir(), 'sipscope-mapcfg-')), 'c.json');
    writeFileSync(cfg, JSON.stringify({ map: { route: 'Nope' } }));
    const fromCfg = await run(['analyze', dir, '--config', cfg, '--format', 'json', '--no-progress']);
    expect(fromCfg.err.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(new RegExp(`^sipscope: .*a\\.csv: ${cfg.replace(/[.]/g, '\\.')}: map\\.route=Nope: no such column in the header`))]);
    const j = JSON.parse(fromCfg.out) as { inputs: Array<{ file: string; notes: string[] }> };
    expect(j.inputs.find((i) => i.file.endsWith('b.csv'))!.notes).toContainEqual(expect.stringContaining(`${cfg}: map.route=Nope: no such column`));
    // A --map of the same key wins over the config's, and is named as an option.
    const both = await run(['analyze', dir, '--config', cfg, '--map', 'route=Supplier', '--no-progress']);
    expect(both.err).toBe('');
  });
});
