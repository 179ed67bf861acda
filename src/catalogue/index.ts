/**
 * The SIP response-code catalogue: lookups by code and reason phrase, the code sets the metrics rest on,
 * re-route policy, and the Q.850 / FreeSWITCH / Asterisk mappings. Data lives in codes.ts, variants.ts,
 * hints.ts and q850.ts; this module only indexes it (once, on first use) and answers questions.
 */
import { printable } from '../printable.js';
import { CODES } from './codes.js';
import { HINTS } from './hints.js';
import { measureUnit, nameKey, phraseKey, queryWords } from './normalize.js';
import {
  DIAL_STATUS_TO_SIP,
  DISPOSITION_TO_SIP,
  FS_INTERNAL_OTHER,
  FS_INTERNAL_TO_SIP,
  Q850_CAUSES,
  Q850_NAME_ALIASES,
  Q850_TO_SIP,
  SIP_TO_Q850,
  q850ClassDefault,
  type Q850Cause,
} from './q850.js';
import type { CodeClass, CodeData, CodeStatus, HintData, Lang, Text, VariantData } from './types.js';
import { VARIANTS } from './variants.js';

export type { CodeClass, CodeData, CodeStatus, HintData, Lang, Text, VariantData } from './types.js';
export { parseReasonHeader, parseReasonHeaderValues, type ReasonValue } from './reason-header.js';
export { phraseKey } from './normalize.js';
export type { Q850Cause } from './q850.js';

/** A catalogue entry: the data of a code plus what follows from the code itself. */
export interface CatalogueEntry extends CodeData {
  class: CodeClass;
  /** Final response (not 1xx). */
  final: boolean;
  variants: readonly VariantData[];
}

export interface Hint {
  id: string;
  text: Text;
}

/** A known problem that `explain` finds with no code (`ghost calls`, `звонок обрывается через 30 секунд`). */
export interface Topic extends Hint {
  title: Text;
}

