/**
 * Matching key of a reason phrase: letters and digits only, ASCII lower-cased, everything else (spaces,
 * punctuation, quotes, hyphens) dropped. `Server Time-out`, `server timeout` and `SERVER-TIMEOUT` share one
 * key. Non-ASCII letters (a Cyrillic phrase on the wire) are kept and lower-cased. One pass over the
 * characters, bounded by `max`, so a hostile phrase costs linear time at most.
 */
export function phraseKey(text: string, max = 256): string {
  let out = '';
  let latin = false;
  let cyrillic = false;
  const n = text.length < max ? text.length : max;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      out += text[i];
      latin = true;
    } else if (c >= 0x30 && c <= 0x39) out += text[i];
    else if (c >= 0x41 && c <= 0x5a) {
      out += String.fromCharCode(c + 0x20);
      latin = true;
    } else if (c >= 0x80 && isLetterOrDigit(c)) {
      // ё is written е as often as not
      const l = c === 0x401 || c === 0x451 ? 'е' : text[i]!.toLowerCase();
      if (c >= 0x400 && c <= 0x4ff) cyrillic = true;
      out += l;
    }
  }
  return latin && cyrillic ? foldLookalikes(out) : out;
}

/**
 * Cyrillic letters that look like Latin ones, in a key that has Latin letters too: a phrase copied from a page
 * that typed `Unavailablе` with a Cyrillic `е` is the same phrase. A key with no Latin letter (a Russian
 * phrase) is left as it is.
 */
const LOOKALIKE: Record<string, string> = { а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's' };
function foldLookalikes(key: string): string {
  let out = '';
  for (const ch of key) out += LOOKALIKE[ch] ?? ch;
  return out;
}

/** Latin-1 letters, Cyrillic, and other letters above U+0100 except the general punctuation block. */
function isLetterOrDigit(c: number): boolean {
  if (c < 0xc0) return false; // Latin-1 punctuation, NBSP, symbols
  if (c === 0xd7 || c === 0xf7) return false; // × ÷
  if (c >= 0x2000 && c <= 0x206f) return false; // general punctuation: dashes, quotes, ellipsis
  if (c >= 0x3000 && c <= 0x303f) return false; // CJK punctuation
  if (c >= 0xd800 && c <= 0xdfff) return false; // surrogate halves (emoji and the like)
  if (c === 0xfeff || c === 0xfffd) return false;
  return true;
}

/** Upper-case identifier key for names such as `NO ANSWER`, `no_answer`, `NoAnswer`: letters and digits only. */
export function nameKey(text: string, max = 64): string {
  let out = '';
  const n = text.length < max ? text.length : max;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) out += text[i];
    else if (c >= 0x30 && c <= 0x39) out += text[i];
    else if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(c - 0x20);
  }
  return out;
}

/**
 * The words of a free-text query, for topic keywords: runs of letters and runs of ASCII digits (`30s` is `30`
 * and `s`), lower-cased, `ё` as `е`. One pass over at most `max` characters and at most `maxWords` words, so
 * a pasted log costs linear time at most.
 */
export function queryWords(text: string, max = 512, maxWords = 64): string[] {
  const words: string[] = [];
  let cur = '';
  let digits = false;
  const n = text.length < max ? text.length : max;
  const flush = (): void => {
    if (cur) words.push(cur);
    cur = '';
  };
  for (let i = 0; i < n && words.length < maxWords; i++) {
    const c = text.charCodeAt(i);
    const isDigit = c >= 0x30 && c <= 0x39;
    let letter: string | undefined;
    if (c >= 0x61 && c <= 0x7a) letter = text[i]!;
    else if (c >= 0x41 && c <= 0x5a) letter = String.fromCharCode(c + 0x20);
    else if (c >= 0x80 && isLetterOrDigit(c)) letter = c === 0x401 || c === 0x451 ? 'е' : text[i]!.toLowerCase();
    if (isDigit) {
      if (!digits) flush();
      digits = true;
      cur += text[i];
    } else if (letter !== undefined) {
      if (digits) flush();
      digits = false;
      cur += letter;
    } else flush();
  }
  if (words.length < maxWords) flush();
  return words;
}

/** What a unit word after a number measures: time, size or a share. */
export type MeasureUnit = 'ms' | 's' | 'min' | 'h' | 'bytes' | '%';

const UNIT_WORDS: ReadonlyMap<string, MeasureUnit> = new Map<string, MeasureUnit>([
  ['s', 's'], ['sec', 's'], ['secs', 's'], ['с', 's'], ['сек', 's'],
  ['ms', 'ms'], ['msec', 'ms'], ['msecs', 'ms'], ['мс', 'ms'], ['мсек', 'ms'],
  ['min', 'min'], ['mins', 'min'], ['мин', 'min'],
  ['h', 'h'], ['hr', 'h'], ['hrs', 'h'], ['ч', 'h'], ['час', 'h'], ['часа', 'h'], ['часов', 'h'],
  ['байт', 'bytes'],
  ['pct', '%'],
]);
/** Word beginnings of units: `seconds`, `секунды`, `миллисекунд`, `minutes`, `минуту`, `hours`, `bytes`. */
const UNIT_STEMS: readonly (readonly [string, MeasureUnit])[] = [
  ['millisecond', 'ms'], ['миллисекунд', 'ms'], ['second', 's'], ['секунд', 's'], ['minute', 'min'], ['минут', 'min'],
  ['hour', 'h'], ['byte', 'bytes'], ['percent', '%'], ['процент', '%'],
];

/**
 * The unit a word names when it follows a number (`120 seconds`, `600 ms`, `через 180 с`, `300 bytes`), or
 * undefined. The word is compared lower-cased (as queryWords gives it); a closing full stop is ignored.
 */
export function measureUnit(word: string | undefined): MeasureUnit | undefined {
  if (word === undefined || word.length === 0 || word.length > 16) return undefined;
  let w = word.toLowerCase();
  while (w.endsWith('.')) w = w.slice(0, -1);
  const exact = UNIT_WORDS.get(w);
  if (exact !== undefined) return exact;
  for (const [stem, unit] of UNIT_STEMS) if (w.startsWith(stem)) return unit;
  return undefined;
}
