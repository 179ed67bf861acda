import { printable } from '../printable.js';
import { Command, CommanderError } from 'commander';
import { ExitCode, readErrorText, SipscopeError } from '../errors.js';
import { VERSION } from '../version.js';
import { register as registerExplain } from './explain.js';
import { register as registerCatalogue } from './catalogue.js';
import { register as registerAnalyze } from './analyze.js';
import { register as registerCalls } from './calls.js';
import { register as registerFlow } from './flow.js';
import { register as registerScanners } from './scanners.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a terminal (colours). */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress bar). */
  stderrIsTTY?: boolean;
  stdin?: NodeJS.ReadableStream;
}

/**
 * A reader that closed the pipe (`sipscope … | head`) is not an error: stop quietly. Any other failure to
 * write the output (a full disk) is one line and exit 2, as for an `--out` that cannot be written.
 */
function onOutputError(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`sipscope: cannot write the output: ${printable(readErrorText(err))}\n`);
    process.exit(ExitCode.Usage);
  });
}

export const defaultIo = (): CliIo => {
  onOutputError(process.stdout);
  return realIo();
};

const realIo = (): CliIo => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stdin: process.stdin,
});

/** Shared by all commands: where to write and the exit code the command chose. */
export interface CliContext {
  io: CliIo;
  exitCode: number;
  debug: boolean;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command();
  program
    .name('sipscope')
    .description(
      'Which vendor route is failing, is a vendor cheating, why did this call fail:\n' +
        'SIP captures, Asterisk logs and CDR exports → ASR/SEER/ACD/PDD per route, 486 spikes, FAS, post-mortems.',
    )
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      writeErr: (s) => ctx.io.stderr(s),
    })
    .exitOverride();
  program.addHelpText(
    'after',
    '\nExit codes: 0 success, 1 flow: no such call (or an internal error), 2 usage error or unreadable input, 3 a --fail-on threshold broken.\n' +
      'Examples:\n' +
        '  sipscope analyze fixtures/sample/carrier-day.pcap.gz --routes fixtures/sample/routes.csv\n' +
        '  sipscope analyze cdr/*.csv.gz --format html --out report.html --fail-on "asr<35,spike,fas"\n' +
        '  sipscope calls sbc.pcapng --code 486 --route vendor-b\n' +
        '  sipscope flow sbc.pcapng --call-id 531dcb22095c23f0@10.0.0.1\n' +
        '  sipscope scanners /var/log/asterisk/messages*\n' +
        '  sipscope explain 486 --lang ru',
  );
  registerAnalyze(program, ctx);
  registerExplain(program, ctx);
  registerCatalogue(program, ctx);
  registerCalls(program, ctx);
  registerFlow(program, ctx);
  registerScanners(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) });
  return program;
}

/** Runs the CLI in-process and returns the exit code (tests call this directly). */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const ctx: CliContext = { io, exitCode: ExitCode.Ok, debug: argv.includes('--debug') };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.Ok;
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (err instanceof SipscopeError) {
      io.stderr(`sipscope: ${printable(err.message)}\n`);
      if (ctx.debug && err.stack) io.stderr(err.stack + '\n');
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr(`sipscope: internal error: ${printable(e?.message ?? String(err))}${ctx.debug ? '' : ' (run with --debug for details)'}\n`);
    if (ctx.debug && e?.stack) io.stderr(e.stack + '\n');
    return ExitCode.Failure;
  }
}
