import { Option, type Command } from 'commander';
import type { Lang } from '../catalogue/index.js';
import { catalogueToCsv, catalogueToJson, catalogueToMarkdown } from '../catalogue/format.js';
import type { CliContext } from './main.js';

interface CatalogueOptions {
  format: 'table' | 'json' | 'csv' | 'md';
  lang: Lang;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('catalogue')
    .description('The whole response-code catalogue: codes, provider phrases, descriptions (en/ru)')
    .addOption(
      new Option('--format <format>', 'output format (e.g. --format csv)').choices(['table', 'json', 'csv', 'md']).default('table'),
    )
    .addOption(new Option('--lang <lang>', 'language of table and md (e.g. --lang ru)').choices(['en', 'ru']).default('en'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  sipscope catalogue\n' +
        '  sipscope catalogue --format json > codes.json\n' +
        '  sipscope catalogue --format csv > codes.csv\n' +
        '  sipscope catalogue --format md --lang ru',
    )
    .action(async (opts: CatalogueOptions) => {
      switch (opts.format) {
        case 'json':
          ctx.io.stdout(catalogueToJson());
          return;
        case 'csv':
          ctx.io.stdout(catalogueToCsv());
          return;
        case 'md':
          ctx.io.stdout(catalogueToMarkdown(opts.lang));
          return;
        case 'table': {
          // loaded here so that other commands start without cli-table3
          const { catalogueToTable } = await import('../catalogue/format-table.js');
          const width = ctx.io.isTTY ? process.stdout.columns : undefined;
          ctx.io.stdout(catalogueToTable(opts.lang, { color: ctx.io.isTTY, width }));
          return;
        }
      }
    });
}
