/** `catalogue --format table`: kept apart so that `explain` never loads cli-table3. */
import Table from 'cli-table3';
import { allEntries, classLabel, type CatalogueEntry, type CodeClass, type Lang } from './index.js';

const CLASSES: readonly CodeClass[] = ['provisional', 'success', 'redirection', 'client', 'server', 'global'];

export function catalogueToTable(lang: Lang, opts: { color: boolean; width?: number }, entries: readonly CatalogueEntry[] = allEntries()): string {
  const width = Math.max(80, Math.min(opts.width ?? 120, 200));
  // code, reason, class, rfc fixed; the description takes what is left (borders and padding: 16 columns).
  // The class is one word that cli-table3 cannot wrap, so its column fits the longest label of the language
  // (`предварительный`) plus the padding of one space each side.
  const classWidth = Math.max(16, ...CLASSES.map((c) => classLabel(c, lang).length + 2));
  const fixed = [6, 30, classWidth, 22];
  const desc = Math.max(24, width - fixed.reduce((a, b) => a + b, 0) - 16);
  const head = lang === 'ru' ? ['Код', 'Фраза', 'Класс', 'Определён в', 'Значение'] : ['Code', 'Reason', 'Class', 'Defined in', 'Meaning'];
  const table = new Table({
    head,
    colWidths: [...fixed, desc],
    wordWrap: true,
    style: opts.color ? { head: ['cyan'] } : { head: [], border: [] },
  });
  for (const e of entries) {
    table.push([e.code, e.reason, classLabel(e.class, lang), e.rfc, e.description[lang]]);
    for (const v of e.variants) table.push(['', `↳ ${v.reason}`, '', '', v.description[lang]]);
  }
  return table.toString() + '\n';
}
