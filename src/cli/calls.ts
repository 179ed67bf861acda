import { Option, type Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { CliContext } from './main.js';
import { inputLines } from './input-lines.js';
import { jsonText } from '../report/json-text.js';
import { collectList, intOption, parsePairs, timeOption, tzOption } from './options.js';
import { noInviteCount } from '../types.js';
import type { CallRow } from '../postmortem/calls.js';

interface CallsFlags {
  route?: string;
  code?: string;
  number?: string;
  since?: string;
  until?: string;
  format: 'table' | 'csv' | 'json';
  routes?: string;
  limit?: string;
  callTimeout?: string;
  tz?: string;
  year?: string;
  map?: string[];
}

/** By start; calls with no time last, in the order they came. */
function byStart(a: { start: string | null }, b: { start: string | null }): number {
  if (a.start === null || b.start === null) return a.start === b.start ? 0 : a.start === null ? 1 : -1;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

/**
 * The first `limit` rows in start order, `byStart` (the order they came among equals), whatever order they come in:
 * rows of answered calls wait for the rest of their call, so the first rows written are mostly failures. A max-heap
 * of the `limit` earliest: memory for `limit` rows, O(log limit) a row.
 */
class FirstRows {
  private readonly heap: Array<{ row: CallRow; seq: number }> = [];
  private seq = 0;
  constructor(private readonly limit: number) {}

  /** a after b: later start, or the same start and came later. */
  private static after(a: { row: CallRow; seq: number }, b: { row: CallRow; seq: number }): boolean {
    const c = byStart(a.row, b.row);
    return c > 0 || (c === 0 && a.seq > b.seq);
  }

  add(row: CallRow): void {
    const e = { row, seq: this.seq++ };
    const h = this.heap;
    if (h.length < this.limit) {
      h.push(e);
      for (let i = h.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!FirstRows.after(h[i]!, h[p]!)) break;
        [h[i], h[p]] = [h[p]!, h[i]!];
        i = p;
      }
      return;
    }
    if (!FirstRows.after(h[0]!, e)) return; // not among the first: the latest kept starts no later
    h[0] = e;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && FirstRows.after(h[l]!, h[m]!)) m = l;
      if (r < h.length && FirstRows.after(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  /** The rows kept, in start order. */
  rows(): CallRow[] {
    return [...this.heap].sort((a, b) => (FirstRows.after(a, b) ? 1 : -1)).map((e) => e.row);
  }
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('calls')
    .description('One row per call attempt: start, route, numbers, final code and its meaning, PDD, answer, duration, who hung up, flags, Call-ID')
    .argument('<inputs...>', 'captures, Asterisk logs or CDR exports (files, folders, globs, - for stdin)')
    .option('--route <name>', 'only this route (e.g. --route vendorA)')
    .option('--code <code>', 'only this final code or class; "none" or 0 for no final response (e.g. --code 486, --code 5xx)')
    .option('--number <digits>', 'only calls whose caller or callee contains these digits, whatever the signs between them (e.g. --number 7495, --number +7495)')
    .option('--since <time>', 'only calls starting at or after (ISO 8601 or epoch; e.g. --since 2024-05-01T10:00Z)')
    .option('--until <time>', 'only calls starting before (e.g. --until 2024-05-01T11:00Z)')
    .addOption(new Option('-f, --format <format>', 'table (sorted by start), csv or json (streamed as found)').choices(['table', 'csv', 'json']).default('table'))
    .option('--routes <file>', 'CSV "match,route" mapping next-hop addresses to route names')
    .option('--limit <n>', 'only the first N rows by start time (e.g. --limit 100); csv and json then come at the end of the input')
    .option('--call-timeout <sec>', 'captures: close a call with no traffic for this long as timed out (default 600)')
    .option('--tz <zone>', 'time zone of local-time logs and CDRs (e.g. --tz Europe/Moscow)')
    .option('--map <field=column>', 'CDR column for a field, repeatable (e.g. --map route=Supplier); names the columns of a CSV with no header', collectList)
    .option('--year <yyyy>', 'year for log stamps that have none')
    .addHelpText('after', '\nExamples:\n  sipscope calls capture.pcap --code 486\n  sipscope calls /var/log/asterisk/full --number 7495 --format csv > calls.csv\n')
    .action(async (inputs: string[], flags: CallsFlags) => {
      const { makeFilter, parseCodeFilter, CallRows, callsTable, csvHeader, csvCallRow } = await import('../postmortem/calls.js');
      const { specsOf, readAll } = await import('../postmortem/collect.js');
      if (flags.code !== undefined && !parseCodeFilter(flags.code)) throw new UsageError(`--code expects a code (486), a class (4xx), or none (0) for no final response, not '${flags.code}'`);
      // an empty --number would match every call: a usage slip (an unset shell variable), not a filter
      if (flags.number !== undefined && flags.number.trim() === '') throw new UsageError(`--number expects digits or text to find in the caller or the callee, not '${flags.number}'`);
      const filter = makeFilter({ route: flags.route, code: flags.code, number: flags.number, since: timeOption('--since', flags.since), until: timeOption('--until', flags.until) });
      const limit = intOption('--limit', flags.limit, 1, 1e9) ?? Infinity;
      const callTimeout = intOption('--call-timeout', flags.callTimeout, 1, 86400 * 7);
      const specs = await specsOf(inputs);
      const io = ctx.io;
      const rows: CallRow[] = [];
      let n = 0;
      if (flags.format === 'csv') io.stdout(csvHeader());
      if (flags.format === 'json') io.stdout('[');
      const write = (row: CallRow): void => {
        if (flags.format === 'csv') io.stdout(csvCallRow(row));
        else if (flags.format === 'json') io.stdout((n ? ',\n' : '\n') + jsonText(JSON.stringify(row)));
        else rows.push(row);
        n++;
      };
      // --limit: the first N by start, not the first N written (answered rows wait, below): kept until the end
      const first = Number.isFinite(limit) ? new FirstRows(limit) : undefined;
      // who hung up is decided across the hops and legs of a call (a B2BUA that ended them all): rows of answered
      // calls wait a little for the rest of their call
      const calls = new CallRows((row, r) => {
        if (!filter(r)) return;
        if (first) first.add(row);
        else write(row);
      });
      const accounting = await readAll(
        specs,
        { record: (r) => calls.add(r) },
        {
          stdin: io.stdin,
          routesFile: flags.routes,
          callTimeoutMs: callTimeout === undefined ? undefined : callTimeout * 1000,
          tz: tzOption(flags.tz),
          columnMap: parsePairs('--map', flags.map),
          year: intOption('--year', flags.year, 1970, 2200),
        },
      );
      calls.end();
      if (first) for (const row of first.rows()) write(row);
      if (flags.format === 'json') io.stdout(n ? '\n]\n' : ']\n');
      if (flags.format === 'table') {
        rows.sort(byStart);
        if (rows.length) io.stdout(callsTable(rows));
        // an input that could not be read is not one without calls: say what the sentence covers, or nothing when
        // nothing was read at all (the errors below say why)
        else if (accounting.some((a) => a.error)) {
          if (!accounting.every((a) => a.error && a.read === 0)) io.stdout('No call attempts matched in what could be read.\n');
        } else io.stdout('No call attempts matched.\n');
      }
      for (const line of inputLines(accounting)) io.stderr(line);
      const orphans = noInviteCount(accounting);
      if (orphans > 0) {
        io.stderr(
          `sipscope: ${orphans} call${orphans === 1 ? '' : 's'} ended without ${orphans === 1 ? 'its' : 'their'} INVITE in the input (the capture began after ${orphans === 1 ? 'its INVITE was' : 'their INVITEs were'} sent): ` +
            `no row for ${orphans === 1 ? 'it' : 'them'}; \`sipscope flow --call-id\` shows ${orphans === 1 ? 'its' : 'their'} messages\n`,
        );
      }
      if (calls.inputsOverlap()) {
        io.stderr(
          'sipscope: the inputs cover the same period: who hung up (`proxy`) is judged within each input, so a B2BUA teardown whose legs are in different inputs is missed; `sipscope flow` judges them together, or merge the captures first (mergecap -w all.pcap …)\n',
        );
      }
      if (accounting.some((a) => a.error)) ctx.exitCode = ExitCode.Usage;
    });
}
