/**
 * The one escaping function of the HTML report. Every string that came from the wire or a file (route names,
 * reason phrases, User-Agents, display names, Call-IDs, file names, anomaly details) and every other text
 * goes through it, in element content and in (always double-quoted) attribute values alike, HTML and SVG.
 */

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `&<>"'` become entities; C0 control characters other than tab, LF and CR, DEL and the C1 controls become
 * U+FFFD (they are parse errors in HTML, invisible to a reader, and escape sequences to a terminal the page is
 * written to). Bidirectional controls are kept: a page isolates them where it shows an identifier (`<bdi>`,
 * as the flow page does). One character class: linear time on any input.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => ENTITY[c] ?? '\uFFFD');
}
