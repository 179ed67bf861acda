/** Text renderings of the catalogue for `explain` and `catalogue` (pure functions: data in, string out). */
import { csvCell } from '../report/csv-cell.js';
import {
  allEntries,
  classLabel,
  isReroutable,
  ISA_INEFFECTIVE,
  q850Name,
  SEER_EFFECTIVE,
  sipToQ850,
  type CatalogueEntry,
  type CodeDescription,
  type Lang,
  type Text,
  type Topic,
} from './index.js';

export { classLabel } from './index.js';

const STATUS_LABEL: Record<CodeDescription['status'], Text> = {
  iana: { en: 'IANA registered', ru: 'зарегистрирован в IANA' },
  obsolete: { en: 'obsolete (RFC 2543, not registered)', ru: 'устаревший (RFC 2543, не зарегистрирован)' },
  nonstandard: { en: 'non-standard (seen from providers)', ru: 'нестандартный (встречается у провайдеров)' },
  unknown: { en: 'not in the catalogue', ru: 'нет в каталоге' },
};

const L = {
  final: { en: 'final', ru: 'окончательный' },
  notFinal: { en: 'not final', ru: 'не окончательный' },
  phrase: { en: 'Provider phrase', ru: 'Фраза провайдера' },
  note: { en: 'Note', ru: 'Примечание' },
  hints: { en: 'What to check', ru: 'Что проверить' },
  metrics: { en: 'In the metrics', ru: 'В метриках' },
  answered: { en: 'answered (ASR)', ru: 'отвечен (ASR)' },
  seer: { en: 'network-effective (SEER, RFC 6076)', ru: 'эффективен для сети (SEER, RFC 6076)' },
  isa: { en: 'ineffective (ISA, RFC 6076)', ru: 'неэффективен (ISA, RFC 6076)' },
  reroute: { en: 'a switch should try another vendor', ru: 'коммутатору стоит попробовать другого вендора' },
  noReroute: { en: 'not re-routed: another vendor would get the same answer', ru: 'без перемаршрутизации: другой вендор получит тот же ответ' },
  // the code is the callee's answer by its standard meaning, but the phrase says the vendor failed (410 No Route)
  vendorReroute: {
    en: 'a switch does not re-route on this code by default, but this phrase is this vendor\'s own failure, so sending the traffic to another vendor is the fix',
    ru: 'по умолчанию коммутатор не перемаршрутизирует по этому коду, но эта фраза означает сбой у самого вендора, поэтому решение — отправить трафик другому вендору',
  },
  // the code is re-routed by its standard meaning, but the phrase says the dialled number is wrong (403 not found)
  numberNoReroute: {
    en: 'a switch re-routes on this code by default, but this phrase puts the fault on the dialled number, not on the vendor, so another vendor would give the same answer: fix the number instead',
    ru: 'по умолчанию коммутатор перемаршрутизирует по этому коду, но эта фраза указывает на ошибку в набранном номере, а не у вендора, поэтому другой вендор даст тот же ответ: исправьте номер',
  },
  q850: { en: 'Q.850 cause (RFC 3398)', ru: 'Причина Q.850 (RFC 3398)' },
} satisfies Record<string, Text>;

/** One JSON object for `explain --json`. */
export function describeToJson(d: CodeDescription): Record<string, unknown> {
  const q = sipToQ850(d.code);
  return {
    code: d.code,
    reason: d.reason,
    class: d.class,
    rfc: d.rfc,
    final: d.final,
    status: d.status,
    description: d.description,
    ...(d.variant ? { variant: d.variant } : {}),
    hints: d.hints.map((h) => ({ id: h.id, en: h.text.en, ru: h.text.ru })),
    ...(d.note ? { note: d.note } : {}),
    ...(d.vendorFailure ? { vendorFailure: true } : {}),
    ...(d.numberFailure ? { numberFailure: true } : {}),
    answered: d.code >= 200 && d.code <= 299,
    seerEffective: SEER_EFFECTIVE.has(d.code),
    isaIneffective: ISA_INEFFECTIVE.has(d.code),
    reroutable: isReroutable(d.code),
    q850: q === undefined ? null : { cause: q, name: q850Name(q) ?? null },
  };
}

