/**
 * Reads what a user pastes into `explain`: `486`, `403 No Money Left on RFC Account`, `SIP/2.0 480 DB Timeout`
 * (a whole status line, CRLF included), or a line copied from a log or a support page that holds a status:
 * Asterisk's `Got SIP response 486 "Busy Here" back from 172.16.1.16`, `SIP response 486 «Busy Here»`,
 * `Ошибка Sip 503 – Service Unavailable`. The query may be a pasted log line, so it is read by one walk over
 * at most MAX_QUERY characters, with no regular expression.
 */
import { findTopic, type Topic } from './index.js';

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
 * `error 404`, `ошибка 603`, `ошибку 408`, `code 486`, `код 486`. Compared lower-cased; `sip/` and `ошибк`
 * are prefixes (a protocol version, the Russian word's cases).
 */
const LEAD_INS: ReadonlySet<string> = new Set(['sip', 'response', 'error', 'code', 'код', 'status', 'статус']);
const LEAD_IN_PREFIXES: readonly string[] = ['ошибк'];

/**
 * The response code of a query, and its phrase. The code is, in this order: three digits that start the
 * query or follow a lead-in word (LEAD_INS; then any three digits, so that `799` is reported as no SIP code),
 * or else the first standalone number from 100 to 699. Standalone: a run of digits of its own, so `4860`,
 * `486abc` and the `172` of `172.16.1.16` are none. Undefined when the query holds no such number.
 */
export function parseCodeQuery(input: string): CodeQuery | undefined {
  return readCode(input)?.query;
}

/**
 * How `explain` reads a query: a code at the start or after a lead-in wins; then a known problem by its
 * keywords (`ghost calls`, `звонок обрывается через 30 секунд`); then any standalone code in 100–699 in the
 * text. A query such as `calls from 1000` is a topic, `phone shows 486 Busy` is a code.
 */
export function readExplainQuery(input: string): ExplainQuery | undefined {
  const r = readCode(input);
  if (r && r.leadIn) return { kind: 'code', ...r.query };
  const topic = findTopic(input);
  if (topic) return { kind: 'topic', topic };
  return r ? { kind: 'code', ...r.query } : undefined;
}

interface Found {
  query: CodeQuery;
  /** The code started the query or followed a lead-in word. */
  leadIn: boolean;
}

function readCode(input: string): Found | undefined {
  const s = input.length > MAX_QUERY ? input.slice(0, MAX_QUERY) : input;
  let prev = ''; // the last word, lower-cased (capped), or '' after other punctuation
  let first = true; // no word seen yet
  let loose: { code: number; end: number } | undefined;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
      // a full stop that ends a sentence is not part of the word: `error 486.`
      let end = j;
      while (end > i + 1 && s.charCodeAt(end - 1) === 0x2e /* . */) end--;
      if (end - i === 3 && isDigit(s.charCodeAt(i)) && isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2))) {
        const code = (s.charCodeAt(i) - 0x30) * 100 + (s.charCodeAt(i + 1) - 0x30) * 10 + (s.charCodeAt(i + 2) - 0x30);
        if (first || isLeadIn(prev)) return { query: withPhrase(s, code, end), leadIn: true };
        if (!loose && code >= 100 && code <= 699) loose = { code, end };
      }
      prev = j - i > 16 ? '' : s.slice(i, j).toLowerCase();
      first = false;
      i = j;
    } else if (isSeparator(c)) {
      i++;
    } else {
      prev = '';
      first = false;
      i++;
    }
  }
  return loose ? { query: withPhrase(s, loose.code, loose.end), leadIn: false } : undefined;
}

function isLeadIn(word: string): boolean {
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
 * bracketed phrase ends at its closing mark; an unquoted one runs to the end of the query but stops before
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
    const back = indexOfBackFrom(s, i);
    phrase = s.slice(i, back < 0 ? s.length : back);
  }
  phrase = trimPhrase(phrase);
  return phrase ? { code, reason: phrase } : { code };
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
