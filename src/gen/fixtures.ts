/**
 * The scenarios behind the committed fixtures: a tiny hand-written one whose every number is known
 * by heart (alpha/beta), one per special case (challenge, retransmission, CANCEL, timeouts), and the
 * bundled "carrier day" sample with a 486 spike and a false-answer route.
 */
import { type GenCall, type RouteProfile, type Scenario, type ScenarioSpec, Q850_OF, reasonOf, chainScenarios, fixedScenario } from './scenario.js';

/** 2024-03-05 09:00:00 UTC: the fixtures' clock. */
export const FIXTURE_EPOCH = Date.UTC(2024, 2, 5, 9, 0, 0);

export const ALPHA_ADDR = '203.0.113.10';
export const BETA_ADDR = '198.51.100.20';

type CallInit = Partial<GenCall> & Pick<GenCall, 'route' | 'nextHop' | 'finalCode' | 'start'>;

let fixedIndex = 0;

/** A call with sensible defaults for whatever the caller does not say. */
export function makeCall(init: CallInit, index = fixedIndex++): GenCall {
  const code = init.finalCode;
  const answered = code === 200;
  const c: GenCall = {
    index,
    callId: `${(0x5eed0000 + index).toString(16)}-${init.route}@10.0.0.1`,
    nextHopPort: 5060,
    local: '10.0.0.1',
    localPort: 5060,
    caller: `44201234${String(index).padStart(4, '0')}`,
    callee: `74951234${String(index).padStart(4, '0')}`,
    retransmit: false,
    challenge: false,
    trying: true,
    ringAfter: code === 486 || code === 503 ? undefined : 1800,
    earlyMedia: false,
    finalAfter: answered ? 6800 : code === 480 ? 31_800 : 450,
    finalReason: reasonOf(code),
    transport: 'udp',
    rtp: answered,
    rtpFromCallee: true,
    ringbackAfterAnswer: false,
    bigInvite: false,
    chanSeq: index * 2,
    ...init,
  };
  if (c.q850 === undefined && code !== 200 && Q850_OF[code] !== undefined) c.q850 = Q850_OF[code];
  if (answered) {
    c.durationMs ??= 30_000;
    c.byeFrom ??= 'caller';
  }
  return c;
}

export interface AlphaBetaOptions {
  transport?: 'udp' | 'tcp';
  bigInvite?: boolean;
}

/**
 * Route alpha: 3 attempts, 2 answered (30 s and 45 s), 1 busy (486).
 * Route beta: 2 attempts, 1 no answer (480), 1 congestion (503).
 */
export function alphaBeta(o: AlphaBetaOptions = {}): Scenario {
  const t0 = FIXTURE_EPOCH;
  const common = { transport: o.transport ?? 'udp', bigInvite: o.bigInvite ?? false } as const;
  const list = [
    makeCall({ ...common, route: 'alpha', nextHop: ALPHA_ADDR, start: t0, finalCode: 200, durationMs: 30_000, byeFrom: 'caller' }, 0),
    makeCall({ ...common, route: 'beta', nextHop: BETA_ADDR, start: t0 + 2_000, finalCode: 480 }, 1),
    makeCall({ ...common, route: 'alpha', nextHop: ALPHA_ADDR, start: t0 + 4_000, finalCode: 486 }, 2),
    makeCall({ ...common, route: 'alpha', nextHop: ALPHA_ADDR, start: t0 + 9_000, finalCode: 200, durationMs: 45_000, byeFrom: 'callee', earlyMedia: true }, 3),
    makeCall({ ...common, route: 'beta', nextHop: BETA_ADDR, start: t0 + 12_000, finalCode: 503 }, 4),
  ];
  return fixedScenario('alpha-beta', list);
}

/**
 * The special cases of call tracking, one call each on route alpha: a 401 challenge then 200 (one
 * attempt), a retransmitted INVITE answered (one attempt), a CANCEL while ringing (487), a 408, a
 * 404, and an answered call with no ringing.
 */
