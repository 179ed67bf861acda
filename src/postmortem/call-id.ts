/**
 * Finding the call `flow` was asked for when the Call-ID given is not one of the inputs' exactly: a Call-ID copied
 * with its `…` from a clipped table, or part of one (a unique prefix is taken for the whole), and otherwise the
 * close matches an error can name. Call-IDs come from the wire: plain string tests, no regex, a bounded edit
 * distance on bounded lengths only.
 */

/** Fewest characters of a Call-ID taken as the start of one without a `…` (fewer start too many). */
export const CALL_ID_PREFIX_MIN = 6;
/** How many close matches an error names. */
export const NEAR_MAX = 3;
/** Longest Call-ID compared by edit distance (longer ones only by prefix and substring). */
const EDIT_MAX_LEN = 256;
/** Most edits (insertions, deletions, substitutions) a mistyped Call-ID may be away from the real one. */
const EDIT_MAX = 2;
/**
 * Most Call-IDs remembered as already ranked. Past it the memory starts again: ranking an id twice gives the same
 * answer (the close matches only get better), it just costs the work again.
 */
const RANKED_MAX = 65536;

/** The asked Call-ID as a prefix: without a trailing `…` or `...` (what a clipped table shows), trimmed. */
export function callIdPrefix(asked: string): string {
  let p = asked.trim();
  if (p.endsWith('…')) p = p.slice(0, -1);
  else if (p.endsWith('...')) p = p.slice(0, -3);
  return p.trimEnd();
}

/** Whether `a` and `b` are at most `max` edits apart (a banded Levenshtein distance; false past the band). */
export function withinEdits(a: string, b: string, max = EDIT_MAX): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  if (a.length > EDIT_MAX_LEN || b.length > EDIT_MAX_LEN) return false;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    cur.fill(max + 1);
    cur[0] = i;
    let best = lo > 1 ? max + 1 : i;
    for (let j = lo; j <= hi; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j - 1]! + cost, (prev[j] ?? max + 1) + 1, cur[j - 1]! + 1);
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return false;
    [prev, cur] = [cur, prev];
  }
  return prev[n]! <= max;
}

/**
 * Watches the Call-IDs of the inputs for the asked one's prefix matches and close matches. `see(id)` is called
 * for the messages' (and records') Call-IDs other than the asked one, until the asked one is found; each distinct
 * Call-ID is ranked once (the messages of one call repeat it).
 */
export class CallIdMatcher {
  private readonly prefix: string;
  private readonly lower: string;
  /** Distinct Call-IDs that start with the prefix (the first NEAR_MAX), and whether there are more. */
  readonly starting: string[] = [];
  startingMore = false;
  /** Close matches, best first: rank 0 the same but for case, 1 a prefix or substring either way, 2 a few edits. */
  private near: Array<{ id: string; rank: number }> = [];
  /** Call-IDs not starting with the prefix and already ranked (bounded by RANKED_MAX). */
  private readonly ranked = new Set<string>();

  constructor(asked: string) {
    this.prefix = callIdPrefix(asked);
    this.lower = this.prefix.toLowerCase();
  }

  /** Returns true when `id` starts with the asked prefix (a candidate for the whole Call-ID). */
  see(id: string): boolean {
    const p = this.prefix;
    if (p.length > 0 && id.length > p.length && id.startsWith(p)) {
      if (!this.starting.includes(id)) {
        if (this.starting.length < NEAR_MAX) this.starting.push(id);
        else this.startingMore = true;
      }
      return true;
    }
    if (p.length === 0 || this.ranked.has(id)) return false;
    if (this.ranked.size >= RANKED_MAX) this.ranked.clear();
    this.ranked.add(id);
    if (this.near.some((x) => x.id === id)) return false;
    const rank = this.rank(id);
    if (rank !== undefined) {
      // stable: a later id of the same rank goes after the earlier ones
      let at = this.near.length;
      while (at > 0 && this.near[at - 1]!.rank > rank) at--;
      if (at < NEAR_MAX) {
        this.near.splice(at, 0, { id, rank });
        if (this.near.length > NEAR_MAX) this.near.pop();
      }
    }
    return false;
  }

  /** The close matches found other than those it is the start of, best first (up to NEAR_MAX). */
  closeMatches(): string[] {
    return this.near.map((x) => x.id);
  }

  private rank(id: string): number | undefined {
    const l = id.toLowerCase();
    const q = this.lower;
    if (l === q) return 0;
    // short fragments match too much to be worth naming
    if (q.length >= 4 && (l.startsWith(q) || l.includes(q))) return 1;
    if (id.length >= 8 && q.includes(l)) return 1;
    if (q.length >= 6 && withinEdits(l, q)) return 2;
    return undefined;
  }
}
