/**
 * Reads what a user pastes into `explain`: `486`, `403 No Money Left on RFC Account`, `SIP/2.0 480 DB Timeout`
 * (a whole status line, CRLF included). One scan over the characters; no regular expressions.
 */
export interface CodeQuery {
  code: number;
  /** The reason phrase as given, trimmed; absent when only a code was given. */
  reason?: string;
}

const MAX_QUERY = 1024;

export function parseCodeQuery(input: string): CodeQuery | undefined {
  const s = input.length > MAX_QUERY ? input.slice(0, MAX_QUERY) : input;
  let i = skipSpace(s, 0);
  // optional protocol name without a version, as people write it: `SIP 415 (No Media)`
  if (s.length - i >= 4 && s.slice(i, i + 3).toUpperCase() === 'SIP' && isSpace(s.charCodeAt(i + 3))) i = skipSpace(s, i + 3);
  // optional protocol version: SIP/2.0 (any digits around the dot)
  else if (s.length - i >= 4 && s.slice(i, i + 4).toUpperCase() === 'SIP/') {
    let j = i + 4;
    const d0 = j;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    if (j === d0 || s.charCodeAt(j) !== 0x2e /* . */) return undefined;
    j++;
    const d1 = j;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    if (j === d1) return undefined;
    const k = skipSpace(s, j);
    if (k === j) return undefined;
    i = k;
  }
  if (s.length - i < 3) return undefined;
  const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
  if (!isDigit(a) || !isDigit(b) || !isDigit(c)) return undefined;
  const code = (a - 0x30) * 100 + (b - 0x30) * 10 + (c - 0x30);
  const after = i + 3;
  if (after < s.length && !isSpace(s.charCodeAt(after))) return undefined; // 4860, 486abc
  const rest = trimEnd(s.slice(skipSpace(s, after)));
  return rest ? { code, reason: rest } : { code };
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && isSpace(s.charCodeAt(e - 1))) e--;
  return s.slice(0, e);
}
