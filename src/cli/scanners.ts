import { Option, type Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { CliContext } from './main.js';
import { inputLines } from './input-lines.js';
import { jsonText } from '../report/json-text.js';
import { intOption, tzOption } from './options.js';

interface ScannersFlags {
  format: 'table' | 'json';
  all: boolean;
  minTargets?: string;
  minFailures?: string;
  year?: string;
  tz?: string;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('scanners')
    .description('Scanners, extension enumeration and registration brute force per source address, from captures and Asterisk security lines')
    .argument('<inputs...>', 'captures or Asterisk logs (files, folders, globs, - for stdin)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--all', 'also list addresses judged ok')
    .option('--min-targets <n>', 'distinct target users from one address that make an enumeration (default 10)')
    .option('--min-failures <n>', 'authentication failures from one address that make a brute force (default 10)')
    .option('--tz <zone>', 'time zone of local-time logs')
    .option('--year <yyyy>', 'year for log stamps that have none')
    .addHelpText('after', '\nExamples:\n  sipscope scanners /var/log/asterisk/full /var/log/asterisk/security\n  sipscope scanners edge.pcap --format json\n')
    .action(async (inputs: string[], flags: ScannersFlags) => {
      const { ScannerDetector, DEFAULT_SCANNER_THRESHOLDS } = await import('../postmortem/scanners.js');
      const { scannersJson, scannersTable } = await import('../postmortem/scanners-render.js');
      const { specsOf, readAll } = await import('../postmortem/collect.js');
      const thresholds = {
        ...DEFAULT_SCANNER_THRESHOLDS,
        minTargets: intOption('--min-targets', flags.minTargets, 1, 1e9) ?? DEFAULT_SCANNER_THRESHOLDS.minTargets,
        minAuthFailures: intOption('--min-failures', flags.minFailures, 1, 1e9) ?? DEFAULT_SCANNER_THRESHOLDS.minAuthFailures,
      };
      const det = new ScannerDetector();
      const specs = await specsOf(inputs);
      const accounting = await readAll(
        specs,
        { record: () => {}, message: (m) => det.message(m), security: (e) => det.security(e) },
        { stdin: ctx.io.stdin, tz: tzOption(flags.tz), year: intOption('--year', flags.year, 1970, 2200) },
      );
      const all = det.result(thresholds);
      const shown = flags.all ? all : all.filter((s) => s.verdict !== 'ok');
      ctx.io.stdout(flags.format === 'json' ? jsonText(JSON.stringify(scannersJson(shown, all.length, thresholds), null, 2)) + '\n' : scannersTable(shown, all.length));
      for (const line of inputLines(accounting)) ctx.io.stderr(line);
      if (accounting.some((a) => a.error)) ctx.exitCode = ExitCode.Usage;
    });
}
