/**
 * What the reports say about how busy spikes were judged (`result.spikeChecks`): a route whose busy share
 * could not be judged can have no spike, so "no spike" must not read as "all clear" for it; and a route
 * judged on other buckets than the report's has its spike windows in those buckets.
 *
 * A module of its own so that the CLI can load it (for its stderr line) without the renderers.
 */
import type { AnalysisResult, SpikeCheck } from '../analysis/result.js';
import { attemptsText, bucketLabel as sizeLabel, int as count } from './format.js';

/** Routes named in a line before "and N more". */
const MAX_NAMES = 5;

function names(items: readonly string[]): string {
  return items.length <= MAX_NAMES ? items.join(', ') : `${items.slice(0, MAX_NAMES).join(', ')} and ${items.length - MAX_NAMES} more`;
}

/** The routes not judged, busiest first (then by name). */
export function unjudgedSpikeRoutes(result: AnalysisResult, minAttempts = 0): SpikeCheck[] {
  return (result.spikeChecks ?? [])
    .filter((c) => !c.judged && c.attempts >= minAttempts)
    .sort((a, b) => b.attempts - a.attempts || (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}

/**
 * One line for the table, md and html reports, or undefined when every route was judged on the report's
 * buckets (or the result has no checks). `name` escapes a route name for the format.
 */
export function spikeCheckLine(result: AnalysisResult, name: (route: string) => string): string | undefined {
  const checks = result.spikeChecks ?? [];
  const bySize = new Map<number, string[]>();
  for (const c of checks) {
    if (!c.judged || c.bucketSec === null || c.bucketSec === result.bucketSec) continue;
    const list = bySize.get(c.bucketSec) ?? [];
    list.push(name(c.route));
    bySize.set(c.bucketSec, list);
  }
  const unjudged = unjudgedSpikeRoutes(result);
  const parts: string[] = [];
  if (bySize.size > 0) {
    const sizes = [...bySize].sort((a, b) => a[0] - b[0]).map(([sec, list]) => `on ${sizeLabel(sec)} buckets for ${names(list)}`);
    parts.push(`judged ${sizes.join(', ')} (the report's ${sizeLabel(result.bucketSec)} buckets hold too few attempts)`);
  }
  if (unjudged.length > 0) {
    const n = unjudged.length;
    parts.push(
      `not judged on ${n} route${n === 1 ? '' : 's'} (too few attempts per bucket at any size from 5 min to 1 day, so no spike can be found there): ` +
        names(unjudged.map((c) => `${name(c.route)} (${attemptsText(c.attempts)})`)),
    );
  }
  return parts.length > 0 ? `Busy spikes ${parts.join('; ')}.` : undefined;
}

/**
 * The stderr line of `--fail-on spike` when routes with at least `minAttempts` attempts could not be judged
 * (the rule cannot break on them), without the `sipscope: ` prefix; undefined when there are none.
 * Route names are raw: the caller makes the line printable.
 */
export function spikeCheckWarning(result: AnalysisResult, minAttempts: number): string | undefined {
  const unjudged = unjudgedSpikeRoutes(result, minAttempts);
  if (unjudged.length === 0) return undefined;
  const n = unjudged.length;
  return (
    `--fail-on spike: ${n} route${n === 1 ? '' : 's'} with ${count(minAttempts)} attempts or more could not be judged for busy spikes ` +
    `(too few attempts per bucket at any size from 5 min to 1 day; see spikeChecks in the JSON): ` +
    names(unjudged.map((c) => `${c.route} (${attemptsText(c.attempts)})`))
  );
}
