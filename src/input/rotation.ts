/**
 * Rotated copies of one log, told apart by their names, so that they can be read as one chain in time order
 * (a call in progress when the log rotated then continues into the next file instead of being cut in two).
 *
 * logrotate names the copies in one of two ways, and the live file keeps the plain name:
 * - numbered: `full.1`, `full.2.gz`, … (the higher the number, the older);
 * - dated (`dateext`): `full-20241123`, `full-2024112306.gz`, … (the date of rotation, older first).
 *
 * Only the order comes from the names. Whether a file really continues the one before it is decided by the
 * reader from the time stamps where they meet (see the Asterisk log reader's `continueWith`).
 */
import { basename, dirname } from 'node:path';
import type { InputSpec } from './expand.js';

const NUMBERED = /^(.+)\.([0-9]{1,6})$/;
const DATED = /^(.+)-([0-9]{8,14})$/;

interface Member {
  index: number;
  /** 0: the live file; 1: numbered copy; 2: dated copy. */
  kind: 0 | 1 | 2;
  /** Sort key within its kind, larger = newer. */
  key: number;
}

/** `full.2.gz` → { stem: 'full', kind: 1, key: -2 }; `full` → { stem: 'full', kind: 0 }. */
export function rotationName(name: string): { stem: string; kind: 0 | 1 | 2; key: number } {
  const bare = name.endsWith('.gz') ? name.slice(0, -3) : name;
  const n = NUMBERED.exec(bare);
  if (n) return { stem: n[1]!, kind: 1, key: -Number(n[2]) };
  const d = DATED.exec(bare);
  // `-20241123` and `-2024112306` compare as 14-digit numbers (YYYYMMDDhhmmss)
  if (d) return { stem: d[1]!, kind: 2, key: Number(d[2]!.padEnd(14, '0')) };
  return { stem: bare, kind: 0, key: Infinity };
}

/**
 * Groups the inputs into chains: each chain lists indices into `specs`, oldest file first; a file that is not
 * one of several rotated copies of a log is a chain of its own. Chains keep the order of their first input.
 * A family that mixes numbered and dated copies is not chained (their order cannot be told from the names),
 * nor is standard input.
 */
export function rotationChains(specs: readonly InputSpec[]): number[][] {
  const families = new Map<string, Member[]>();
  const order: Array<string | number> = [];
  specs.forEach((s, index) => {
    if (s.path === '-' || s.error !== undefined) {
      order.push(index);
      return;
    }
    const r = rotationName(basename(s.path));
    const family = `${dirname(s.path)}\0${r.stem}`;
    const members = families.get(family);
    if (members) members.push({ index, kind: r.kind, key: r.key });
    else {
      families.set(family, [{ index, kind: r.kind, key: r.key }]);
      order.push(family);
    }
  });
  const chains: number[][] = [];
  for (const o of order) {
    if (typeof o === 'number') {
      chains.push([o]);
      continue;
    }
    const members = families.get(o)!;
    const kinds = new Set(members.filter((m) => m.kind !== 0).map((m) => m.kind));
    const live = members.filter((m) => m.kind === 0).length;
    if (members.length < 2 || kinds.size !== 1 || live > 1) {
      for (const m of members) chains.push([m.index]);
      continue;
    }
    chains.push(members.sort((a, b) => a.key - b.key).map((m) => m.index));
  }
  return chains;
}
