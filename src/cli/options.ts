/** Option values the commands share the reading of: a usage error names the option and the value. */
import { writeFileSync } from 'node:fs';
import { readErrorText, UsageError } from '../errors.js';
import { zoneConverter } from '../asterisk/time.js';
import { parseTime } from '../time-arg.js';

/** A whole number from `min` to `max`, or undefined when the option was not given. */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not '${value}'`);
  return n;
}

/** A time (`--since`, `--until`: see time-arg.ts), or undefined when the option was not given. */
export function timeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseTime(value);
  if (t === undefined) throw new UsageError(`${name} expects an ISO 8601 time (UTC unless it has an offset) or epoch seconds, not '${value}'`);
  return t;
}

/**
 * The file `--out` names, or undefined for standard output: no `--out`, or `--out -` (as `-` is standard input
 * among the inputs; a file named `-` is `--out ./-`).
 */
export function outFile(out: string | undefined): string | undefined {
  return out === '-' ? undefined : out;
}

/**
 * Writes `--out`; a path that cannot be written is a usage error naming it (exit 2), not an internal one.
 * `name`: what the error names (`c.json: out` for a config file's value).
 */
export function writeOut(path: string, text: string, name = '--out'): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UsageError(`${name} ${path}: cannot write: ${readErrorText(err)}`);
  }
}

/**
 * `--tz`: an IANA zone name or an offset from -14:59 to +14:59, checked before any input is read. `name`: what
 * the error names (`c.json: tz` for a config file's value).
 */
export function tzOption(value: string | undefined, name = '--tz'): string | undefined {
  if (value === undefined) return undefined;
  try {
    zoneConverter(value);
  } catch {
    throw new UsageError(`${name} expects an IANA zone name (Europe/Moscow) or an offset (+03:00), not '${value}'`);
  }
  return value;
}

/**
 * `name=value` items of a repeatable option (`--map`, `--threshold`). The keys are the user's text: the
 * object has no prototype, so `__proto__=x` is a key like any other (and then an unknown field).
 */
export function parsePairs(name: string, items: readonly string[] | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw new UsageError(`${name} expects name=value, not '${item}'`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

/** Commander's collector for a repeatable option. */
export const collectList = (v: string, prev: string[] = []): string[] => [...prev, v];
