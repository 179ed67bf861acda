/**
 * An Asterisk `full` log of the scenario's calls as Asterisk's Dial application writes them: one Dial
 * per attempt to the route's peer, the [C-xxxxxxxx] call marker on every line of the call, and the
 * "Got SIP response" line from the SIP stack's own thread (a different thread id, same marker).
 */
import { type GenCall, type Scenario, callTimes } from './scenario.js';
import { arrayCursor, mergeInTime } from './merge.js';
import type { ByteOut } from './out.js';
import { isoSpace, monthDay } from './time.js';

export interface LogOptions {
  /** `modern` (Asterisk ≥ 14: message text only) or `classic` (verbose prefixes `    -- ` and `  == `). */
  style?: 'modern' | 'classic';
  /** Channel technology: `PJSIP/number@peer` or chan_sip's `SIP/peer/number`. */
  tech?: 'PJSIP' | 'SIP';
  /** `[2023-11-14 22:13:20]` (iso, default), with `.123` (iso-ms), or `[Nov 14 22:13:20]` (month). */
  stamp?: 'iso' | 'iso-ms' | 'month';
  /** Extra unrelated lines per call (DEBUG chatter a real full log has). Default 2. */
  noise?: number;
}

interface LogLine {
  ts: number;
  text: string;
}

const SIP_THREAD = 2711;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export function callLogLines(c: GenCall, o: LogOptions = {}): LogLine[] {
  const classic = o.style === 'classic';
  const tech = o.tech ?? 'PJSIP';
  const noise = o.noise ?? 2;
  const t = callTimes(c);
  const tid = 3000 + (c.index % 4000);
  const marker = `[C-${hex8(c.index + 1)}]`;
  const inChan = `${tech}/customer-${hex8(c.chanSeq)}`;
  const outChan = `${tech}/${c.route}-${hex8(c.chanSeq + 1)}`;
  const dialArg = tech === 'PJSIP' ? `PJSIP/${c.callee}@${c.route}` : `SIP/${c.route}/${c.callee}`;
  const v = (level: string, thread: number, file: string, msg: string, prefix: '--' | '==' | ''): string =>
    `${level}[${thread}]${marker} ${file}: ${classic && prefix ? (prefix === '--' ? '    -- ' : '  == ') : ''}${msg}`;
  const lines: LogLine[] = [];
  const add = (ts: number, text: string): void => {
    lines.push({ ts, text });
  };
  add(c.start, v('VERBOSE', tid, 'pbx.c', `Executing [${c.callee}@from-customer:1] Set("${inChan}", "CDR(route)=${c.route}") in new stack`, '--'));
  add(c.start, v('VERBOSE', tid, 'pbx.c', `Executing [${c.callee}@from-customer:2] Dial("${inChan}", "${dialArg},60") in new stack`, '--'));
  for (let i = 0; i < noise; i++) {
    add(c.start, v('DEBUG', tid, 'app_dial.c', `Dial argument takes format (${dialArg})`, ''));
  }
  add(c.start, v('VERBOSE', tid, 'app_dial.c', `Called ${dialArg}`, '--'));
  if (t.ring !== undefined) {
    add(t.ring, v('VERBOSE', tid, 'app_dial.c', c.earlyMedia ? `${outChan} is making progress passing it to ${inChan}` : `${outChan} is ringing`, '--'));
  }
  if (c.finalCode === 200) {
    add(t.final, v('VERBOSE', tid, 'app_dial.c', `${outChan} answered ${inChan}`, '--'));
    add(t.final, v('VERBOSE', tid, 'bridge_channel.c', `Channel ${outChan} joined 'simple_bridge' basic-bridge <${c.callId.slice(0, 8)}>`, '--'));
    add(t.end, v('VERBOSE', tid, 'bridge_channel.c', `Channel ${outChan} left 'simple_bridge' basic-bridge <${c.callId.slice(0, 8)}>`, '--'));
    add(t.end, v('VERBOSE', tid, 'pbx.c', `Spawn extension (from-customer, ${c.callee}, 2) exited non-zero on '${inChan}'`, '=='));
  } else {
    const got = `Got SIP response ${c.finalCode} "${c.finalReason}" back from ${c.nextHop}:${c.nextHopPort}`;
    add(t.final, v('VERBOSE', SIP_THREAD, tech === 'PJSIP' ? 'res_pjsip_session.c' : 'chan_sip.c', got, '--'));
    if (c.finalCode === 487) {
      // The caller hung up while it rang: Dial ends with the caller's hangup, not a congestion line.
      add(t.final, v('VERBOSE', tid, 'pbx.c', `Spawn extension (from-customer, ${c.callee}, 2) exited non-zero on '${inChan}'`, '=='));
    } else {
      const busy = c.finalCode === 486 || c.finalCode === 600;
      const cong = c.finalCode >= 500 && c.finalCode < 600;
      if (busy) add(t.final, v('VERBOSE', tid, 'app_dial.c', `${outChan} is busy`, '--'));
      if (cong) add(t.final, v('VERBOSE', tid, 'app_dial.c', `${outChan} is circuit-busy`, '--'));
      const n = `1:${busy ? 1 : 0}/${cong ? 1 : 0}/${busy || cong ? 0 : 1}`;
      add(t.final, v('VERBOSE', tid, 'app_dial.c', `Everyone is busy/congested at this time (${n})`, '=='));
      add(t.final, v('VERBOSE', tid, 'pbx.c', `Executing [${c.callee}@from-customer:3] Hangup("${inChan}", "") in new stack`, '--'));
    }
  }
  return lines;
}

/** Writes the log of the whole scenario, lines of overlapping calls interleaved in time order. */
export function writeAsteriskLog(s: Scenario, out: ByteOut, o: LogOptions = {}): { lines: number } {
  let n = 0;
  let lastSec = -1;
  let stampText = '';
  const stamp = o.stamp ?? 'iso';
  const emit = (l: LogLine): void => {
    const sec = stamp === 'iso-ms' ? l.ts : Math.floor(l.ts / 1000);
    if (sec !== lastSec) {
      lastSec = sec;
      stampText = stamp === 'month' ? monthDay(l.ts) : isoSpace(l.ts, stamp === 'iso-ms');
    }
    out.text(`[${stampText}] ${l.text}\n`);
    n++;
  };
  mergeInTime(s.calls(), (c) => c.start, (c) => arrayCursor(callLogLines(c, o).sort((a, b) => a.ts - b.ts), c.index, emit));
  return { lines: n };
}
