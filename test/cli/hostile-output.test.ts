/**
 * Control characters from the wire and from files reach no output as themselves (audit 9, finding 6): CSV
 * (`analyze`, `calls`) and Prometheus labels show them as U+FFFD as the terminal table does, JSON writes the
 * ones JSON.stringify leaves raw (DEL, C1, bidi) as \u escapes, and the formula guard looks past leading
 * blanks and controls.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import type { AnalysisResult } from '../../src/analysis/result.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, stderrIsTTY: false };
  const code = await main(['node', 'sipscope', ...args], io);
  return { code, out, err };
}

// OSC 0 (window title), BEL, ED (clear screen), 8-bit CSI, DEL, RLO: every kind a terminal could obey.
const EVIL = '\u001b]0;owned\u0007\u001b[2J=EVIL<b>\u009b31m\u007fx\u202etxt';
// A formula behind a control character and a blank.
const HIDDEN = '\u001b =SUM(1)';

function cdr(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-hostile-'));
  const file = join(dir, 'evil.csv');
  const rows = ['calldate,src,dst,disposition,billsec,duration,trunk'];
  for (const [i, trunk] of [EVIL, EVIL, HIDDEN].entries()) {
    rows.push(`2024-03-05 10:0${i}:00,100,20${i},${i === 1 ? 'BUSY' : 'ANSWERED'},${i === 1 ? 0 : 30},35,"${trunk}"`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** Any C0 control but LF and CR (the record ends), DEL, any C1 control, and (but in HTML, see escape.ts) any bidi control. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const RAW_HTML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe('no control character from the data reaches the output', () => {
  const file = cdr();

  it.each([['analyze', 'csv'], ['analyze', 'prom'], ['analyze', 'json'], ['analyze', 'md'], ['analyze', 'html'], ['analyze', 'table'], ['calls', 'csv'], ['calls', 'json'], ['calls', 'table']])(
    '%s --format %s',
    async (command, format) => {
      const res = await run([command, file, '--format', format]);
      expect(res.code, res.err).toBe(0);
      expect(res.out).toContain('EVIL');
      expect(res.out).not.toMatch(format === 'html' ? RAW_HTML : RAW);
      // CSV: line ends are CRLF record ends only, every record one line
      if (format === 'csv') expect(res.out.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    },
  );

  it('analyze --format csv: the cells show U+FFFD, and a formula behind a control or a blank gets its apostrophe', async () => {
    const res = await run(['analyze', file, '--format', 'csv']);
    const rows = parse(res.out, { record_delimiter: '\r\n' }) as string[][];
    const routes = rows.slice(1).map((r) => r[0]);
    expect(routes).toContain('\uFFFD]0;owned\uFFFD\uFFFD[2J=EVIL<b>\uFFFD31m\uFFFDx\uFFFDtxt');
    expect(routes).toContain("'\uFFFD =SUM(1)");
  });

  it('calls --format csv: the route column likewise', async () => {
    const res = await run(['calls', file, '--format', 'csv']);
    const rows = parse(res.out, { record_delimiter: '\r\n', columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.route).sort()).toEqual(["'\uFFFD =SUM(1)", '\uFFFD]0;owned\uFFFD\uFFFD[2J=EVIL<b>\uFFFD31m\uFFFDx\uFFFDtxt', '\uFFFD]0;owned\uFFFD\uFFFD[2J=EVIL<b>\uFFFD31m\uFFFDx\uFFFDtxt'].sort());
  });

  it('prom: labels show U+FFFD', async () => {
    const res = await run(['analyze', file, '--format', 'prom']);
    expect(res.out).toContain('sipscope_attempts{route="\uFFFD]0;owned\uFFFD\uFFFD[2J=EVIL<b>\uFFFD31m\uFFFDx\uFFFDtxt"} 2');
  });

  it('json: lossless, the parsed strings are the ones read', async () => {
    const res = await run(['analyze', file, '--format', 'json']);
    expect(res.out).toContain('\\u009b31m\\u007fx\\u202etxt');
    const j = JSON.parse(res.out) as AnalysisResult;
    expect(j.routes.map((r) => r.route).sort()).toEqual([EVIL, HIDDEN].sort());
    const calls = await run(['calls', file, '--format', 'json']);
    expect((JSON.parse(calls.out) as Array<{ route: string }>).map((c) => c.route).sort()).toEqual([EVIL, EVIL, HIDDEN].sort());
  });
});
