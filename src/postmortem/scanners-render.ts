/** Table and JSON of `sipscope scanners`. User-Agents and user names come from the wire: sanitised. */
import { getHint } from '../catalogue/index.js';
import { printable } from '../printable.js';
import type { ScannerSource, ScannerThresholds } from './scanners.js';

const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());
const when = (t: number | undefined): string => (t === undefined ? '—' : new Date(t).toISOString().replace('T', ' ').replace('Z', ''));

export function scannersJson(rows: readonly ScannerSource[], addresses: number, thresholds: ScannerThresholds): unknown {
  return {
    addresses,
    suspicious: rows.filter((r) => r.verdict !== 'ok').length,
    thresholds,
    ...(rows.some((r) => r.verdict !== 'ok') ? { hint: getHint('ghost-calls') } : {}),
    sources: rows.map((r) => ({ ...r, firstSeen: iso(r.firstSeen), lastSeen: iso(r.lastSeen) })),
  };
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

export function scannersTable(rows: readonly ScannerSource[], addresses: number): string {
  const suspicious = rows.filter((r) => r.verdict !== 'ok').length;
  if (rows.length === 0) return `No scanner or brute force found (${addresses} source address${addresses === 1 ? '' : 'es'} seen).\n`;
  const head = ['address', 'verdict', 'requests', 'targets', '401/407', '403', 'log events', 'first seen', 'last seen', 'user agents'];
  const body = rows.map((r) => [
    printable(r.address),
    r.verdict,
    Object.entries(r.requests).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${printable(m)} ${n}`).join(', ') || '0',
    `${r.targets}${r.targetsCapped ? '+' : ''}`,
    String(r.challenges),
    String(r.refusals),
    Object.entries(r.events).map(([k, n]) => `${k} ${n}`).join(', '),
    when(r.firstSeen),
    when(r.lastSeen),
    clip(r.userAgents.map((x) => printable(x)).join(' | '), 60),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((x) => x[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ''];
  for (const r of rows) if (r.reasons.length) out.push(`${printable(r.address)}: ${r.verdict} — ${r.reasons.map((x) => printable(x)).join('; ')}`);
  out.push(`${suspicious} suspicious of ${addresses} source address${addresses === 1 ? '' : 'es'}.`);
  const hint = suspicious ? getHint('ghost-calls') : undefined;
  if (hint) out.push('', `hint (${hint.id}): ${hint.text.en}`);
  return out.join('\n') + '\n';
}
