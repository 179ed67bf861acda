/**
 * Chains: files that are pieces of one input cut in time, so that they can be read as one, in time order (a call
 * in progress at a cut then continues into the next file instead of being cut in two).
 *
 * The pieces of a capture split by time (tcpdump -C or -G, editcap -c or -i, dumpcap's ring buffer) and the
 * copies of a rotated log (logrotate, Asterisk's own `logger rotate`) are told by names that differ only in
 * their digits, in one folder (digitFamily), and ordered by their first and last packets or time stamps
 * (planChains). The names alone would mislead: logrotate numbers the oldest copy highest, Asterisk's
 * `sequential` strategy the newest. Names order only the logs that have no time stamp (rotationChains:
 * logrotate's `full.2.gz`, `full.1`, `full`; dated `full-20241123` copies by date).
 *
 * Whether a file really continues the one before it is checked again by the reader where they meet (chain.ts,
 * the readers' `continueWith`): a wrong guess costs only the parallel reading of those files.
 */
import { basename, dirname } from 'node:path';
import type { InputSpec } from './expand.js';
import { CHAIN_GAP_MS, chainHolds, gapText, spanText } from '../chain.js';

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

/**
 * The family of a capture's name: its digit runs masked, and the number a splitter appends at its end left
 * out (`part_00001_20240305093232.pcap.gz` → `part_#_#.pcap`; tcpdump -C's `eth0.pcap` and `eth0.pcap12`
 * → `eth#.pcap`; `trace.001` → `trace`).
 */
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
  if (out.endsWith('#')) out = out.slice(0, -1);
  while (out.endsWith('.') || out.endsWith('-') || out.endsWith('_')) out = out.slice(0, -1);
  return out;
}

/**
 * Whether a file's name carries the marks of a tool that cuts captures or rotates logs: dumpcap's ring buffer
 * and editcap (`x_00001_20240305093232.pcapng`), a zero-padded number (`x_0007.pcap`), tcpdump -C (`x.pcap12`),
 * logrotate and savelog (`x.3`), a date
 * (`x-20240305.pcap`, `x_2024-03-05_0930.pcap`: tcpdump -G, dated copies) or a Unix time (`x.1709630000`).
 * Names that differ only in another number (`call1.pcap`, `site2.pcap`, `sip-g722.pcap`) may well be separate
 * captures: their family is chained only where one file begins within a minute of the other's end.
 */
export function splitterName(name: string): boolean {
  const bare = name.endsWith('.gz') ? name.slice(0, -3) : name;
  return SPLITTER_MARKS.some((re) => re.test(bare));
}
// Anchored or bounded patterns without nested repetition, on file names only.
const SPLITTER_MARKS = [
  /_[0-9]{5}_[0-9]{14}(\.[A-Za-z0-9]{1,8})?$/,
  /(?:^|[^0-9])0[0-9]{2,}(?:[^0-9]|$)/,
  /\.[A-Za-z]{1,8}[0-9]{1,6}$/,
  /\.[0-9]{1,6}$/,
  /(?:^|[^0-9])(?:19|20)[0-9]{2}[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12][0-9]|3[01])/,
  /(?:^|[^0-9])1[0-9]{9}(?:[^0-9]|$)/,
];

/**
 * Whether a family of names is one a splitter made: each name has its marks, or is the live file the others
 * were cut from (`x.pcap` beside tcpdump -C's `x.pcap1`, `full` beside `full.1` or `full-20241123`).
 */
function splitterFamily(names: readonly string[]): boolean {
  const bare = names.map((n) => (n.endsWith('.gz') ? n.slice(0, -3) : n));
  return bare.every((b) => splitterName(b) || bare.some((o) => o.length > b.length && o.startsWith(b) && /^[-_.]?[0-9]+$/.test(o.slice(b.length))));
}

/** Families whose names do not say they are pieces of one input: the most a seam may span, either way. */
export const LOOSE_NAMES_GAP_MS = 60_000;

/**
 * Two captures whose first packets lie closer than this, when the end of the earlier one is not known (a
 * compressed file), were taken side by side (two interfaces, two SBCs, copies), unless the earlier file was
 * last written when the later one begins: they are not chained.
 */
export const SIDE_BY_SIDE_MS = 60_000;

/** What planChains needs to know of a capture or a log: its first and last times and its file's last write (ms). */
export interface InputTimes {
  /** A capture's first packet, a log's first time stamp. */
  first: number;
  /** The last packet's or stamp's time, when the file's end could be read (not for a compressed file). */
  last?: number;
  mtime?: number;
  /** A log: its copies are never taken side by side (one log is written at a time). */
  log?: boolean;
  /** A log whose year-less stamps took their year from the clock: its times compare only with such logs. */
  yearGuessed?: boolean;
}

/**
 * The chains to read (indices into `specs`, oldest first). In each family of names (digitFamily, one folder),
 * each capture or log goes after the one whose end its first packet or stamp meets (chain.ts: at most a minute
 * before it, at most an hour after), so that the ring buffers of two interfaces interleaved in time make two
 * chains and captures taken side by side none. Inputs with no times (logs without stamps, a family whose years
 * cannot be compared) keep the chains their names give (rotationChains). `head` gives an input's times, or
 * undefined when it is neither a capture nor a log, or has no packet or stamp in its head. `notes` receives,
 * for a file named like others but read apart, why.
 */
