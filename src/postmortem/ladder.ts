/**
 * The ladder (sequence diagram) of one call: every SIP message of its legs in order, drawn between columns
 * of signalling endpoints (address:port). Rendered as terminal text, JSON, or a self-contained HTML page
 * with an SVG drawing. Every string from the wire is sanitised (text) or escaped (HTML).
 */
import { printable } from '../printable.js';
import { describeCode, type Lang, type Text } from '../catalogue/index.js';
import { escapeHtml as e } from '../report/escape.js';
import { CSP } from '../report/html.js';
import type { CallRecord, SipMessage } from '../types.js';
import { flagNames } from '../types.js';
import type { CallLeg } from './collect.js';
import { diagnose, messageLabel, type Diagnosis } from './diagnose.js';

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
  note?: string;
}

/** `addr:port` (`[v6]:port`); a log source without ports (port 0) shows the name alone. */
const endpoint = (addr: string, port: number): string => (port === 0 ? addr : addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

function meaningOf(m: SipMessage): Text | undefined {
  if (m.isRequest || m.status === undefined) return undefined;
  // the catalogue speaks of INVITE outcomes: a 200 to a BYE needs no explanation
  if (m.cseqMethod !== 'INVITE' && m.status < 300) return undefined;
  const d = describeCode(m.status, m.reason);
  if (!d) return undefined;
  return d.variant?.description ?? d.description;
}

const legLetter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `L${i + 1}`);

