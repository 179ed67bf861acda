/**
 * `--config FILE`: a JSON file with routes, thresholds and defaults, so that a cron line stays short.
 * Command-line options win over the file. Unknown keys are an error (a typo must not pass silently), and so
 * is a bad value, checked as its option's is and named by the file and the key (`c.json: bucket must be one
 * of 5m, 15m, 1h, 1d, not '2h'`), not by the option the user did not give. The content of the routes (the
 * file it names, or the inline map) is checked by `analyze` before any input is read.
 *
 * {
 *   "routes": "routes.csv"  or  { "203.0.113.10": "alpha", "198.51.100.0/24": "beta" },
 *   "bucket": "1h", "prefixDigits": 3, "minAttempts": 20, "tz": "Europe/Moscow",
 *   "failOn": "asr<35,spike,fas", "format": "html", "out": "/var/www/noc/today.html",
 *   "map": { "route": "Supplier" }, "callTimeoutSec": 600,
 *   "thresholds": { "spikeMinAttempts": 30 }
 * }
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { BUCKET_SIZES } from './analysis/buckets.js';
import { resolveThresholds } from './analysis/thresholds.js';
import { intOption, tzOption } from './cli/options.js';
import { InputError, SipscopeError, UsageError } from './errors.js';
import { parseFailOn } from './failon.js';
import { REPORT_FORMATS } from './report/formats.js';

export interface ConfigFile {
  routes?: string | Record<string, string>;
  bucket?: string;
  prefixDigits?: number;
  minAttempts?: number;
  tz?: string;
  year?: number;
  failOn?: string;
  format?: string;
  out?: string;
  map?: Record<string, string>;
  callTimeoutSec?: number;
  thresholds?: Record<string, number>;
}

const KEYS: Record<keyof ConfigFile, 'string' | 'number' | 'object' | 'string|object'> = {
  routes: 'string|object',
  bucket: 'string',
  prefixDigits: 'number',
  minAttempts: 'number',
  tz: 'string',
  year: 'number',
  failOn: 'string',
  format: 'string',
  out: 'string',
  map: 'object',
  callTimeoutSec: 'number',
  thresholds: 'object',
};

/** The whole numbers a config may hold, with the ranges of their options (analyze uses them for both). */
export const CONFIG_INTS = {
  prefixDigits: { min: 1, max: 15 },
  minAttempts: { min: 0, max: 1e9 },
  year: { min: 1970, max: 2200 },
  callTimeoutSec: { min: 1, max: 86400 * 7 },
} as const;

/** The values whose meaning the option's own check knows: the same check, its error named `FILE: key`. */
function checkValues(file: string, cfg: ConfigFile): void {
  const name = (key: keyof ConfigFile): string => `${file}: ${key}`;
  const oneOf = (key: 'bucket' | 'format', value: string | undefined, allowed: readonly string[]): void => {
    if (value !== undefined && !allowed.includes(value)) throw new UsageError(`${name(key)} must be one of ${allowed.join(', ')}, not '${value}'`);
  };
  oneOf('bucket', cfg.bucket, Object.keys(BUCKET_SIZES));
  oneOf('format', cfg.format, REPORT_FORMATS);
  for (const [key, { min, max }] of Object.entries(CONFIG_INTS) as [keyof typeof CONFIG_INTS, { min: number; max: number }][]) {
    intOption(name(key), cfg[key] === undefined ? undefined : String(cfg[key]), min, max);
  }
  tzOption(cfg.tz, name('tz'));
  if (cfg.failOn !== undefined) parseFailOn(cfg.failOn, name('failOn'));
  try {
    resolveThresholds(cfg.thresholds);
  } catch (err) {
    if (err instanceof SipscopeError) throw new UsageError(`${name('thresholds')}: ${err.message}`);
    throw err;
  }
}

export function loadConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read config: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `config is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(file, 'config must be a JSON object');
  const cfg = data as Record<string, unknown>;
  for (const [key, value] of Object.entries(cfg)) {
    const want = KEYS[key as keyof ConfigFile];
    if (!want) throw new UsageError(`${file}: unknown config key '${key}' (known: ${Object.keys(KEYS).join(', ')})`);
    const type = typeof value === 'object' && value !== null && !Array.isArray(value) ? 'object' : typeof value;
    if (!want.split('|').includes(type)) throw new UsageError(`${file}: config key '${key}' must be ${want.replace('|', ' or ')}`);
    if (type === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const inner = key === 'thresholds' ? 'number' : 'string';
        if (typeof v !== inner) throw new UsageError(`${file}: config ${key}.${k} must be a ${inner}`);
      }
    }
  }
  const out = cfg as ConfigFile;
  checkValues(file, out);
  // Paths in a config file are relative to the file, so cron can run from anywhere; `"out": "-"` is standard
  // output, as `--out -` is.
  const base = dirname(file);
  if (typeof out.routes === 'string' && !isAbsolute(out.routes)) out.routes = resolve(base, out.routes);
  if (typeof out.out === 'string' && out.out !== '-' && !isAbsolute(out.out)) out.out = resolve(base, out.out);
  return out;
}
