/**
 * The terminal table: routes worst ASR first, then spikes, false busy, FAS flags and --fail-on results, then one
 * line about the inputs. Colours only when `color` is set (the CLI sets it for a TTY without NO_COLOR); without
 * it the output is plain text, byte for byte the same on every machine.
 */
import { printable } from '../printable.js';
import Table from 'cli-table3';
import type { AnalysisResult, RouteMetrics } from '../analysis/result.js';
import {
  NONE, clip, codeLabel, delay, fasOf, inputTotals, inputsLine, int, pct, routesWorstFirst, scopeLine, secs,
  spikesOf, topFailures, when, window,
} from './format.js';
import { spikeCheckLine } from './spike-checks.js';

export interface TableOptions {
  color?: boolean;
  /** ASR below this (0..1) is shown in red, below 1.5× it in yellow. Default 0.35. */
  asrWarn?: number;
  /** Failure codes shown per route. Default 3. */
  topCodes?: number;
}

type Paint = (s: string) => string;
interface Palette {
  red: Paint;
  yellow: Paint;
  green: Paint;
  dim: Paint;
  bold: Paint;
}

const sgr = (open: number, close: number): Paint => (s) => `\u001b[${open}m${s}\u001b[${close}m`;
const COLOURS: Palette = { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
const id: Paint = (s) => s;
const PLAIN: Palette = { red: id, yellow: id, green: id, dim: id, bold: id };

export function renderTable(result: AnalysisResult, opts: TableOptions = {}): string {
  const c = opts.color ? COLOURS : PLAIN;
  const asrWarn = opts.asrWarn ?? 0.35;
  const topN = opts.topCodes ?? 3;
  const lines: string[] = [];

  lines.push(c.bold(`sipscope ${result.tool.version}: ${scopeLine(result)}`));

  if (result.routes.length > 0) {
    const table = new Table({
      head: ['Route', 'Attempts', 'Answered', 'ASR', 'SEER', 'NER', 'ACD', 'PDD p50', 'PDD p95', 'Top failures'].map((h) => c.bold(h)),
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      // cli-table3 paints the header red and the borders grey by default: never without `color`.
      style: { head: [], border: [] },
    });
    const asrCell = (m: RouteMetrics) => {
      const s = pct(m.asr);
      if (m.asr === null) return s;
      return m.asr < asrWarn ? c.red(s) : m.asr < asrWarn * 1.5 ? c.yellow(s) : s;
    };
    const row = (m: RouteMetrics, name: string) => [
      name,
      int(m.attempts),
      int(m.answered),
      asrCell(m),
      pct(m.seer),
      pct(m.ner),
      secs(m.acdSec),
      delay(m.pddSuccess.medianMs),
      delay(m.pddSuccess.p95Ms),
      topFailures(m, topN)
        .map((x) => `${clip(printable(codeLabel(x.code, x.reason)), 36)} ${pct(x.share)}`)
        .join('\n') || NONE,
    ];
    for (const m of routesWorstFirst(result.routes)) {
      const marks = [fasOf(result, m.route)?.flagged ? 'FAS' : '', spikesOf(result, m.route).length ? 'spike' : ''].filter(Boolean);
      const name = clip(printable(m.route), 40) + (marks.length ? ' ' + c.red(`[${marks.join(', ')}]`) : '');
      table.push(row(m, name));
    }
    table.push(row(result.totals, c.bold('all routes')));
    lines.push(table.toString());
  }

  if (result.spikes.length > 0) {
    lines.push('', c.bold('Busy spikes'));
    for (const s of result.spikes) {
      lines.push(
        `  ${c.red(printable(s.route))}  ${s.code} ${window(s.start, s.end)} UTC: ${int(s.count)} of ${int(s.attempts)} attempts (${pct(s.share)}, baseline ${pct(s.baselineShare)})` +
          (s.exampleCallIds.length ? c.dim(`  e.g. ${s.exampleCallIds.slice(0, 2).map(printable).join(', ')}`) : ''),
      );
    }
  }

  const judging = spikeCheckLine(result, printable);
  if (judging) lines.push('', c.yellow(judging));

  if (result.falseBusy.length > 0) {
    const found = Math.max(result.falseBusyCount ?? 0, result.falseBusy.length);
    lines.push('', c.bold(`False busy: ${int(found)}`) + c.dim(' (486 on one route, the same number answered on another soon after: SIM-box blocking?)'));
    for (const f of result.falseBusy.slice(0, 10)) {
      lines.push(`  ${printable(f.callee)}: busy on ${printable(f.busyRoute)} at ${when(f.busyAt)}, answered on ${printable(f.answeredRoute)} at ${when(f.answeredAt)}`);
    }
    if (found > 10) lines.push(c.dim(`  … ${int(found - Math.min(10, result.falseBusy.length))} more (see --format json)`));
  }

  const flagged = result.fas.filter((f) => f.flagged);
  if (result.fas.length > 0) {
    lines.push('', c.bold('FAS (false answer supervision)'));
    if (flagged.length === 0) lines.push(c.green(`  no route flagged (${result.fas.length} checked)`));
    for (const f of flagged) {
      lines.push(`  ${c.red(printable(f.route))}  ${c.red('FLAGGED')}  score ${f.score.toFixed(2)}`);
      for (const s of f.signals) {
        if (!s.hit) continue;
        // The signal's text states the value, the threshold and the calls.
        lines.push(
          `    ${printable(s.id)}: ${printable(s.text)}` +
            (s.exampleCallIds.length ? c.dim(`  e.g. ${s.exampleCallIds.slice(0, 2).map(printable).join(', ')}`) : ''),
        );
      }
    }
  }

  if (result.failures && result.failures.length > 0) {
    lines.push('', c.bold(c.red('Thresholds broken (--fail-on)')));
    for (const f of result.failures) lines.push(`  ${f.rule}${f.route !== undefined ? ` ${printable(f.route)}` : ''}: ${printable(f.detail)}`);
  }

  lines.push('', c.dim(`Inputs: ${printable(inputsLine(result))}`));
  for (const { file, error } of inputTotals(result).errors) lines.push(c.yellow(`  ${printable(file)}: ${printable(error)}`));
  return lines.join('\n') + '\n';
}
