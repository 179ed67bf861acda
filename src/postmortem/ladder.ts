/**
 * The ladder (sequence diagram) of one call: every SIP message of its legs in order, drawn between columns
 * of signalling endpoints (address:port). Rendered as terminal text, JSON, a self-contained HTML page with an
 * SVG drawing, or Markdown for a ticket or a chat. Every string from the wire is sanitised (text) or escaped
 * (HTML, Markdown).
 */
import { printable } from '../printable.js';
import { describeCode, type Lang, type Text } from '../catalogue/index.js';
import { escapeHtmlText as e } from '../report/escape.js';
import { CSP } from '../report/html.js';
import { mdText } from '../report/md.js';
import type { CallRecord, SipMessage } from '../types.js';
import { flagNames, UNKNOWN_ROUTE } from '../types.js';
import type { CallLeg } from './collect.js';
import { diagnose, linkedTeardown, messageLabel, type Diagnosis, type Severity } from './diagnose.js';
import { splitDialogs, type DialogPart } from './dialogs.js';
import { ruCount } from './ru.js';

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
  /** Its dialog (1-based, in the order they began) when its leg's Call-ID carries several; see dialogs.ts. */
  dialog?: number;
  message: SipMessage;
}

/** One dialog of a leg whose Call-ID carries several (a Call-ID reused for a new call). */
export interface DialogSummary {
  dialog: number;
  /** The From-tag of its initial INVITE (undefined when the input lacks that INVITE). */
  fromTag?: string;
  /** Whether its initial INVITE is in the input. */
  invite: boolean;
  /** Indexes (in `messages`) of its first and last messages, and how many it has. */
  first: number;
  last: number;
  messages: number;
}

export interface LegSummary {
  leg: string;
  callId: string;
  by: CallLeg['by'];
  messages: number;
  records: CallRecord[];
  /** Its dialogs, when its Call-ID carries more than one; each is diagnosed on its own. */
  dialogs?: DialogSummary[];
}

export interface LegDiagnosis extends Diagnosis {
  /** Leg letter the diagnosis is about. */
  leg: string;
  /** The dialog of that leg it is about, when the leg has several. */
  dialog?: number;
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
  /** That a Call-ID carries several dialogs (reused for a new call), each diagnosed on its own, in both languages. */
  dialogNote?: Text;
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
  // A Call-ID reused for a new call carries several dialogs: each is its own call, diagnosed on its own (dialogs.ts).
  const splits = legs.map((l) => splitDialogs(l.messages, l.records));
  const dialogAt = new Map<string, number>(); // `${leg}:${i}` → dialog number, legs with several dialogs only
  splits.forEach((parts, li) => {
    if (parts.length > 1) parts.forEach((p, di) => p.indices.forEach((i) => dialogAt.set(`${li}:${i}`, di + 1)));
  });
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
    const dialog = dialogAt.get(`${x.leg}:${x.i}`);
    if (dialog !== undefined) lm.dialog = dialog;
    return lm;
  });
  // What is diagnosed: each dialog of each leg (a leg of one dialog is itself, its whole message list).
  const units: DiagnosedUnit[] = splits.flatMap((parts, li) =>
    parts.map((part, di) => ({
      li,
      part,
      ...(parts.length > 1 ? { dialog: di + 1 } : {}),
      messages: parts.length > 1 ? part.indices.map((i) => legs[li]!.messages[i]!) : legs[li]!.messages,
    })),
  );
  const at = (u: DiagnosedUnit, k: number): number => merged.get(`${u.li}:${u.part.indices[k] ?? k}`) ?? k;
  const diagnosis: LegDiagnosis[] = [];
  // A B2BUA that ended every leg itself: each leg is judged against the call's outer parties, and the asked leg's
  // `dropped` says it once for the call, with the other legs' BYEs as evidence. (Each dialog of a reused Call-ID
  // counts as a leg of its own there: one never answered is left aside, as a leg is.)
  const teardown = legs.length > 1 ? linkedTeardown(units.map((u) => u.messages)) : undefined;
  // the asked leg says it, unless it was never answered (a route the B2BUA tried first): then the first leg with a BYE
  const says = teardown ? teardown.byes.findIndex((b) => b >= 0) : -1;
  units.forEach((u, ui) => {
    for (const d of diagnose(u.messages, u.part.records, teardown ? { parties: teardown, quietMiddle: ui !== says } : {})) {
      const evidence = d.evidence.map((ev) => ({ ...ev, index: at(u, ev.index) }));
      if (teardown && ui === says && d.id === 'dropped') {
        teardown.byes.forEach((b, uj) => {
          if (uj === says || b < 0) return;
          const o = units[uj]!;
          const m = o.messages[b]!;
          const leg = legLetter(o.li);
          const en = o.dialog !== undefined ? `leg ${leg} (dialog ${o.dialog})` : `leg ${leg}`;
          const ru = o.dialog !== undefined ? `плече ${leg} (диалог ${o.dialog})` : `плече ${leg}`;
          evidence.push({ index: at(o, b), ts: m.ts, what: { en: `${messageLabel(m)}: sent by ${m.src} on ${en} too`, ru: `${messageLabel(m)}: ${m.src} отправил его и в ${ru}` } });
        });
        evidence.sort((a, b) => a.index - b.index);
      }
      diagnosis.push({ ...d, leg: legLetter(u.li), ...(u.dialog !== undefined ? { dialog: u.dialog } : {}), evidence });
    }
  });
  const out: CallFlow = {
    callId,
    t0,
    columns,
    legs: legs.map((l, li) => {
      const summary: LegSummary = { leg: legLetter(li), callId: l.callId, by: l.by, messages: l.messages.length, records: l.records };
      const parts = splits[li]!;
      if (parts.length > 1) summary.dialogs = parts.map((p, di) => dialogSummary(p, di + 1, (i) => merged.get(`${li}:${i}`) ?? i));
      return summary;
    }),
    messages,
    diagnosis,
  };
  if (note) out.note = typeof note === 'string' ? { en: note, ru: note } : note;
  const dialogNote = dialogsNote(out.legs);
  if (dialogNote) out.dialogNote = dialogNote;
  return out;
}

