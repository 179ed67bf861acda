/**
 * What every command says on stderr about its inputs once the run is over: an input that could not be read
 * (wholly or from some point on), units lost to an internal error (a bug: said, never silent), SIP
 * that was there but could not be read (TLS on port 5061), and an input's alerts (a `--map` no input of the run
 * could honour, values found wrong part-way: a CDR whose later dates prove another day order).
 * TLS on other ports (HTTPS and the like) is only counted, as `tls`: warning about it on every run of a
 * capture of a whole network would teach people to read past the warnings. The report or the
 * rows still go out; the exit code is the command's business.
 */
import { settleMapUse } from '../cdr/map-use.js';
import { printable } from '../printable.js';
import type { InputAccounting, Position } from '../types.js';

function where(p: Position): string {
  return p.line !== undefined ? `line ${p.line}` : p.packet !== undefined ? `packet ${p.packet}` : p.offset !== undefined ? `byte ${p.offset}` : 'start';
}

export function inputLines(inputs: readonly InputAccounting[]): string[] {
  // A --map some inputs could not honour is said once, and not when another input honoured it (analyze settled it
  // already; `calls` reads its inputs with no pipeline to do it).
  settleMapUse(inputs);
  const out: string[] = [];
  // File names and error details may hold anything (a file named with an escape sequence): one printable line each.
  const line = (s: string): void => {
    out.push(`sipscope: ${printable(s)}\n`);
  };
  for (const a of inputs) {
    if (a.error) line(`${a.file}: ${a.error}`);
    for (const alert of a.alerts ?? []) line(`${a.file}: ${alert}`);
    const bugs = a.anomalies['internal-error'] ?? 0;
    if (bugs > 0) {
      const first = a.samples.find((x) => x.name === 'internal-error');
      const at = first ? ` (first: ${where(first.position)}${first.detail ? `: ${first.detail}` : ''})` : '';
      line(`${a.file}: ${bugs} ${a.unit}${bugs === 1 ? '' : 's'} not read because of an internal error${at}; please report it`);
    }
    const tls = a.ignoredBy['sip-tls'] ?? 0;
    if (tls > 0) line(`${a.file}: ${tls} TCP segment${tls === 1 ? '' : 's'} of SIP over TLS (port 5061) not read: capture where TLS ends, or use HEP`);
  }
  return out;
}
