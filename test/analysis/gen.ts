/**
 * A deterministic traffic generator at record level (seeded PRNG): honest routes, one route with a
 * planted 486 spike window (and callers who retry the "busy" callee on another route and get an
 * answer), one false-answer-supervision route, and a thin route. The scenario description is exported
 * so that the capture and CDR generators can render the same traffic.
 */
import type { CallRecord } from '../../src/types.js';
import { CallFlag } from '../../src/types.js';
import { Prng } from '../../src/gen/prng.js';
import { getEntry } from '../../src/catalogue/index.js';

/** The project's seeded generator (mulberry32), with a uniform draw. */
export class Rng extends Prng {
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

/** Final-code mix of a route: [code, weight]; 0 = no final response. */
export type CodeMix = ReadonlyArray<readonly [number, number]>;

export interface RouteSpec {
  name: string;
  /** Next-hop address (for capture renderings). */
  addr: string;
  /** Attempts per hour (a Poisson process). */
  perHour: number;
  codes: CodeMix;
  /** INVITE → 18x, uniform, ms. */
  pddMs: readonly [number, number];
  /** 18x → 200, uniform, ms (people pick up after 2–10 s). */
  ringMs: readonly [number, number];
  /** Median answered duration, s (log-normal, σ = 1). */
  acdSec: number;
  /** A 486 spike: from/to in minutes after the scenario start, share of attempts ending 486 inside. */
  spike?: { fromMin: number; toMin: number; share: number };
  /**
   * False answer supervision: `noRingShare` of answers come without any 18x after 300–500 ms; the rest
   * get a 180 after 100–200 ms and a 200 exactly `ringAnswerMs` (± 40 ms) later; durations are whole
   * seconds in `durationsSec`; the callee side sends no RTP.
   */
  fas?: { noRingShare: number; ringAnswerMs: number; durationsSec: readonly [number, number] };
}

export interface ScenarioSpec {
  seed: number;
  /** ms since the epoch. */
  start: number;
  hours: number;
  routes: readonly RouteSpec[];
  /** Destination prefixes (callee = prefix + random digits), shared by all routes. */
  destinations: ReadonlyArray<readonly [string, number]>;
  /** Share of busy (486) callees on the spike route that are retried on `retryRoute` and answered. */
  falseBusy: { retryRoute: string; share: number; afterSec: readonly [number, number] };
  /** Share of attempts challenged with 401/407 before the authenticated INVITE (one attempt). */
  challengedShare: number;
}

const HONEST: CodeMix = [
  [200, 50],
  [486, 8],
  [480, 9],
  [487, 12],
  [404, 5],
  [503, 6],
  [408, 3],
  [603, 3],
  [302, 2],
  [0, 1],
  [484, 1],
];

export const ANALYSIS_SCENARIO: ScenarioSpec = {
  seed: 0x5eed,
  start: Date.UTC(2026, 10, 24, 0, 0, 0),
  hours: 6,
  routes: [
    { name: 'alpha', addr: '198.51.100.10', perHour: 320, codes: HONEST, pddMs: [1500, 5000], ringMs: [2000, 10_000], acdSec: 110 },
    {
      name: 'beta',
      addr: '198.51.100.20',
      perHour: 220,
      codes: [[200, 42], [486, 9], [480, 10], [487, 14], [404, 6], [503, 10], [408, 4], [603, 3], [0, 2]],
      pddMs: [2000, 6500],
      ringMs: [2500, 10_000],
      acdSec: 140,
    },
    {
      name: 'gamma',
      addr: '203.0.113.30',
      perHour: 320,
      codes: [[200, 58], [486, 7], [480, 8], [487, 12], [404, 4], [503, 5], [408, 2], [603, 3], [0, 1]],
      pddMs: [1200, 4000],
      ringMs: [2000, 9000],
      acdSec: 95,
      spike: { fromMin: 130, toMin: 165, share: 0.55 },
    },
    {
      name: 'delta',
      addr: '203.0.113.40',
      perHour: 160,
      codes: [[200, 86], [486, 3], [480, 3], [487, 4], [503, 3], [0, 1]],
      pddMs: [100, 300],
      ringMs: [600, 800],
      acdSec: 10,
      fas: { noRingShare: 0.4, ringAnswerMs: 700, durationsSec: [8, 12] },
    },
    { name: 'epsilon', addr: '192.0.2.50', perHour: 8, codes: HONEST, pddMs: [1500, 5000], ringMs: [2000, 10_000], acdSec: 120 },
  ],
  destinations: [
    ['7495', 5],
    ['7916', 4],
    ['4420', 2],
    ['3712', 1],
  ],
  falseBusy: { retryRoute: 'alpha', share: 0.1, afterSec: [20, 120] },
  challengedShare: 0.1,
};

/** The Q.850 cause a gateway puts in the Reason header of a failure (RFC 3398 direction). */
const Q850: Record<number, number> = { 486: 17, 480: 18, 487: 16, 404: 1, 503: 41, 408: 102, 603: 21, 484: 28 };

export interface Generated {
  records: CallRecord[];
  /** Call-IDs of the planted false-busy pairs: busy on the spike route → answered on the retry route. */
  falseBusy: Array<{ busyCallId: string; answeredCallId: string }>;
}

/** All the scenario's records, in start order. The same spec always gives the same records. */
export function generate(spec: ScenarioSpec = ANALYSIS_SCENARIO): Generated {
  const rng = new Rng(spec.seed);
  const out: CallRecord[] = [];
  const falseBusy: Generated['falseBusy'] = [];
  const endMs = spec.start + spec.hours * 3_600_000;
  const retry = spec.routes.find((r) => r.name === spec.falseBusy.retryRoute);
  for (const route of spec.routes) {
    const gap = 3_600_000 / route.perHour;
    let t = spec.start;
    for (;;) {
      t += -Math.log(1 - rng.next()) * gap;
      if (t >= endMs) break;
      const start = Math.round(t);
      const rel = (start - spec.start) / 60_000;
      const inSpike = route.spike !== undefined && rel >= route.spike.fromMin && rel < route.spike.toMin;
      const code = inSpike && rng.chance(route.spike!.share) ? 486 : rng.weighted(route.codes);
      const callee = rng.weighted(spec.destinations) + String(rng.int(0, 9_999_999)).padStart(7, '0');
      const r = call(rng, spec, route, start, code, callee, out.length);
      out.push(r);
      if (inSpike && code === 486 && retry && rng.chance(spec.falseBusy.share)) {
        const at = (r.end ?? start) + Math.round(rng.uniform(spec.falseBusy.afterSec[0], spec.falseBusy.afterSec[1]) * 1000);
        const again = call(rng, spec, retry, at, 200, callee, out.length);
        out.push(again);
        falseBusy.push({ busyCallId: r.callId, answeredCallId: again.callId });
      }
    }
  }
  out.sort((a, b) => a.start - b.start || (a.callId < b.callId ? -1 : 1));
  return { records: out, falseBusy };
}

function call(rng: Rng, spec: ScenarioSpec, route: RouteSpec, start: number, code: number, callee: string, n: number): CallRecord {
  const r: CallRecord = {
    callId: `${rng.hex(16)}@sbc.example`,
    route: route.name,
    caller: `4420${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
    callee: rng.chance(0.3) ? `+${callee}` : callee,
    start,
    codeSource: 'sip',
    flags: 0,
    dstAddr: route.addr,
    source: { file: 'generated', packet: n + 1 },
  };
  if (rng.chance(spec.challengedShare)) r.flags |= CallFlag.AuthChallenged;
  const fas = route.fas;
  if (code === 0) {
    r.flags |= CallFlag.TimedOut;
    if (rng.chance(0.5)) r.ringing = start + Math.round(rng.uniform(route.pddMs[0], route.pddMs[1]));
    return r;
  }
  r.finalCode = code;
  r.finalReason = getEntry(code)?.reason ?? 'Unknown';
  if (code === 200) {
    let ringing: number | undefined;
    let answer: number;
    if (fas) {
      if (rng.chance(fas.noRingShare)) answer = start + rng.int(300, 500);
      else {
        ringing = start + rng.int(100, 200);
        answer = ringing + fas.ringAnswerMs + rng.int(-40, 40);
      }
    } else {
      ringing = start + Math.round(rng.uniform(route.pddMs[0], route.pddMs[1]));
      answer = ringing + Math.round(rng.uniform(route.ringMs[0], route.ringMs[1]));
    }
    const durMs = fas
      ? rng.int(fas.durationsSec[0], fas.durationsSec[1]) * 1000
      : Math.min(3_600_000, Math.max(1000, Math.round(rng.logNormal(route.acdSec, 1) * 1000)));
    if (ringing !== undefined) r.ringing = ringing;
    r.answer = answer;
    r.end = answer + durMs;
    r.duration = durMs;
    r.pdd = (ringing ?? answer) - start;
    r.sdt = rng.int(15, 80);
    r.disconnectedBy = rng.chance(0.5) ? 'caller' : 'callee';
    const packets = Math.floor(durMs / 20);
    r.rtp = fas
      ? { fromCallee: 0, fromCaller: packets }
      : { fromCallee: packets, fromCaller: packets, firstFromCalleeAfterAnswer: rng.int(10, 120) };
    return r;
  }
  const ringFirst = code === 480 || code === 487 || code === 408 || (code === 486 && rng.chance(0.3));
  if (ringFirst) r.ringing = start + Math.round(rng.uniform(route.pddMs[0], route.pddMs[1]));
  const finalAt = ringFirst ? r.ringing! + rng.int(5000, 30_000) : start + rng.int(80, 900);
  r.end = finalAt;
  r.pdd = (r.ringing ?? finalAt) - start;
  if (Q850[code] !== undefined && rng.chance(0.5)) r.q850 = Q850[code];
  return r;
}
