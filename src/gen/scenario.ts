/**
 * Call scenarios whose outcome is known: the ground truth that every writer (SIP capture, Asterisk
 * log, Master.csv, carrier CDR) renders, so that a parser's output can be checked call for call.
 *
 * A scenario is generated lazily from a seed (`calls()` can be iterated again and gives the same
 * calls), so that a million-call benchmark input never sits in memory.
 */
import { Prng } from './prng.js';
import { getEntry } from '../catalogue/index.js';

/** One call attempt as it will be rendered, all times in ms since the epoch. */
export interface GenCall {
  /** 0-based position in the scenario (start order). */
  index: number;
  callId: string;
  route: string;
  /** Next hop (where the INVITE is sent) and our side (the SBC sending it). */
  nextHop: string;
  nextHopPort: number;
  local: string;
  localPort: number;
  caller: string;
  callee: string;
  /** First INVITE on the wire. */
  start: number;
  /** INVITE retransmitted once, 500 ms later (T1), before any response. */
  retransmit: boolean;
  /** 401 challenge, ACK, then the INVITE retried with credentials (one attempt). */
  challenge: boolean;
  /** 100 Trying sent by the next hop. */
  trying: boolean;
  /** ms from the (final, authenticated) INVITE to the first 18x; undefined = no ringing at all. */
  ringAfter?: number;
  /** The 18x is a 183 Session Progress with SDP (early media) rather than 180. */
  earlyMedia: boolean;
  /** ms from the (final) INVITE to the final response, or to the CANCEL for 487. */
  finalAfter: number;
  finalCode: number;
  finalReason: string;
  /** Q.850 cause sent in a Reason header with failures (and in the carrier CDR). */
  q850?: number;
  /** Answered talk time in ms (200 only). */
  durationMs?: number;
  /** Who hangs up an answered call. */
  byeFrom?: 'caller' | 'callee';
  transport: 'udp' | 'tcp';
  /** Render RTP for the answered part (captures with media only). */
  rtp: boolean;
  /** The callee side sends RTP (false on a false-answer route). */
  rtpFromCallee: boolean;
  /** The callee's audio after answer is a ringback tone (false-answer route). */
  ringbackAfterAnswer: boolean;
  /** Pad the INVITE with ICE candidates so that it exceeds an Ethernet MTU. */
  bigInvite: boolean;
  /** Asterisk channel sequence numbers (caller leg, callee leg) for log and Master.csv. */
  chanSeq: number;
}

/** Time offsets of one call, derived from GenCall (shared by all writers so they agree). */
export interface CallTimes {
  /** The INVITE whose answer counts (after a challenge: the retried one). */
  invite: number;
  ring?: number;
  final: number;
  answer?: number;
  end: number;
}

/** Signalling round trip used by the writers between a request and its reply. */
export const RTT_MS = 20;
/** RFC 3261 T1: first INVITE retransmission interval over UDP. */
export const T1_MS = 500;

export function callTimes(c: GenCall): CallTimes {
  let invite = c.start;
  if (c.retransmit) invite += T1_MS;
  if (c.challenge) invite += 2 * RTT_MS + 2;
  const ring = c.ringAfter === undefined ? undefined : invite + c.ringAfter;
  const final = invite + c.finalAfter;
  const answer = c.finalCode === 200 ? final : undefined;
  let end: number;
  if (answer !== undefined) end = answer + (c.durationMs ?? 0);
  else if (c.finalCode === 487) end = final + 2 * RTT_MS;
  else end = final;
  return ring === undefined ? { invite, final, answer, end } : { invite, ring, final, answer, end };
}

/** The default reason phrase of a code, from the catalogue (the generator writes what a standard stack sends). */
export function reasonOf(code: number): string {
  return getEntry(code)?.reason ?? 'Unknown';
}

/** Q.850 cause a gateway typically puts in the Reason header of a failure (RFC 3398 direction). */
export const Q850_OF: Record<number, number> = {
  200: 16,
  403: 21,
  404: 1,
  408: 18,
  480: 19,
  484: 28,
  486: 17,
  487: 16,
  488: 65,
  500: 41,
  502: 38,
  503: 34,
  600: 17,
  603: 21,
};

/** Asterisk cdr-csv disposition of an attempt's final code (what a Master.csv row says). */
export function dispositionOf(code: number): 'ANSWERED' | 'BUSY' | 'NO ANSWER' | 'CONGESTION' | 'FAILED' {
  if (code === 200) return 'ANSWERED';
  if (code === 486 || code === 600) return 'BUSY';
  if (code === 480 || code === 408 || code === 487) return 'NO ANSWER';
  if (code === 503 || code === 502 || code === 500 || code === 504) return 'CONGESTION';
  return 'FAILED';
}