export function edgeCases(o: { transport?: 'udp' | 'tcp' } = {}): Scenario {
  const t0 = FIXTURE_EPOCH;
  const a = { route: 'alpha', nextHop: ALPHA_ADDR, transport: o.transport ?? 'udp' } as const;
  const list = [
    makeCall({ ...a, start: t0, finalCode: 200, challenge: true, durationMs: 20_000 }, 0),
    makeCall({ ...a, start: t0 + 1_000, finalCode: 200, retransmit: a.transport === 'udp', durationMs: 12_000, byeFrom: 'callee' }, 1),
    makeCall({ ...a, start: t0 + 2_000, finalCode: 487, finalAfter: 9_000 }, 2),
    makeCall({ ...a, start: t0 + 3_000, finalCode: 408, finalAfter: 32_000 }, 3),
    makeCall({ ...a, start: t0 + 4_000, finalCode: 404, ringAfter: undefined, finalAfter: 120 }, 4),
    makeCall({ ...a, start: t0 + 5_000, finalCode: 200, ringAfter: undefined, finalAfter: 300, durationMs: 7_000 }, 5),
  ];
  return fixedScenario('edge-cases', list);
}

/** Next hops of the bundled sample's vendor routes. */
export const SAMPLE_ROUTES = [
  { name: 'vendor-a', addr: '203.0.113.10' },
  { name: 'vendor-b', addr: '198.51.100.20' },
  { name: 'vendor-c', addr: '192.0.2.30' },
  { name: 'vendor-fas', addr: '203.0.113.77' },
] as const;

/**
 * A small carrier day, 09:00–15:30 UTC on 4 vendor routes: a quiet morning, a busy period 11:00–14:00
 * and a quiet afternoon. vendor-b has a 486 spike between 12:00 and 13:00; vendor-fas answers too
 * fast (no ringing, ~300 ms), with durations on a few exact values and no audio back.
 * The span is over 6 h so that the default bucket is 15 min and the busy period gives every bucket of
 * vendor-b at least the attempts a spike needs.
 */
export function sampleSpecs(): ScenarioSpec[] {
  const hour = 3_600_000;
  const start = FIXTURE_EPOCH;
  const honest = [
    [200, 48],
    [486, 14],
    [480, 12],
    [487, 8],
    [503, 7],
    [404, 6],
    [408, 3],
    [403, 2],
  ] as const;
  const routes = (spikeFrom: number, spikeTo: number): RouteProfile[] => [
    { ...SAMPLE_ROUTES[0], weight: 25, codes: honest, pddMs: 2500, ringMs: 9000, acdSec: 150 },
    { ...SAMPLE_ROUTES[1], weight: 45, codes: honest, pddMs: 3000, ringMs: 10000, acdSec: 170, spike: { from: spikeFrom, to: spikeTo, share: 0.8 } },
    { ...SAMPLE_ROUTES[2], weight: 15, codes: honest, pddMs: 2200, ringMs: 8000, acdSec: 140 },
    { ...SAMPLE_ROUTES[3], weight: 15, codes: [[200, 85], [486, 5], [503, 10]], pddMs: 400, ringMs: 400, acdSec: 10, fas: true },
  ];
  const common = { challengeShare: 0.05, retransmitShare: 0.03 };
  return [
    { ...common, seed: 20240305, start, calls: 80, spanMs: 2 * hour, routes: routes(0, 0) },
    // Busy period 11:00–14:00; the spike is 1 h after its start.
    { ...common, seed: 20240306, start: start + 2 * hour, calls: 820, spanMs: 3 * hour, routes: routes(hour, 2 * hour) },
    { ...common, seed: 20240307, start: start + 5 * hour, calls: 60, spanMs: 1.5 * hour, routes: routes(0, 0) },
  ];
}

export function sampleScenario(): Scenario {
  return chainScenarios('sample-day', sampleSpecs());
}

/** The `routes.csv` naming the sample's next hops (format of `--routes`). */
export function sampleRoutesCsv(): string {
  return ['# vendor routes of the bundled sample: next-hop address -> name', 'match,route', ...SAMPLE_ROUTES.map((r) => `${r.addr},${r.name}`)].join('\n') + '\n';
}
