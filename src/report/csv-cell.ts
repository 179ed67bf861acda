/**
 * One CSV cell (RFC 4180) that a spreadsheet will not run: shared by every CSV writer (reports, the
 * catalogue, `calls`). Kept apart from the renderers so that light commands can use it.
 */
export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula (or hide what follows). */
function startsDangerously(s: string): boolean {
  const c = s.charCodeAt(0);
  // = + - @ TAB CR
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d;
}

/**
 * One CSV cell, ready to join with commas: RFC 4180 quoting, and formula neutralisation of text.
 * Finite numbers are written as they are (a number cannot carry a formula); non-finite numbers, null and
 * undefined become an empty cell.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = value;
  if (s.length > 0 && startsDangerously(s)) s = "'" + s;
  let needsQuotes = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2c || c === 0x22 || c === 0x0a || c === 0x0d) {
      needsQuotes = true;
      break;
    }
  }
  return needsQuotes ? `"${s.replaceAll('"', '""')}"` : s;
}

