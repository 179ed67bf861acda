import { countAnomaly, countIgnored, type InputAccounting, type Position } from '../types.js';

/**
 * Takes back one unit counted as ignored under `reason` (a packet parked while waiting for more
 * packets: an IP fragment, an out-of-order TCP segment) so that it can be counted again under its
 * final bucket. Keeps `read === used + ignored + malformed` true at every moment.
 */
export function uncountIgnored(acc: InputAccounting, reason: string): void {
  const n = acc.ignoredBy[reason];
  if (n === undefined || n <= 0) return;
  acc.ignored--;
  if (n === 1) delete acc.ignoredBy[reason];
  else acc.ignoredBy[reason] = n - 1;
}

/** Moves one parked unit from `reason` to the anomaly `name`. */
export function ignoredToAnomaly(acc: InputAccounting, reason: string, name: string, position: Position, detail?: string): void {
  uncountIgnored(acc, reason);
  countAnomaly(acc, name, position, detail);
}

/** Moves one parked unit from `reason` to another ignore reason. */
export function ignoredToIgnored(acc: InputAccounting, from: string, to: string): void {
  uncountIgnored(acc, from);
  countIgnored(acc, to);
}
