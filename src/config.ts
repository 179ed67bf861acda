/**
 * `--config FILE`: a JSON file with routes, thresholds and defaults, so that a cron line stays short.
 * Command-line options win over the file. Unknown keys are an error (a typo must not pass silently).
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
import { InputError, UsageError } from './errors.js';

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
  // Paths in a config file are relative to the file, so cron can run from anywhere.
  const base = dirname(file);
  if (typeof out.routes === 'string' && !isAbsolute(out.routes)) out.routes = resolve(base, out.routes);
  if (typeof out.out === 'string' && !isAbsolute(out.out)) out.out = resolve(base, out.out);
  return out;
}
