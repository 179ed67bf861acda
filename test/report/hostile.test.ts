/**
 * Attacker-controlled strings (route names, reason phrases, User-Agents, Call-IDs, file names and display
 * numbers come from the wire or from files) must come out inert in every format.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { csvCell, csvRow } from '../../src/report/csv.js';
import { escapeHtml, escapeHtmlText } from '../../src/report/escape.js';
import { printable } from '../../src/printable.js';
import { analyze } from '../../src/pipeline.js';
import { jsonText } from '../../src/report/json-text.js';
import { promLabelValue } from '../../src/report/prom.js';
import { CSP } from '../../src/report/html.js';
import { render } from '../../src/report/index.js';
import { mdText } from '../../src/report/md.js';

const hostile = JSON.parse(readFileSync(new URL('../../fixtures/report/hostile.json', import.meta.url), 'utf8')) as AnalysisResult;
const XSS = '<script>alert(1)</script>';
const FORMULA = "=cmd|' /C calc'!A0";

describe('escapeHtml', () => {
  it('escapes markup and quotes, and replaces control characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001bc\td\ne\u007f')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFD');
    // C1 too (U+009B is CSI to an 8-bit terminal); other text untouched
    expect(escapeHtml('\u0080a\u009b31m\u009fb\u00a0é')).toBe('\uFFFDa\uFFFD31m\uFFFDb\u00a0é');
  });
  it('is linear on long hostile input', () => {
    const s = '<'.repeat(1_000_000);
    const t0 = performance.now();
    expect(escapeHtml(s).length).toBe(4_000_000);
    // Generous: a quadratic escaper would take minutes here, a linear one well under a second.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('HTML', () => {
  const html = render(hostile, 'html');
  it('contains no markup from the data', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('</style><style>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;@h');
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
  });
  it('has no event-handler attribute and no javascript: URL at all', () => {
    // Outside of escaped text, an attribute would look like ` onxxx=`; escaped text has no raw `<`, so
    // any ` on…=` in the output is inside a text node. Check the tags themselves.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    for (const tag of tags) {
      expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag).not.toMatch(/javascript:/i);
      expect(tag, 'nothing is loaded').not.toMatch(/\s(src|href|srcset|action|formaction|xlink:href)\s*=/i);
    }
    expect(tags.length).toBeGreaterThan(500);
  });
  it('has a strict Content-Security-Policy and loads nothing', () => {
    expect(CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|base|form)\b/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(style).not.toMatch(/url\(|@import/i);
  });
});

/** Every bidirectional control `printable` replaces (the overrides, embeddings, isolates and marks). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI_ALL = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
/** Times, enumerations and names the renderer reads rather than shows: left as they are. */
const NOT_TEXT = new Set(['start', 'end', 'busyAt', 'answeredAt', 'generatedAt', 'since', 'until', 'format', 'unit', 'compressed', 'id', 'name', 'version']);

/** The result with every shown string (routes, prefixes, Call-IDs, callees, file names, details, notes…) wrapped in bidi controls. */
function withBidi<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (NOT_TEXT.has(key) ? value : `\u202e${value}${BIDI_ALL}`) as T;
  if (Array.isArray(value)) return value.map((v) => withBidi(v, key)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBidi(v, k)])) as T;
  return value;
}