export interface RouteProfile {
  name: string;
  /** Next-hop IPv4 address. */
  addr: string;
  /** Share of traffic (relative weight). */
  weight: number;
  /** Final-code mix (relative weights); 200 = answered. */
  codes: ReadonlyArray<readonly [number, number]>;
  /** Median INVITE → 18x in ms. */
  pddMs: number;
  /** Median 18x → answer in ms. */
  ringMs: number;
  /** Median answered duration in seconds. */
  acdSec: number;
  /**
   * False answer supervision: answered without ringing after ~300 ms, durations on a few exact
   * values, no RTP from the callee (or a ringback tone when `fasRingback`).
   */
  fas?: boolean;
  fasRingback?: boolean;
  /** A 486 spike: between `from` and `to` (ms since scenario start) this share of attempts ends 486. */
  spike?: { from: number; to: number; share: number };
}

export interface ScenarioSpec {
  seed: number;
  /** ms since epoch of the first call. */
  start: number;
  /** Number of call attempts. */
  calls: number;
  /** Time over which the attempts start, ms. */
  spanMs: number;
  routes: RouteProfile[];
  /** Our SBC's address (sends the INVITEs). */
  local?: string;
  challengeShare?: number;
  retransmitShare?: number;
  tcpShare?: number;
  bigInviteShare?: number;
  /** Share of answered calls with RTP rendered (captures with media). */
  rtpShare?: number;
  /** Cap on the talk time in s. */
  maxDurationSec?: number;
  /** Index of the first call (when scenarios are chained). Default 0. */
  firstIndex?: number;
}

export interface Scenario {
  readonly name: string;
  /** The calls in start order; each iteration regenerates the same calls. */
  calls(): Iterable<GenCall>;
  readonly size: number;
}

/** A scenario from an explicit list of calls (the small hand-written fixtures). */
export function fixedScenario(name: string, list: GenCall[]): Scenario {
  return { name, size: list.length, calls: () => list };
}

const DEFAULT_LOCAL = '10.0.0.1';

/**
 * Random scenarios one after another in time (e.g. a quiet morning, a busy hour, a quiet evening):
 * each spec's `start` must not be before the previous one's end; indices continue across them.
 */
export function chainScenarios(name: string, specs: ScenarioSpec[]): Scenario {
  const chained: ScenarioSpec[] = [];
  let next = 0;
  for (const s of specs) {
    chained.push({ ...s, firstIndex: next });
    next += s.calls;
  }
  return {
    name,
    size: next,
    *calls() {
      let last = -Infinity;
      for (const s of chained) {
        for (const c of generateCalls(s)) {
          // Keep start order across the joint even if a spec's last arrival spills past the next start.
          if (c.start < last) c.start = last;
          last = c.start;
          yield c;
        }
      }
    },
  };
}

/** A random scenario from a spec: the same spec always gives the same calls. */
export function randomScenario(name: string, spec: ScenarioSpec): Scenario {
  return { name, size: spec.calls, calls: () => generateCalls(spec) };
}

function* generateCalls(spec: ScenarioSpec): Generator<GenCall> {
  const rnd = new Prng(spec.seed);
  const routeTable = spec.routes.map((r, i) => [i, r.weight] as const);
  const local = spec.local ?? DEFAULT_LOCAL;
  const meanGap = spec.spanMs / Math.max(1, spec.calls);
  const first = spec.firstIndex ?? 0;
  let t = spec.start;
  for (let i = first; i < first + spec.calls; i++) {
    // Exponential inter-arrival times (a Poisson process) around the mean gap.
    t += Math.round(-Math.log(1 - rnd.next()) * meanGap);
    const route = spec.routes[rnd.weighted(routeTable)]!;
    const rel = t - spec.start;
    let code: number;
    if (route.spike && rel >= route.spike.from && rel < route.spike.to && rnd.chance(route.spike.share)) code = 486;
    else code = rnd.weighted(route.codes);
    const call = baseCall(i, route, local, t, code, rnd);
    call.challenge = rnd.chance(spec.challengeShare ?? 0);
    call.transport = rnd.chance(spec.tcpShare ?? 0) ? 'tcp' : 'udp';
    // Over TCP the transport retransmits, not SIP (RFC 3261 §17.1.1.2).
    call.retransmit = call.transport === 'udp' && rnd.chance(spec.retransmitShare ?? 0);
    call.bigInvite = rnd.chance(spec.bigInviteShare ?? 0);
    call.rtp = code === 200 && rnd.chance(spec.rtpShare ?? 0);
    if (spec.maxDurationSec !== undefined && call.durationMs !== undefined) {
      call.durationMs = Math.min(call.durationMs, spec.maxDurationSec * 1000);
    }
    // Whole seconds, so that CDR timestamps (second resolution) and billsec agree exactly.
    if (call.durationMs !== undefined) call.durationMs = Math.max(1000, Math.round(call.durationMs / 1000) * 1000);
    yield call;
  }
}