export async function planChains(
  specs: readonly InputSpec[],
  head: (spec: InputSpec) => Promise<InputTimes | undefined>,
  notes?: Map<number, string>,
): Promise<number[][]> {
  const named = rotationChains(specs);
  const families = new Map<string, number[]>();
  for (const c of named) {
    for (const i of c) {
      const s = specs[i]!;
      if (s.path === '-' || s.error !== undefined) continue;
      const key = `${dirname(s.path)}\0${digitFamily(basename(s.path))}`;
      const f = families.get(key);
      if (f) f.push(i);
      else families.set(key, [i]);
    }
  }
  const candidates = [...families.values()].filter((f) => f.length > 1).flat();
  if (candidates.length === 0) return named;
  const heads = new Map<number, InputTimes>();
  const got = await inTurn(candidates, (i) => head(specs[i]!).catch(() => undefined));
  candidates.forEach((i, k) => {
    const h = got[k];
    if (h !== undefined && Number.isFinite(h.first)) heads.set(i, h);
  });
  // A family mixing logs whose years are known with logs whose years were guessed cannot be put in time order
  // (a copy with a full-date banner against one without): it keeps the order of its names.
  for (const members of families.values()) {
    const logs = members.filter((i) => heads.get(i)?.log === true);
    const guessed = logs.filter((i) => heads.get(i)!.yearGuessed === true).length;
    if (guessed > 0 && guessed < logs.length) for (const i of logs) heads.delete(i);
  }
  if (heads.size === 0) return named;
  // Inputs with times are planned by them; the others keep the chains their names give.
  const out: number[][] = [];
  for (const c of named) {
    const logs = c.filter((i) => !heads.has(i));
    if (logs.length > 0) out.push(logs);
  }
  for (const members of families.values()) {
    const timed = members.filter((i) => heads.has(i)).map((i) => ({ i, ...heads.get(i)!, rank: rankOf(specs[i]!) }));
    const loose = !splitterFamily(members.map((i) => basename(specs[i]!.path)));
    // by first time; on a tie (a rotation within one second), the one that ends first, then by name (rotationName)
    timed.sort((a, b) => a.first - b.first || (a.last ?? a.first) - (b.last ?? b.first) || a.rank - b.rank || a.i - b.i);
    const open: Array<{ members: number[]; end?: number; first: number; mtime?: number }> = [];
    for (let k = 0; k < timed.length; k++) {
      const t = timed[k]!;
      let best: (typeof open)[number] | undefined;
      let bestGap = Infinity;
      for (const c of open) {
        const gap = loose
          ? c.end !== undefined && Math.abs(t.first - c.end) <= LOOSE_NAMES_GAP_MS
            ? Math.abs(t.first - c.end)
            : Infinity
          : c.end !== undefined
            ? chainHolds(c.end, t.first)
              ? Math.abs(t.first - c.end)
              : Infinity
            : unknownEndGap(c, t.first, t.log === true);
        if (gap < bestGap) {
          best = c;
          bestGap = gap;
        }
      }
      if (best === undefined) {
        if (k > 0) notes?.set(t.i, apartNote(specs[timed[k - 1]!.i]!.display, timed[k - 1]!, t.first, loose));
        open.push({ members: [t.i], end: t.last, first: t.first, mtime: t.mtime });
      } else {
        best.members.push(t.i);
        best.end = t.last;
        best.first = t.first;
        best.mtime = t.mtime;
      }
    }
    for (const c of open) out.push(c.members);
  }
  // each chain stands where its first-named input was
  return out.sort((a, b) => Math.min(...a) - Math.min(...b));
}

/** Why a file named like the one before it in time was not read as one chain with it. */
function apartNote(prevName: string, prev: InputTimes, first: number, loose: boolean): string {
  let why: string;
  if (prev.last !== undefined && first < prev.last) why = `the two overlap in time by ${spanText(prev.last - first)} (taken side by side?)`;
  else if (loose) {
    why =
      prev.last === undefined
        ? 'the names do not say they are pieces of one capture or log (a splitter numbers or dates its files), and the end of that file cannot be read beforehand (compressed) to see whether this one follows within a minute'
        : `it begins ${gapText(first - prev.last)} that file ends, and the names do not say they are pieces of one capture or log (a splitter numbers or dates its files): such files are read as one only when one begins within a minute of the other's end`;
  } else {
    why = prev.last === undefined ? 'the two begin less than a minute apart (taken side by side?)' : `it begins ${gapText(first - prev.last)} that file ends`;
  }
  return `named like ${prevName} but not read as one chain with it: ${why}`;
}

/** Older first by the name alone: logrotate's `full.2` before `full.1` before `full`, dated copies by date. */
function rankOf(s: InputSpec): number {
  const r = rotationName(basename(s.path));
  return r.kind === 0 ? Infinity : r.kind === 1 ? r.key : r.key - 1e15;
}

/**
 * How well a capture starting at `first` follows a chain whose last file's end is unknown (compressed): it
 * must begin at least SIDE_BY_SIDE_MS after that file did, or when that file was last written; Infinity when
 * it does not follow.
 */
function unknownEndGap(c: { first: number; mtime?: number }, first: number, log: boolean): number {
  // copies of one log are written one after the other: a later first stamp follows (the reader checks the seam)
  if (log) return first > c.first ? CHAIN_GAP_MS + (first - c.first) : Infinity;
  if (c.mtime !== undefined && first > c.first && Math.abs(first - c.mtime) < SIDE_BY_SIDE_MS) return Math.abs(first - c.mtime);
  // the first packets' distance stands in for the gap, after every chain whose end is known
  return first - c.first >= SIDE_BY_SIDE_MS ? CHAIN_GAP_MS + (first - c.first) : Infinity;
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
