/**
 * RouteMetrics from mergeable counters. Definitions (docs/analysis.md has the full text):
 *   ASR  = answered / attempts                                   (ITU-T E.411)
 *   SER  = answered / (attempts − 3xx)                           (RFC 6076 §4.6)
 *   SEER = (200, 480, 486, 600, 603) / (attempts − 3xx)          (RFC 6076 §4.7)
 *   ISA  = (408, 500, 503, 504) / attempts                       (RFC 6076 §4.8)
 *   NER  = (answer, user busy, no answer, terminal reject) / attempts (ITU-T E.425)
 * A ratio whose denominator is 0 is null, never NaN.
 */
import { codeNote, isIsaIneffective, isRedirect, isSeerEffective } from './codes.js';
import type { CodeShare, RouteMetrics } from './result.js';
import type { Stats } from './stats.js';

export function ratio(num: number, den: number): number | null {
  return den > 0 ? round(num / den, 4) : null;
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

const notes = new Map<number, ReturnType<typeof codeNote>>();
function note(code: number): ReturnType<typeof codeNote> {
  let n = notes.get(code);
  if (!n) notes.set(code, (n = codeNote(code)));
  return n;
}

export function routeMetrics(route: string, s: Stats): RouteMetrics {
  let redirected = 0;
  let seer = 0;
  let isa = 0;
  const codes: Record<string, number> = {};
  const mix: CodeShare[] = [];
  const sorted = s.codeCounts.entries().sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [code, n] of sorted) {
    codes[String(code)] = n;
    if (isRedirect(code)) redirected += n;
    if (isSeerEffective(code)) seer += n;
    if (isIsaIneffective(code)) isa += n;
    const c = note(code);
    mix.push({ code, count: n, share: ratio(n, s.attempts) ?? 0, reason: c.reason, meaning: c.meaning, reroutable: c.reroutable });
  }
  const codeSources: Record<string, number> = {};
  for (const [k, n] of [...s.sources].sort((a, b) => b[1] - a[1])) codeSources[k] = n;
  const effective = s.attempts - redirected;
  return {
    route,
    attempts: s.attempts,
    answered: s.answered,
    asr: ratio(s.answered, s.attempts),
    ser: ratio(s.answered, effective),
    seer: ratio(seer, effective),
    isa: ratio(isa, s.attempts),
    ner: ratio(s.ner, s.attempts),
    acdSec: s.durKnown > 0 ? round(s.durSumMs / s.durKnown / 1000, 1) : null,
    minutes: round(s.durSumMs / 60_000, 2),
    pddSuccess: s.pddOk.summary(),
    pddFailure: s.pddFail.summary(),
    sdt: s.sdt.summary(),
    shortUnder10s: ratio(s.under10, s.durKnown),
    shortUnder30s: ratio(s.under30, s.durKnown),
    codes,
    codeMix: mix,
    reroutable: s.reroutable,
    notReroutable: s.notReroutable,
    codeSources,
  };
}
