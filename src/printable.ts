/**
 * Text from the wire made safe for a terminal or a one-line cell. These become U+FFFD:
 * - C0 controls, DEL and C1 controls, which include ESC and so the ANSI sequences that could recolour or
 *   rewrite the screen, and the line ends that would let a route name forge a line of its own;
 * - the bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) and the marks
 *   (U+200E, U+200F, U+061C), which make the rest of a line display reversed: a Call-ID or a route name
 *   could be made to read as another.
 * A loop over code units: linear, no regular expression.
 */
export function printable(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xa0 ? c < 0x20 || c >= 0x7f : isBidiControl(c)) {
      out += s.slice(last, i) + '\uFFFD';
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

/**
 * Whether a UTF-16 code unit is a bidirectional control: an override, embedding or isolate (U+202A–U+202E,
 * U+2066–U+2069) or a mark (U+200E, U+200F, U+061C). The one list: `printable` and the HTML report's
 * escaping (report/escape.ts) both use it.
 */
export function isBidiControl(c: number): boolean {
  return (c >= 0x200e && (c <= 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))) || c === 0x061c;
}
