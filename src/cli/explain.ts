import { Option, type Command } from 'commander';
import { codeNote, NO_FINAL } from '../analysis/codes.js';
import { allTopics, describeCode, type Lang, type Text } from '../catalogue/index.js';
import { describeToJson, describeToText, topicToJson, topicToText } from '../catalogue/format.js';
import { readExplainQuery } from '../catalogue/query.js';
import { UsageError } from '../errors.js';
import { isBidiControl } from '../printable.js';
import type { CliContext } from './main.js';

interface ExplainOptions {
  lang: Lang;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('explain')
    .description('Explain a SIP response code or a provider reason phrase, in English or Russian')
    .argument(
      '<query...>',
      'a code, a code with its phrase, a status or log line, or a known problem (e.g. 486, "403 No Money Left on RFC Account", "SIP/2.0 480 DB Timeout", \'Got SIP response 486 "Busy Here" back from 172.16.1.16\', "ghost calls"); 0 is the reports\' "no final response"',
    )
    .addOption(new Option('--lang <lang>', 'language of the card (e.g. --lang ru)').choices(['en', 'ru']).default('en'))
    .option('--json', 'print one JSON object with both languages (e.g. sipscope explain 486 --json)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  sipscope explain 486\n' +
        '  sipscope explain "403 No Money Left on RFC Account" --lang ru\n' +
        '  sipscope explain "SIP/2.0 480 DB Timeout" --json\n' +
        '  sipscope explain \'-- Got SIP response 486 "Busy Here" back from 172.16.1.16\'\n' +
        '  sipscope explain "No DNS result"\n' +
        '  sipscope explain "звонок обрывается через 30 секунд" --lang ru',
    )
    .action((words: string[], opts: ExplainOptions) => {
      const query = words.join(' ');
      if (isNoFinal(query)) {
        ctx.io.stdout(opts.json ? JSON.stringify(noFinalJson(), null, 2) + '\n' : noFinalText(opts.lang));
        return;
      }
      const q = readExplainQuery(query);
      if (q?.kind === 'topic') {
        ctx.io.stdout(opts.json ? JSON.stringify(topicToJson(q.topic), null, 2) + '\n' : topicToText(q.topic, opts.lang));
        return;
      }
      if (!q) {
        const topics = allTopics().map((t) => t.title.en).join('; ');
        throw new UsageError(
          `explain: cannot read ${JSON.stringify(clip(query))} as a SIP response or a known problem; give a code (486), a code and phrase ("403 No Money Left on RFC Account"), a status or log line ("SIP/2.0 480 DB Timeout"), or a known problem in English or Russian (${topics})`,
        );
      }
      const d = describeCode(q.code, q.reason);
      if (!d) throw new UsageError(`explain: ${q.code} is not a SIP response code (they run from 100 to 699)`);
      ctx.io.stdout(opts.json ? JSON.stringify(describeToJson(d), null, 2) + '\n' : describeToText(d, opts.lang));
    });
  // chan_sip's console writes `    -- Got SIP response 486 "Busy Here" back from …`: pasted without its indent, the
  // line starts with `--` and commander would refuse it as an unknown option. A word that starts with `-` and
  // holds a blank is no option (no option has a blank in its name; see isPastedLine), so it is kept out of the
  // option parsing and given back as a word of the query. Every other word is parsed as before (`--jsno` is
  // still an error).
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => {
    const held = new Map<string, string>();
    const r = parseOptions(
      args.map((a, k) => {
        if (!isPastedLine(a)) return a;
        // NUL cannot occur in a command-line argument, so the stand-in is no word the user could type
        const key = `\u0000${k}`;
        held.set(key, a);
        return key;
      }),
    );
    const back = (a: string): string => held.get(a) ?? a;
    return { operands: r.operands.map(back), unknown: r.unknown.map(back) };
  };
}

/**
 * A word that starts with `-` but holds a blank, a control character or a bidi control: a pasted log line,
 * not an option. (Read as the query, it goes through `printable` on its way to the terminal; commander would
 * echo an unknown option raw in its error.)
 */
function isPastedLine(arg: string): boolean {
  if (arg.length < 2 || arg.charCodeAt(0) !== 0x2d /* - */) return false;
  for (let i = 1; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiControl(c)) return true;
  }
  return false;
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** `0` (or `000`): the reports' code for "no final response", not a SIP code. */
function isNoFinal(query: string): boolean {
  const t = query.trim();
  return t.length > 0 && t.length <= 3 && [...t].every((c) => c === '0');
}

/**
 * Code 0 as the reports mean it. The English phrase and meaning are the ones every report writes in its code
 * mix (`codeNote` in analysis/codes.ts), so `explain 0` cannot say something else; the Russian is theirs
 * translated (the analysis keeps English only).
 */
function noFinal(): { reason: string; description: Text; title: Text; where: Text; metrics: Text } {
  const note = codeNote(NO_FINAL);
  return {
    reason: note.reason,
    title: { en: 'not a SIP response code: sipscope\'s code for an attempt that got none', ru: 'не код ответа SIP: так sipscope обозначает попытку без окончательного ответа' },
    description: {
      en: note.meaning,
      ru: 'Окончательного ответа не было (истёк таймер, или вызов ещё шёл, когда входные данные кончились).',
    },
    where: {
      en: 'Where it shows: code 0 in the JSON\'s codes and codeMix, "no final response" in the table, Markdown and HTML, "none" in the CSV\'s top_failures, "—" in calls; list these attempts with `sipscope calls … --code none`.',
      ru: 'Где встречается: код 0 в codes и codeMix отчёта JSON, «no final response» в таблице, Markdown и HTML, «none» в top_failures CSV, «—» в calls; список таких попыток: `sipscope calls … --code none`.',
    },
    metrics: {
      en: 'In the metrics: an attempt not answered, so against ASR and SEER, and against NER unless a Q.850 cause in the record says otherwise; no re-routing verdict (there is no failure code to judge).',
      ru: 'В метриках: попытка без ответа, то есть против ASR и SEER, и против NER, если причина Q.850 в записи не говорит иного; без вердикта о перемаршрутизации (нет кода отказа).',
    },
  };
}

function noFinalText(lang: Lang): string {
  const n = noFinal();
  return [`${NO_FINAL} ${n.reason} — ${n.title[lang]}`, '', n.description[lang], '', n.where[lang], '', n.metrics[lang]].join('\n') + '\n';
}

/** The fields of `describeToJson`, with what a code outside the catalogue has: no class, no RFC. */
function noFinalJson(): Record<string, unknown> {
  const n = noFinal();
  return {
    code: NO_FINAL,
    reason: n.reason,
    class: null,
    rfc: null,
    final: false,
    status: 'unknown',
    description: n.description,
    hints: [],
    note: n.where,
    answered: false,
    seerEffective: false,
    isaIneffective: false,
    reroutable: null,
    q850: null,
  };
}
