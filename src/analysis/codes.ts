/**
 * What the analysis needs to know about a final status code, taken from the catalogue once and kept
 * in lookup tables so that the per-record path is an array read.
 *
 * Code 0 stands for "no final response" (a timed-out or unfinished attempt).
 */
import {
  describeCode,
  isAnswered,
  isReroutable,
  sipToQ850,
  ISA_INEFFECTIVE,
  NER_Q850_CAUSES,
  SEER_EFFECTIVE,
} from '../catalogue/index.js';

export const NO_FINAL = 0;

const SEER = 1;
const ISA = 2;
const NER = 4;
const ANSWERED = 8;
const REROUTE = 16;
const NO_REROUTE = 32;
const REDIRECT = 64;

const TABLE_SIZE = 700;
let table: Uint8Array | undefined;

function flagsOf(code: number): number {
  if (code === NO_FINAL) return 0;
  let f = 0;
  if (SEER_EFFECTIVE.has(code)) f |= SEER;
  if (ISA_INEFFECTIVE.has(code)) f |= ISA;
  if (isAnswered(code)) f |= ANSWERED;
  // ITU-T E.425 on SIP codes: a code counts when its RFC 3398 Q.850 cause is one of the NER causes.
  const q = sipToQ850(code);
  if (f & ANSWERED || (q !== undefined && NER_Q850_CAUSES.has(q))) f |= NER;
  if (code >= 300 && code < 400) f |= REDIRECT;
  // Re-routing is a question about failures only: not about answers, redirects or "no final".
  if (code >= 400 && code < 700) f |= isReroutable(code) ? REROUTE : NO_REROUTE;
  return f;
}

function flags(code: number): number {
  if (code >= 0 && code < TABLE_SIZE) {
    if (!table) {
      table = new Uint8Array(TABLE_SIZE);
      for (let c = 1; c < TABLE_SIZE; c++) table[c] = flagsOf(c);
    }
    return table[code];
  }
  return flagsOf(code);
}

export const isSeerEffective = (code: number): boolean => (flags(code) & SEER) !== 0;
export const isIsaIneffective = (code: number): boolean => (flags(code) & ISA) !== 0;
export const isAnsweredCode = (code: number): boolean => (flags(code) & ANSWERED) !== 0;
export const isRedirect = (code: number): boolean => (flags(code) & REDIRECT) !== 0;
/** ITU-T E.425 "effective" from the SIP code alone (via RFC 3398), for records without a Q.850 cause. */
export const isNerEffectiveCode = (code: number): boolean => (flags(code) & NER) !== 0;
/** ITU-T E.425 "effective" from a Q.850 cause (16, 17, 18, 19, 21). */
export const isNerCause = (cause: number): boolean => NER_Q850_CAUSES.has(cause);
/** 1: a switch would re-route this failure to another vendor; 2: it would not; 0: not a failure / unknown. */
export function rerouteKind(code: number): 0 | 1 | 2 {
  const f = flags(code);
  return f & REROUTE ? 1 : f & NO_REROUTE ? 2 : 0;
}

export interface CodeNote {
  reason: string;
  meaning: string;
  reroutable: boolean | null;
}

/** Default reason phrase, one-line meaning (en) and re-routability of a code, for the code mix. */
export function codeNote(code: number): CodeNote {
  if (code === NO_FINAL) {
    return { reason: 'No final response', meaning: 'No final response was seen (timed out or still open at the end of the input).', reroutable: null };
  }
  const d = describeCode(code);
  const reason = d?.reason ?? 'Unknown';
  const meaning = d ? firstSentence(d.description.en) : `${code} is not a SIP response code.`;
  const k = rerouteKind(code);
  return { reason, meaning, reroutable: k === 1 ? true : k === 2 ? false : null };
}

function firstSentence(s: string): string {
  const i = s.indexOf('. ');
  return i > 0 ? s.slice(0, i + 1) : s;
}
