import { Option, type Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { CliContext } from './main.js';
import { inputLines } from './input-lines.js';
import { jsonText } from '../report/json-text.js';
import { writeOut } from './options.js';
import { printable } from '../printable.js';

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
    .requiredOption('--call-id <id>', 'the Call-ID of the call (see `sipscope calls`)')
    .addOption(new Option('-f, --format <format>', 'text ladder, JSON (messages with raw text, diagnosis), a self-contained HTML page with an SVG ladder, or Markdown for a ticket or a chat (md)').choices(['text', 'json', 'html', 'md']).default('text'))
    .addOption(new Option('--lang <lang>', 'language of meanings, diagnosis and evidence notes in text, html and md (JSON carries both)').choices(['en', 'ru']).default('en'))
    .option('-o, --out <file>', 'write to a file instead of stdout (e.g. --out call.html)')
    .option('--no-link', 'do not look for the other legs of the call (B2BUA/proxy) by numbers, time and X- correlation headers')
    .option('--routes <file>', 'CSV "match,route" mapping next-hop addresses to route names')
    .addHelpText('after', '\nExamples:\n  sipscope flow capture.pcap --call-id a84b4c76e66710@pc33\n  sipscope flow capture.pcap --call-id a84b4c76e66710@pc33 --format html --out call.html\n  sipscope flow capture.pcap --call-id a84b4c76e66710@pc33 --format md --lang ru --out call.md\n')
    .action(async (inputs: string[], flags: FlowFlags) => {
      const { specsOf, collectCall } = await import('../postmortem/collect.js');
      const { buildFlow, flowHtml, flowJson, flowMd, flowText } = await import('../postmortem/ladder.js');
      const specs = await specsOf(inputs);
      const got = await collectCall(specs, flags.callId, {
        stdin: ctx.io.stdin,
        routesFile: flags.routes,
        keepRaw: true, // stale=true in a challenge is only in the raw text
        link: flags.link,
      });
      const flow = buildFlow(flags.callId, got.legs, got.note);
      // No message of the call: the one line below says so; no empty report (which would read "nothing wrong").
      if (flow.messages.length > 0) {
        const render: Record<FlowFlags['format'], () => string> = {
          text: () => flowText(flow, { lang: flags.lang }),
          json: () => jsonText(JSON.stringify(flowJson(flow), null, 2)) + '\n',
          html: () => flowHtml(flow, flags.lang),
          md: () => flowMd(flow, flags.lang),
        };
        const text = render[flags.format]();
        if (flags.out) writeOut(flags.out, text);
        else ctx.io.stdout(text);
      }
      for (const line of inputLines(got.inputs)) ctx.io.stderr(line);
      if (flow.messages.length === 0) ctx.io.stderr(`sipscope: no SIP message with Call-ID '${printable(flags.callId)}' in the inputs\n`);
      if (got.inputs.some((a) => a.error)) ctx.exitCode = ExitCode.Usage;
      else if (flow.messages.length === 0) ctx.exitCode = ExitCode.Failure;
    });
}