const FAS_DURATIONS_SEC = [7, 12, 15];

function baseCall(index: number, route: RouteProfile, local: string, start: number, code: number, rnd: Prng): GenCall {
  const callee = `7495${String(rnd.int(0, 9_999_999)).padStart(7, '0')}`;
  const caller = `4420${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
  const c: GenCall = {
    index,
    callId: `${rnd.hex(16)}@${local}`,
    route: route.name,
    nextHop: route.addr,
    nextHopPort: 5060,
    local,
    localPort: 5060,
    caller,
    callee,
    start,
    retransmit: false,
    challenge: false,
    trying: true,
    earlyMedia: false,
    finalAfter: 0,
    finalCode: code,
    finalReason: reasonOf(code),
    transport: 'udp',
    rtp: false,
    rtpFromCallee: true,
    ringbackAfterAnswer: false,
    bigInvite: false,
    chanSeq: index * 2,
  };
  const q = Q850_OF[code];
  if (q !== undefined && code !== 200) c.q850 = q;
  const pdd = clamp(Math.round(rnd.logNormal(route.pddMs, 0.5)), 80, 20_000);
  if (route.fas && code === 200) {
    // Answered straight after the INVITE, no 18x, and a duration on a few exact values.
    c.ringAfter = undefined;
    c.finalAfter = rnd.int(250, 450);
    c.durationMs = rnd.pick(FAS_DURATIONS_SEC) * 1000;
    c.byeFrom = 'callee';
    c.rtpFromCallee = !!route.fasRingback;
    c.ringbackAfterAnswer = !!route.fasRingback;
    return c;
  }
  switch (code) {
    case 200:
      c.ringAfter = pdd;
      c.earlyMedia = rnd.chance(0.2);
      c.finalAfter = pdd + clamp(Math.round(rnd.logNormal(route.ringMs, 0.6)), 500, 55_000);
      c.durationMs = clamp(Math.round(rnd.logNormal(route.acdSec, 0.9) * 1000), 1000, 3_600_000);
      c.byeFrom = rnd.chance(0.5) ? 'caller' : 'callee';
      break;
    case 480:
    case 487:
    case 408:
      c.ringAfter = pdd;
      c.finalAfter = pdd + rnd.int(15_000, 45_000);
      break;
    case 486:
    case 600:
      // Busy usually comes back without ringing; sometimes after a short ring.
      if (rnd.chance(0.3)) c.ringAfter = pdd;
      c.finalAfter = (c.ringAfter ?? 0) + clamp(Math.round(rnd.logNormal(600, 0.5)), 60, 10_000);
      break;
    default:
      c.finalAfter = clamp(Math.round(rnd.logNormal(300, 0.6)), 30, 10_000);
      break;
  }
  return c;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** What a parser should report per route, and in total. */
export interface RouteTruth {
  route: string;
  attempts: number;
  answered: number;
  codes: Record<string, number>;
  /** Sum of answered durations, whole seconds per call as CDRs round them (billsec). */
  billsecSum: number;
}

export interface GroundTruth {
  routes: Record<string, RouteTruth>;
  totals: Omit<RouteTruth, 'route'>;
  calls: number;
}

/**
 * The expected per-route numbers. `view` says whose eyes: captures, logs and carrier CDRs report the
 * SIP final code; Asterisk's Master.csv only has the disposition, so its codes are keyed by the
 * disposition text (map them through the catalogue's dispositionToSip).
 */
export function groundTruth(s: Scenario, view: 'sip' | 'disposition' = 'sip'): GroundTruth {
  const routes: Record<string, RouteTruth> = {};
  const totals = { attempts: 0, answered: 0, codes: {} as Record<string, number>, billsecSum: 0 };
  let calls = 0;
  for (const c of s.calls()) {
    calls++;
    const r = (routes[c.route] ??= { route: c.route, attempts: 0, answered: 0, codes: {}, billsecSum: 0 });
    const key = view === 'sip' ? String(c.finalCode) : dispositionOf(c.finalCode);
    for (const t of [r, totals]) {
      t.attempts++;
      t.codes[key] = (t.codes[key] ?? 0) + 1;
      if (c.finalCode === 200) {
        t.answered++;
        t.billsecSum += billsec(c);
      }
    }
  }
  return { routes, totals, calls };
}

/** Whole seconds of talk time as written in CDRs. */
export function billsec(c: GenCall): number {
  return c.finalCode === 200 ? Math.round((c.durationMs ?? 0) / 1000) : 0;
}
