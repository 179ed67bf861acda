/**
 * Every threshold of the spike and FAS heuristics in one object, with its default. The reasoning for
 * each default is in docs/analysis.md; options (`thresholds`) and the config file override by name.
 */
import { UsageError } from '../errors.js';

export const DEFAULT_THRESHOLDS = {
  // ── 486/600 spikes ──
  /** A bucket with fewer attempts is never a spike (and does not count towards a baseline). */
  spikeMinAttempts: 20,
  /** How many robust spreads above the baseline a share must be. */
  spikeK: 5,
  /** Floor on the spread (share units), so that a perfectly flat baseline does not flag noise. */
  spikeSpreadFloor: 0.02,
  /** The share must also rise by at least this much (absolute, share units). */
  spikeMinIncrease: 0.1,
  /** Other buckets needed to form a baseline. */
  spikeMinBaselineBuckets: 3,

  // ── false busy ──
  /** An answer on another route within this many minutes after a 486 counts as a false busy. */
  falseBusyWindowMin: 10,
  /** Callees remembered for false-busy matching (least recently seen are forgotten first). */
  falseBusyMaxCallees: 100_000,

  // ── FAS ──
  /** A signal is judged only on at least this many calls. */
  fasMinCalls: 20,
  /** Share of answered calls with no 18x before the 200. */
  fasNoRingingShare: 0.3,
  /** INVITE → 200 faster than this is not a person answering. */
  fasShortAnswerMs: 1000,
  fasShortAnswerShare: 0.3,
  /** Share of ring → answer times within ±100 ms of the most common value. */
  fasRingAnswerClusterShare: 0.4,
  /** An answered call this short or shorter counts as a short call. */
  fasShortCallSec: 15,
  fasShortCallShare: 0.6,
  /** Share of answered calls on the three most common exact durations (1 s resolution)… */
  fasDurationClusterShare: 0.4,
  /** …among durations up to this long (a script hangs up early; repeated long durations are duplicate CDR rows). */
  fasDurationClusterMaxSec: 60,
  /** ASR must be at least this many times the other routes' on the same destinations… */
  fasAsrRatio: 1.3,
  /** …and at least this much in absolute terms… */
  fasAsrMin: 0.6,
  /** …while the ACD is at most this fraction of theirs. */
  fasAcdRatio: 0.5,
  /** Other routes' attempts needed for a comparison. */
  fasCompareMinAttempts: 50,
  /** Callee RTP must start within this many ms of the 200 OK… */
  fasNoRtpWindowMs: 10_000,
  /** …and bring at least this many packets. */
  fasNoRtpMinPackets: 10,
  fasNoRtpShare: 0.5,
  /** A call whose first seconds after answer carry a ringback tone at least this share of the time… */
  fasRingbackTone: 0.5,
  /** …on at least this share of measured calls. */
  fasRingbackShare: 0.3,
  /** Weights of the signals in the score. */
  fasWeightNoRinging: 1,
  fasWeightShortPdd: 1,
  fasWeightRingAnswerCluster: 1.5,
  fasWeightShortCalls: 1,
  fasWeightDurationCluster: 1.5,
  fasWeightAsrHighAcdLow: 1.5,
  fasWeightNoRtp: 2,
  fasWeightRingback: 1,
  /** A route is flagged when the score reaches this… */
  fasScore: 3,
  /** …and hits come from at least this many independent groups of signals. */
  fasMinGroups: 2,
};

export type Thresholds = typeof DEFAULT_THRESHOLDS;
export type ThresholdName = keyof Thresholds;

/** Defaults merged with overrides; an unknown name or a negative/non-finite value is a usage error. */
export function resolveThresholds(overrides?: Readonly<Record<string, number>>): Thresholds {
  const t: Thresholds = { ...DEFAULT_THRESHOLDS };
  if (!overrides) return t;
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLDS, name)) {
      throw new UsageError(`unknown threshold '${name}' (known: ${Object.keys(DEFAULT_THRESHOLDS).join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`threshold ${name} must be a non-negative number, not '${String(value)}'`);
    }
    t[name as ThresholdName] = value;
  }
  return t;
}