/** What `describeCode` answers: everything `explain` shows. */
export interface CodeDescription {
  code: number;
  /** Default reason phrase (for an unknown code: a generic one for its class). */
  reason: string;
  class: CodeClass;
  rfc: string | null;
  final: boolean;
  status: CodeStatus | 'unknown';
  description: Text;
  /** The provider phrase matched, when the reason given was one. */
  variant?: { reason: string; description: Text };
  hints: Hint[];
  /** Why the answer is less than exact: an unknown phrase or code. */
  note?: Text;
  /**
   * The matched phrase names the vendor's own failure (a hint marked `vendorFailure`) while the code is not
   * re-routed by its standard meaning (`410 No Route`): another vendor may well complete the call.
   */
  vendorFailure?: boolean;
  /**
   * The matched phrase puts the failure on the dialled number (a hint marked `numberFailure`) while the code is
   * re-routed by its standard meaning (`403 not found`): another vendor would give the same answer.
   */
  numberFailure?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Classes and sets used by the metrics

const CLASS_BY_DIGIT: readonly (CodeClass | undefined)[] = [
  undefined, 'provisional', 'success', 'redirection', 'client', 'server', 'global',
];

const CLASS_LABEL: Record<CodeClass, Text> = {
  provisional: { en: 'provisional', ru: 'предварительный' },
  success: { en: 'success', ru: 'успех' },
  redirection: { en: 'redirection', ru: 'перенаправление' },
  client: { en: 'client failure', ru: 'ошибка запроса' },
  server: { en: 'server failure', ru: 'ошибка сервера' },
  global: { en: 'global failure', ru: 'глобальный отказ' },
};

/** The class as the cards and tables name it, in one language (`client` → `client failure`, `ошибка запроса`). */
export function classLabel(cls: CodeClass, lang: Lang): string {
  return CLASS_LABEL[cls][lang];
}

/** RFC 3261 §7.2: the class from the first digit; undefined outside 100–699. */
export function codeClass(code: number): CodeClass | undefined {
  if (!Number.isInteger(code) || code < 100 || code > 699) return undefined;
  return CLASS_BY_DIGIT[Math.floor(code / 100)];
}

/** Answered = any 2xx final response to the INVITE (ITU-T E.411 ASR numerator). */
export function isAnswered(code: number): boolean {
  return code >= 200 && code <= 299;
}

/** RFC 6076 §4.7 SEER: attempts ending in these codes count as effective (the network delivered the call). */
export const SEER_EFFECTIVE: ReadonlySet<number> = new Set([200, 480, 486, 600, 603]);

/** RFC 6076 §4.8 ISA (Ineffective Session Attempts): failures attributable to the network or servers. */
export const ISA_INEFFECTIVE: ReadonlySet<number> = new Set([408, 500, 503, 504]);

/** ITU-T E.425 NER: Q.850 causes that count as effective (the network did its job). */
export const NER_Q850_CAUSES: ReadonlySet<number> = new Set([16, 17, 18, 19, 21]);

/** Responses meaning "the callee is busy". */
export const USER_BUSY: ReadonlySet<number> = new Set([486, 600]);

export function isUserBusy(code: number): boolean {
  return USER_BUSY.has(code);
}

/**
 * Failures that are the callee's (or the caller's) definitive answer: another vendor would get the same
 * answer, so a switch must not try one. The rest of 4xx and all of 5xx describe the vendor's own trouble
 * (auth, balance, routing, codecs, overload, time-outs) and another vendor may well complete the call.
 * 486 is here by the standard's meaning, which is exactly why SIM-box vendors that answer 486 for blocked
 * SIMs kill traffic: the switch believes them.
 */
const NOT_REROUTABLE: ReadonlySet<number> = new Set([
  404, // the number does not exist
  410, // the number is gone
  433, // callee refuses anonymous calls
  470, // callee has not consented
  481, 491, // in-dialog conditions, not call failures
  484, // the dialled number is incomplete: every vendor will say so
  485, // ambiguous number
  486, // busy
  487, // the caller cancelled
  425, // emergency alert malformed: not a routing matter
]);

/**
 * Should a switch try the next vendor after this final failure? 2xx/3xx/1xx are not failures (false);
 * 6xx are global by definition (false); 4xx and 5xx are per vendor except the callee's answers above.
 * Unknown codes follow their class.
 */
export function isReroutable(code: number): boolean {
  const cls = codeClass(code);
  if (cls === 'server') return true;
  if (cls !== 'client') return false;
  return !NOT_REROUTABLE.has(code);
}

// ---------------------------------------------------------------------------------------------------------
// Code and phrase lookup

interface Index {
  entries: Map<number, CatalogueEntry>;
  /** `${code}:${phraseKey}` → variant (or undefined for the default / an alias). */
  phrases: Map<string, VariantData | null>;
  hintsByCode: Map<number, HintData[]>;
  hintsById: Map<string, HintData>;
  topics: TopicRules[];
  list: CatalogueEntry[];
}

/** A topic hint with its keyword rules parsed: rule → terms (all must match) → alternatives (any may). */
interface TopicRules {
  hint: HintData;
  title: Text;
  rules: TopicTerm[][];
}

/** The alternatives of one term of a topic rule (see HintData.topic). */
interface TopicTerm {
  /** Word beginnings: `обрыв` matches `обрываются`. */
  stems: string[];
  /** Whole words: `=с` matches `с` only, not `сегодня`. */
  words: string[];
  /** Whole numbers: `30` is not `300`. */
  numbers: string[];
  /** Numbers of seconds: `30s` matches `30 s`, `30s`, `30 sec`, `30 секунд`, not `30 calls` or `30 minutes`. */
  seconds: string[];
}

/** `30s|32s|полминут + drop|обрыв`: see HintData.topic. */
function parseTopicRule(rule: string): TopicTerm[] {
  return rule.split('+').map((term) => {
    const t: TopicTerm = { stems: [], words: [], numbers: [], seconds: [] };
    for (const alt of term.split('|')) {
      const a = alt.trim().toLowerCase();
      if (!a) continue;
      if (/^[0-9]+$/.test(a)) t.numbers.push(a);
      else if (/^[0-9]+s$/.test(a)) t.seconds.push(a.slice(0, -1));
      else if (a.startsWith('=')) t.words.push(a.slice(1));
      else t.stems.push(a);
    }
    return t;
  });
}

/** Whether the word at `k` of the query's words matches one alternative of a term. */
function termMatches(term: TopicTerm, words: readonly string[], k: number): boolean {
  const w = words[k]!;
  if (term.numbers.includes(w) || term.words.includes(w)) return true;
  if (term.seconds.includes(w) && measureUnit(words[k + 1]) === 's') return true;
  return term.stems.some((st) => w.startsWith(st));
}

let index: Index | undefined;

function buildIndex(): Index {
  const entries = new Map<number, CatalogueEntry>();
  const phrases = new Map<string, VariantData | null>();
  const variantsByCode = new Map<number, VariantData[]>();
  for (const v of VARIANTS) {
    let list = variantsByCode.get(v.code);
    if (!list) variantsByCode.set(v.code, (list = []));
    list.push(v);
    phrases.set(`${v.code}:${phraseKey(v.reason)}`, v);
    for (const a of v.aliases ?? []) phrases.set(`${v.code}:${phraseKey(a)}`, v);
  }
  const list: CatalogueEntry[] = [];
  for (const c of CODES) {
    const e: CatalogueEntry = {
      ...c,
      class: codeClass(c.code)!,
      final: c.code >= 200,
      variants: variantsByCode.get(c.code) ?? [],
    };
    entries.set(c.code, e);
    list.push(e);
    phrases.set(`${c.code}:${phraseKey(c.reason)}`, null);
    for (const a of c.aliases ?? []) phrases.set(`${c.code}:${phraseKey(a)}`, null);
  }
  const hintsByCode = new Map<number, HintData[]>();
  const hintsById = new Map<string, HintData>();
  const topics: TopicRules[] = [];
  for (const h of HINTS) {
    hintsById.set(h.id, h);
    for (const code of h.codes) {
      let l = hintsByCode.get(code);
      if (!l) hintsByCode.set(code, (l = []));
      l.push(h);
    }
    if (h.topic) topics.push({ hint: h, title: h.topic.title, rules: h.topic.rules.map(parseTopicRule) });
  }
  return { entries, phrases, hintsByCode, hintsById, topics, list };
}

function idx(): Index {
  return (index ??= buildIndex());
}

/** The catalogue entry of a code, or undefined for a code the catalogue does not know. */
export function getEntry(code: number): CatalogueEntry | undefined {
  return idx().entries.get(code);
}

/** Every entry, ascending by code. */
export function allEntries(): readonly CatalogueEntry[] {
  return idx().list;
}

/** A hint by id (e.g. `no-ack-30s`, `ghost-calls`, `simbox-486`), for analyses that detect the situation. */
export function getHint(id: string): Hint | undefined {
  const h = idx().hintsById.get(id);
  return h ? { id: h.id, text: h.text } : undefined;
}

/**
 * A topic by the words of a free-text query, in English or Russian: `ghost calls`, `призрачные вызовы`,
 * `calls from 100`, `calls drop after 30 sec`, `звонок самопроизвольно завершается через 30 секунд`, `No Dns Result`. The
 * first topic one of whose keyword rules (HintData.topic) all occur in the query wins. Read a query as a
 * response code first (`parseCodeQuery`): a topic is what is left when it names none.
 */
export function findTopic(query: string): Topic | undefined {
  const words = queryWords(query);
  if (!words.length) return undefined;
  for (const t of idx().topics) {
    const hit = t.rules.some((terms) => terms.every((term) => words.some((_, k) => termMatches(term, words, k))));
    if (hit) return { id: t.hint.id, title: t.title, text: t.hint.text };
  }
  return undefined;
}

/** Every topic `findTopic` can find, in catalogue order (for `explain`'s error message and the docs). */
export function allTopics(): Topic[] {
  return idx().topics.map((t) => ({ id: t.hint.id, title: t.title, text: t.hint.text }));
}

const CLASS_TEXT: Record<CodeClass, { reason: string; description: Text }> = {
  provisional: {
    reason: 'Provisional',
    description: { en: 'A provisional (1xx) response: the request is still in progress.', ru: 'Предварительный ответ (1xx): запрос ещё обрабатывается.' },
  },
  success: {
    reason: 'Success',
    description: { en: 'A success (2xx) response: the request succeeded.', ru: 'Успешный ответ (2xx): запрос выполнен.' },
  },
  redirection: {
    reason: 'Redirection',
    description: { en: 'A redirection (3xx) response: try the addresses in Contact.', ru: 'Перенаправление (3xx): используйте адреса из Contact.' },
  },
  client: {
    reason: 'Client Failure',
    description: { en: 'A request failure (4xx): treated like 400 by a client that does not know the code.', ru: 'Ошибка запроса (4xx): клиент, не знающий код, трактует его как 400.' },
  },
  server: {
    reason: 'Server Failure',
    description: { en: 'A server failure (5xx): treated like 500 by a client that does not know the code.', ru: 'Ошибка сервера (5xx): клиент, не знающий код, трактует его как 500.' },
  },
  global: {
    reason: 'Global Failure',
    description: { en: 'A global failure (6xx): treated like 600 by a client that does not know the code.', ru: 'Глобальный отказ (6xx): клиент, не знающий код, трактует его как 600.' },
  },
};

/**
 * Everything the catalogue knows of a response: its entry, the provider variant its reason phrase matches
 * (case and punctuation ignored), and the hints that apply. An unknown phrase falls back on the code with a
 * note; an unknown code gets its class from the first digit. Returns undefined outside 100–699.
 */
export function describeCode(code: number, reason?: string): CodeDescription | undefined {
  const cls = codeClass(code);
  if (!cls) return undefined;
  const ix = idx();
  const e = ix.entries.get(code);
  const hints: Hint[] = [];
  const seen = new Set<string>();
  const addHint = (h: HintData | undefined): void => {
    if (h && !seen.has(h.id)) {
      seen.add(h.id);
      hints.push({ id: h.id, text: h.text });
    }
  };
  let out: CodeDescription;
  if (e) {
    out = { code, reason: e.reason, class: cls, rfc: e.rfc, final: e.final, status: e.status, description: e.description, hints };
  } else {
    const generic = CLASS_TEXT[cls];
    out = {
      code, reason: generic.reason, class: cls, rfc: null, final: code >= 200, status: 'unknown',
      description: generic.description, hints,
      note: {
        en: `${code} is not a registered response code; its meaning follows from its class, ${Math.floor(code / 100)}xx (${CLASS_LABEL[cls].en}).`,
        ru: `${code} — незарегистрированный код ответа; его смысл определяется классом ${Math.floor(code / 100)}xx («${CLASS_LABEL[cls].ru}»).`,
      },
    };
  }
  const key = reason === undefined ? '' : phraseKey(reason);
  if (key) {
    const v = ix.phrases.get(`${code}:${key}`);
    if (v) {
      out.variant = { reason: v.reason, description: v.description };
      for (const id of v.hints ?? []) {
        const h = ix.hintsById.get(id);
        addHint(h);
        if (h?.vendorFailure && !isReroutable(code)) out.vendorFailure = true;
        if (h?.numberFailure && isReroutable(code)) out.numberFailure = true;
      }
    } else if (v === undefined && e) {
      out.note = {
        en: `The phrase "${clip(reason!)}" is not in the catalogue; the meaning of ${code} ${e.reason} is shown.`,
        ru: `Фразы «${clip(reason!)}» нет в каталоге; показан смысл кода ${code} ${e.reason}.`,
      };
    }
  }
  // a provider phrase with its own hints is specific enough: the code's general hints would mislead
  // (a 403 "No Money Left" is not a password problem)
  if (hints.length === 0) for (const h of ix.hintsByCode.get(code) ?? []) addHint(h);
  return out;
}

/**
 * A phrase from the query, to quote in a note: at most 80 characters (not cut inside a surrogate pair), and
 * printable, since the phrase may come from a pasted log line that holds the peer's ESC sequences or bidi
 * controls (`Got SIP response 486 "<ESC>[2J…" back from …`).
 */
function clip(s: string): string {
  const t = s.trim();
  if (t.length <= 80) return printable(t);
  let cut = 77;
  const c = t.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return printable(t.slice(0, cut)) + '...';
}

// ---------------------------------------------------------------------------------------------------------
// Q.850, FreeSWITCH hangup causes, Asterisk dispositions

let causeByNumber: Map<number, Q850Cause> | undefined;
let causeByName: Map<string, number> | undefined;

function causes(): { byNumber: Map<number, Q850Cause>; byName: Map<string, number> } {
  if (!causeByNumber || !causeByName) {
    causeByNumber = new Map(Q850_CAUSES.map((c) => [c.cause, c]));
    causeByName = new Map(Q850_CAUSES.map((c) => [nameKey(c.name), c.cause]));
    for (const [n, c] of Q850_NAME_ALIASES) if (!causeByName.has(nameKey(n))) causeByName.set(nameKey(n), c);
  }
  return { byNumber: causeByNumber, byName: causeByName };
}

/**
 * RFC 3398 §7.2.4.1: the SIP response for a Q.850 cause. Causes the RFC does not list get the default of their
 * Q.850 class (see q850ClassDefault). 16 (normal clearing) has no response: the call was answered or cancelled,
 * so undefined is returned, as for values outside 1–127.
 */
export function q850ToSip(cause: number): number | undefined {
  if (!Number.isInteger(cause) || cause < 1 || cause > 127 || cause === 16) return undefined;
  return Q850_TO_SIP.get(cause) ?? q850ClassDefault(cause);
}

/** RFC 3398 §8.2.6.1: the Q.850 cause for a SIP final failure; unlisted failures map to 31. 1xx–3xx: undefined. */
export function sipToQ850(code: number): number | undefined {
  const cls = codeClass(code);
  if (cls !== 'client' && cls !== 'server' && cls !== 'global') return undefined;
  return SIP_TO_Q850.get(code) ?? 31;
}

/** FreeSWITCH-style name of a Q.850 cause (`17` → `USER_BUSY`), or undefined for a value it has no name for. */
export function q850Name(cause: number): string | undefined {
  return causes().byNumber.get(cause)?.name;
}

/** Short label of a Q.850 cause in both languages. */
export function q850Label(cause: number): Text | undefined {
  return causes().byNumber.get(cause)?.label;
}

/**
 * Q.850 cause of a FreeSWITCH hangup cause name (`USER_BUSY` → 17); case, spaces and underscores ignored.
 * FreeSWITCH's own causes with no Q.850 value (ORIGINATOR_CANCEL, LOSE_RACE, …) give undefined: see
 * hangupCauseToSip for those.
 */
export function hangupCauseToQ850(name: string): number | undefined {
  return causes().byName.get(nameKey(name));
}

/** Whether the name is a hangup cause the catalogue knows (Q.850 or FreeSWITCH-internal). */
export function isKnownHangupCause(name: string): boolean {
  const k = nameKey(name);
  return causes().byName.has(k) || FS_INTERNAL_SIP_BY_KEY().has(k) || FS_OTHER_KEYS().has(k);
}

let fsInternalByKey: Map<string, number> | undefined;
const FS_INTERNAL_SIP_BY_KEY = (): Map<string, number> =>
  (fsInternalByKey ??= new Map([...FS_INTERNAL_TO_SIP].map(([n, c]) => [nameKey(n), c])));
let fsOtherKeys: Set<string> | undefined;
const FS_OTHER_KEYS = (): Set<string> => (fsOtherKeys ??= new Set(FS_INTERNAL_OTHER.map((n) => nameKey(n))));

/**
 * SIP response for a FreeSWITCH hangup cause: name → Q.850 → SIP (RFC 3398) for Q.850 causes, and a direct
 * table for FreeSWITCH's own causes (ORIGINATOR_CANCEL → 487, GATEWAY_DOWN → 503, …). NORMAL_CLEARING and
 * causes that describe no response (transfers, manager requests) give undefined.
 */
export function hangupCauseToSip(name: string): number | undefined {
  const k = nameKey(name);
  const internal = FS_INTERNAL_SIP_BY_KEY().get(k);
  if (internal !== undefined) return internal;
  const cause = causes().byName.get(k);
  return cause === undefined ? undefined : q850ToSip(cause);
}

export interface DispositionMapping {
  code: number;
  /** Always true: a CDR disposition does not keep the response; the code is inferred from it. */
  inferred: true;
  note: Text;
}

/**
 * Asterisk CDR disposition (`ANSWERED`, `NO ANSWER`, `BUSY`, `FAILED`, `CONGESTION`; case, spaces and
 * underscores ignored) → the SIP final response it most likely stood for, with a note that it is inferred.
 */
export function dispositionToSip(disp: string): DispositionMapping | undefined {
  const m = DISPOSITION_TO_SIP.get(nameKey(disp));
  return m ? { code: m.code, inferred: true, note: m.note } : undefined;
}

/** Asterisk dial status (DIALSTATUS: `BUSY`, `CANCEL`, `DONTCALL`, …; any case) → its SIP code (DIAL_STATUS_TO_SIP). */
export function dialStatusToSip(status: string): number | undefined {
  return DIAL_STATUS_TO_SIP.get(status.toUpperCase());
}
