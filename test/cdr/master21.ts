/**
 * Deterministic Asterisk Master.csv generator (cdr-csv, 21 columns, the quoting Asterisk writes), a test
 * helper for the CDR source: `npx vite-node test/cdr/master21.ts <out.csv> [rows] [seed]`. Also returns the
 * true per-route counts, so a run can be checked against them. (The benchmark's 18-column Master.csv comes
 * from src/gen/.)
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Prng } from '../../src/gen/prng.js';

const ROUTES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
const DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION'];

export interface GenTruth {
  rows: number;
  bytes: number;
  /** route → [attempts, answered] */
  routes: Record<string, [number, number]>;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

export function writeMasterCsv(path: string, rows = 1_000_000, seed = 42): GenTruth {
  const prng = new Prng(seed);
  const rnd = (): number => prng.next();
  const fd = openSync(path, 'w');
  const truth: GenTruth = { rows, bytes: 0, routes: {} };
  let t = Date.UTC(2024, 2, 5, 0, 0, 0);
  let batch: string[] = [];
  let seq = 0;
  // Dates change slowly (about 11 calls a second), as in a real day of traffic.
  let lastSec = -1;
  let lastStamp = '';
  const st = (ms: number): string => {
    const s = Math.floor(ms / 1000);
    if (s !== lastSec) {
      lastSec = s;
      lastStamp = stamp(s * 1000);
    }
    return lastStamp;
  };
  for (let i = 0; i < rows; i++) {
    t += Math.floor(rnd() * 180);
    const route = ROUTES[Math.floor(rnd() * rnd() * ROUTES.length)];
    const u = rnd();
    const disp = u < 0.55 ? 0 : u < 0.75 ? 1 : u < 0.87 ? 2 : u < 0.95 ? 3 : 4;
    const answered = disp === 0;
    const ring = 1000 + Math.floor(rnd() * 9000);
    const talk = answered ? Math.floor(rnd() * 600) : 0;
    const start = t;
    const answer = answered ? start + ring : 0;
    const end = answered ? answer + talk * 1000 : start + ring;
    const duration = Math.round((end - start) / 1000);
    const ext = 1000 + Math.floor(rnd() * 900);
    const callee = `4420${pad(Math.floor(rnd() * 1e8), 8)}`;
    const chan = (seq++).toString(16).padStart(8, '0');
    const dchan = (seq++).toString(16).padStart(8, '0');
    const uid = `${Math.floor(start / 1000)}.${i}`;
    const e = (truth.routes[route] ??= [0, 0]);
    e[0]++;
    if (answered) e[1]++;
    batch.push(
      `"","${ext}","${callee}","from-internal","""Agent ${ext}"" <${ext}>","PJSIP/${ext}-${chan}","PJSIP/${route}-${dchan}","Dial","PJSIP/${callee}@${route},60,tT","${st(start)}","${answered ? st(answer) : ''}","${st(end)}",${duration},${talk},"${DISPOSITIONS[disp]}","DOCUMENTATION","${uid}","","","${uid}",${i}\n`,
    );
    if (batch.length === 4096 || i === rows - 1) {
      const buf = Buffer.from(batch.join(''), 'utf8');
      writeSync(fd, buf);
      truth.bytes += buf.length;
      batch = [];
    }
  }
  closeSync(fd);
  return truth;
}

const invokedAs = process.argv[1] ?? '';
if (invokedAs.endsWith('master21.ts')) {
  const [out, rows, seed] = process.argv.slice(2);
  if (!out) {
    process.stderr.write('usage: npx vite-node test/cdr/master21.ts <out.csv> [rows=1000000] [seed=42]\n');
    process.exit(2);
  }
  const truth = writeMasterCsv(out, rows ? Number(rows) : undefined, seed ? Number(seed) : undefined);
  process.stdout.write(JSON.stringify(truth) + '\n');
}
