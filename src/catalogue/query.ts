/**
 * Reads what a user pastes into `explain`: `486`, `403 No Money Left on RFC Account`, `SIP/2.0 480 DB Timeout`
 * (a whole status line, CRLF included), or a line copied from a log or a support page that holds a status:
 * Asterisk's `Got SIP response 486 "Busy Here" back from 172.16.1.16`, `SIP response 486 «Busy Here»`,
 * `Ошибка Sip 503 – Service Unavailable`. The query may be a pasted log line, so it is read by one walk over
 * at most MAX_QUERY characters, with no regular expression.
 */
import { findTopic, type Topic } from './index.js';
import { measureUnit } from './normalize.js';

export interface CodeQuery {
  code: number;
  /** The reason phrase as given, without the separator, quotes or `back from …` around it; absent when none. */
  reason?: string;
}

/** How a query was read: as a response, or as a known problem with no code. */
export type ExplainQuery = ({ kind: 'code' } & CodeQuery) | { kind: 'topic'; topic: Topic };

const MAX_QUERY = 1024;

/**
 * Words after which a number is the response code: `SIP/2.0 480`, `SIP 415`, `Sip-486`, `Got SIP response 486`,
 * `error 404`, `code 486`, `status: 200`, `the phone shows 486 Busy`, `ошибка 603`, `ошибку 408`, `код 486`,
 * `ответ 486`, `телефон пишет 403`. Compared lower-cased. Verbs are here only in the forms that describe what
 * a phone or a server displays or answers: a count (`answered 100 calls`) must not become a code.
 */
const LEAD_INS: ReadonlySet<string> = new Set([
  'sip', 'sip/', 'response', 'reply', 'error', 'code', 'status',
  'show', 'shows', 'showed', 'shown', 'display', 'displays', 'displayed', 'says', 'said', 'returns', 'returned',
  'код', 'кода', 'коду', 'кодом', 'коде',
  'пишет', 'пишут', 'показывает', 'показывают', 'показал', 'показала',
  'выдает', 'выдаёт', 'выдают', 'выдал', 'выдала', 'отвечает', 'отвечают',
]);
/** Word beginnings that lead in a code: the cases of `ошибка`, `ответ` (and `ответил`), `статус`; `sip/x.y`. */
const LEAD_IN_PREFIXES: readonly string[] = ['ошибк', 'ответ', 'статус'];
/** Words that may stand between a lead-in and its code: res_pjsip's `Response is 200 OK`, `error was 503`. */
const LINKS: ReadonlySet<string> = new Set(['is', 'was']);

/**
 * The response code of a query, and its phrase. The code is three digits that start the query or follow a
 * lead-in word (LEAD_INS; any three digits, so that `799` is reported as no SIP code), standing on their own:
 * `4860`, `486abc`, the `172` of `172.16.1.16` and the `300` of `sip:300@host` are none, and neither is a number
 * followed by a unit (`120 seconds`, `600 ms`, `300 bytes`) unless a status line's `SIP/2.0` names it the code.
 * A number anywhere else in the text is not taken:
 * `calls drop after 120 seconds`, `seqno 102`, `Call from 300 to 486` are descriptions, not responses.
 * Undefined when the query holds no code.
 */
export function parseCodeQuery(input: string): CodeQuery | undefined {
  return readCode(input);
}

/**
 * How `explain` reads a query: a code at the start or after a lead-in (`parseCodeQuery`); else a known problem
 * by its keywords (`ghost calls`, `calls from 100`, `звонок обрывается через 30 секунд`). A query such as
 * `calls from 1000` is a topic, `phone shows 486 Busy` is a code, `after 600 ms the call fails` is neither.
 */
export function readExplainQuery(input: string): ExplainQuery | undefined {
  const q = readCode(input);
  if (q) return { kind: 'code', ...q };
  const topic = findTopic(input);
  return topic ? { kind: 'topic', topic } : undefined;
}

function readCode(input: string): CodeQuery | undefined {
  const s = input.length > MAX_QUERY ? input.slice(0, MAX_QUERY) : input;
  let leadIn = false; // the last word leads in a code (or links one: `Response is`)
  let statusLine = false; // the last word is `SIP/2.0`: what follows is a status line's code, whatever comes next
  let first = true; // no word seen yet
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
      // a full stop that ends a sentence is not part of the word: `error 486.`
      let end = j;
      while (end > i + 1 && s.charCodeAt(end - 1) === 0x2e /* . */) end--;
      if (
        (first || leadIn) &&
        end - i === 3 && isDigit(s.charCodeAt(i)) && isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2)) &&
        (statusLine || !isOtherNumber(s, j, leadIn))
      ) {
        const code = (s.charCodeAt(i) - 0x30) * 100 + (s.charCodeAt(i + 1) - 0x30) * 10 + (s.charCodeAt(i + 2) - 0x30);
        return withPhrase(s, code, end);
      }
      const word = j - i > 16 ? '' : s.slice(i, j).toLowerCase();
      leadIn = isLeadIn(word) || (leadIn && LINKS.has(word));
      statusLine = word.length > 4 && word.startsWith('sip/') && isVersion(word, 4);
      first = false;
      i = j;
    } else if (isSeparator(c)) {
      i++;
    } else {
      leadIn = false;
      statusLine = false;
      first = false;
      i++;
    }
  }
  return undefined;
}

/**
 * Whether the three digits that end at `j` are some other number than a code: the user part of a SIP URI
 * (`sip:300@192.0.2.5`, in Asterisk's `Registration from '"300" <sip:300@…>' failed` line), or a quantity with
 * its unit (`120 seconds`, `600 ms`, `180-second`, `100 %`). The Cyrillic `с` is both the unit "s" and the
 * preposition "with", which often follows a code (`ответ 486 с фразой Busy Here`): after a lead-in it is read
 * as the preposition.
 */