/** Builds the flow of a call: merged ladder of its legs and each leg's diagnosis. */
export function buildFlow(callId: string, legs: readonly CallLeg[], note?: string): CallFlow {
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
  if (note) out.note = note;
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

// ── text ────────────────────────────────────────────────────────────────────────────────────────────

export interface TextOptions {
  lang?: Lang;
  /** Widest label drawn inside an arrow (longer ones are cut with …). */
  maxLabel?: number;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : n <= 1 ? s.slice(0, n) : s.slice(0, n - 1) + '…';
}

const fmtOffset = (ms: number): string => `+${(ms / 1000).toFixed(3)}s`;

/** The ladder as a terminal sequence diagram, then the diagnosis. */
export function flowText(f: CallFlow, o: TextOptions = {}): string {
  const lang = o.lang ?? 'en';
  const lines: string[] = [];
  lines.push(`Call ${printable(f.callId)}${f.messages.length ? ` — ${new Date(f.t0).toISOString()}` : ''}`);
  if (f.legs.length > 1) {
    for (const l of f.legs) lines.push(`  leg ${l.leg}: ${printable(l.callId)} (${l.by === 'self' ? 'asked' : `linked by ${l.by}`}, ${l.messages} messages)`);
  }
  if (f.note) lines.push(`  note: ${printable(f.note)}`);
  if (f.messages.length === 0) {
    lines.push('', 'No SIP messages with this Call-ID were found.');
    return lines.join('\n') + '\n';
  }
  const maxLabel = o.maxLabel ?? 28;
  const cols = f.columns.map((c) => printable(c));
  const colW = Math.max(maxLabel + 6, ...cols.map((c) => c.length + 2));
  const multi = f.legs.length > 1;
  const prefix = 9 + 1 + 5 + (multi ? 2 : 0); // "+12.345s" + space + "#123 " + leg
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
    const stamp = pad(fmtOffset(m.offsetMs), 9) + ' ' + pad(`#${m.index + 1}`, 5) + (multi ? m.leg + ' ' : '');
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
  if (f.diagnosis.length === 0) lines.push(`${lang === 'ru' ? 'Диагноз' : 'Diagnosis'}: ${noDiagnosis(f, lang)}`);
  else {
    lines.push(lang === 'ru' ? 'Диагноз:' : 'Diagnosis:');
    for (const d of f.diagnosis) {
      lines.push(`  [${d.severity}] ${d.id}${multi ? ` (leg ${d.leg})` : ''}: ${printable(d.text[lang])}`);
      for (const ev of d.evidence) lines.push(`      #${ev.index + 1} ${fmtOffset(ev.ts - f.t0)} ${printable(ev.what[lang])}`);
      if (d.hint) lines.push(`      ${lang === 'ru' ? 'совет' : 'hint'} (${d.hint.id}): ${printable(d.hint.text[lang])}`);
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
    parts.push(`<text x="4" y="${y + 4}" fill="#6b7280">${e(fmtOffset(m.offsetMs))}</text>`);
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
  const ru = lang === 'ru';
  // A title holds no markup to isolate a bidi override in: it gets the terminal's printable form.
  p.push(`<title>${e(printable(`sipscope flow ${f.callId}`))}</title><style>${PAGE_STYLE}</style></head><body><main>`);
  p.push(`<h1>${ru ? 'Вызов' : 'Call'} <bdi>${e(f.callId)}</bdi></h1>`);
  p.push(`<p class="sub">${f.messages.length ? e(new Date(f.t0).toISOString()) + ' · ' : ''}${f.messages.length} messages · ${f.legs.length} leg(s)</p>`);
  if (f.legs.length > 1) {
    p.push('<ul>');
    for (const l of f.legs) p.push(`<li>leg ${e(l.leg)}: ${e(l.callId)} (${e(l.by === 'self' ? 'asked' : 'linked by ' + l.by)})</li>`);
    p.push('</ul>');
  }
  if (f.note) p.push(`<p class="sub">${e(f.note)}</p>`);
  p.push(`<h2>${lang === 'ru' ? 'Диагноз' : 'Diagnosis'}</h2>`);
  if (f.diagnosis.length === 0) {
    const t = noDiagnosis(f, lang);
    p.push(`<p>${e(t[0]!.toUpperCase() + t.slice(1))}</p>`);
  }
  else {
    p.push('<ul>');
    for (const d of f.diagnosis) {
      p.push(`<li><b class="sev-${e(d.severity)}">${e(d.id)}</b> (${e(d.severity)}, leg ${e(d.leg)}): ${e(d.text[lang])}`);
      p.push('<ul>');
      for (const ev of d.evidence) p.push(`<li>#${ev.index + 1} ${e(fmtOffset(ev.ts - f.t0))} ${e(ev.what[lang])}</li>`);
      if (d.hint) p.push(`<li>${lang === 'ru' ? 'совет' : 'hint'}: ${e(d.hint.text[lang])}</li>`);
      p.push('</ul></li>');
    }
    p.push('</ul>');
  }
  p.push(`<h2>${lang === 'ru' ? 'Лестница' : 'Ladder'}</h2><div class="ladder">${flowSvg(f, lang)}</div>`);
  p.push(`<h2>${lang === 'ru' ? 'Сообщения' : 'Messages'}</h2><table><thead><tr>${(ru ? ['#', 'плечо', 'время', 'откуда', 'куда', 'сообщение', 'смысл'] : ['#', 'leg', 'time', 'from', 'to', 'message', 'meaning']).map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`);
  for (const m of f.messages) {
    p.push(
      `<tr><td>${m.index + 1}</td><td>${e(m.leg)}</td><td>${e(fmtOffset(m.offsetMs))}</td><td>${e(f.columns[m.from]!)}</td><td>${e(f.columns[m.to]!)}</td><td>${e(m.label)}</td><td>${m.meaning ? e(m.meaning[lang]) : ''}</td></tr>`,
    );
  }
  p.push('</tbody></table>');
  const raws = f.messages.filter((m) => m.message.raw !== undefined);
  if (raws.length) {
    p.push(`<h2>${lang === 'ru' ? 'Текст сообщений' : 'Message text'}</h2>`);
    for (const m of raws) p.push(`<details><summary>#${m.index + 1} ${e(m.label)}</summary><pre>${e(m.message.raw!)}</pre></details>`);
  }
  p.push('</main></body></html>\n');
  return p.join('\n');
}
