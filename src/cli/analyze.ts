import { Option, type Command } from 'commander';
import { CONFIG_INTS, loadConfig, type ConfigFile } from '../config.js';
import { ExitCode, InputError, UsageError } from '../errors.js';
import { evaluateFailOn, parseFailOn } from '../failon.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { collectList, intOption, outFile, parsePairs, timeOption, tzOption, writeOut } from './options.js';
import { printable } from '../printable.js';
import type { CliContext } from './main.js';
import { inputLines } from './input-lines.js';

export const FORMATS = REPORT_FORMATS;
export type Format = (typeof FORMATS)[number];
export const BUCKETS = ['5m', '15m', '1h', '1d'] as const;

interface AnalyzeFlags {
  format?: Format;
  out?: string;
  routes?: string;
  bucket?: string;
  prefixDigits?: string;
  by?: 'route' | 'bucket' | 'prefix';
  minAttempts?: string;
  failOn?: string;
  config?: string;
  tz?: string;
  year?: string;
  map?: string[];
  callTimeout?: string;
  threshold?: string[];
  progress: boolean;
  jobs?: string;
  since?: string;
  until?: string;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('analyze')
    .description('Per-route report (ASR, SEER, NER, ACD, PDD, code mix, 486 spikes, FAS) from captures, Asterisk logs and CDR exports')
    .argument('<inputs...>', 'files, folders (recursed), globs, or - for stdin; .gz is read transparently; formats are detected by content')
    .addOption(new Option('-f, --format <format>', 'output format (e.g. --format html)').choices(FORMATS))
    .option('-o, --out <file>', 'write the report to a file instead of stdout; - is stdout (e.g. --out today.html)')
    .option('--routes <file>', 'CSV "match,route" mapping next-hop addresses or CIDRs to route names (e.g. --routes routes.csv)')
    .addOption(new Option('--bucket <size>', 'time bucket for the per-route series (default: chosen from the data span; e.g. --bucket 1h)').choices(BUCKETS))
    .option('--prefix-digits <n>', 'also group each route by the first N digits of the callee (e.g. --prefix-digits 3)')
    .addOption(new Option('--by <what>', 'CSV rows: one per route, per route and bucket, or per route and prefix (needs --prefix-digits; e.g. --by bucket)').choices(['route', 'bucket', 'prefix']))
    .option('--min-attempts <n>', 'routes with fewer attempts are not judged by --fail-on rate rules (default 20; e.g. --min-attempts 50)')
    .option('--fail-on <rules>', 'exit 3 when broken: asr<N, seer<N, ner<N (percent), acd<SEC, pdd>SEC, spike, fas, unreadable (e.g. --fail-on "asr<35,spike")')
    .option('--config <file>', 'JSON file with routes, thresholds and defaults (e.g. --config /etc/sipscope.json)')
    .option('--tz <zone>', 'time zone of local-time logs and CDRs, IANA name or offset (e.g. --tz Europe/Moscow, --tz +03:00)')
    .option('--year <yyyy>', 'year for log stamps that have none, like [Nov 14 22:13:20] (e.g. --year 2023)')
    .option('--map <field=column>', 'CDR column for a field, repeatable (e.g. --map route=Supplier --map code=TermCode)', collectList)
    .option('--call-timeout <sec>', 'captures: close an unanswered call with no traffic for this long as timed out (default 600; answered calls wait 4 h for their BYE; e.g. --call-timeout 120)')
    .option('--since <time>', 'only call attempts starting at or after this time: ISO 8601, UTC unless it has an offset, or epoch (e.g. --since 2024-03-05)')
    .option('--until <time>', 'only call attempts starting before this time (e.g. --until 2024-03-06T00:00Z)')
    .option('--threshold <name=value>', 'override a spike/FAS threshold, repeatable (e.g. --threshold spikeMinAttempts=30)', collectList)
    .option('-j, --jobs <n>', 'threads reading the input files, the main one included (default: one per core when several files hold 256 MiB or more; e.g. --jobs 2)')
    .option('--no-progress', 'no progress bar on stderr (it is shown only when stderr is a terminal)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  sipscope analyze fixtures/sample/carrier-day.pcap.gz --routes fixtures/sample/routes.csv\n' +
        '  sipscope analyze /var/log/asterisk/full* --format md\n' +
        '  zcat cdr.csv.gz | sipscope analyze - --map route=Vendor --format json\n' +
        '  sipscope analyze --config nightly.json cdr/ --format html --out report.html --fail-on "asr<35,spike,fas"\n' +
        '  sipscope analyze /var/log/asterisk/full* --since 2024-03-05 --until 2024-03-06 --format html --out day.html\n',
    )
    .action(async (inputs: string[], flags: AnalyzeFlags) => {
      // The config's values are checked as it is read, each error naming the file and the key (config.ts); the
      // options' values here, by the option (commander checks --format and --bucket).
      const cfg: ConfigFile = flags.config ? loadConfig(flags.config) : {};
      /** What an error about a value names: the option when it was given, else the config file's key. */
      const source = (option: string, key: keyof ConfigFile, given: unknown): string => (given !== undefined ? option : `${flags.config}: ${key}`);
      const format = (flags.format ?? (cfg.format as Format | undefined) ?? 'table') as Format;
      const bucket = flags.bucket ?? cfg.bucket;
      const int = (option: string, value: string | undefined, key: keyof typeof CONFIG_INTS): number | undefined =>
        intOption(option, value, CONFIG_INTS[key].min, CONFIG_INTS[key].max) ?? cfg[key];
      const minAttempts = int('--min-attempts', flags.minAttempts, 'minAttempts') ?? 20;
      const failSpec = flags.failOn ?? cfg.failOn;
      const rules = failSpec ? parseFailOn(failSpec, source('--fail-on', 'failOn', flags.failOn)) : undefined;
      const thresholds: Record<string, number> = { ...(cfg.thresholds ?? {}) };
      for (const [k, v] of Object.entries(parsePairs('--threshold', flags.threshold))) {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new UsageError(`--threshold ${k} needs a number, not '${v}'`);
        thresholds[k] = n;
      }
      const callTimeoutSec = int('--call-timeout', flags.callTimeout, 'callTimeoutSec');
      const year = int('--year', flags.year, 'year');
      const prefixDigits = int('--prefix-digits', flags.prefixDigits, 'prefixDigits');
      // Rows per prefix need the prefixes: without a length there are none (no default is documented).
      // --by shapes CSV rows only: with another format it would be ignored without a word.
      if (flags.by !== undefined && format !== 'csv') throw new UsageError(`--by shapes the rows of --format csv; the ${format} report has no such choice (it shows routes, and buckets and prefixes where it has them)`);
      if (flags.by === 'prefix' && prefixDigits === undefined) throw new UsageError('--by prefix needs --prefix-digits N (or "prefixDigits" in the config), e.g. --by prefix --prefix-digits 3');
      // `--out -` (or "out": "-") is standard output, as `-` among the inputs is standard input.
      const out = outFile(flags.out ?? cfg.out);
      const outName = source('--out', 'out', flags.out);
      const since = timeOption('--since', flags.since);
      const until = timeOption('--until', flags.until);
      if (since !== undefined && until !== undefined && since >= until) throw new UsageError(`--since (${flags.since}) must be before --until (${flags.until})`);

      const [{ analyze, resolveRoutes }, { renderLazy, spikeCheckWarning }, { createProgressBar, silentProgress }] = await Promise.all([
        import('../pipeline.js'),
        import('../report/formats.js'),
        import('../input/progress.js'),
      ]);
      const progress = flags.progress && ctx.io.stderrIsTTY ? createProgressBar(0, ctx.io.stderr) : silentProgress;
      const routesFile = flags.routes ?? (typeof cfg.routes === 'string' ? cfg.routes : undefined);
      const routeMap = flags.routes === undefined && typeof cfg.routes === 'object' ? cfg.routes : undefined;
      // The config's routes are read before any input, so that an error in them names the config file and key.
      if (flags.routes === undefined && cfg.routes !== undefined) {
        try {
          resolveRoutes({ routesFile, routeMap });
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          // An inline map is read as a routes table whose line numbers are not the config's: its entry is named
          // by the address or prefix each message quotes.
          throw new UsageError(`${flags.config}: routes: ${routeMap ? err.detail.replace(/^line \d+: /, '') : err.message}`);
        }
      }

      // A map entry from the config is named by the file and key in alerts and notes (`c.json: map.route`), as its
      // other values' errors are; a --map of the same key wins over it.
      const given = parsePairs('--map', flags.map);
      const columnMap = { ...(cfg.map ?? {}), ...given };
      const columnMapNames: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const k of Object.keys(cfg.map ?? {})) if (!(k in given)) columnMapNames[k] = `${flags.config}: map.${k}`;
      const result = await analyze(inputs, {
        stdin: ctx.io.stdin,
        progress,
        routesFile,
        routeMap,
        bucket: bucket as (typeof BUCKETS)[number] | undefined,
        prefixDigits,
        thresholds,
        tz: tzOption(flags.tz) ?? cfg.tz,
        year,
        columnMap,
        columnMapNames,
        callTimeoutMs: callTimeoutSec === undefined ? undefined : callTimeoutSec * 1000,
        jobs: intOption('--jobs', flags.jobs, 1, 256),
        since,
        until,
      });
      if (rules) result.failures = evaluateFailOn(result, rules, minAttempts);

      const color = ctx.io.isTTY && !out && !process.env.NO_COLOR;
      const text = await renderLazy(result, format, { color, by: flags.by ?? 'route' });
      if (out) writeOut(out, text, outName);
      else ctx.io.stdout(text.endsWith('\n') ? text : text + '\n');

      for (const line of inputLines(result.inputs)) ctx.io.stderr(line);
      const skipped = result.inputs.filter((i) => i.skipped);
      if (skipped.length > 0)
        ctx.io.stderr(`sipscope: skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} of no known format found in folders or globs (e.g. ${printable(skipped[0]!.file)})\n`);
      // Broken rules are said whatever else happened (the cron recipe mails stderr: a night with one truncated
      // CDR must still tell that a route's ASR collapsed). Route names and details carry wire text: one
      // printable line each.
      const broken = result.failures ?? [];
      for (const f of broken) ctx.io.stderr(`sipscope: --fail-on ${printable(`${f.rule}${f.route ? ` [${f.route}]` : ''}: ${f.detail}`)}\n`);
      // A route whose busy spikes could not be judged cannot break `spike`: said, the exit code unchanged.
      const unjudged = rules?.some((r) => r.kind === 'spike') ? spikeCheckWarning(result, minAttempts) : undefined;
      if (unjudged) ctx.io.stderr(`sipscope: ${printable(unjudged)}\n`);
      // The exit code: 2 for an unreadable input wins over 3 for a broken rule (README, "Exit codes": a report
      // with a missing input is not one to trust).
      if (result.inputs.some((i) => i.error)) ctx.exitCode = ExitCode.Usage;
      else if (broken.length > 0) ctx.exitCode = ExitCode.ThresholdBroken;
    });
}
