/**
 * The HTML report: one self-contained file that a NOC engineer opens from a mail, offline.
 *
 * No network and no script: styles are inline, charts are inline SVG drawn here (svg.ts), tooltips are
 * `title` attributes, and a Content-Security-Policy meta tag (`default-src 'none'`) makes the browser refuse
 * anything else, should a string ever get through. Every text goes through `escapeHtmlText()` (which makes the
 * bidirectional controls `�` too); attribute values are always double-quoted; no event-handler attributes are
 * written at all.
 */
import type { AnalysisResult, BucketMetrics, CodeShare, RouteMetrics } from '../analysis/result.js';
import type { InputAccounting } from '../types.js';
import { codeTooltip } from './codes.js';
import { escapeHtmlText as e } from './escape.js';
import {
  NONE, bucketLabel, byCount, bytes, codeLabel, delay, fasOf, inputTotals, int, pct, prefixesInOrder, routesWorstFirst, scopeLine, secs, signalNumber,
  spikesOf, topFailures, when, window,
} from './format.js';
import { spikeCheckLine, unjudgedSpikeRoutes } from './spike-checks.js';
import { MIN_ATTEMPTS_PER_POINT, OTHER_COLOUR, asrChart, chartBinSec, codeColours, codeMixChart, rebin, thinBin, type CodeMixRow } from './svg.js';

export interface HtmlOptions {
  title?: string;
  /** Routes with an ASR chart (busiest first beyond this). Default 40. */
  maxCharts?: number;
  /** ASR below this ratio is red, below 1.5× it amber. Default 0.35. */
  asrWarn?: number;
}

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const ROUTE_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4d7c0f'];

