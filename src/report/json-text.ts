/**
 * JSON text safe to show on a terminal, losslessly. JSON.stringify escapes the C0 controls (ESC, BEL…) but
 * writes DEL, the C1 controls (U+009B is CSI to a terminal that reads 8-bit controls) and the bidirectional
 * controls raw. Here they become `\u` escapes: a JSON parser reads the very same strings, and `sipscope …
 * --format json` on a terminal shows them as text. Kept apart from the renderers so that light commands
 * (`calls`, `flow`, `scanners`) can use it.
 */
import { printable } from '../printable.js';

/**
 * `text` as JSON.stringify wrote it, with every character `printable` would replace written as a `\u`
 * escape, except the raw C0 characters: in JSON.stringify's text they can only be its own indentation (line
 * feeds), since it escapes them inside strings. The characters in question only ever occur inside strings.
 */
export function jsonText(text: string): string {
  const shown = printable(text);
  if (shown === text) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x7f && c !== 0xfffd && shown.charCodeAt(i) === 0xfffd) {
      out += text.slice(last, i) + '\\u' + c.toString(16).padStart(4, '0');
      last = i + 1;
    }
  }
  return out + text.slice(last);
}
