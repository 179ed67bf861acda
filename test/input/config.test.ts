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
});
