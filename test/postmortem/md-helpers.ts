/**
 * Reading `flow --format md` back the way a GitHub-flavoured renderer does, without one: table cells split on
 * the pipes that are not backslash-escaped, code spans by matching backtick runs, escapes and entities undone.
 * Loops over characters, as the renderer's own scanner does; no regular expression over the hostile text.
 */

/** Cells of a table row: split on `|` not escaped by a backslash (`\\|` is an escaped backslash, then a pipe). */
export function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === '\\' && i + 1 < row.length) {
      cur += ch + row[i + 1]!;
      i++;
    } else if (ch === '|') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  // a row starts and ends with a pipe: drop the empty outside parts
  if (out[0]!.trim() === '') out.shift();
  if (out.length && out.at(-1)!.trim() === '') out.pop();
  return out.map((c) => c.trim());
}

/** What a renderer shows for escaped inline text: backslash escapes of ASCII punctuation, `&amp;`/`&lt;`/`&gt;` undone, word joiners dropped. */
export function plain(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length && /[!-/:-@[-`{-~]/.test(s[i + 1]!)) {
      out += s[i + 1]!;
      i++;
    } else if (ch === '&' && s.startsWith('&amp;', i)) {
      out += '&';
      i += 4;
    } else if (ch === '&' && s.startsWith('&lt;', i)) {
      out += '<';
      i += 3;
    } else if (ch === '&' && s.startsWith('&gt;', i)) {
      out += '>';
      i += 3;
    } else if (ch !== '\u2060') out += ch;
  }
  return out;
}

/** A line cut into code spans and the text between them (CommonMark: a run of n backticks closes at the next run of exactly n). */
export function splitCode(line: string): { code: string[]; text: string } {
  const code: string[] = [];
  let text = '';
  let i = 0;
  const runAt = (k: number): number => {
    let n = 0;
    while (line[k + n] === '`') n++;
    return n;
  };
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      text += ch + line[i + 1]!;
      i += 2;
      continue;
    }
    if (ch !== '`') {
      text += ch;
      i++;
      continue;
    }
    const n = runAt(i);
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      if (line[j] === '`') {
        const m = runAt(j);
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (close < 0) {
      text += line.slice(i, i + n);
      i += n;
      continue;
    }
    let c = line.slice(i + n, close);
    if (c.length > 1 && c[0] === ' ' && c.at(-1) === ' ' && c.trim() !== '') c = c.slice(1, -1);
    code.push(c);
    text += '\u0000'; // where the span was
    i = close + n;
  }
  return { code, text };
}

/** Markup characters in escaped text that no backslash escapes (none may come from the wire). */
export function unescapedMarkup(s: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') i++;
    else if ('*_`[]~|$#<>'.includes(ch)) found.push(`${ch}@${i}`);
  }
  return found;
}

/** `flow --format md` in parts: heading, summary, leg lines, table header and rows, diagnosis lines. */
export function mdParts(out: string): {
  lines: string[];
  heading: string;
  summary: string;
  legs: string[];
  sections: string[];
  header: string[];
  delimiter: string;
  rows: string[];
  diagnosis: string[];
} {
  const lines = out.split('\n');
  const sections = lines.filter((l) => l.startsWith('### '));
  const ladder = lines.findIndex((l) => l.startsWith('### '));
  const diag = lines.findIndex((l, i) => i > ladder && l.startsWith('### '));
  const table = lines.slice(ladder + 2, diag - 1);
  return {
    lines,
    heading: lines[0]!,
    summary: lines[2]!,
    legs: lines.slice(3, ladder).filter((l) => l.startsWith('- ')),
    sections,
    header: cells(table[0] ?? ''),
    delimiter: table[1] ?? '',
    rows: table.slice(2),
    diagnosis: lines.slice(diag + 2).filter((l) => l !== ''),
  };
}