/** One dialog of a leg as diagnosed (a leg of one dialog: the leg). */
interface DiagnosedUnit {
  /** Its leg's index. */
  li: number;
  part: DialogPart;
  /** Its number when the leg has several dialogs. */
  dialog?: number;
  messages: readonly SipMessage[];
}

function dialogSummary(p: DialogPart, dialog: number, mergedOf: (i: number) => number): DialogSummary {
  const d: DialogSummary = { dialog, invite: p.invite, first: mergedOf(p.indices[0]!), last: mergedOf(p.indices[p.indices.length - 1]!), messages: p.indices.length };
  if (p.fromTag !== undefined) d.fromTag = p.fromTag;
  return d;
}

/** A From-tag as the notes show it (the notes are plain text, escaped by each renderer): at most 40 characters. */
const shownTag = (t: string): string => (t.length > 40 ? `${t.slice(0, 39)}…` : t);

/**
 * `Call-ID X holds 2 dialogs: it was reused for a new call (…)`, for each leg that does, in both languages; undefined
 * when none does.
 */
function dialogsNote(legs: readonly LegSummary[]): Text | undefined {
  const en: string[] = [];
  const ru: string[] = [];
  for (const l of legs) {
    if (!l.dialogs) continue;
    const n = l.dialogs.length;
    const tags = l.dialogs.filter((d) => d.fromTag !== undefined).map((d) => shownTag(d.fromTag!));
    const missing = l.dialogs.some((d) => !d.invite);
    const which = legs.length > 1 ? ` (leg ${l.leg})` : '';
    const whichRu = legs.length > 1 ? ` (плечо ${l.leg})` : '';
    // the calls placed on it after the first: one, or several (a list of tags is not "a new INVITE")
    const more = n - 1;
    const reusedEn = more === 1 ? 'a new call (a new INVITE with another From-tag' : `${more} new calls (new INVITEs with other From-tags`;
    const reusedRu = more === 1 ? 'нового вызова (новый INVITE с другим From-tag' : `${ruCount(more, 'нового вызова', 'новых вызовов', 'новых вызовов')} (новые INVITE с другими From-tag`;
    en.push(
      `Call-ID ${l.callId}${which} holds ${n} dialogs: it was reused for ${reusedEn}: ${tags.join(', ')}` +
        `${missing ? '; and a dialog whose INVITE is not in the input' : ''}). Each dialog is a call of its own and is diagnosed on its own.`,
    );
    ru.push(
      `Под Call-ID ${l.callId}${whichRu} — ${ruCount(n, 'диалог', 'диалога', 'диалогов')}: Call-ID использован повторно для ${reusedRu}: ${tags.join(', ')}` +
        `${missing ? '; и диалог, INVITE которого нет во входных данных' : ''}). Каждый диалог — отдельный вызов со своим диагнозом.`,
    );
  }
  return en.length ? { en: en.join(' '), ru: ru.join(' ') } : undefined;
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
      ...(l.dialogs ? { dialogs: l.dialogs } : {}),
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
      ...(m.dialog !== undefined ? { dialog: m.dialog } : {}),
      ...m.message,
    })),
    diagnosis: f.diagnosis.map((d) => ({
      id: d.id,
      severity: d.severity,
      leg: d.leg,
      ...(d.dialog !== undefined ? { dialog: d.dialog } : {}),
      text: d.text,
      evidence: d.evidence,
      ...(d.hint ? { hint: d.hint } : {}),
    })),
    ...(f.note ? { note: f.note } : {}),
    ...(f.dialogNote ? { dialogNote: f.dialogNote } : {}),
  };
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** `+2.000s`; in Russian `+2.000 с`, as the summary's `за 2.150 с`. */
/** `+2.000s`; in Russian `+2,000 с` (a decimal comma: `2.000` reads as two thousand there). */
const fmtOffset = (ms: number, lang: Lang = 'en'): string => (lang === 'ru' ? `+${(ms / 1000).toFixed(3).replace('.', ',')} с` : `+${(ms / 1000).toFixed(3)}s`);

