/**
 * One CSV cell (RFC 4180) that a spreadsheet will not run and a terminal will not obey: shared by every CSV
 * writer (reports, the catalogue, `calls`). Kept apart from the renderers so that light commands can use it.
 */
import { printable } from '../printable.js';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * Blanks a spreadsheet may skip before it looks for a formula starter: space, no-break space, the Unicode
 * spaces, zero-width space, BOM. (Controls are not listed: `printable` has made them U+FFFD, also skipped.)
 */
function blank(c: number): boolean {
  return c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff || c === 0xfffd;
}

/**
 * Whether a spreadsheet could take the text for a formula: it starts with a tab or a carriage return (the
 * OWASP list), or its first character after blanks and control characters is `=`, `+`, `-` or `@`, so that
 * ` =1+1` and `ESC =1+1` are caught like `=1+1`. `shown` is the text as written, `printable(s)`.
 */
export function formulaLike(s: string, shown: string = printable(s)): boolean {
  const first = s.charCodeAt(0);
  if (first === 0x09 || first === 0x0d) return true;
  for (let i = 0; i < shown.length; i++) {
    const c = shown.charCodeAt(i);
    if (blank(c)) continue;
    // = + - @
    return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40;
  }
  return false;
}

/**
 * One CSV cell, ready to join with commas. Text goes through `printable` first: every C0 control (ESC, BEL,
 * and also TAB, CR and LF), DEL, every C1 control and the bidirectional controls become U+FFFD, so a cell
 * shown on a terminal (`sipscope calls … --format csv`) cannot recolour, retitle or clear it, and every
 * record is one line: RFC 4180 would allow a line break inside a quoted cell, but no field sipscope writes
 * can rightly hold one (SIP header values cannot; names come from one line of a file), and a CR or LF from the
 * wire would forge or overwrite a line where the CSV is read as text. Then a text that `formulaLike` gets a
 * leading `'`, and RFC 4180 quoting (a cell holding a comma or a double quote is quoted, quotes doubled).
 * Finite numbers are written as they are (a number cannot carry a formula); non-finite numbers, null and
 * undefined become an empty cell.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = printable(value);
  if (formulaLike(value, s)) s = "'" + s;
  let needsQuotes = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // CR and LF cannot be left after printable; kept in the test so the quoting stays RFC 4180 on its own.
    if (c === 0x2c || c === 0x22 || c === 0x0a || c === 0x0d) {
      needsQuotes = true;
      break;
    }
  }
  return needsQuotes ? `"${s.replaceAll('"', '""')}"` : s;
}
