/**
 * Markdown for a ticket or a chat: summary, route table, spikes, false busy, FAS evidence, inputs.
 * GitHub-flavoured tables; every string from the data goes through `mdText()`, so a route name or a Call-ID
 * cannot break a table (`|`), start markup (`*`, `_`, `[`, backticks) or smuggle raw HTML (`<script>`).
 */
import { printable } from '../printable.js';
import type { AnalysisResult, RouteMetrics } from '../analysis/result.js';
import {
  NONE, byCount, bytes, codeLabel, delay, fasOf, inputsLine, int, pct, prefixesInOrder, routesWorstFirst, scopeLine, secs,
  signalNumber, spikesOf, topFailures, when, window,
} from './format.js';
import { spikeCheckLine } from './spike-checks.js';

// Characters that start markup inside a line (line-start markup such as `#` or `- ` never meets data here:
// data is always in a table cell or after fixed text). Fewer escapes keep the text readable in chats that
// show Markdown raw.
const MD_SPECIAL = new Set(['\\', '`', '*', '_', '[', ']', '|', '~']);

/**
 * Text as Markdown that shows exactly this text: control characters replaced, markup characters backslash-escaped,
 * `&`, `<`, `>` written as entities (a backslash does not stop raw HTML in every renderer).
 */
export function mdText(s: string): string {
  let out = '';
  for (const ch of printable(s)) {
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (MD_SPECIAL.has(ch)) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

function table(head: string[], align: Array<'l' | 'r'>, rows: string[][]): string[] {
  const sep = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function routeRow(m: RouteMetrics, name: string): string[] {
  return [
    name,
    int(m.attempts),
    int(m.answered),
    pct(m.asr),
    pct(m.seer),
    pct(m.ner),
    secs(m.acdSec),
    delay(m.pddSuccess.medianMs),
    delay(m.pddSuccess.p95Ms),
    topFailures(m, 3)
      .map((x) => `${mdText(codeLabel(x.code, x.reason))} ${pct(x.share)}`)
      .join('; ') || NONE,
  ];
}

const ids = (list: readonly string[], n = 2) => list.slice(0, n).map(mdText).join(', ') || NONE;

export interface MdOptions {
  title?: string;
}

export function renderMd(result: AnalysisResult, opts: MdOptions = {}): string {
  const out: string[] = [];
  out.push(`# ${mdText(opts.title ?? 'sipscope report')}`, '');
  out.push(`**${mdText(scopeLine(result))}**  `);
  const flagged = result.fas.filter((f) => f.flagged);
  out.push(
    `ASR ${pct(result.totals.asr)} · SEER ${pct(result.totals.seer)} · ACD ${secs(result.totals.acdSec)} · PDD p50 ${delay(result.totals.pddSuccess.medianMs)} · ` +
      `${result.spikes.length} busy spike${result.spikes.length === 1 ? '' : 's'} · ${flagged.length} FAS flag${flagged.length === 1 ? '' : 's'}  `,
  );
  out.push(`Generated ${when(result.generatedAt)} UTC by sipscope ${mdText(result.tool.version)}.`, '');

  if (result.failures && result.failures.length > 0) {
    out.push('> **Thresholds broken (--fail-on):**');
    for (const f of result.failures) out.push(`> - ${mdText(f.rule)}${f.route !== undefined ? ` ${mdText(f.route)}` : ''}: ${mdText(f.detail)}`);
    out.push('');
  }

  if (result.routes.length > 0) {
    out.push('## Routes (worst ASR first)', '');
    const rows = routesWorstFirst(result.routes).map((m) => {
      const marks = [fasOf(result, m.route)?.flagged ? 'FAS' : '', spikesOf(result, m.route).length ? 'spike' : ''].filter(Boolean);
      return routeRow(m, mdText(m.route) + (marks.length ? ` **(${marks.join(', ')})**` : ''));
    });
    rows.push(routeRow(result.totals, '**all routes**'));
    out.push(...table(['Route', 'Attempts', 'Answered', 'ASR', 'SEER', 'NER', 'ACD', 'PDD p50', 'PDD p95', 'Top failures'], ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'], rows), '');
  }

  const byPrefix = prefixesInOrder(result);
  if (byPrefix.length > 0) {
    out.push('## By destination prefix', '');
    out.push(
      ...table(
        ['Route', 'Prefix', 'Attempts', 'ASR', 'SEER', 'ACD', 'PDD p50', 'Top failures'],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
        byPrefix.slice(0, 30).map((p) => [
          mdText(p.route),
          mdText(p.prefix),
          int(p.attempts),
          pct(p.asr),
          pct(p.seer),
          secs(p.acdSec),
          delay(p.pddSuccess.medianMs),
          topFailures(p, 2).map((x) => `${mdText(codeLabel(x.code, x.reason))} ${pct(x.share)}`).join('; ') || NONE,
        ]),
      ),
    );
    if (byPrefix.length > 30) out.push('', `… and ${int(byPrefix.length - 30)} more (CSV with --by prefix).`);
    out.push('');
  }

  if (result.spikes.length > 0) {
    out.push('## Busy spikes', '');
    out.push(
      ...table(
        ['Route', 'Code', 'Window (UTC)', 'Count / attempts', 'Share', 'Baseline', 'Example Call-IDs'],
        ['l', 'r', 'l', 'r', 'r', 'r', 'l'],
        result.spikes.map((s) => [mdText(s.route), String(s.code), window(s.start, s.end), `${int(s.count)} / ${int(s.attempts)}`, pct(s.share), pct(s.baselineShare), ids(s.exampleCallIds)]),
      ),
      '',
    );
  }

  const judging = spikeCheckLine(result, mdText);
  if (judging) out.push(judging, '');

  if (result.falseBusy.length > 0) {
    const found = Math.max(result.falseBusyCount ?? 0, result.falseBusy.length);
    out.push('## False busy', '', `${int(found)} found. A 486 on one route, and the same number answered on another route soon after: a blocked SIM-box rather than a busy subscriber.`, '');
    out.push(
      ...table(
        ['Number', 'Busy on', 'At (UTC)', 'Answered on', 'At (UTC)', 'Busy Call-ID'],
        ['l', 'l', 'l', 'l', 'l', 'l'],
        result.falseBusy.slice(0, 20).map((f) => [mdText(f.callee), mdText(f.busyRoute), when(f.busyAt), mdText(f.answeredRoute), when(f.answeredAt), mdText(f.busyCallId)]),
      ),
    );
    const shown = Math.min(20, result.falseBusy.length);
    if (found > shown) out.push('', `… and ${int(found - shown)} more.`);
    out.push('');
  }

  if (result.fas.length > 0) {
    out.push('## FAS (false answer supervision)', '');
    if (flagged.length === 0) out.push(`No route flagged (${result.fas.length} checked).`, '');
    for (const f of flagged) {
      out.push(`### ${mdText(f.route)}: flagged, score ${f.score.toFixed(2)}`, '');
      out.push(
        ...table(
          ['Signal', 'Hit', 'Value', 'Threshold', 'Calls', 'Finding', 'Example Call-IDs'],
          ['l', 'l', 'r', 'r', 'r', 'l', 'l'],
          f.signals.map((s) => [mdText(s.id), s.hit ? '**yes**' : 'no', signalNumber(s.value, s.threshold), signalNumber(s.threshold, s.threshold), int(s.calls), mdText(s.text), ids(s.exampleCallIds)]),
        ),
        '',
      );
    }
    const others = result.fas.filter((f) => !f.flagged);
    if (flagged.length > 0 && others.length > 0) out.push(`Not flagged: ${others.map((f) => `${mdText(f.route)} (${f.score.toFixed(2)})`).join(', ')}.`, '');
  }

  if (result.inputs.length > 0) {
    out.push('## Inputs', '');
    out.push(
      ...table(
        ['File', 'Format', 'Size', 'Read', 'Used', 'Ignored', 'Malformed', 'Records'],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
        result.inputs.map((a) => [
          mdText(a.file) + (a.error !== undefined ? ` **(not read to the end: ${mdText(a.error)})**` : '') + (a.skipped !== undefined ? ` (skipped: ${mdText(a.skipped)})` : ''),
          mdText(a.format + (a.compressed ? ` (${a.compressed})` : '')),
          bytes(a.bytes),
          `${int(a.read)} ${a.unit}s`,
          int(a.used),
          int(a.ignored),
          a.malformed ? `${int(a.malformed)} (${byCount(a.anomalies).map(([k, v]) => `${mdText(k)} ${int(v)}`).join(', ')})` : '0',
          int(a.records),
        ]),
      ),
      '',
    );
    out.push(mdText(inputsLine(result)), '');
  }
  return out.join('\n');
}
