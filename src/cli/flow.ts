import { Option, type Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { CliContext } from './main.js';
import { inputLines } from './input-lines.js';
import { jsonText } from '../report/json-text.js';
import { outFile, writeOut } from './options.js';
import { printable } from '../printable.js';
import { isDialRecord } from '../asterisk/dial-id.js';
import { CALL_ID_PREFIX_MIN, callIdPrefix } from '../postmortem/call-id.js';
import type { CallRecord } from '../types.js';

interface FlowFlags {
  callId: string;
  format: 'text' | 'json' | 'html' | 'md';
  lang: 'en' | 'ru';
  out?: string;
  link: boolean;
  routes?: string;
  callTimeout?: string;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('flow')
    .description('The SIP ladder of one call (all its legs), the meaning of each response, and a diagnosis in plain words')
    .argument('<inputs...>', 'captures or Asterisk logs with SIP dumps (files, folders, globs, - for stdin)')
    .requiredOption('--call-id <id>', 'the Call-ID of the call (see `sipscope calls`); a unique start of one will do (6 characters at least, or ending in …)')
    .addOption(new Option('-f, --format <format>', 'text ladder, JSON (messages with raw text, diagnosis), a self-contained HTML page with an SVG ladder, or Markdown for a ticket or a chat (md)').choices(['text', 'json', 'html', 'md']).default('text'))
    .addOption(new Option('--lang <lang>', 'language of meanings, diagnosis and evidence notes in text, html and md (JSON carries both)').choices(['en', 'ru']).default('en'))
    .option('-o, --out <file>', 'write to a file instead of stdout; - is stdout (e.g. --out call.html)')
    .option('--no-link', 'do not look for the other legs of the call (B2BUA/proxy) by numbers, time and X- correlation headers')
    .option('--routes <file>', 'CSV "match,route" mapping next-hop addresses to route names')
    .addHelpText('after', '\nExamples:\n  sipscope flow capture.pcap --call-id a84b4c76e66710@pc33\n  sipscope flow capture.pcap --call-id a84b4c76e66710@pc33 --format html --out call.html\n  sipscope flow capture.pcap --call-id a84b4c76e66710@pc33 --format md --lang ru --out call.md\n')
    .action(async (inputs: string[], flags: FlowFlags) => {
      const { specsOf, collectCall } = await import('../postmortem/collect.js');
      const { buildFlow, flowHtml, flowJson, flowMd, flowText } = await import('../postmortem/ladder.js');
      // blanks copied from a terminal are trimmed; nothing left is a slip (an unset shell variable), not a Call-ID
      const callId = flags.callId.trim();
      if (callId === '') throw new UsageError(`--call-id expects a Call-ID (see \`sipscope calls\`), not '${printable(flags.callId)}'`);
      const specs = await specsOf(inputs);
      const got = await collectCall(specs, callId, {
        stdin: ctx.io.stdin,
        routesFile: flags.routes,
        keepRaw: true, // stale=true in a challenge is only in the raw text
        link: flags.link,
      });
      const flow = buildFlow(got.resolved ?? callId, got.legs, got.note);
      // No message of the call: the one line below says so; no empty report (which would read "nothing wrong").
      if (flow.messages.length > 0) {
        const render: Record<FlowFlags['format'], () => string> = {
          text: () => flowText(flow, { lang: flags.lang }),
          json: () => jsonText(JSON.stringify(flowJson(flow), null, 2)) + '\n',
          html: () => flowHtml(flow, flags.lang),
          md: () => flowMd(flow, flags.lang),
        };
        const text = render[flags.format]();
        const out = outFile(flags.out); // `--out -` is standard output
        if (out) writeOut(out, text);
        else ctx.io.stdout(text);
      }
      for (const line of inputLines(got.inputs)) ctx.io.stderr(line);
      if (got.resolved !== undefined) {
        const why = got.resolved === callIdPrefix(callId) ? 'without its …' : 'the only one it is the start of';
        ctx.io.stderr(`sipscope: Call-ID '${printable(callId)}' taken as '${printable(got.resolved)}', ${why}\n`);
      }
      if (flow.messages.length === 0) {
        // An id copied from `calls` for a call read from Asterisk Dial lines: there is nothing to draw, and why.
        const dialled = got.legs[0]?.records.find(isDialRecord);
        ctx.io.stderr(dialled !== undefined ? noDumpLine(dialled) : noMessageLine(callId, got));
      }
      if (got.inputs.some((a) => a.error)) ctx.exitCode = ExitCode.Usage;
      else if (flow.messages.length === 0) ctx.exitCode = ExitCode.Failure;
    });
}

/**
 * The one line for a Call-ID no message has: the Call-IDs it is the start of (give more of it), or those close to
 * it (a typo, a case change), and where whole Call-IDs are listed.
 */
function noMessageLine(callId: string, got: { starting?: string[]; moreStarting?: boolean; near?: string[]; tooShort?: boolean }): string {
  const list = (ids: readonly string[]): string => ids.map((id) => `'${printable(id)}'`).join(', ');
  const starting = got.starting ?? [];
  const near = got.near ?? [];
  let what = '';
  if (got.tooShort && starting.length > 0) {
    const n = got.moreStarting ? `more than ${starting.length} Call-IDs` : `${starting.length} Call-ID${starting.length === 1 ? '' : 's'}`;
    what = `; it is the start of ${n}: ${list(starting)}${got.moreStarting ? ', …' : ''}; give at least ${CALL_ID_PREFIX_MIN} characters of it, or end it with … to take it as the start of one`;
  } else if (starting.length > 1) {
    what = `; it is the start of ${got.moreStarting ? `more than ${starting.length}` : starting.length} Call-IDs: ${list(starting)}${got.moreStarting ? ', …' : ''}; give more of it`;
  } else if (near.length > 0) what = `; close ${near.length === 1 ? 'match' : 'matches'}: ${list(near)}`;
  return `sipscope: no SIP message with Call-ID '${printable(callId)}' in the inputs${what} (\`sipscope calls <inputs> -f csv\` lists whole Call-IDs)\n`;
}

/** The one line for a call read from Asterisk Dial lines, which has no SIP messages to draw. */
function noDumpLine(r: CallRecord): string {
  const outcome = r.finalCode !== undefined ? `${r.finalCode}${r.finalReason !== undefined ? ` ${r.finalReason}` : ''}` : 'no outcome';
  const where = r.source.line !== undefined ? `${r.source.file} line ${r.source.line}; ` : '';
  return (
    `sipscope: call '${printable(r.callId)}' was read from Asterisk Dial lines (${printable(where)}${printable(outcome)} on route ${printable(r.route)}), ` +
    'not from a SIP message dump, so it has no SIP ladder: with `sip set debug on` (chan_sip) or `pjsip set logger on` (PJSIP) Asterisk would log one\n'
  );
}