/** The wording when no rule matched the messages (the call's, or one dialog's): a failed call is not "nothing wrong". */
function noDiagnosis(list: readonly LadderMessage[], lang: Lang): string {
  // Any request's failure counts (a SUBSCRIBE or REGISTER dialog that ends in 404 is no success either).
  const failed = list.some((m) => !m.message.isRequest && (m.message.status ?? 0) >= 300 && m.message.status !== 401 && m.message.status !== 407);
  const answered = list.some((m) => !m.message.isRequest && m.message.cseqMethod === 'INVITE' && (m.message.status ?? 0) >= 200 && (m.message.status ?? 0) < 300);
  if (failed && !answered) {
    return lang === 'ru'
      ? 'ни одно правило диагноза не подошло; окончательный ответ и его смысл — на диаграмме выше.'
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

/**
 * `route: sbc` (`routes: sbc, carrierX` for a Call-ID on two hops; `маршрут: sbc` in Russian): the routes of a leg's
 * call records, as `calls --route` names them (a name from --routes, a trunk or peer, or the next-hop address);
 * undefined when it has none. Plain text: each renderer escapes it.
 */
function legRoutes(l: LegSummary, lang: Lang): string | undefined {
  const routes: string[] = [];
  for (const r of l.records) if (r.route && r.route !== UNKNOWN_ROUTE && !routes.includes(r.route)) routes.push(r.route);
  if (routes.length === 0) return undefined;
  const word = lang === 'ru' ? (routes.length === 1 ? 'маршрут' : 'маршруты') : routes.length === 1 ? 'route' : 'routes';
  const shown = routes.length > ROUTES_SHOWN ? [...routes.slice(0, ROUTES_SHOWN), '…'] : routes;
  return `${word}: ${shown.join(', ')}`;
}
const ROUTES_SHOWN = 5;

/** The asked leg's routes when the call has one leg (with several, each leg's line names its own). */
const singleRoutes = (f: CallFlow, lang: Lang): string | undefined => (f.legs.length === 1 ? legRoutes(f.legs[0]!, lang) : undefined);

/** Fixed words of the text, HTML and Markdown renderings; `n` to `meaning` name the message table's columns. */
const WORD = {
  call: { en: 'Call', ru: 'Вызов' },
  diagnosis: { en: 'Diagnosis', ru: 'Диагноз' },
  dialog: { en: 'dialog', ru: 'диалог' },
  ladder: { en: 'Ladder', ru: 'Диаграмма обмена' },
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
  /** `D2` when its leg carries several dialogs, else empty. */
  dialog: string;
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
    dialog: m.dialog !== undefined ? dialogMark(m.dialog, lang) : '',
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
  dialog?: number;
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
      ...(d.dialog !== undefined ? { dialog: d.dialog } : {}),
      text: d.text[lang],
      evidence: d.evidence.map((ev) => ({ n: `#${ev.index + 1}`, offset: fmtOffset(ev.ts - f.t0, lang), what: ev.what[lang] })),
    };
    if (d.hint) item.hint = { id: d.hint.id, text: d.hint.text[lang] };
    return item;
  });
}

