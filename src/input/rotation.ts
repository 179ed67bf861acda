/**
 * Rotated copies of one log, told apart by their names, so that they can be read as one chain in time order
 * (a call in progress when the log rotated then continues into the next file instead of being cut in two).
 *
 * logrotate names the copies in one of two ways, and the live file keeps the plain name:
 * - numbered: `full.1`, `full.2.gz`, … (the higher the number, the older);
 * - dated (`dateext`): `full-20241123`, `full-2024112306.gz`, … (the date of rotation, older first).
 *
 * Captures split by time (tcpdump -C or -G, editcap -c or -i, a ring buffer) are told by names that differ
 * only in their digits (`sbc.pcap1`, `sbc.pcap2`; `part_00001_20240305093232.pcap`) and put in the order of their
 * first packets' times, read from each file's first bytes.
 *
 * Only the order comes from the names and heads. Whether a file really continues the one before it is decided
 * by the reader from the times where they meet (see chain.ts and the readers' `continueWith`): a wrong guess
 * costs only the parallel reading of those files.
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

/** `part_00001_20240305093232.pcap.gz` → `part_#_#.pcap`: the name with every run of digits masked. */
export function digitFamily(name: string): string {
  const bare = name.endsWith('.gz') ? name.slice(0, -3) : name;
  let out = '';
  let inDigits = false;
  for (const c of bare) {
    const digit = c >= '0' && c <= '9';
    if (digit && !inDigits) out += '#';
    else if (!digit) out += c;
    inDigits = digit;
  }
  return out;
}

/**
 * Two captures whose first packets lie closer than this were taken side by side (two interfaces, two SBCs,
 * copies of one file), unless the first one's file was last written when the second begins (a file of a ring
 * buffer filled in less than a minute): they are read apart, in parallel.
 */
export const SIDE_BY_SIDE_MS = 60_000;

/** What planChains needs to know of a capture: its first packet's time and its file's last write (ms). */
export interface CaptureHead {
  first: number;
  mtime?: number;
}

/**
 * The chains to read (indices into `specs`, oldest first): rotated logs by their names (rotationChains), and
 * captures split by time by their digit-masked names and their first packets. `head` gives a capture's first
 * packet time and file time, or undefined when the input is no capture or has no packet in its head.
 */
export async function planChains(specs: readonly InputSpec[], head: (spec: InputSpec) => Promise<CaptureHead | undefined>): Promise<number[][]> {
  const chains = rotationChains(specs);
  const families = new Map<string, number[]>();
  for (const c of chains) {
    const s = specs[c[0]!]!;
    if (c.length > 1 || s.path === '-' || s.error !== undefined) continue;
    let name = digitFamily(basename(s.path));
    // tcpdump -C names its first file as asked (`sbc.pcap`) and the next ones with a number after it (`sbc.pcap1`)
    if (!name.includes('#')) name += '#';
    const key = `${dirname(s.path)}\0${name}`;
    const f = families.get(key);
    if (f) f.push(c[0]!);
    else families.set(key, [c[0]!]);
  }
  const joined: number[][] = [];
  for (const members of families.values()) {
    if (members.length < 2) continue;
    const heads = await inTurn(members, (i) => head(specs[i]!).catch(() => undefined));
    const timed: Array<{ i: number; t: number; mtime?: number }> = [];
    members.forEach((i, k) => {
      const h = heads[k];
      if (h !== undefined && Number.isFinite(h.first)) timed.push({ i, t: h.first, mtime: h.mtime });
    });
    timed.sort((a, b) => a.t - b.t || a.i - b.i);
    let chain: number[] = [];
    for (let k = 0; k < timed.length; k++) {
      const before = timed[k - 1];
      const cur = timed[k]!;
      const follows = before !== undefined && (cur.t - before.t >= SIDE_BY_SIDE_MS || (before.mtime !== undefined && Math.abs(cur.t - before.mtime) < SIDE_BY_SIDE_MS && cur.t > before.t));
      // side by side with the one before: no chain through here
      if (before !== undefined && !follows) {
        if (chain.length > 1) joined.push(chain);
        chain = [];
      }
      chain.push(timed[k]!.i);
    }
    if (chain.length > 1) joined.push(chain);
  }
  if (joined.length === 0) return chains;
  const inJoined = new Set(joined.flat());
  const out = chains.filter((c) => c.length > 1 || !inJoined.has(c[0]!)).concat(joined);
  // each chain stands where its first-named input was
  return out.sort((a, b) => Math.min(...a) - Math.min(...b));
}

/** How many heads are read at once: a folder of thousands of pieces must not run out of file descriptors. */
const HEADS_AT_ONCE = 16;

/** `f` over `items`, at most HEADS_AT_ONCE at a time; results in the order of `items`. */
async function inTurn<T, R>(items: readonly T[], f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await f(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HEADS_AT_ONCE, items.length) }, worker));
  return out;
}
