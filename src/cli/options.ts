/** Option values the commands share the reading of: a usage error names the option and the value. */
import { UsageError } from '../errors.js';
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
