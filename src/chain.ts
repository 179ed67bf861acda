/**
 * Whether a file continues the one before it in a chain (rotated logs, a capture split by time), judged where
 * they meet: the newer file's first time must lie at most a minute before the older one's last (threads log
 * slightly out of order) and at most an hour after it (longer, and it is not the file that followed: a copy is
 * missing between them, or they are from different days).
 */
export const CHAIN_BEHIND_MS = 60_000;
export const CHAIN_GAP_MS = 3_600_000;
/**
 * A seam that holds but spans longer than this with nothing read is named in the note: a quiet spell, or a piece
 * of the chain that is missing (a deleted or unreadable file), which would leave the calls across it looking cut.
 */
export const CHAIN_QUIET_MS = 300_000;

/** How a file's notes begin when its open calls went on into the next file of its chain (the report counts them). */
export const CHAINED_NOTE = 'read as one chain with ';
/** How they begin when the next file of its chain did not follow it. */
export const UNCHAINED_NOTE = 'not continued by ';

export function chainHolds(lastTs: number, firstTs: number): boolean {
  return firstTs >= lastTs - CHAIN_BEHIND_MS && firstTs <= lastTs + CHAIN_GAP_MS;
}

/** How a reader names the two ends of a seam in its notes. */
export interface SeamWords {
  /** `the next rotated file` */
  next: string;
  /** `its first time stamp` */
  first: string;
  /** `this file's last` */
  last: string;
}
export const LOG_SEAM: SeamWords = { next: 'the next rotated file', first: 'its first time stamp', last: "this file's last" };
export const CAPTURE_SEAM: SeamWords = { next: 'the next capture in time', first: 'its first packet', last: "this file's last SIP message" };

/**
 * Does the file `nextName`, whose first time is `firstTs`, continue the one whose last time is `lastTs`? And the
 * note for the older file. A side with no time (NaN: no stamp, no packet) cannot be checked, and nothing then
 * says the calls did not go on: the seam is taken on trust.
 */
export function judgeSeam(lastTs: number, firstTs: number, nextName: string, w: SeamWords): { holds: boolean; note: string } {
  const goOn = 'calls in progress at the end of this file continue there';
  if (!Number.isFinite(lastTs) || !Number.isFinite(firstTs)) return { holds: true, note: `${CHAINED_NOTE}${nextName}, ${w.next} (nothing to check the seam against): ${goOn}` };
  if (chainHolds(lastTs, firstTs)) {
    const quiet = firstTs - lastTs > CHAIN_QUIET_MS ? `; nothing was read for ${spanText(firstTs - lastTs)} across the seam (a quiet spell, or a missing piece of the chain: calls in progress then would end unseen)` : '';
    return { holds: true, note: `${CHAINED_NOTE}${nextName}, ${w.next}: ${goOn}${quiet}` };
  }
  return {
    holds: false,
    note: `${UNCHAINED_NOTE}${nextName} (${w.first} is ${gapText(firstTs - lastTs)} ${w.last}): calls in progress at the end of this file are left unfinished`,
  };
}

/** `12 s`, `14 min`, `1.5 h`, `2.0 d`: a length of time, whatever its sign. */
export function spanText(ms: number): string {
  const a = Math.abs(ms);
  if (a >= 86_400_000) return `${(a / 86_400_000).toFixed(1)} d`;
  if (a >= 3_600_000) return `${(a / 3_600_000).toFixed(1)} h`;
  if (a >= 600_000) return `${Math.round(a / 60_000)} min`;
  return `${Math.round(a / 1000)} s`;
}

/** `12 s before`, `1.5 h after`, `2.0 d after`: how far `ms` lies from a reference. */
export function gapText(ms: number): string {
  return `${spanText(ms)} ${ms < 0 ? 'before' : 'after'}`;
}