describe('HTML: bidirectional controls', () => {
  it('escapeHtmlText makes each of them U+FFFD, as printable does; escapeHtml keeps them (for a page that isolates them)', () => {
    for (const ch of BIDI_ALL) {
      expect(escapeHtmlText(`a${ch}b`), ch.charCodeAt(0).toString(16)).toBe('a\uFFFDb');
      expect(escapeHtmlText(`a${ch}b`)).toBe(escapeHtml(printable(`a${ch}b`)));
      expect(escapeHtml(`a${ch}b`)).toBe(`a${ch}b`);
    }
    // otherwise the same escaping: entities, C0 but tab and line ends, DEL, C1; other text untouched
    expect(escapeHtmlText('<a\u001b\t\n\u009b"\u2067é\u200b')).toBe('&lt;a\uFFFD\t\n\uFFFD&quot;\uFFFDé\u200b');
  });

  it('none reaches the report from any string: titles, tables, tooltips, chart labels, Call-IDs, file names', () => {
    const evil = withBidi(hostile);
    expect(evil.routes[0]!.route).toBe(`\u202e${hostile.routes[0]!.route}${BIDI_ALL}`);
    const html = render(evil, 'html');
    expect(html).not.toMatch(BIDI);
    // the strings are still shown, with U+FFFD where each control was
    expect(html).toContain('\uFFFD@SUM(A1)\t' + 'x' + '\uFFFD'.repeat(12));
    expect(html).toContain(`<title>\uFFFD`);
    expect(html).toMatch(/<svg class="chart"[^>]*aria-label="ASR over time on \uFFFD/);
  });

  it('a CDR whose trunk names, callee numbers and Call-IDs carry them gives a report without any', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-bidi-'));
    const csv = join(dir, 'bidi.csv');
    // vendor-b written as U+202E + "a-rodnev": a browser would show "vendor-a", with vendor-b's busy spike
    const rows = ['Call ID,Setup Time,Connect Time,DNIS,Vendor,SIP Code,Duration,PDD ms'];
    for (let i = 0; i < 120; i++) {
      const t = `2024-03-05 ${String(6 + Math.floor(i / 20)).padStart(2, '0')}:${String((i * 3) % 60).padStart(2, '0')}:00`;
      const b = i % 2 === 1;
      const busy = b && i >= 60 && i < 100;
      rows.push(`${BIDI_ALL[i % 12]}${i}@10.0.0.1,${t},${busy ? '' : t},${BIDI_ALL[(i + 3) % 12]}7495${i},${b ? '\u202ea-rodnev' : 'vendor-a'},${busy ? 486 : 200},${busy ? 0 : 30},2000`);
    }
    writeFileSync(csv, rows.join('\n') + '\n');
    const result = await analyze([csv], { prefixDigits: 4 });
    expect(result.routes.map((r) => r.route).sort()).toEqual(['vendor-a', '\u202ea-rodnev']);
    const html = render(result, 'html');
    expect(html).not.toMatch(BIDI);
    expect(html).toContain('\uFFFDa-rodnev');
  });
});