const evidenceLine = (ev: DiagnosisItem['evidence'][number]): string => `${ev.n} ${ev.offset} ${ev.what}`;

/** `noDiagnosis` as a sentence of its own. */
function noDiagnosisSentence(list: readonly LadderMessage[], lang: Lang): string {
  const t = noDiagnosis(list, lang);
  return t[0]!.toUpperCase() + t.slice(1);
}

/**
 * What became of a call (the asked leg's messages, or one dialog's), as plain text: its first 2xx to an INVITE
 * (`answered (200 OK)`), else its last final response to one, else that there is none.
 */
function outcomeOf(list: readonly LadderMessage[], lang: Lang): string {
  let last: LadderMessage | undefined;
  for (const m of list) {
    const status = m.message.status;
    if (m.message.isRequest || m.message.cseqMethod !== 'INVITE' || status === undefined || status < 200) continue;
    if (status < 300) return `${lang === 'ru' ? 'отвечен' : 'answered'} (${m.label})`;
    last = m;
  }
  if (last) return last.label;
  return lang === 'ru' ? 'окончательного ответа на INVITE нет' : 'no final response to an INVITE';
}

/** `D2` (`Д2` in Russian): the mark of a dialog in the ladder's rows. */
const dialogMark = (n: number, lang: Lang): string => `${lang === 'ru' ? 'Д' : 'D'}${n}`;

/** Whether a leg of the flow carries several dialogs (a Call-ID reused): then dialogs are marked and diagnosed one by one. */
const hasDialogs = (f: CallFlow): boolean => f.legs.some((l) => l.dialogs !== undefined);

/** One dialog of a leg that has several, in one language, plain text (each renderer escapes it). */
interface DialogLine {
  leg: string;
  dialog: number;
  /** `D2` / `Д2`. */
  mark: string;
  /** `dialog 2` (`leg A, dialog 2` with several legs). */
  name: string;
  /** Its first and last message numbers (1-based). */
  first: number;
  last: number;
  /** `From-tag ftNEW13`, or that its INVITE is not in the input. */
  what: string;
  /** Its INVITE's From-tag, if any (Markdown shows it as code). */
  fromTag?: string;
  outcome: string;
  messages: LadderMessage[];
}

/**
 * The dialog lines of a flow, computed once per render (each renderer passes them on). The messages are sorted
 * into their dialogs in one pass: a scanner may start thousands of dialogs on one Call-ID (dialogs.ts).
 */
function dialogLines(f: CallFlow, lang: Lang): DialogLine[] {
  const out: DialogLine[] = [];
  if (!hasDialogs(f)) return out;
  const multi = f.legs.length > 1;
  const byDialog = new Map<string, LadderMessage[]>(); // `${leg}\0${dialog}` → its messages, in order
  for (const m of f.messages) {
    if (m.dialog === undefined) continue;
    const k = `${m.leg}\0${m.dialog}`;
    const list = byDialog.get(k);
    if (list) list.push(m);
    else byDialog.set(k, [m]);
  }
  for (const l of f.legs) {
    for (const d of l.dialogs ?? []) {
      const messages = byDialog.get(`${l.leg}\0${d.dialog}`) ?? [];
      const name = `${multi ? `${WORD.leg[lang]} ${l.leg}, ` : ''}${WORD.dialog[lang]} ${d.dialog}`;
      const what = d.fromTag !== undefined ? `From-tag ${shownTag(d.fromTag)}` : lang === 'ru' ? 'INVITE нет во входных данных' : 'its INVITE is not in the input';
      const line: DialogLine = { leg: l.leg, dialog: d.dialog, mark: dialogMark(d.dialog, lang), name, first: d.first + 1, last: d.last + 1, what, outcome: outcomeOf(messages, lang), messages };
      if (d.fromTag !== undefined) line.fromTag = shownTag(d.fromTag);
      out.push(line);
    }
  }
  return out;
}

/** `#4–#9` (`#4` for one message). */
const range = (first: number, last: number): string => (first === last ? `#${first}` : `#${first}–#${last}`);

