/**
 * The benchmark's scenarios (issue: performance): the sizes and mixes of the generated inputs.
 * A wholesale mix on 6 vendor routes, one with a 486 spike and one false-answer route, so that the
 * benchmark exercises the same code paths as real traffic.
 */
import { type RouteProfile, type Scenario, type ScenarioSpec, randomScenario } from './scenario.js';
import { FIXTURE_EPOCH } from './fixtures.js';

export const BENCH_DEFAULTS = {
  /** Calls in the SIP-only and the RTP captures (~250 MB SIP-only). */
  captureCalls: 100_000,
  /** Calls in the Asterisk log (≥ 1,000,000 lines). */
  logCalls: 110_000,
  /** Rows of Master.csv and of the carrier CDR. */
  csvRows: 1_000_000,
  /** Seconds of RTP per answered call and direction in the RTP capture (≥ 1 GB at full size). */
  rtpMaxSec: 1.2,
} as const;

const MIX = [
  [200, 45],
  [486, 15],
  [480, 12],
  [487, 9],
  [503, 8],
  [404, 6],
  [408, 3],
  [403, 2],
] as const;

function routes(): RouteProfile[] {
  const hour = 3_600_000;
  return [
    { name: 'carrier-1', addr: '203.0.113.10', weight: 25, codes: MIX, pddMs: 2500, ringMs: 9000, acdSec: 150 },
    { name: 'carrier-2', addr: '198.51.100.20', weight: 20, codes: MIX, pddMs: 3000, ringMs: 10000, acdSec: 170, spike: { from: 8 * hour, to: 9 * hour, share: 0.6 } },
    { name: 'carrier-3', addr: '192.0.2.30', weight: 18, codes: MIX, pddMs: 2200, ringMs: 8000, acdSec: 140 },
    { name: 'carrier-4', addr: '203.0.113.40', weight: 15, codes: MIX, pddMs: 2800, ringMs: 9500, acdSec: 160 },
    { name: 'carrier-5', addr: '198.51.100.50', weight: 12, codes: MIX, pddMs: 3500, ringMs: 12000, acdSec: 120 },
    { name: 'carrier-fas', addr: '203.0.113.77', weight: 10, codes: [[200, 85], [486, 5], [503, 10]], pddMs: 400, ringMs: 400, acdSec: 10, fas: true },
  ];
}

function spec(calls: number, seed: number): ScenarioSpec {
  return {
    seed,
    start: FIXTURE_EPOCH,
    calls,
    spanMs: 24 * 3_600_000,
    routes: routes(),
    challengeShare: 0.03,
    retransmitShare: 0.02,
    tcpShare: 0.02,
    bigInviteShare: 0.02,
  };
}

/** SIP-only traffic (and the base of the log and CSV inputs). */
export function benchScenario(calls: number, seed = 1): Scenario {
  return randomScenario(`bench-${calls}`, spec(calls, seed));
}

/** The same calls with RTP on every answered call. */
export function benchRtpScenario(calls: number, seed = 1): Scenario {
  return randomScenario(`bench-rtp-${calls}`, { ...spec(calls, seed), rtpShare: 1 });
}