function isOtherNumber(s: string, j: number, afterLeadIn: boolean): boolean {
  if (j < s.length && s.charCodeAt(j) === 0x40 /* @ */) return true;
  let k = j;
  while (k < s.length && (isSpace(s.charCodeAt(k)) || s.charCodeAt(k) === 0x2d /* - */)) k++;
  if (k < s.length && s.charCodeAt(k) === 0x25 /* % */) return true;
  let e = k;
  while (e < s.length && e - k <= 16 && isWordChar(s.charCodeAt(e))) e++;
  if (e === k || e - k > 16) return false;
  const word = s.slice(k, e).toLowerCase();
  if (afterLeadIn && (word === 'с' || word === 'с.')) return false;
  return measureUnit(word) !== undefined;
}

function isLeadIn(word: string): boolean {
  if (word === '') return false;
  if (LEAD_INS.has(word)) return true;
  if (word.startsWith('sip/')) return isVersion(word, 4);
  for (const p of LEAD_IN_PREFIXES) if (word.startsWith(p)) return true;
  return false;
}

/** `2.0` in `sip/2.0`: digits, a dot, digits (any number of each), and nothing else. */
function isVersion(w: string, from: number): boolean {
  let j = from;
  const d0 = j;
  while (j < w.length && isDigit(w.charCodeAt(j))) j++;
  if (j === d0 || w.charCodeAt(j) !== 0x2e) return false;
  const d1 = ++j;
  while (j < w.length && isDigit(w.charCodeAt(j))) j++;
  return j > d1 && j === w.length;
}

const CLOSING: Record<string, string> = { '"': '"', '«': '»', '“': '”', '„': '“', "'": "'", '(': ')', '‘': '’' };

/**
 * The phrase after the code that ends at `from`: a separator (`-`, `–`, `—`, `:`) is skipped; a quoted or
 * bracketed phrase ends at its closing mark; an unquoted one runs to the end of its line but stops before
 * Asterisk's ` back from <address>`. Trailing blanks, table bars and stray closing quotes are dropped.
 */
function withPhrase(s: string, code: number, from: number): CodeQuery {
  let i = skipSpace(s, from);
  if (i < s.length && isDash(s.charCodeAt(i))) i = skipSpace(s, i + 1);
  let phrase: string;
  const close = i < s.length ? CLOSING[s[i]!] : undefined;
  const at = close === undefined ? -1 : s.indexOf(close, i + 1);
  if (close !== undefined && at > i) phrase = s.slice(i + 1, at);
  else {
    if (close !== undefined) i++; // an opening mark that is never closed
    // the phrase ends with its line: a pasted status line is followed by the headers of its message
    const eol = indexOfLineEnd(s, i);
    const back = indexOfBackFrom(s.slice(0, eol), i);
    phrase = s.slice(i, back < 0 ? eol : back);
  }
  phrase = trimPhrase(phrase);
  return phrase ? { code, reason: phrase } : { code };
}

/** Where the line that holds `from` ends in s (a CR or LF), or the length of s. */
function indexOfLineEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return s.length;
}

/** Where ` back from ` (any case, any blanks) starts in s at or after `from`, or -1. */
function indexOfBackFrom(s: string, from: number): number {
  for (let i = from; i + 4 <= s.length; i++) {
    if (i > from && !isSpace(s.charCodeAt(i - 1))) continue;
    if (!asciiEqualsLower(s, i, 'back')) continue;
    let j = i + 4;
    const k = skipSpace(s, j);
    if (k === j || !asciiEqualsLower(s, k, 'from')) continue;
    j = k + 4;
    if (j === s.length || isSpace(s.charCodeAt(j))) return i;
  }
  return -1;
}

function asciiEqualsLower(s: string, at: number, word: string): boolean {
  if (at + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = s.charCodeAt(at + k);
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function trimPhrase(p: string): string {
  let a = 0;
  let e = p.length;
  while (a < e && isSpace(p.charCodeAt(a))) a++;
  while (e > a && (isSpace(p.charCodeAt(e - 1)) || TRAILING_JUNK.has(p.charCodeAt(e - 1)))) e--;
  // punctuation alone (the full stop of `error 486.`) is no phrase
  for (let k = a; k < e; k++) {
    const c = p.charCodeAt(k);
    if (isWordChar(c) && c !== 0x2e && c !== 0x2f && c !== 0x5f) return p.slice(a, e);
  }
  return '';
}

/** `|` of a pasted table row, closing quotes whose opening one came before the code (`«Ошибка Sip 503 – …»`). */
const TRAILING_JUNK: ReadonlySet<number> = new Set([0x7c, 0xbb, 0x201d, 0x22]);

/** Letters (any script), digits, and the `/ . _` that hold `SIP/2.0`, `172.16.1.16`, `chan_sip.c` together. */
function isWordChar(c: number): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  if (c === 0x2f || c === 0x2e || c === 0x5f) return true;
  if (c < 0xc0 || c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x206f) return false; // general punctuation: dashes, quotes
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return c !== 0xfeff && c !== 0xfffd;
}

/** What may stand between a lead-in word and its code: blanks, `-`, `–`, `—`, `:`. */
function isSeparator(c: number): boolean {
  return isSpace(c) || isDash(c);
}

function isDash(c: number): boolean {
  return c === 0x2d || c === 0x2013 || c === 0x2014 || c === 0x3a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0xa0;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}
