/**
 * What every command says on stderr about its inputs once the run is over: an input that could not be read
 * (wholly or from some point on), and SIP that was there but could not be read (TLS on port 5061).
 * TLS on other ports (HTTPS and the like) is only counted, as `tls`: warning about it on every run of a
 * capture of a whole network would teach people to read past the warnings. The report or the
 * rows still go out; the exit code is the command's business.
 */
import type { InputAccounting } from '../types.js';

export function inputLines(inputs: readonly InputAccounting[]): string[] {
  const out: string[] = [];
  for (const a of inputs) {
    if (a.error) out.push(`sipscope: ${a.file}: ${a.error}\n`);
    const tls = a.ignoredBy['sip-tls'] ?? 0;
    if (tls > 0) out.push(`sipscope: ${a.file}: ${tls} TCP segment${tls === 1 ? '' : 's'} of SIP over TLS (port 5061) not read: capture where TLS ends, or use HEP\n`);
  }
  return out;
}