const STYLE = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;--bad:#b91c1c;--badbg:#fef2f2;--warn:#b45309;--ok:#15803d}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1320px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 8px}
.sub{color:var(--muted);margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.card.bad{border-color:#fca5a5;background:var(--badbg)}.card.bad .v{color:var(--bad)}
.banner{background:var(--badbg);border:1px solid #fca5a5;border-radius:8px;padding:10px 14px;margin:14px 0}
.banner b{color:var(--bad)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{padding:6px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f1f5f9;font-size:12px;font-weight:600;color:#374151;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.n .small{white-space:normal}
td.route{min-width:150px;max-width:260px;overflow-wrap:anywhere}td.codes{min-width:250px}td.sig{white-space:nowrap}
table.routes th,table.routes td{padding:6px 7px}
.scroll{overflow-x:auto}td.file{min-width:220px;max-width:360px}
tr.total td{font-weight:600;background:#f8fafc}
tr.hit td{background:var(--badbg)}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:0 6px;border-radius:9px;margin-left:6px;vertical-align:1px}
.badge.fas{background:#b91c1c;color:#fff}.badge.spike{background:#fde68a;color:#78350f}
.bad{color:var(--bad);font-weight:600}.warn{color:var(--warn);font-weight:600}.ok{color:var(--ok)}
.code{display:block;width:fit-content;max-width:100%;border-bottom:1px dotted #9ca3af;cursor:help}
.code .lbl{display:inline-block;max-width:300px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom}
.code .muted{white-space:nowrap}
.muted{color:var(--muted)}.small{font-size:12px}
code,.id{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
td.ids{min-width:230px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
.chartbox{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.chartbox h3{font-size:13px;margin:0 0 2px;display:flex;justify-content:space-between;gap:8px}
.chart{display:block;font:10px system-ui,sans-serif}
.chart .grid{stroke:#eef0f3}.chart .tick{stroke:#9ca3af}.chart .axis{fill:#6b7280}
.chart .frame{fill:none;stroke:#d1d5db}.chart .vol{fill:#e5e7eb}
.chart .ref{fill:none;stroke:#9ca3af;stroke-width:1.2;stroke-dasharray:4 3}
.chart .spike-label{fill:#b91c1c;font-weight:600}
.chart .mixlabel{font-size:12px;fill:#111827}.chart .mixlabel.strong{font-weight:700}
.chart .seg{font-size:10px;fill:#fff;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0 0;font-size:12px;color:#374151}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.legend i.hollow{width:7px;height:7px;border-radius:50%;border:1.5px solid #6b7280;background:#fff;margin:0 6px 0 2px;vertical-align:0}
.chart .thin{stroke-width:1.5;opacity:.7}
.fasbox{background:var(--card);border:1px solid #fca5a5;border-left:4px solid var(--bad);border-radius:8px;padding:12px 14px;margin:0 0 12px}
.fasbox table{border-radius:0}
details{margin:8px 0}summary{cursor:pointer;color:#374151}
dl.defs{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;font-size:13px}dl.defs dt{font-weight:600}dl.defs dd{margin:0}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media print{body{background:#fff}main{max-width:none;padding:0}.card,.chartbox,.fasbox,tr{break-inside:avoid}.scroll{overflow:visible}}
`;

function th(text: string, numeric = false, title?: string): string {
  return `<th${numeric ? ' class="n"' : ''}${title ? ` title="${e(title)}"` : ''}>${e(text)}</th>`;
}
function td(text: string, numeric = false, cls = ''): string {
  const c = [numeric ? 'n' : '', cls].filter(Boolean).join(' ');
  return `<td${c ? ` class="${c}"` : ''}>${e(text)}</td>`;
}
/** A cell whose content is already HTML (built from escaped parts). */
function tdHtml(html: string, numeric = false, cls = ''): string {
  const c = [numeric ? 'n' : '', cls].filter(Boolean).join(' ');
  return `<td${c ? ` class="${c}"` : ''}>${html}</td>`;
}

function card(k: string, v: string, bad = false, title?: string): string {
  return `<div class="card${bad ? ' bad' : ''}"${title ? ` title="${e(title)}"` : ''}><div class="k">${e(k)}</div><div class="v">${e(v)}</div></div>`;
}

/** A code with its share: the label never breaks, the share goes under it when the column is narrow. */
function codeSpan(c: CodeShare): string {
  return `<span class="code" title="${e(codeTooltip(c))}"><span class="lbl">${e(codeLabel(c.code, c.reason))}</span> <span class="muted">${e(pct(c.share))}</span></span>`;
}

/** Example Call-IDs, one a line. */
function ids(list: readonly string[], n = 3): string {
  if (list.length === 0) return `<span class="muted">${NONE}</span>`;
  return list
    .slice(0, n)
    .map((id) => `<span class="id">${e(id)}</span>`)
    .join('<br>');
}

function asrClass(asr: number | null, warn: number): string {
  if (asr === null) return '';
  return asr < warn ? 'bad' : asr < warn * 1.5 ? 'warn' : '';
}

function summary(result: AnalysisResult): string {
  const t = result.totals;
  const flagged = result.fas.filter((f) => f.flagged).length;
  const inputs = inputTotals(result);
  return (
    '<div class="cards">' +
    card('Attempts', int(t.attempts)) +
    card('Answered', int(t.answered)) +
    card('ASR', pct(t.asr), false, 'Answer-seizure ratio: answered / attempts (ITU-T E.411)') +
    card('SEER', pct(t.seer), false, 'RFC 6076 §4.7: 200/480/486/600/603 over attempts without 3xx') +
    card('NER', pct(t.ner), false, 'Network effectiveness ratio (ITU-T E.425)') +
    card('ACD', secs(t.acdSec), false, 'Average duration of answered calls') +
    card('PDD p50', delay(t.pddSuccess.medianMs), false, 'Post-dial delay of successful setups, median (RFC 6076 SRD)') +
    card('Minutes', int(t.minutes)) +
    card('Busy spikes', String(result.spikes.length), result.spikes.length > 0) +
    card('FAS flagged', String(flagged), flagged > 0) +
    card('Malformed units', int(inputs.malformed), false, `${int(inputs.read)} units read from ${inputs.files} input(s)`) +
    '</div>'
  );
}

function routeTable(result: AnalysisResult, warn: number): string {
  const head =
    '<tr>' +
    th('Route') +
    th('Attempts', true) +
    th('Answered', true) +
    th('ASR', true, 'answered / attempts (ITU-T E.411)') +
    th('SEER', true, 'RFC 6076 §4.7') +
    th('NER', true, 'ITU-T E.425') +
    th('ISA', true, 'RFC 6076 §4.8: 408/500/503/504 over attempts') +
    th('ACD', true, 'average answered duration') +
    th('PDD p50', true, 'post-dial delay of successful setups, median') +
    th('PDD p95', true) +
    th('Fail PDD p50', true, 'setup delay of failed attempts, median (RFC 6076)') +
    th('< 10 s', true, 'share of answered calls shorter than 10 s') +
    th('Top failures') +
    '</tr>';
  const row = (m: RouteMetrics, name: string, total = false) => {
    const fas = fasOf(result, m.route);
    const badges = total
      ? ''
      : (fas?.flagged ? `<span class="badge fas" title="${e(`FAS score ${fas.score.toFixed(2)}`)}">FAS</span>` : '') +
        (spikesOf(result, m.route).length ? '<span class="badge spike">spike</span>' : '');
    const codes = topFailures(m, 3).map((c) => codeSpan(c)).join('') || `<span class="muted">${NONE}</span>`;
    return (
      `<tr${total ? ' class="total"' : ''}>` +
      tdHtml(e(name) + badges, false, 'route') +
      td(int(m.attempts), true) +
      td(int(m.answered), true) +
      td(pct(m.asr), true, asrClass(m.asr, warn)) +
      td(pct(m.seer), true) +
      td(pct(m.ner), true) +
      td(pct(m.isa), true) +
      td(secs(m.acdSec), true) +
      td(delay(m.pddSuccess.medianMs), true) +
      td(delay(m.pddSuccess.p95Ms), true) +
      td(delay(m.pddFailure.medianMs), true) +
      td(pct(m.shortUnder10s), true) +
      tdHtml(codes, false, 'codes') +
      '</tr>'
    );
  };
  const rows = routesWorstFirst(result.routes).map((m) => row(m, m.route));
  rows.push(row(result.totals, 'all routes', true));
  return `<div class="scroll"><table class="routes"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function charts(result: AnalysisResult, max: number): string {
  const series = new Map(result.buckets.map((b) => [b.route, b.series] as const));
  const routes = routesWorstFirst(result.routes).filter((r) => (series.get(r.route)?.length ?? 0) > 0);
  if (routes.length === 0) return '<p class="muted">No time buckets.</p>';
  // The busiest routes get a chart when there are more than `max`, shown in the route table's order.
  const charted = new Set(busiest({ ...result, routes }, max).shown.map((r) => r.route));
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const r of routes)
    for (const b of series.get(r.route) as BucketMetrics[]) {
      t0 = Math.min(t0, Date.parse(b.start));
      t1 = Math.max(t1, Date.parse(b.end));
    }
  const everything = result.buckets.flatMap((b) => b.series);
  const boxes: string[] = [];
  const binSizes = new Set<number>();
  let thin = false;
  routes.forEach((r, i) => {
    if (!charted.has(r.route)) return;
    const colour = ROUTE_COLOURS[i % ROUTE_COLOURS.length];
    const binSec = chartBinSec(result.bucketSec, t1 - t0, r.attempts);
    binSizes.add(binSec);
    const bins = rebin(series.get(r.route) as BucketMetrics[], binSec);
    if (bins.some((b) => thinBin(b))) thin = true;
    const svg = asrChart({
      route: r.route,
      bins,
      overall: rebin(everything, binSec),
      spikes: spikesOf(result, r.route),
      t0,
      t1,
      colour,
    });
    boxes.push(
      `<div class="chartbox"><h3><span><i style="color:${colour}">■</i> ${e(r.route)}</span><span class="muted small">${e(`ASR ${pct(r.asr)} · ${int(r.attempts)} attempts · per ${bucketLabel(binSec)}`)}</span></h3>${svg}</div>`,
    );
  });
  const legend =
    '<div class="legend"><span><i style="background:#2563eb"></i>route ASR</span><span><i style="background:#9ca3af"></i>all routes (dashed)</span>' +
    '<span><i style="background:#e5e7eb"></i>attempts</span><span><i style="background:#fde2e2"></i>busy spike window</span>' +
    (thin ? `<span><i class="hollow"></i>${e(`fewer than ${MIN_ATTEMPTS_PER_POINT} attempts (not on the line)`)}</span>` : '') +
    '</div>';
  const more = routes.length > charted.size ? `<p class="muted small">${e(`${routes.length - charted.size} quieter routes are not charted.`)}</p>` : '';
  // Each sentence only when it is so: the caption is read as a promise about every point.
  const coarser = [...binSizes].some((s) => s !== result.bucketSec)
    ? ` Thin routes are charted in larger steps (shown above each chart), aiming at ${MIN_ATTEMPTS_PER_POINT} attempts or more per point; the JSON and CSV keep every bucket.`
    : '';
  const hollow = thin ? ` A point resting on fewer than ${MIN_ATTEMPTS_PER_POINT} attempts (a quiet hour) is drawn hollow and left off the lines: its ASR is noise.` : '';
  return `<p class="muted small">${e(`Buckets of ${bucketLabel(result.bucketSec)}; times in UTC.${coarser}${hollow}`)}</p><div class="charts">${boxes.join('')}</div>${legend}${more}`;
}

/** The `max` busiest routes, kept in the route table's order. */
function busiest(result: AnalysisResult, max: number): { shown: RouteMetrics[]; hidden: number } {
  const ordered = routesWorstFirst(result.routes);
  if (ordered.length <= max) return { shown: ordered, hidden: 0 };
  const keep = new Set(ordered.slice().sort((a, b) => b.attempts - a.attempts).slice(0, max));
  return { shown: ordered.filter((r) => keep.has(r)), hidden: ordered.length - max };
}

function codeMix(result: AnalysisResult, max: number): string {
  const { shown, hidden } = busiest(result, max);
  const rows: CodeMixRow[] = shown.map((r) => ({ label: r.route, attempts: r.attempts, mix: r.codeMix }));
  rows.push({ label: 'all routes', attempts: result.totals.attempts, mix: result.totals.codeMix, strong: true });
  const colours = codeColours(rows);
  const svg = codeMixChart(rows, colours, (c) => `${codeTooltip(c)}\n${int(c.count)} attempts (${pct(c.share)})`);
  const byCode = new Map(result.totals.codeMix.map((c) => [c.code, c] as const));
  const legend = [...colours]
    .sort((a, b) => a[0] - b[0])
    .map(([code, colour]) => {
      const c = byCode.get(code);
      const label = c ? codeLabel(c.code, c.reason) : codeLabel(code);
      return `<span${c ? ` title="${e(codeTooltip(c))}"` : ''}><i style="background:${colour}"></i>${e(label)}</span>`;
    });
  legend.push(`<span><i style="background:${OTHER_COLOUR}"></i>other codes</span>`);
  const more = hidden ? `<p class="muted small">${e(`${hidden} quieter routes are not shown (they are in the route table and in all routes).`)}</p>` : '';
  return `${svg}<div class="legend">${legend.join('')}</div>${more}`;
}

function prefixes(result: AnalysisResult, warn: number, max = 300): string {
  const rows = prefixesInOrder(result);
  if (rows.length === 0) return '';
  const body = rows.slice(0, max).map(
    (p) =>
      '<tr>' +
      td(p.route, false, 'route') +
      td(p.prefix) +
      td(int(p.attempts), true) +
      td(int(p.answered), true) +
      td(pct(p.asr), true, asrClass(p.asr, warn)) +
      td(pct(p.seer), true) +
      td(secs(p.acdSec), true) +
      td(delay(p.pddSuccess.medianMs), true) +
      tdHtml(topFailures(p, 2).map((c) => codeSpan(c)).join('') || `<span class="muted">${NONE}</span>`, false, 'codes') +
      '</tr>',
  );
  const more = rows.length > max ? `<p class="muted small">${e(`${rows.length - max} more in the JSON and CSV (--by prefix) output.`)}</p>` : '';
  return (
    '<h2 id="prefixes">Routes by destination prefix</h2>' +
    `<table><thead><tr>${th('Route')}${th('Prefix')}${th('Attempts', true)}${th('Answered', true)}${th('ASR', true)}${th('SEER', true)}${th('ACD', true)}${th('PDD p50', true)}${th('Top failures')}</tr></thead><tbody>${body.join('')}</tbody></table>${more}`
  );
}

function spikes(result: AnalysisResult): string {
  // Said whenever a route was not judged, or judged on other buckets: "no spike" is no all-clear for a route
  // that could not have one.
  const judging = spikeCheckLine(result, (route) => route);
  const unjudged = unjudgedSpikeRoutes(result).length;
  const note = judging ? `<p class="${unjudged ? 'warn' : 'muted'} small">${e(judging)}</p>` : '';
  if (result.spikes.length === 0) return `<p class="ok">${unjudged ? 'No busy spike found on the routes judged.' : 'No busy spike found.'}</p>${note}`;
  const rows = result.spikes.map(
    (s) =>
      '<tr>' +
      td(s.route) +
      td(codeLabel(s.code)) +
      td(`${window(s.start, s.end)} UTC`) +
      td(`${int(s.count)} / ${int(s.attempts)}`, true) +
      td(pct(s.share), true, 'bad') +
      td(pct(s.baselineShare), true) +
      tdHtml(ids(s.exampleCallIds), false, 'ids') +
      '</tr>',
  );
  return `<table><thead><tr>${th('Route')}${th('Code')}${th('Window')}${th('Count / attempts', true)}${th('Share', true)}${th('Baseline', true, "the route's usual share (median of its other buckets)")}${th('Example Call-IDs')}</tr></thead><tbody>${rows.join('')}</tbody></table>${note}`;
}

function falseBusy(result: AnalysisResult): string {
  if (result.falseBusy.length === 0) return '';
  const rows = result.falseBusy.slice(0, 50).map(
    (f) =>
      '<tr>' +
      td(f.callee) +
      td(f.busyRoute) +
      td(when(f.busyAt)) +
      td(f.answeredRoute) +
      td(when(f.answeredAt)) +
      tdHtml(`${ids([f.busyCallId])}<br>${ids([f.answeredCallId])}`, false, 'ids') +
      '</tr>',
  );
  const found = Math.max(result.falseBusyCount ?? 0, result.falseBusy.length);
  const shown = Math.min(50, result.falseBusy.length);
  const more = found > shown ? `<p class="muted small">${e(`${int(found - shown)} more${result.falseBusy.length > shown ? ' in the JSON output' : ''}.`)}</p>` : '';
  return (
    `<h2 id="false-busy">False busy: ${e(int(found))}</h2><p class="muted">A 486 on one route and the same number answered on another route minutes later: a blocked SIM-box rather than a busy subscriber.</p>` +
    `<table><thead><tr>${th('Number')}${th('Busy on')}${th('At (UTC)')}${th('Answered on')}${th('At (UTC)')}${th('Call-IDs (busy, answered)')}</tr></thead><tbody>${rows.join('')}</tbody></table>${more}`
  );
}

function fas(result: AnalysisResult): string {
  if (result.fas.length === 0) return '<p class="muted">No FAS analysis in this result.</p>';
  const parts: string[] = [];
  const flagged = result.fas.filter((f) => f.flagged);
  if (flagged.length === 0) parts.push(`<p class="ok">${e(`No route flagged (${result.fas.length} checked).`)}</p>`);
  for (const f of flagged) {
    const rows = f.signals.map(
      (s) =>
        `<tr${s.hit ? ' class="hit"' : ''}>` +
        td(s.id, false, 'sig') +
        td(s.hit ? 'yes' : 'no', false, s.hit ? 'bad' : 'muted') +
        td(signalNumber(s.value, s.threshold), true) +
        td(signalNumber(s.threshold, s.threshold), true) +
        td(int(s.calls), true) +
        td(s.text) +
        tdHtml(ids(s.exampleCallIds), false, 'ids') +
        '</tr>',
    );
    parts.push(
      `<div class="fasbox"><h3>${e(f.route)} <span class="badge fas">FAS flagged</span> <span class="muted">score ${e(f.score.toFixed(2))}</span></h3>` +
        `<table><thead><tr>${th('Signal')}${th('Hit')}${th('Value', true)}${th('Threshold', true)}${th('Calls', true)}${th('Finding')}${th('Example Call-IDs')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    );
  }
  const others = result.fas.filter((f) => !f.flagged);
  if (others.length > 0) {
    const rows = others.map((f) => '<tr>' + td(f.route) + td(f.score.toFixed(2), true) + td(`${f.signals.filter((s) => s.hit).length} of ${f.signals.length}`, true) + '</tr>');
    parts.push(`<details${flagged.length === 0 ? ' open' : ''}><summary>${e(`Routes not flagged (${others.length})`)}</summary><table><thead><tr>${th('Route')}${th('Score', true)}${th('Signals hit', true)}</tr></thead><tbody>${rows.join('')}</tbody></table></details>`);
  }
  return parts.join('');
}

function position(a: InputAccounting['samples'][number]['position']): string {
  const at = [a.packet !== undefined ? `packet ${a.packet}` : '', a.line !== undefined ? `line ${a.line}` : '', a.offset !== undefined ? `byte ${a.offset}` : ''].filter(Boolean);
  return `${a.file}${at.length ? ': ' + at.join(', ') : ''}`;
}

function counts(label: string, map: Record<string, number>): string {
  const entries = byCount(map);
  if (entries.length === 0) return '';
  return `<div><span class="muted">${e(label)}:</span> ${e(entries.map(([k, v]) => `${k} ${int(v)}`).join(' · '))}</div>`;
}

function inputs(result: AnalysisResult): string {
  if (result.inputs.length === 0) return '<p class="muted">No inputs.</p>';
  const rows = result.inputs.map((a) => {
    const balanced = a.read === a.used + a.ignored + a.malformed;
    return (
      '<tr>' +
      tdHtml(
        `<span class="id">${e(a.file)}</span>` +
          (a.error !== undefined ? `<div class="bad small">${e(`Not read to the end: ${a.error}`)}</div>` : '') +
          (a.skipped !== undefined ? `<div class="muted small">${e(`Skipped: ${a.skipped}`)}</div>` : '') +
          (a.notes.length ? `<div class="muted small">${a.notes.map(e).join('<br>')}</div>` : ''),
        false,
        'file',
      ) +
      td(a.format + (a.compressed ? ` (${a.compressed})` : '')) +
      td(bytes(a.bytes), true) +
      td(`${int(a.read)} ${a.unit}s`, true) +
      td(int(a.used), true) +
      td(int(a.ignored), true) +
      td(int(a.malformed), true, a.malformed ? 'warn' : '') +
      td(int(a.sipMessages), true) +
      td(int(a.records), true) +
      tdHtml(`<div class="small">${counts('ignored', a.ignoredBy)}${counts('malformed', a.anomalies)}${counts('warnings', a.warnings ?? {})}</div>`) +
      td(balanced ? '✓' : `✗ ${int(a.read - a.used - a.ignored - a.malformed)}`, false, balanced ? 'ok' : 'bad') +
      '</tr>'
    );
  });
  const samples = result.inputs.flatMap((a) => a.samples);
  const sampleList = samples.length
    ? `<details><summary>${e(`Examples of malformed units (${samples.length})`)}</summary><table><thead><tr>${th('Anomaly')}${th('Where')}${th('Detail')}</tr></thead><tbody>${samples
        .map((s) => '<tr>' + td(s.name) + tdHtml(`<span class="id">${e(position(s.position))}</span>`) + td(s.detail ?? '') + '</tr>')
        .join('')}</tbody></table></details>`
    : '';
  return (
    `<table><thead><tr>${th('Input')}${th('Format')}${th('Size', true)}${th('Read', true)}${th('Used', true)}${th('Ignored', true)}${th('Malformed', true)}${th('SIP msgs', true)}${th('Calls', true, 'call records produced')}${th('Why ignored / malformed', false, 'warnings: oddities inside units that were still used')}${th('Sum', false, 'read = used + ignored + malformed')}</tr></thead><tbody>${rows.join('')}</tbody></table>` +
    sampleList
  );
}

function wireAndThresholds(result: AnalysisResult): string {
  const kv = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => (Number(a[0]) - Number(b[0])) || (a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `<tr>${td(k)}${td(int(v), true)}</tr>`)
      .join('');
  const thresholds = Object.entries(result.thresholds)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `<tr>${td(k)}${td(String(v), true)}</tr>`)
    .join('');
  const wire =
    Object.keys(result.wire.responses).length + Object.keys(result.wire.requests).length > 0
      ? `<details><summary>SIP messages on the wire (retransmissions included)</summary><div class="charts"><table><thead><tr>${th('Request')}${th('Messages', true)}</tr></thead><tbody>${kv(result.wire.requests)}</tbody></table><table><thead><tr>${th('Response')}${th('Messages', true)}</tr></thead><tbody>${kv(result.wire.responses)}</tbody></table></div></details>`
      : '';
  return wire + (thresholds ? `<details><summary>Thresholds in force</summary><table><tbody>${thresholds}</tbody></table></details>` : '');
}

const DEFINITIONS: Array<[string, string]> = [
  ['ASR', 'Answer-seizure ratio: answered attempts / all attempts (ITU-T E.411). A 401/407 challenge and its retry are one attempt.'],
  ['SEER', 'Session establishment effectiveness ratio (RFC 6076 §4.7): attempts ending in 200, 480, 486, 600 or 603 / attempts not ending in 3xx.'],
  ['ISA', 'Ineffective session attempts (RFC 6076 §4.8): attempts ending in 408, 500, 503 or 504 / all attempts.'],
  ['NER', 'Network effectiveness ratio (ITU-T E.425): answer, user busy, no answer and terminal reject over all attempts.'],
  ['ACD', 'Average call duration: answered talk time / answered attempts.'],
  ['PDD', 'Post-dial delay (RFC 6076 §4.3 SRD): INVITE to the first 180/183, or to the 200 when no ringing came; failures to their final response.'],
  ['Busy spike', "A time bucket whose share of 486/600 rises far above the route's own baseline (median and MAD of its other buckets)."],
  ['FAS', 'False answer supervision: a vendor answering calls that nobody answered (to bill them). Flagged when several signals agree.'],
];

export function renderHtml(result: AnalysisResult, opts: HtmlOptions = {}): string {
  const title = opts.title ?? 'sipscope report';
  const warn = opts.asrWarn ?? 0.35;
  const failures = result.failures ?? [];
  const banner = failures.length
    ? `<div class="banner"><b>Thresholds broken (--fail-on):</b><ul>${failures.map((f) => `<li>${e(`${f.rule}${f.route !== undefined ? ` ${f.route}` : ''}: ${f.detail}`)}</li>`).join('')}</ul></div>`
    : '';
  const body =
    `<h1>${e(title)}</h1>` +
    `<p class="sub">${e(scopeLine(result))} · generated ${e(when(result.generatedAt))} UTC by sipscope ${e(result.tool.version)}</p>` +
    banner +
    summary(result) +
    (result.routes.length
      ? '<h2 id="routes">Routes, worst ASR first</h2>' +
        routeTable(result, warn) +
        '<p class="muted small">Hover a code for its meaning from the catalogue.</p>' +
        prefixes(result, warn) +
        '<h2 id="asr">ASR over time</h2>' +
        charts(result, opts.maxCharts ?? 40) +
        '<h2 id="codes">Final response codes</h2>' +
        codeMix(result, opts.maxCharts ?? 40) +
        '<h2 id="spikes">Busy spikes</h2>' +
        spikes(result) +
        falseBusy(result) +
        '<h2 id="fas">FAS (false answer supervision)</h2>' +
        fas(result)
      : '<h2>Routes</h2><p class="muted">No call attempts were found in the inputs.</p>') +
    '<h2 id="inputs">Inputs</h2>' +
    inputs(result) +
    wireAndThresholds(result) +
    '<h2 id="definitions">Definitions</h2>' +
    `<dl class="defs">${DEFINITIONS.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>` +
    `<footer>${e(`sipscope ${result.tool.version} · generated ${result.generatedAt}`)}</footer>`;
  return (
    '<!DOCTYPE html>\n' +
    '<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${e(CSP)}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${e(`${title}: ${scopeLine(result)}`)}</title>\n` +
    `<style>${STYLE}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}
