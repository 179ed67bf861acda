/**
 * The ladder (sequence diagram) of one call: every SIP message of its legs in order, drawn between columns
 * of signalling endpoints (address:port). Rendered as terminal text, JSON, a self-contained HTML page with an
 * SVG drawing, or Markdown for a ticket or a chat. Every string from the wire is sanitised (text) or escaped
 * (HTML, Markdown).
 */
import { printable } from '../printable.js';
import { describeCode, type Lang, type Text } from '../catalogue/index.js';
import { escapeHtml as e } from '../report/escape.js';
import { CSP } from '../report/html.js';
import { mdText } from '../report/md.js';
import type { CallRecord, SipMessage } from '../types.js';
import { flagNames } from '../types.js';
import type { CallLeg } from './collect.js';
import { diagnose, messageLabel, type Diagnosis, type Severity } from './diagnose.js';

export interface LadderMessage {
  /** 0-based index in the merged list of all legs (evidence refers to it). */
  index: number;
  /** Leg letter (A = the asked Call-ID). */
  leg: string;
  callId: string;
  offsetMs: number;
  from: number;
  to: number;
  label: string;
  /** The catalogue's meaning of a response. */
  meaning?: Text;
  message: SipMessage;
}

export interface LegSummary {
  leg: string;
  callId: string;
  by: CallLeg['by'];
  messages: number;
  records: CallRecord[];
}

export interface LegDiagnosis extends Diagnosis {
  /** Leg letter the diagnosis is about. */
  leg: string;
}

export interface CallFlow {
  callId: string;
  t0: number;
  columns: string[];
  legs: LegSummary[];
  messages: LadderMessage[];
  diagnosis: LegDiagnosis[];
  /** Why legs are missing (standard input is read once), in both languages. */
  note?: Text;
}

/** `addr:port` (`[v6]:port`); a log source without ports (port 0) shows the name alone. */
const endpoint = (addr: string, port: number): string => (port === 0 ? addr : addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

function meaningOf(m: SipMessage): Text | undefined {
  if (m.isRequest || m.status === undefined) return undefined;
  // the catalogue speaks of INVITE outcomes: a 200 to a BYE needs no explanation
  if (m.cseqMethod !== 'INVITE' && m.status < 300) return undefined;
  const d = describeCode(m.status, m.reason);
  if (!d) return undefined;
  const t = d.variant?.description ?? d.description;
  // a failure to another request (a 408 to the CANCEL, a 481 to the BYE) is not the call's outcome: say which
  // request it answers, so that it is not read as the INVITE's
  if (m.cseqMethod === 'INVITE' || !m.cseqMethod) return t;
  const method = m.cseqMethod.length > 24 ? `${m.cseqMethod.slice(0, 23)}…` : m.cseqMethod;
  return { en: `Answers the ${method}: ${t.en}`, ru: `Ответ на ${method}: ${t.ru}` };
}

const legLetter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `L${i + 1}`);

/** Builds the flow of a call: merged ladder of its legs and each leg's diagnosis. */
export function buildFlow(callId: string, legs: readonly CallLeg[], note?: Text | string): CallFlow {
  const all: { m: SipMessage; leg: number; i: number }[] = [];
  legs.forEach((l, li) => l.messages.forEach((m, i) => all.push({ m, leg: li, i })));
  if (legs.length > 1) all.sort((a, b) => a.m.ts - b.m.ts || a.leg - b.leg || a.i - b.i);
  let t0 = all.length ? Infinity : 0;
  for (const x of all) if (x.m.ts < t0) t0 = x.m.ts;
  const columns: string[] = [];
  const col = new Map<string, number>();
  const colOf = (k: string): number => {
    let c = col.get(k);
    if (c === undefined) {
      c = columns.length;
      col.set(k, c);
      columns.push(k);
    }
    return c;
  };
  const merged = new Map<string, number>(); // `${leg}:${i}` → merged index
  const messages: LadderMessage[] = all.map((x, index) => {
    merged.set(`${x.leg}:${x.i}`, index);
    const from = colOf(endpoint(x.m.src, x.m.srcPort));
    const to = colOf(endpoint(x.m.dst, x.m.dstPort));
    const lm: LadderMessage = {
      index, leg: legLetter(x.leg), callId: x.m.callId, offsetMs: x.m.ts - t0, from, to, label: messageLabel(x.m), message: x.m,
    };
    const meaning = meaningOf(x.m);
    if (meaning) lm.meaning = meaning;
    return lm;
  });
  const diagnosis: LegDiagnosis[] = [];
  legs.forEach((l, li) => {
    for (const d of diagnose(l.messages, l.records)) {
      diagnosis.push({
        ...d,
        leg: legLetter(li),
        evidence: d.evidence.map((ev) => ({ ...ev, index: merged.get(`${li}:${ev.index}`) ?? ev.index })),
      });
    }
  });
  const out: CallFlow = {
    callId,
    t0,
    columns,
    legs: legs.map((l, li) => ({ leg: legLetter(li), callId: l.callId, by: l.by, messages: l.messages.length, records: l.records })),
    messages,
    diagnosis,
  };
  if (note) out.note = typeof note === 'string' ? { en: note, ru: note } : note;
  return out;
}