/** The short readable card of `explain`. */
export function describeToText(d: CodeDescription, lang: Lang): string {
  const out: string[] = [];
  out.push(`${d.code} ${d.reason} — ${classLabel(d.class, lang)}, ${(d.final ? L.final : L.notFinal)[lang]}`);
  out.push(`${d.rfc ?? '—'} · ${STATUS_LABEL[d.status][lang]}`);
  out.push('');
  out.push(d.description[lang]);
  if (d.variant) {
    out.push('');
    const quoted = lang === 'ru' ? `«${d.variant.reason}»` : `"${d.variant.reason}"`;
    out.push(`${L.phrase[lang]} ${quoted}: ${d.variant.description[lang]}`);
  }
  if (d.note) {
    out.push('');
    out.push(`${L.note[lang]}: ${d.note[lang]}`);
  }
  if (d.hints.length) {
    out.push('');
    out.push(`${L.hints[lang]}:`);
    for (const h of d.hints) out.push(`  - ${h.text[lang]}`);
  }
  if (d.final) {
    const facts: string[] = [];
    if (d.code >= 200 && d.code <= 299) facts.push(L.answered[lang]);
    if (SEER_EFFECTIVE.has(d.code)) facts.push(L.seer[lang]);
    if (ISA_INEFFECTIVE.has(d.code)) facts.push(L.isa[lang]);
    if (d.code >= 300) {
      const verdict = isReroutable(d.code) ? (d.numberFailure ? L.numberNoReroute : L.reroute) : d.vendorFailure ? L.vendorReroute : L.noReroute;
      facts.push(verdict[lang]);
    }
    const q = sipToQ850(d.code);
    out.push('');
    if (facts.length) out.push(`${L.metrics[lang]}: ${facts.join('; ')}`);
    if (q !== undefined) out.push(`${L.q850[lang]}: ${q}${q850Name(q) ? ' ' + q850Name(q) : ''}`);
  }
  return out.join('\n') + '\n';
}

/** The card of a topic found by its keywords (`explain "No DNS result"`): its title, then the hint. */
export function topicToText(t: Topic, lang: Lang): string {
  return `${t.title[lang]}\n\n${t.text[lang]}\n`;
}

/** One JSON object for a topic in `explain --json`. */
export function topicToJson(t: Topic): Record<string, unknown> {
  return { topic: t.id, title: t.title, hint: t.text };
}

/** `catalogue --format json`: every entry with its variants. */
export function catalogueToJson(entries: readonly CatalogueEntry[] = allEntries()): string {
  const rows = entries.map((e) => ({
    code: e.code,
    reason: e.reason,
    class: e.class,
    final: e.final,
    rfc: e.rfc,
    status: e.status,
    ...(e.aliases?.length ? { aliases: e.aliases } : {}),
    description: e.description,
    variants: e.variants.map((v) => ({ reason: v.reason, description: v.description })),
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}

/** `catalogue --format csv`: one row per code and one per provider phrase (kind `variant`), CRLF line ends. */
export function catalogueToCsv(entries: readonly CatalogueEntry[] = allEntries()): string {
  const lines: string[] = [
    ['code', 'kind', 'reason', 'class', 'final', 'rfc', 'status', 'description_en', 'description_ru'].join(','),
  ];
  const row = (cells: (string | number | boolean)[]): void => void lines.push(cells.map(csvCell).join(','));
  for (const e of entries) {
    row([e.code, 'default', e.reason, e.class, e.final, e.rfc, e.status, e.description.en, e.description.ru]);
    for (const v of e.variants) {
      row([e.code, 'variant', v.reason, e.class, e.final, e.rfc, e.status, v.description.en, v.description.ru]);
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** Escapes text for a Markdown table cell. */
function mdCell(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '|' || ch === '\\' || ch === '*' || ch === '_' || ch === '`' || ch === '<' || ch === '>' || ch === '[' || ch === ']') out += '\\' + ch;
    else if (ch === '\n' || ch === '\r') out += ' ';
    else out += ch;
  }
  return out;
}

const MD_TITLE: Record<string, Text> = {
  title: { en: 'SIP response codes', ru: 'Коды ответов SIP' },
  code: { en: 'Code', ru: 'Код' },
  reason: { en: 'Reason', ru: 'Фраза' },
  class: { en: 'Class', ru: 'Класс' },
  rfc: { en: 'Defined in', ru: 'Определён в' },
  meaning: { en: 'Meaning', ru: 'Значение' },
  phrases: { en: 'Provider reason phrases', ru: 'Фразы провайдеров' },
};

/** `catalogue --format md`: a table of codes and a table of provider phrases, in one language. */
export function catalogueToMarkdown(lang: Lang, entries: readonly CatalogueEntry[] = allEntries()): string {
  const t = (k: string): string => MD_TITLE[k]![lang];
  const out: string[] = [`# ${t('title')}`, '', `| ${t('code')} | ${t('reason')} | ${t('class')} | ${t('rfc')} | ${t('meaning')} |`, '|---:|---|---|---|---|'];
  for (const e of entries) {
    out.push(`| ${e.code} | ${mdCell(e.reason)} | ${classLabel(e.class, lang)} | ${mdCell(e.rfc)} | ${mdCell(e.description[lang])} |`);
  }
  out.push('', `## ${t('phrases')}`, '', `| ${t('code')} | ${t('reason')} | ${t('meaning')} |`, '|---:|---|---|');
  for (const e of entries) {
    for (const v of e.variants) out.push(`| ${e.code} | ${mdCell(v.reason)} | ${mdCell(v.description[lang])} |`);
  }
  return out.join('\n') + '\n';
}
