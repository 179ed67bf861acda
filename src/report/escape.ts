/**
 * The escaping of the HTML pages. Every string that came from the wire or a file (route names, reason
 * phrases, User-Agents, display names, Call-IDs, file names, anomaly details) and every other text goes
 * through it, in element content and in (always double-quoted) attribute values alike, HTML and SVG.
 */
import { isBidiControl } from '../printable.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The analysis report's escaping (html.ts, svg.ts): `escapeHtml`, and the bidirectional controls become
 * U+FFFD too, as in every other report format (`printable`'s list). A browser obeys them: a route named
 * `U+202E a-rodnev` would read as `vendor-a`, in the route table, a chart's title and a tooltip alike, and
 * put one vendor's spike on another's name. Tab and line ends are kept (tooltips are written on several lines).
 */
export function escapeHtmlText(s: string): string {
  return escape(s, true);
}

/**
 * `&<>"'` become entities; C0 control characters other than tab, LF and CR, DEL and the C1 controls become
 * U+FFFD (they are parse errors in HTML, invisible to a reader, and escape sequences to a terminal the page is
 * written to). Bidirectional controls are kept (an override still reverses the text it is in, even inside `<bdi>`):
 * the analysis report and the flow page use `escapeHtmlText`.
 */
export function escapeHtml(s: string): string {
  return escape(s, false);
}

/** One pass over the code units: linear time on any input. */
function escape(s: string, bidi: boolean): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0xa0) {
      if (c === 0x26 || c === 0x3c || c === 0x3e || c === 0x22 || c === 0x27) rep = ENTITY[s[i]!];
      else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c >= 0x7f) rep = '\uFFFD';
    } else if (bidi && isBidiControl(c)) rep = '\uFFFD';
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}