// ── JSON ────────────────────────────────────────────────────────────────────────────────────────────

/** `{ callId, legs, messages, diagnosis }`; messages carry every scanned field (and `raw` when kept). */
export function flowJson(f: CallFlow): unknown {
  return {
    callId: f.callId,
    start: f.messages.length ? new Date(f.t0).toISOString() : null,
    legs: f.legs.map((l) => ({
      leg: l.leg,
      callId: l.callId,
      linkedBy: l.by,
      messages: l.messages,
      records: l.records.map((r) => ({ ...r, flagNames: flagNames(r.flags) })),
    })),
    columns: f.columns,
    messages: f.messages.map((m) => ({
      index: m.index,
      leg: m.leg,
      time: new Date(m.message.ts).toISOString(),
      offsetMs: round3(m.offsetMs),
      from: f.columns[m.from],
      to: f.columns[m.to],
      label: m.label,
      ...(m.meaning ? { meaning: m.meaning } : {}),
      ...m.message,
    })),
    diagnosis: f.diagnosis.map((d) => ({
      id: d.id,
      severity: d.severity,
      leg: d.leg,
      text: d.text,
      evidence: d.evidence,
      ...(d.hint ? { hint: d.hint } : {}),
    })),
    ...(f.note ? { note: f.note } : {}),
  };
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** `+2.000s`; in Russian `+2.000 с`, as the summary's `за 2.150 с`. */
/** `+2.000s`; in Russian `+2,000 с` (a decimal comma: `2.000` reads as two thousand there). */
const fmtOffset = (ms: number, lang: Lang = 'en'): string => (lang === 'ru' ? `+${(ms / 1000).toFixed(3).replace('.', ',')} с` : `+${(ms / 1000).toFixed(3)}s`);

/** The wording when no rule matched: a failed call is not "nothing wrong". */
function noDiagnosis(f: CallFlow, lang: Lang): string {
  // Any request's failure counts (a SUBSCRIBE or REGISTER dialog that ends in 404 is no success either).
  const failed = f.messages.some((m) => !m.message.isRequest && (m.message.status ?? 0) >= 300 && m.message.status !== 401 && m.message.status !== 407);
  const answered = f.messages.some((m) => !m.message.isRequest && m.message.cseqMethod === 'INVITE' && (m.message.status ?? 0) >= 200 && (m.message.status ?? 0) < 300);
  if (failed && !answered) {
    return lang === 'ru'
      ? 'ни одно правило диагноза не подошло; окончательный ответ и его смысл — в лестнице выше.'
      : 'no diagnosis rule matched; the final response and its meaning are in the ladder above.';
  }
  return lang === 'ru' ? 'нарушений не найдено.' : 'nothing wrong found.';
}

// ── what the renderings share ───────────────────────────────────────────────────────────────────────

/** `asked, 4 messages` / `linked by correlation, 4 messages`, in one language (without the count: `asked`). */
function legWhy(l: LegSummary, lang: Lang, count = true): string {
  const why = l.by === 'self' ? (lang === 'ru' ? 'запрошенный' : 'asked') : lang === 'ru' ? `связан по ${l.by === 'correlation' ? 'заголовку X-' : 'номерам и времени'}` : `linked by ${l.by}`;
  if (!count) return why;
  return `${why}, ${lang === 'ru' ? `сообщений: ${l.messages}` : `${l.messages} ${l.messages === 1 ? 'message' : 'messages'}`}`;
}

/** Fixed words of the text, HTML and Markdown renderings; `n` to `meaning` name the message table's columns. */
const WORD = {
  call: { en: 'Call', ru: 'Вызов' },
  diagnosis: { en: 'Diagnosis', ru: 'Диагноз' },
  ladder: { en: 'Ladder', ru: 'Лестница' },
  messages: { en: 'Messages', ru: 'Сообщения' },
  messageText: { en: 'Message text', ru: 'Текст сообщений' },
  hint: { en: 'hint', ru: 'совет' },
  note: { en: 'note', ru: 'примечание' },
  n: { en: '#', ru: '#' },
  leg: { en: 'leg', ru: 'плечо' },
  time: { en: 'time', ru: 'время' },
  from: { en: 'from', ru: 'откуда' },
  to: { en: 'to', ru: 'куда' },
  message: { en: 'message', ru: 'сообщение' },
  meaning: { en: 'meaning', ru: 'смысл' },
} satisfies Record<string, Text>;

/** One message of the table, every cell as plain text (from the wire: each renderer escapes it). */
interface MessageRow {
  n: string;
  leg: string;
  time: string;
  from: string;
  to: string;
  label: string;
  meaning: string;
}

function messageRow(f: CallFlow, m: LadderMessage, lang: Lang): MessageRow {
  return {
    n: String(m.index + 1),
    leg: m.leg,
    time: fmtOffset(m.offsetMs, lang),
    from: f.columns[m.from]!,
    to: f.columns[m.to]!,
    label: m.label,
    meaning: m.meaning ? m.meaning[lang] : '',
  };
}

/** A diagnosis in one language, as plain text (each renderer escapes it). */
interface DiagnosisItem {
  id: string;
  severity: Severity;
  leg: string;
  text: string;
  /** `#4 +2.000s 200 OK: sent 3 times…`: the 1-based message number, the offset (`+2.000 с` in Russian), then the note. */
  evidence: Array<{ n: string; offset: string; what: string }>;
  hint?: { id: string; text: string };
}

function diagnosisItems(f: CallFlow, lang: Lang): DiagnosisItem[] {
  return f.diagnosis.map((d) => {
    const item: DiagnosisItem = {
      id: d.id,
      severity: d.severity,
      leg: d.leg,
      text: d.text[lang],
      evidence: d.evidence.map((ev) => ({ n: `#${ev.index + 1}`, offset: fmtOffset(ev.ts - f.t0, lang), what: ev.what[lang] })),
    };
    if (d.hint) item.hint = { id: d.hint.id, text: d.hint.text[lang] };
    return item;
  });
}

const evidenceLine = (ev: DiagnosisItem['evidence'][number]): string => `${ev.n} ${ev.offset} ${ev.what}`;

/** `noDiagnosis` as a sentence of its own. */
function noDiagnosisSentence(f: CallFlow, lang: Lang): string {
  const t = noDiagnosis(f, lang);
  return t[0]!.toUpperCase() + t.slice(1);
}

// ── text ────────────────────────────────────────────────────────────────────────────────────────────

export interface TextOptions {
  lang?: Lang;
  /** Widest label drawn inside an arrow (longer ones are cut with …). */
  maxLabel?: number;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : n <= 1 ? s.slice(0, n) : s.slice(0, n - 1) + '…';
}

/** The ladder as a terminal sequence diagram, then the diagnosis. */
export function flowText(f: CallFlow, o: TextOptions = {}): string {
  const lang = o.lang ?? 'en';
  const lines: string[] = [];
  lines.push(`Call ${printable(f.callId)}${f.messages.length ? ` — ${new Date(f.t0).toISOString()}` : ''}`);
  if (f.legs.length > 1) {
    for (const l of f.legs) lines.push(`  ${WORD.leg[lang]} ${l.leg}: ${printable(l.callId)} (${legWhy(l, lang)})`);
  }
  if (f.note) lines.push(`  ${WORD.note[lang]}: ${printable(f.note[lang])}`);
  if (f.messages.length === 0) {
    lines.push('', 'No SIP messages with this Call-ID were found.');
    return lines.join('\n') + '\n';
  }
  const maxLabel = o.maxLabel ?? 28;
  const cols = f.columns.map((c) => printable(c));
  const colW = Math.max(maxLabel + 6, ...cols.map((c) => c.length + 2));
  const multi = f.legs.length > 1;
  // "+12.345s" (`+12.345 с`) + space + "#123 " + leg; a longer offset widens the column
  const offW = Math.max(9, ...f.messages.map((m) => fmtOffset(m.offsetMs, lang).length));
  const prefix = offW + 1 + 5 + (multi ? 2 : 0);
  const center = (c: number): number => prefix + c * colW + Math.floor(colW / 2);
  const width = prefix + cols.length * colW;
  const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

  let head = ' '.repeat(prefix);
  for (const c of cols) {
    const left = Math.max(0, Math.floor((colW - c.length) / 2));
    head += pad(' '.repeat(left) + c, colW);
  }
  lines.push('', head.trimEnd());
  const rail = (): string[] => {
    const a = new Array<string>(width).fill(' ');
    for (let c = 0; c < cols.length; c++) a[center(c)] = '|';
    return a;
  };
  for (const m of f.messages) {
    const a = rail();
    const stamp = pad(fmtOffset(m.offsetMs, lang), offW) + ' ' + pad(`#${m.index + 1}`, 5) + (multi ? m.leg + ' ' : '');
    for (let i = 0; i < stamp.length; i++) a[i] = stamp[i]!;
    const x1 = center(m.from);
    const x2 = center(m.to);
    const label = clip(printable(m.label), maxLabel);
    if (x1 === x2) {
      const t = `<- ${label}`;
      for (let i = 0; i < t.length && x1 + 1 + i < width; i++) a[x1 + 1 + i] = t[i]!;
    } else {
      const lo = Math.min(x1, x2);
      const hi = Math.max(x1, x2);
      for (let x = lo + 1; x < hi; x++) a[x] = '-';
      if (x2 > x1) a[hi - 1] = '>';
      else a[lo + 1] = '<';
      const span = hi - lo - 3;
      const t = clip(` ${label} `, Math.max(0, span));
      const start = lo + 2 + Math.max(0, Math.floor((span - t.length) / 2));
      for (let i = 0; i < t.length; i++) a[start + i] = t[i]!;
    }
    let line = a.join('').trimEnd();
    if (m.meaning) line += `   ${clip(printable(m.meaning[lang]), 90)}`;
    lines.push(line);
  }
  lines.push('');
  if (f.diagnosis.length === 0) lines.push(`${WORD.diagnosis[lang]}: ${noDiagnosis(f, lang)}`);
  else {
    lines.push(`${WORD.diagnosis[lang]}:`);
    for (const d of diagnosisItems(f, lang)) {
      lines.push(`  [${SEVERITY[d.severity][lang]}] ${d.id}${multi ? ` (${WORD.leg[lang]} ${d.leg})` : ''}: ${printable(d.text)}`);
      for (const ev of d.evidence) lines.push(`      ${printable(evidenceLine(ev))}`);
      if (d.hint) lines.push(`      ${WORD.hint[lang]} (${d.hint.id}): ${printable(d.hint.text)}`);
    }
  }
  return lines.join('\n') + '\n';
}

// ── HTML + SVG ──────────────────────────────────────────────────────────────────────────────────────

const PAGE_STYLE = `
body{margin:0;background:#f8fafc;color:#111827;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1400px;margin:0 auto;padding:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.sub{color:#6b7280;margin:0 0 12px}
.ladder{overflow-x:auto;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #e5e7eb;padding:3px 6px;text-align:left;vertical-align:top;font-size:13px}
.sev-error{color:#b91c1c}.sev-warning{color:#b45309}.sev-info{color:#2563eb}
pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #e5e7eb;padding:6px;font-size:12px}
`;

const LEG_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/** The SVG ladder alone (every text escaped). */
export function flowSvg(f: CallFlow, lang: Lang = 'en'): string {
  const colW = 220;
  const rowH = 26;
  const top = 40;
  const left = 90;
  const w = left + Math.max(1, f.columns.length) * colW;
  const h = top + f.messages.length * rowH + 20;
  const cx = (c: number): number => left + c * colW + colW / 2;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="ui-monospace,Menlo,Consolas,monospace" font-size="12" role="img" aria-label="SIP ladder">`);
  parts.push('<defs>');
  f.legs.forEach((_, i) => {
    const c = LEG_COLOURS[i % LEG_COLOURS.length]!;
    parts.push(`<marker id="ah${i}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${c}"/></marker>`);
  });
  parts.push('</defs>');
  f.columns.forEach((c, i) => {
    parts.push(`<text x="${cx(i)}" y="16" text-anchor="middle" font-weight="bold">${e(c)}</text>`);
    parts.push(`<line x1="${cx(i)}" y1="24" x2="${cx(i)}" y2="${h - 8}" stroke="#9ca3af" stroke-dasharray="4 3"/>`);
  });
  const legIndex = new Map(f.legs.map((l, i) => [l.leg, i]));
  f.messages.forEach((m, r) => {
    const y = top + r * rowH + rowH / 2;
    const li = legIndex.get(m.leg) ?? 0;
    const colour = LEG_COLOURS[li % LEG_COLOURS.length]!;
    const title = `#${m.index + 1} ${m.label}${m.meaning ? ' — ' + m.meaning[lang] : ''}`;
    parts.push(`<g><title>${e(title)}</title>`);
    parts.push(`<text x="4" y="${y + 4}" fill="#6b7280">${e(fmtOffset(m.offsetMs, lang))}</text>`);
    const x1 = cx(m.from);
    const x2 = cx(m.to);
    if (x1 === x2) {
      parts.push(`<path d="M${x1} ${y - 6}h30v12h-30" fill="none" stroke="${colour}" marker-end="url(#ah${li})"/>`);
      parts.push(`<text x="${x1 + 36}" y="${y + 4}" fill="${colour}">${e(clip(m.label, 30))}</text>`);
    } else {
      parts.push(`<line x1="${x1}" y1="${y + 4}" x2="${x2}" y2="${y + 4}" stroke="${colour}" stroke-width="1.5" marker-end="url(#ah${li})"/>`);
      const span = Math.floor(Math.abs(x2 - x1) / 7.2);
      parts.push(`<text x="${(x1 + x2) / 2}" y="${y - 1}" text-anchor="middle" fill="${colour}">${e(clip(m.label, Math.max(4, span)))}</text>`);
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A self-contained page: the SVG ladder, the diagnosis, the message table and raw texts when kept. */
export function flowHtml(f: CallFlow, lang: Lang = 'en'): string {
  const p: string[] = [];
  p.push('<!DOCTYPE html><html lang="' + lang + '"><head><meta charset="utf-8">');
  p.push(`<meta http-equiv="Content-Security-Policy" content="${e(CSP)}">`);
  // A title holds no markup to isolate a bidi override in: it gets the terminal's printable form.
  p.push(`<title>${e(printable(`sipscope flow ${f.callId}`))}</title><style>${PAGE_STYLE}</style></head><body><main>`);
  p.push(`<h1>${WORD.call[lang]} <bdi>${e(f.callId)}</bdi></h1>`);
  const counts = lang === 'ru' ? `сообщений: ${f.messages.length} · плеч: ${f.legs.length}` : `${plural(f.messages.length, 'message', 'messages')} · ${plural(f.legs.length, 'leg', 'legs')}`;
  p.push(`<p class="sub">${f.messages.length ? e(new Date(f.t0).toISOString()) + ' · ' : ''}${counts}</p>`);
  if (f.legs.length > 1) {
    p.push('<ul>');
    for (const l of f.legs) p.push(`<li>${WORD.leg[lang]} ${e(l.leg)}: ${e(l.callId)} (${e(legWhy(l, lang, false))})</li>`);
    p.push('</ul>');
  }
  if (f.note) p.push(`<p class="sub">${WORD.note[lang]}: ${e(f.note[lang])}</p>`);
  p.push(`<h2>${WORD.diagnosis[lang]}</h2>`);
  if (f.diagnosis.length === 0) p.push(`<p>${e(noDiagnosisSentence(f, lang))}</p>`);
  else {
    p.push('<ul>');
    for (const d of diagnosisItems(f, lang)) {
      p.push(`<li><b class="sev-${e(d.severity)}">${e(d.id)}</b> (${e(SEVERITY[d.severity][lang])}, ${WORD.leg[lang]} ${e(d.leg)}): ${e(d.text)}`);
      p.push('<ul>');
      for (const ev of d.evidence) p.push(`<li>${e(evidenceLine(ev))}</li>`);
      if (d.hint) p.push(`<li>${WORD.hint[lang]}: ${e(d.hint.text)}</li>`);
      p.push('</ul></li>');
    }
    p.push('</ul>');
  }
  p.push(`<h2>${WORD.ladder[lang]}</h2><div class="ladder">${flowSvg(f, lang)}</div>`);
  const cols = [WORD.n, WORD.leg, WORD.time, WORD.from, WORD.to, WORD.message, WORD.meaning];
  p.push(`<h2>${WORD.messages[lang]}</h2><table><thead><tr>${cols.map((h) => `<th>${h[lang]}</th>`).join('')}</tr></thead><tbody>`);
  for (const m of f.messages) {
    const r = messageRow(f, m, lang);
    p.push(`<tr>${[r.n, r.leg, r.time, r.from, r.to, r.label, r.meaning].map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
  }
  p.push('</tbody></table>');
  const raws = f.messages.filter((m) => m.message.raw !== undefined);
  if (raws.length) {
    p.push(`<h2>${WORD.messageText[lang]}</h2>`);
    for (const m of raws) p.push(`<details><summary>#${m.index + 1} ${e(m.label)}</summary><pre>${e(m.message.raw!)}</pre></details>`);
  }
  p.push('</main></body></html>\n');
  return p.join('\n');
}

// ── Markdown ────────────────────────────────────────────────────────────────────────────────────────

const SEVERITY: Record<Severity, Text> = {
  error: { en: 'error', ru: 'ошибка' },
  warning: { en: 'warning', ru: 'предупреждение' },
  info: { en: 'info', ru: 'сведения' },
};

const isAsciiAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** U+2028 and U+2029 end a line for JavaScript renderers (Mattermost's), though not for CommonMark. */
const isLineSeparator = (c: number): boolean => c === 0x2028 || c === 0x2029;

/**
 * Wire text for Markdown: `mdText` (control characters and line ends replaced, so no cell or line is broken;
 * backslash, backtick, `*`, `_`, `[`, `]`, `|`, `~` backslash-escaped; `&`, `<`, `>` as entities, so no raw
 * HTML, image, `[text](target)` link or `<…>` autolink), and also U+2028/U+2029 replaced, `#` (a heading's
 * closing sequence) and `$` (GitHub and GitLab math) escaped, and a word joiner (U+2060) after an `@` that no
 * letter or digit precedes (an address's `user@host` keeps its `@` as it is), so that `@channel`, `@here` or
 * `@someone` in a reason phrase pings no one in Mattermost, Slack or GitHub. One loop over the characters, no
 * regular expression.
 */
function md(s: string): string {
  const t = mdText(s);
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (ch === '#' || ch === '$') out += '\\' + ch;
    else if (ch === '@' && (i === 0 || !isAsciiAlnum(t.charCodeAt(i - 1)))) out += '@\u2060';
    else if (isLineSeparator(t.charCodeAt(i))) out += '\uFFFD';
    else out += ch;
  }
  return out;
}

/**
 * An identifier as a code span, outside a table: shown and copied exactly (no escape to strip, no autolink, no
 * mention), control characters and line separators replaced. The fence is one backtick longer than the longest
 * run inside, and a space pads a value that starts or ends with a backtick or a space (CommonMark strips one).
 */
function mdCode(s: string): string {
  let v = '';
  let run = 0;
  let longest = 0;
  for (const ch of printable(s)) {
    run = ch === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
    v += isLineSeparator(ch.charCodeAt(0)) ? '\uFFFD' : ch;
  }
  const fence = '`'.repeat(longest + 1);
  const pad = v === '' || v[0] === '`' || v[0] === ' ' || v.at(-1) === '`' || v.at(-1) === ' ' ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What became of the asked call: its first 2xx to an INVITE, else its last final response to one. */
function outcome(f: CallFlow, lang: Lang): string {
  const asked = f.legs[0]?.leg;
  let last: LadderMessage | undefined;
  for (const m of f.messages) {
    const status = m.message.status;
    if (m.leg !== asked || m.message.isRequest || m.message.cseqMethod !== 'INVITE' || status === undefined || status < 200) continue;
    if (status < 300) return `${lang === 'ru' ? 'отвечен' : 'answered'} (${md(m.label)})`;
    last = m;
  }
  if (last) return md(last.label);
  return lang === 'ru' ? 'окончательного ответа на INVITE нет' : 'no final response to an INVITE';
}

/** `1 leg · 4 messages · 2024-05-14T09:30:00.000Z, over 2.150 s` and the outcome, in one language. */
function summaryLine(f: CallFlow, lang: Lang): string {
  let end = f.t0;
  for (const m of f.messages) if (m.message.ts > end) end = m.message.ts;
  const span = ((end - f.t0) / 1000).toFixed(3);
  const start = new Date(f.t0).toISOString();
  return lang === 'ru'
    ? `**Итог:** ${outcome(f, lang)} · плеч: ${f.legs.length} · сообщений: ${f.messages.length} · ${start}, за ${span.replace('.', ',')} с`
    : `**Outcome:** ${outcome(f, lang)} · ${plural(f.legs.length, 'leg', 'legs')} · ${plural(f.messages.length, 'message', 'messages')} · ${start}, over ${span} s`;
}

function legLine(l: LegSummary, lang: Lang): string {
  return `- **${l.leg}**: ${mdCode(l.callId)} (${legWhy(l, lang)})`;
}

/**
 * The post-mortem as Markdown for a ticket or a chat (GitHub, GitLab, Mattermost): a heading with the Call-ID,
 * a summary line, the ladder as a table (one row a message, with the catalogue's meaning), then the diagnosis
 * with its evidence and hint. Call-IDs are code spans (`mdCode`), every other string goes through `md()`;
 * message numbers are code spans too, so that `#4` is no link to an issue.
 */
export function flowMd(f: CallFlow, lang: Lang = 'en'): string {
  const out: string[] = [`## ${WORD.call[lang]} ${mdCode(f.callId)}`, ''];
  if (f.messages.length === 0) {
    out.push(lang === 'ru' ? 'Ни одного SIP-сообщения с этим Call-ID не найдено.' : 'No SIP messages with this Call-ID were found.');
    return out.join('\n') + '\n';
  }
  out.push(summaryLine(f, lang), '');
  const multi = f.legs.length > 1;
  if (multi) out.push(...f.legs.map((l) => legLine(l, lang)), '');
  if (f.note) out.push(`> **${lang === 'ru' ? 'Примечание' : 'Note'}:** ${md(f.note[lang])}`, '');

  out.push(`### ${WORD.ladder[lang]}`, '');
  const head = [WORD.n[lang], ...(multi ? [WORD.leg[lang]] : []), WORD.time[lang], `${WORD.from[lang]} → ${WORD.to[lang]}`, WORD.message[lang], WORD.meaning[lang]];
  const align = ['---:', ...(multi ? [':---:'] : []), '---:', '---', '---', '---'];
  out.push(`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`);
  for (const m of f.messages) {
    const r = messageRow(f, m, lang);
    const cells = [r.n, ...(multi ? [r.leg] : []), r.time, `${md(r.from)} → ${md(r.to)}`, md(r.label), md(r.meaning)];
    out.push(`| ${cells.join(' | ')} |`);
  }

  out.push('', `### ${WORD.diagnosis[lang]}`, '');
  if (f.diagnosis.length === 0) out.push(md(noDiagnosisSentence(f, lang)));
  for (const d of diagnosisItems(f, lang)) {
    const where = multi ? `, ${WORD.leg[lang]} ${d.leg}` : '';
    out.push(`- **${md(d.id)}** (${SEVERITY[d.severity][lang]}${where}): ${md(d.text)}`);
    for (const ev of d.evidence) out.push(`  - \`${ev.n}\` ${ev.offset} ${md(ev.what)}`);
    if (d.hint) out.push(`  - _${WORD.hint[lang]} (${md(d.hint.id)})_: ${md(d.hint.text)}`);
  }
  return out.join('\n') + '\n';
}
