import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-config-'));
function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('config file', () => {
  it('reads a complete config and resolves paths relative to it', () => {
    const cfg = loadConfig(write('ok.json', JSON.stringify({ routes: 'routes.csv', out: 'r.html', bucket: '1h', minAttempts: 30, failOn: 'asr<35', thresholds: { spikeMinAttempts: 40 }, map: { route: 'Vendor' } })));
    expect(cfg.routes).toBe(join(dir, 'routes.csv'));
    expect(cfg.out).toBe(join(dir, 'r.html'));
    expect(cfg.thresholds).toEqual({ spikeMinAttempts: 40 });
  });
  it('refuses unknown keys, wrong types and bad JSON with the file name', () => {
    expect(() => loadConfig(write('typo.json', '{"bukcet":"1h"}'))).toThrow(/typo\.json: unknown config key 'bukcet'/);
    expect(() => loadConfig(write('type.json', '{"minAttempts":"x"}'))).toThrow(/must be number/);
    expect(() => loadConfig(write('thr.json', '{"thresholds":{"a":"x"}}'))).toThrow(/thresholds\.a must be a number/);
    expect(() => loadConfig(write('bad.json', '{'))).toThrow(/bad\.json: config is not valid JSON/);
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read config/);
  });
  it('refuses a bad value naming the file and the key, for every key whose value has a meaning to check', () => {
    for (const [key, value, message] of [
      ['bucket', '2h', "c2.json: bucket must be one of 5m, 15m, 1h, 1d, not '2h'"],
      ['format', 'pdf', "c2.json: format must be one of table, json, csv, md, html, prom, not 'pdf'"],
      ['prefixDigits', 0, "c2.json: prefixDigits must be a whole number from 1 to 15, not '0'"],
      ['minAttempts', -1, "c2.json: minAttempts must be a whole number from 0 to 1000000000, not '-1'"],
      ['year', 1969, "c2.json: year must be a whole number from 1970 to 2200, not '1969'"],
      ['callTimeoutSec', 0.5, "c2.json: callTimeoutSec must be a whole number from 1 to 604800, not '0.5'"],
      ['tz', '+25:00', "c2.json: tz expects an IANA zone name (Europe/Moscow) or an offset (+03:00), not '+25:00'"],
      ['failOn', 'asr<0x10', "c2.json: failOn: cannot read 'asr<0x10'"],
      ['thresholds', { nope: 1 }, "c2.json: thresholds: unknown threshold 'nope'"],
      ['map', { route: 3 }, "c2.json: config map.route must be a string"],
      ['out', 3, "c2.json: config key 'out' must be string"],
    ] as const) {
      const file = write('c2.json', JSON.stringify({ [key]: value }));
      let err: Error | undefined;
      try {
        loadConfig(file);
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message.startsWith(`${dir}/${message}`), `${key}: ${err?.message}`).toBe(true);
    }
  });
  it('keeps "out": "-" as standard output, not a file next to the config', () => {
    expect(loadConfig(write('dash.json', '{"out":"-"}')).out).toBe('-');
  });
});