describe('CSV', () => {
  it('csvCell neutralises formula starters and quotes per RFC 4180', () => {
    expect(csvCell(FORMULA)).toBe(`'${FORMULA}`);
    expect(csvCell('+1-555')).toBe("'+1-555");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    // Tab and CR still earn the apostrophe (OWASP), and are shown as U+FFFD like every control character.
    expect(csvCell('\tcmd')).toBe("'\uFFFDcmd");
    expect(csvCell('\rcmd')).toBe("'\uFFFDcmd");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    // One record per line: a line feed from the wire would forge a line where the CSV is read as text.
    expect(csvCell('two\nlines')).toBe('two\uFFFDlines');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('')).toBe('');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('csvCell shows every control character as U+FFFD: C0 (ESC, BEL, TAB, CR, LF), DEL, C1, bidi', () => {
    expect(csvCell('Busy \u001b[31mRED\u001b[0m\u001b]0;pwned\u0007 =SUM(1)')).toBe('Busy \uFFFD[31mRED\uFFFD[0m\uFFFD]0;pwned\uFFFD =SUM(1)');
    expect(csvCell('a\u007fb\u0085c\u009bd\u202ee\u2066f')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf');
    expect(csvCell('x\r\ny,z')).toBe('"x\uFFFD\uFFFDy,z"');
    expect(csvCell('Привет, мир')).toBe('"Привет, мир"');
  });

  it('csvCell finds a formula starter behind leading blanks and controls', () => {
    for (const [raw, shown] of [
      [' =1+1', "' =1+1"],
      ['   +7 495', "'   +7 495"],
      ['\u00a0-2', "'\u00a0-2"],
      ['\u3000@SUM(A1)', "'\u3000@SUM(A1)"],
      ['\ufeff=1', "'\ufeff=1"],
      ['\u001b=EVIL', "'\uFFFD=EVIL"],
      ['\u001b]0;x\u0007=EVIL', '\uFFFD]0;x\uFFFD=EVIL'], // a visible character comes first: no formula
      ['\u0000\u0007 \u009b=1', "'\uFFFD\uFFFD \uFFFD=1"],
      ['\u202e-1', "'\uFFFD-1"],
      ['\n=1', "'\uFFFD=1"],
      ['a=1', 'a=1'],
      ['  ', '  '],
      ['\u001b', '\uFFFD'],
    ] as const) expect(csvCell(raw), JSON.stringify(raw)).toBe(shown);
  });

  it.each([['route', {}], ['bucket', { by: 'bucket' as const }]])('the %s CSV parses back (RFC 4180) and no cell starts a formula', (_n, opts) => {
    const text = render(hostile, 'csv', opts);
    const rows = parse(text, { relax_column_count: false, record_delimiter: '\r\n' }) as string[][];
    expect(rows.length).toBeGreaterThan(4);
    const width = rows[0].length;
    for (const row of rows) {
      expect(row.length).toBe(width);
      for (const cell of row) if (cell.length > 0 && /^[-=+@\t\r]/.test(cell)) expect(Number.isFinite(Number(cell)), `cell ${JSON.stringify(cell)}`).toBe(true);
    }
    const routes = rows.slice(1).map((r) => r[0]);
    expect(routes).toContain(`'${FORMULA}`);
    expect(routes).toContain(XSS);
    expect(routes).toContain('\'-2+3 "quoted" \\ back\uFFFDslash');
    expect(routes).toContain("'@SUM(A1)\uFFFDx");
  });
});

describe('Prometheus labels', () => {
  it('show control characters as U+FFFD, then escape as the format says', () => {
    expect(promLabelValue('\u001b]0;owned\u0007\u001b[2J=EVIL<b>')).toBe('\uFFFD]0;owned\uFFFD\uFFFD[2J=EVIL<b>');
    expect(promLabelValue('a\u007fb\u009bc\u202ed\te\nf"\\')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\\"\\\\');
  });
  it('the whole prom output carries no control character from the data', () => {
    const evil = { ...hostile, routes: hostile.routes.map((r, i) => (i === 0 ? { ...r, route: 'evil\u001b[2J\u001b]0;pwned\u0007\u009b\u202e' } : r)) };
    const out = render(evil, 'prom');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('{route="evil\uFFFD[2J\uFFFD]0;pwned\uFFFD\uFFFD\uFFFD"}');
  });
});

describe('JSON', () => {
  it('jsonText writes DEL, C1 and bidi controls as \\u escapes, losslessly, and keeps its own line ends', () => {
    const value = { route: 'a\u001b[31m\u007f\u0085\u009b\u202e\u2069\u200e\u061c\uFFFDé', n: [1, 2] };
    const text = jsonText(JSON.stringify(value, null, 2));
    // eslint-disable-next-line no-control-regex
    expect(text.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('a\\u001b[31m\\u007f\\u0085\\u009b\\u202e\\u2069\\u200e\\u061c\uFFFDé');
    expect(JSON.parse(text)).toEqual(value);
    const plain = JSON.stringify({ a: 'nothing to do', b: 'Привет' }, null, 2);
    expect(jsonText(plain)).toBe(plain);
  });
  it('the JSON report shows them escaped and parses back to the same result', () => {
    const evil = { ...hostile, routes: hostile.routes.map((r, i) => (i === 0 ? { ...r, route: 'evil\u009b31m\u202e' } : r)) };
    const out = render(evil, 'json');
    expect(out).toContain('"route": "evil\\u009b31m\\u202e"');
    expect((JSON.parse(out) as AnalysisResult).routes.map((r) => r.route)).toContain('evil\u009b31m\u202e');
  });
});

describe('Markdown', () => {
  const md = render(hostile, 'md');
  it('mdText escapes markup, pipes and HTML', () => {
    expect(mdText(FORMULA)).toBe("=cmd\\|' /C calc'!A0");
    expect(mdText(XSS)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mdText('*a* _b_ [c](d) `e` ~f~ \\')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\~f\\~ \\\\');
    expect(mdText('line\nbreak')).toBe('line\uFFFDbreak');
  });
  it('keeps every table row to its column count and carries no raw HTML from the data', () => {
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    let columns = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      // Unescaped pipes separate cells.
      const cells = line.replace(/\\\\/g, '').split(/(?<!\\)\|/).length;
      if (columns === 0) columns = cells;
      expect(cells, line).toBe(columns);
    }
  });
});

describe('terminal table', () => {
  it('shows no control character from the data (no ANSI injection)', () => {
    const out = render({ ...hostile, routes: hostile.routes.map((r, i) => (i === 0 ? { ...r, route: 'evil\u001b[2J\u001b]0;pwned\u0007' } : r)) }, 'table');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('evil\uFFFD[2J\uFFFD]0;pwned\uFFFD');
  });
});