/**
 * The diagnosis grouped by what was diagnosed, when a leg carries several dialogs: each dialog of such a leg (its
 * line), and each other leg (`line` undefined), with their items (maybe none: then the group says that no rule
 * matched, or nothing is wrong, for its own messages).
 */
interface DiagnosisGroup {
  /** `leg B` (a leg of one dialog). */
  title: string;
  line?: DialogLine;
  items: DiagnosisItem[];
  messages: LadderMessage[];
}

/** `lines` are the flow's dialogLines; the items and the messages are sorted into the groups in one pass each. */
function diagnosisGroups(f: CallFlow, lang: Lang, lines: readonly DialogLine[]): DiagnosisGroup[] {
  // a group's key: its leg and, for a leg of several dialogs, the dialog
  const key = (leg: string, dialog: number | undefined): string => `${leg}\0${dialog ?? ''}`;
  const split = new Set(f.legs.filter((l) => l.dialogs).map((l) => l.leg));
  const itemsOf = new Map<string, DiagnosisItem[]>();
  for (const d of diagnosisItems(f, lang)) {
    const k = key(d.leg, split.has(d.leg) ? d.dialog : undefined);
    const list = itemsOf.get(k);
    if (list) list.push(d);
    else itemsOf.set(k, [d]);
  }
  const messagesOf = new Map<string, LadderMessage[]>(); // a leg of one dialog → its messages
  for (const m of f.messages) {
    if (split.has(m.leg)) continue;
    const list = messagesOf.get(m.leg);
    if (list) list.push(m);
    else messagesOf.set(m.leg, [m]);
  }
  const linesOf = new Map<string, DialogLine[]>();
  for (const line of lines) {
    const list = linesOf.get(line.leg);
    if (list) list.push(line);
    else linesOf.set(line.leg, [line]);
  }
  const out: DiagnosisGroup[] = [];
  for (const l of f.legs) {
    if (l.dialogs) {
      for (const line of linesOf.get(l.leg) ?? []) {
        out.push({ title: line.name, line, items: itemsOf.get(key(l.leg, line.dialog)) ?? [], messages: line.messages });
      }
    } else {
      out.push({ title: `${WORD.leg[lang]} ${l.leg}`, items: itemsOf.get(key(l.leg, undefined)) ?? [], messages: messagesOf.get(l.leg) ?? [] });
    }
  }
  return out;
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
  const one = singleRoutes(f, lang);
  lines.push(`Call ${printable(f.callId)}${f.messages.length ? ` — ${new Date(f.t0).toISOString()}` : ''}${one ? ` (${printable(one)})` : ''}`);
  if (f.legs.length > 1) {
    for (const l of f.legs) {
      const r = legRoutes(l, lang);
      lines.push(`  ${WORD.leg[lang]} ${l.leg}: ${printable(l.callId)} (${legWhy(l, lang)}${r ? `, ${printable(r)}` : ''})`);
    }
  }

  if (f.note) lines.push(`  ${WORD.note[lang]}: ${printable(f.note[lang])}`);
  if (f.messages.length === 0) {
    lines.push('', 'No SIP messages with this Call-ID were found.');
    return lines.join('\n') + '\n';
  }
  const split = hasDialogs(f);
  const dialogs = dialogLines(f, lang);
  if (f.dialogNote) {
    lines.push(`  ${printable(f.dialogNote[lang])}`);
    for (const d of dialogs) lines.push(`    ${d.mark} = ${printable(d.name)}: ${range(d.first, d.last)}, ${printable(d.what)}, ${printable(d.outcome)}`);
  }
  const maxLabel = o.maxLabel ?? 28;
  const cols = f.columns.map((c) => printable(c));
  const colW = Math.max(maxLabel + 6, ...cols.map((c) => c.length + 2));
  const multi = f.legs.length > 1;
  // "+12.345s" (`+12.345 с`) + space + "#123 " + leg + dialog mark; a longer offset widens the column
  const offW = Math.max(9, ...f.messages.map((m) => fmtOffset(m.offsetMs, lang).length));
  const markW = Math.max(0, ...dialogs.map((d) => d.mark.length));
  const prefix = offW + 1 + 5 + (multi ? 2 : 0) + (split ? markW + 1 : 0);
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
  // where each dialog of a reused Call-ID begins: a line across the ladder before its first message
  const begins = new Map(dialogs.map((d) => [d.first - 1, d]));
  for (const m of f.messages) {
    const begin = begins.get(m.index);
    if (begin) {
      const t = ` ${printable(begin.name)} (${begin.mark}) `;
      lines.push(`===${t}${'='.repeat(Math.max(3, width - t.length - 3))}`);
    }
    const a = rail();
    const mark = split ? pad(m.dialog !== undefined ? dialogMark(m.dialog, lang) : '', markW) + ' ' : '';
    const stamp = pad(fmtOffset(m.offsetMs, lang), offW) + ' ' + pad(`#${m.index + 1}`, 5) + (multi ? m.leg + ' ' : '') + mark;
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
  if (split) {
    // each dialog (and each other leg) on its own, with what became of it; one with no diagnosis says so
    lines.push(`${WORD.diagnosis[lang]}:`);
    for (const g of diagnosisGroups(f, lang, dialogs)) {
      const head = g.line ? `${g.title} (${g.line.mark}, ${range(g.line.first, g.line.last)}) — ${printable(g.line.outcome)}` : g.title;
      if (g.items.length === 0) {
        lines.push(`  ${head}: ${noDiagnosis(g.messages, lang)}`);
        continue;
      }
      lines.push(`  ${head}:`);
      for (const d of g.items) {
        lines.push(`    [${SEVERITY[d.severity][lang]}] ${d.id}: ${printable(d.text)}`);
        for (const ev of d.evidence) lines.push(`        ${printable(evidenceLine(ev))}`);
        if (d.hint) lines.push(`        ${WORD.hint[lang]} (${d.hint.id}): ${printable(d.hint.text)}`);
      }
    }
  } else if (f.diagnosis.length === 0) lines.push(`${WORD.diagnosis[lang]}: ${noDiagnosis(f.messages, lang)}`);
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

/** Only on the page of a Call-ID that carries several dialogs: its note and the diagnosis's headings per dialog. */
const DIALOG_STYLE = `.warn{background:#fef3c7;border:1px solid #f59e0b;border-radius:6px;padding:6px 10px}
h3{font-size:14px;margin:12px 0 4px}
`;

const LEG_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/** The SVG ladder alone (every text escaped). */
export function flowSvg(f: CallFlow, lang: Lang = 'en'): string {
  return svgOf(f, lang, dialogLines(f, lang));
}

/** The SVG ladder, with the flow's dialogLines (computed once by the page). */
function svgOf(f: CallFlow, lang: Lang, dialogs: readonly DialogLine[]): string {
  const colW = 220;
  const rowH = 26;
  const top = 40;
  const left = 90;
  const w = left + Math.max(1, f.columns.length) * colW;
  // where each dialog of a reused Call-ID begins: a gap with a dashed line and its name before its first message
  const gapH = 18;
  const begins = new Map(dialogs.map((d) => [d.first - 1, d]));
  const h = top + f.messages.length * rowH + begins.size * gapH + 20;
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
  let gaps = 0;
  f.messages.forEach((m, r) => {
    const begin = begins.get(m.index);
    if (begin) {
      const gy = top + r * rowH + gaps * gapH; // the gap's top: its name, then the line under it
      parts.push(`<text x="4" y="${gy + 11}" fill="#b45309">${e(`${begin.name} (${begin.mark})`)}</text>`);
      parts.push(`<line x1="0" y1="${gy + 14}" x2="${w}" y2="${gy + 14}" stroke="#f59e0b" stroke-dasharray="6 4"/>`);
      gaps++;
    }
    const y = top + r * rowH + gaps * gapH + rowH / 2;
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
  const split = hasDialogs(f);
  const dialogs = dialogLines(f, lang);
  p.push(`<title>${e(printable(`sipscope flow ${f.callId}`))}</title><style>${PAGE_STYLE}${split ? DIALOG_STYLE : ''}</style></head><body><main>`);
  p.push(`<h1>${WORD.call[lang]} <bdi>${e(f.callId)}</bdi></h1>`);
  const counts = lang === 'ru' ? `сообщений: ${f.messages.length} · плеч: ${f.legs.length}` : `${plural(f.messages.length, 'message', 'messages')} · ${plural(f.legs.length, 'leg', 'legs')}`;
  const one = singleRoutes(f, lang);
  p.push(`<p class="sub">${f.messages.length ? e(new Date(f.t0).toISOString()) + ' · ' : ''}${counts}${one ? ` · ${e(one)}` : ''}</p>`);
  if (f.legs.length > 1) {
    p.push('<ul>');
    for (const l of f.legs) {
      const r = legRoutes(l, lang);
      p.push(`<li>${WORD.leg[lang]} ${e(l.leg)}: ${e(l.callId)} (${e(legWhy(l, lang, false))}${r ? `, ${e(r)}` : ''})</li>`);
    }
    p.push('</ul>');
  }
  if (f.note) p.push(`<p class="sub">${WORD.note[lang]}: ${e(f.note[lang])}</p>`);
  if (f.dialogNote) {
    p.push(`<p class="warn">${e(f.dialogNote[lang])}</p><ul>`);
    for (const d of dialogs) p.push(`<li><b>${e(d.mark)}</b> ${e(d.name)}: ${e(range(d.first, d.last))}, ${e(d.what)}, ${e(d.outcome)}</li>`);
    p.push('</ul>');
  }
  p.push(`<h2>${WORD.diagnosis[lang]}</h2>`);
  const item = (d: DiagnosisItem, where: string): void => {
    p.push(`<li><b class="sev-${e(d.severity)}">${e(d.id)}</b> (${e(SEVERITY[d.severity][lang])}${where}): ${e(d.text)}`);
    p.push('<ul>');
    for (const ev of d.evidence) p.push(`<li>${e(evidenceLine(ev))}</li>`);
    if (d.hint) p.push(`<li>${WORD.hint[lang]}: ${e(d.hint.text)}</li>`);
    p.push('</ul></li>');
  };
  if (split) {
    // each dialog (and each other leg) on its own, with what became of it; one with no diagnosis says so
    for (const g of diagnosisGroups(f, lang, dialogs)) {
      p.push(`<h3>${e(g.title[0]!.toUpperCase() + g.title.slice(1))}${g.line ? ` (${e(g.line.mark)}, ${e(range(g.line.first, g.line.last))}) — ${e(g.line.outcome)}` : ''}</h3>`);
      if (g.items.length === 0) p.push(`<p>${e(noDiagnosisSentence(g.messages, lang))}</p>`);
      else {
        p.push('<ul>');
        for (const d of g.items) item(d, '');
        p.push('</ul>');
      }
    }
  } else if (f.diagnosis.length === 0) p.push(`<p>${e(noDiagnosisSentence(f.messages, lang))}</p>`);
  else {
    p.push('<ul>');
    for (const d of diagnosisItems(f, lang)) item(d, `, ${WORD.leg[lang]} ${e(d.leg)}`);
    p.push('</ul>');
  }
  p.push(`<h2>${WORD.ladder[lang]}</h2><div class="ladder">${svgOf(f, lang, dialogs)}</div>`);
  const cols = [WORD.n, WORD.leg, ...(split ? [WORD.dialog] : []), WORD.time, WORD.from, WORD.to, WORD.message, WORD.meaning];
  p.push(`<h2>${WORD.messages[lang]}</h2><table><thead><tr>${cols.map((h) => `<th>${h[lang]}</th>`).join('')}</tr></thead><tbody>`);
  for (const m of f.messages) {
    const r = messageRow(f, m, lang);
    p.push(`<tr>${[r.n, r.leg, ...(split ? [r.dialog] : []), r.time, r.from, r.to, r.label, r.meaning].map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
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

/** `#4`–`#9` as code spans (no link to an issue), `#4` for one message. */
const mdRange = (first: number, last: number): string => (first === last ? `\`#${first}\`` : `\`#${first}\`–\`#${last}\``);

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * What became of the asked call (`outcomeOf`), escaped; when its Call-ID carries several dialogs, of each
 * (`D1: 486 Busy Here; D2: answered (200 OK)`).
 */
function outcome(f: CallFlow, lang: Lang, dialogs: readonly DialogLine[]): string {
  const asked = f.legs[0];
  if (asked?.dialogs) {
    return dialogs
      .filter((d) => d.leg === asked.leg)
      .map((d) => `${d.mark}: ${md(d.outcome)}`)
      .join('; ');
  }
  return md(outcomeOf(f.messages.filter((m) => m.leg === asked?.leg), lang));
}

/** `1 leg · 4 messages · 2024-05-14T09:30:00.000Z, over 2.150 s` and the outcome, in one language. */
function summaryLine(f: CallFlow, lang: Lang, dialogs: readonly DialogLine[]): string {
  let end = f.t0;
  for (const m of f.messages) if (m.message.ts > end) end = m.message.ts;
  const span = ((end - f.t0) / 1000).toFixed(3);
  const start = new Date(f.t0).toISOString();
  const one = singleRoutes(f, lang);
  const route = one ? ` · ${md(one)}` : '';
  return lang === 'ru'
    ? `**Итог:** ${outcome(f, lang, dialogs)} · плеч: ${f.legs.length} · сообщений: ${f.messages.length} · ${start}, за ${span.replace('.', ',')} с${route}`
    : `**Outcome:** ${outcome(f, lang, dialogs)} · ${plural(f.legs.length, 'leg', 'legs')} · ${plural(f.messages.length, 'message', 'messages')} · ${start}, over ${span} s${route}`;
}

function legLine(l: LegSummary, lang: Lang): string {
  const r = legRoutes(l, lang);
  return `- **${l.leg}**: ${mdCode(l.callId)} (${legWhy(l, lang)}${r ? `, ${md(r)}` : ''})`;
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
  const dialogs = dialogLines(f, lang);
  out.push(summaryLine(f, lang, dialogs), '');
  const multi = f.legs.length > 1;
  if (multi) out.push(...f.legs.map((l) => legLine(l, lang)), '');
  if (f.note) out.push(`> **${lang === 'ru' ? 'Примечание' : 'Note'}:** ${md(f.note[lang])}`, '');
  const split = hasDialogs(f);
  // a Call-ID reused for a new call: said before anything else, with each dialog and what became of it
  const dialogLine = (d: DialogLine): string =>
    `**${d.mark}** ${md(d.name)}: ${mdRange(d.first, d.last)}, ${d.fromTag !== undefined ? `From-tag ${mdCode(d.fromTag)}` : md(d.what)}, ${md(d.outcome)}`;
  if (f.dialogNote) {
    out.push(`> **${lang === 'ru' ? 'Внимание' : 'Warning'}:** ${md(f.dialogNote[lang])}`, '');
    out.push(...dialogs.map((d) => `- ${dialogLine(d)}`), '');
  }

  out.push(`### ${WORD.ladder[lang]}`, '');
  const head = [WORD.n[lang], ...(multi ? [WORD.leg[lang]] : []), ...(split ? [WORD.dialog[lang]] : []), WORD.time[lang], `${WORD.from[lang]} → ${WORD.to[lang]}`, WORD.message[lang], WORD.meaning[lang]];
  const align = ['---:', ...(multi ? [':---:'] : []), ...(split ? [':---:'] : []), '---:', '---', '---', '---'];
  out.push(`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`);
  for (const m of f.messages) {
    const r = messageRow(f, m, lang);
    const cells = [r.n, ...(multi ? [r.leg] : []), ...(split ? [r.dialog] : []), r.time, `${md(r.from)} → ${md(r.to)}`, md(r.label), md(r.meaning)];
    out.push(`| ${cells.join(' | ')} |`);
  }

  out.push('', `### ${WORD.diagnosis[lang]}`, '');
  const item = (d: DiagnosisItem, where: string): void => {
    out.push(`- **${md(d.id)}** (${SEVERITY[d.severity][lang]}${where}): ${md(d.text)}`);
    for (const ev of d.evidence) out.push(`  - \`${ev.n}\` ${ev.offset} ${md(ev.what)}`);
    if (d.hint) out.push(`  - _${WORD.hint[lang]} (${md(d.hint.id)})_: ${md(d.hint.text)}`);
  };
  if (split) {
    // each dialog (and each other leg) on its own, with what became of it; one with no diagnosis says so
    const groups = diagnosisGroups(f, lang, dialogs);
    groups.forEach((g, gi) => {
      if (gi > 0) out.push('');
      out.push(g.line ? dialogLine(g.line) : `**${md(g.title)}**`, '');
      if (g.items.length === 0) out.push(md(noDiagnosisSentence(g.messages, lang)));
      for (const d of g.items) item(d, '');
    });
    return out.join('\n') + '\n';
  }
  if (f.diagnosis.length === 0) out.push(md(noDiagnosisSentence(f.messages, lang)));
  for (const d of diagnosisItems(f, lang)) item(d, multi ? `, ${WORD.leg[lang]} ${d.leg}` : '');
  return out.join('\n') + '\n';
}
