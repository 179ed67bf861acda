import { Option, type Command } from 'commander';
import { describeCode, findTopic, type Lang } from '../catalogue/index.js';
import { describeToJson, describeToText, topicToText } from '../catalogue/format.js';
import { parseCodeQuery } from '../catalogue/query.js';
import { UsageError } from '../errors.js';
import type { CliContext } from './main.js';

interface ExplainOptions {
  lang: Lang;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('Explain a SIP response code or a provider reason phrase, in English or Russian')
    .argument('<query...>', 'a code, a code with its phrase, or a status line (e.g. 486, "403 No Money Left on RFC Account", "SIP/2.0 480 DB Timeout")')
    .addOption(new Option('--lang <lang>', 'language of the card (e.g. --lang ru)').choices(['en', 'ru']).default('en'))
    .option('--json', 'print one JSON object with both languages (e.g. sipscope explain 486 --json)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  sipscope explain 486\n' +
        '  sipscope explain "403 No Money Left on RFC Account" --lang ru\n' +
        '  sipscope explain "SIP/2.0 480 DB Timeout" --json\n' +
        '  sipscope explain "No DNS result"',
    )
    .action((words: string[], opts: ExplainOptions) => {
      const query = words.join(' ');
      const q = parseCodeQuery(query);
      if (!q) {
        const topic = findTopic(query);
        if (topic) {
          ctx.io.stdout(opts.json ? JSON.stringify({ topic: topic.id, hint: topic.text }, null, 2) + '\n' : topicToText(topic, opts.lang));
          return;
        }
        throw new UsageError(
          `explain: cannot read ${JSON.stringify(clip(query))} as a SIP response; give a code (486), a code and phrase ("403 No Money Left on RFC Account") or a status line ("SIP/2.0 480 DB Timeout")`,
        );
      }
      const d = describeCode(q.code, q.reason);
      if (!d) throw new UsageError(`explain: ${q.code} is not a SIP response code (they run from 100 to 699)`);
      ctx.io.stdout(opts.json ? JSON.stringify(describeToJson(d), null, 2) + '\n' : describeToText(d, opts.lang));
    });
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
