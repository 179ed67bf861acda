#!/usr/bin/env node
/**
 * The benchmark (`npm run bench`, after the build): generates its inputs deterministically, runs
 * `sipscope analyze` on each as a user would (a child process, best of N runs, wall time and peak RSS),
 * runs the reference tools on the same files in the same run, and prints a table with ratios. Every
 * figure printed or written to bench/results.json was measured in this run; a tool that is missing or
 * a run that fails is reported as such, never estimated.
 *
 * Environment:
 *   SIPSCOPE_BENCH_SCALE=0.05   size of the inputs relative to the full benchmark (default 1)
 *   SIPSCOPE_BENCH_RUNS=3       runs per measurement; the best wall time is kept (default 3)
 *   SIPSCOPE_BENCH_DIR=/path    keep the generated inputs there and reuse them next time (default: a temp dir, removed)
 *   SIPSCOPE_BENCH_ONLY=capture-sip,master-csv   only these rows (kinds below, plus memory, startup, parallel)
 *   SIPSCOPE_BENCH_OUT=file     where to write the results (default bench/results.json)
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, totalmem, tmpdir, release } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';


const scale = Number(process.env.SIPSCOPE_BENCH_SCALE ?? '1');
const runs = Math.max(1, Number(process.env.SIPSCOPE_BENCH_RUNS ?? '3'));
const only = process.env.SIPSCOPE_BENCH_ONLY ? new Set(process.env.SIPSCOPE_BENCH_ONLY.split(',')) : undefined;
const want = (k) => !only || only.has(k);
const keepDir = process.env.SIPSCOPE_BENCH_DIR;
const dir = keepDir ? resolve(keepDir) : mkdtempSync(join(tmpdir(), 'sipscope-bench-'));
mkdirSync(dir, { recursive: true });

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = resolve(process.env.SIPSCOPE_BENCH_OUT ?? join(root, 'bench', 'results.json'));
/**
 * A private copy of the build (dist/, bin/, package.json; node_modules linked), so that a rebuild of
 * the working tree while the benchmark runs cannot change or break what is measured.
 */
const app = join(dir, `app-${process.pid}`);
cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true });
cpSync(join(root, 'bin'), join(app, 'bin'), { recursive: true });
cpSync(join(root, 'package.json'), join(app, 'package.json'));
symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
const bin = join(app, 'bin', 'sipscope.js');
const gen = await import(join(app, 'dist', 'gen', 'cli.js'));
const { benchScenario, benchRtpScenario } = await import(join(app, 'dist', 'gen', 'bench-spec.js'));
const { groundTruth, renderToFile, writeCapture } = await import(join(app, 'dist', 'gen', 'index.js'));

const log = (s) => process.stderr.write(`${s}\n`);
const have = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// ── inputs ────────────────────────────────────────────────────────────────────────────────────

/** Generates (or reuses, when SIPSCOPE_BENCH_DIR holds a manifest for this scale) the inputs. */
function inputs() {
  const manifest = join(dir, 'manifest.json');
  const kinds = ['capture-sip', 'capture-rtp', 'asterisk-log', 'master-csv', 'carrier-csv'].filter(
    (k) => want(k) || want('memory') || (k === 'capture-sip' && want('parallel')),
  );
  let have = [];
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    if (m.scale === scale) have = m.inputs.filter((i) => existsSync(i.file) && statSync(i.file).size === i.bytes);
  }
  const missing = kinds.filter((k) => !have.some((i) => i.kind === k));
  if (missing.length) {
    log(`generating ${missing.join(', ')} at scale ${scale} into ${dir} …`);
    have = have.concat(gen.writeBenchInputs(dir, scale, new Set(missing)));
    writeFileSync(manifest, JSON.stringify({ scale, inputs: have }, null, 2));
  }
  return have;
}

/** The truth each input's totals must match (attempts and answered). */
function truthOf(kind, calls) {
  const seeds = { 'capture-sip': 1, 'capture-rtp': 1, 'asterisk-log': 7, 'master-csv': 11, 'carrier-csv': 13 };
  const s = kind === 'capture-rtp' ? benchRtpScenario(calls, seeds[kind]) : benchScenario(calls, seeds[kind]);
  const t = groundTruth(s).totals;
  return { attempts: t.attempts, answered: t.answered };
}

// ── measuring ─────────────────────────────────────────────────────────────────────────────────

/**
 * Runs a command once: wall time (ms, measured here), peak RSS (KiB: GNU time's maximum resident set,
 * else the child's VmHWM sampled from /proc), exit code; stdout goes to a file.
 */
function runOnce(cmd, args, stdoutFile) {
  return new Promise((resolvePromise) => {
    const out = openSync(stdoutFile, 'w');
    const timeFile = `${stdoutFile}.time`;
    const argv = TIME ? ['-f', '%M', '-o', timeFile, cmd, ...args] : args;
    const t0 = process.hrtime.bigint();
    const child = spawn(TIME ?? cmd, argv, { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      if (stderr.length < 4000) stderr += d;
    });
    let hwm = 0;
    const sampler = TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* the process is gone */
          }
        }, 10);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (sampler) clearInterval(sampler);
      closeSync(out);
      let rssKiB = hwm || undefined;
      if (TIME && existsSync(timeFile)) {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        const v = Number(lines[lines.length - 1]);
        if (Number.isFinite(v)) rssKiB = v;
        rmSync(timeFile, { force: true });
      }
      resolvePromise({ code, wallMs, rssKiB, stderr: stderr.trim() });
    });
  });
}

/** Best of `runs`: the smallest wall time, and the largest peak RSS seen over all runs. */
async function measure(label, cmd, args, n = runs) {
  const stdoutFile = join(dir, `out-${label.replace(/[^a-z0-9]+/gi, '_')}.txt`);
  let best;
  let maxRss = 0;
  const walls = [];
  for (let i = 0; i < n; i++) {
    const r = await runOnce(cmd, args, stdoutFile);
    if (r.code !== 0) {
      log(`  ${label}: exit ${r.code} ${r.stderr.slice(0, 300)}`);
      return { ok: false, error: `exit ${r.code}: ${r.stderr.slice(0, 300)}`, stdoutFile };
    }
    walls.push(r.wallMs);
    if (r.rssKiB) maxRss = Math.max(maxRss, r.rssKiB);
    if (!best || r.wallMs < best.wallMs) best = r;
  }
  log(`  ${label}: best ${(best.wallMs / 1000).toFixed(2)} s of ${walls.map((w) => (w / 1000).toFixed(2)).join(', ')}; peak RSS ${(maxRss / 1024).toFixed(0)} MiB`);
  return { ok: true, wallMs: best.wallMs, walls, peakRssMiB: maxRss ? maxRss / 1024 : undefined, stdoutFile };
}

const analyzeArgs = (files, extra = []) => [bin, 'analyze', ...files, '--format', 'json', '--no-progress', ...extra];

function totalsOf(stdoutFile) {
  try {
    const j = JSON.parse(readFileSync(stdoutFile, 'utf8'));
    return { attempts: j.totals?.attempts, answered: j.totals?.answered };
  } catch (e) {
    return { error: String(e).slice(0, 200) };
  }
}

// ── the reference tools ───────────────────────────────────────────────────────────────────────

const AWK = have('mawk') ? 'mawk' : have('awk') ? 'awk' : undefined;
/** Master.csv: attempts and answered per route (the peer in dstchannel, field 7; lastdata has a comma, so disposition is field 16). */
const AWK_MASTER = '{ r = $7; sub(/-[0-9a-f]+"$/, "", r); n[r]++; if ($16 == "\\"ANSWERED\\"") a[r]++ } END { for (k in n) print k, n[k], a[k] + 0 }';
/** Carrier CDR: attempts and answered (SIP code 200) per vendor (field 7). */
const AWK_CARRIER = 'NR > 1 { n[$7]++; if ($8 == "200") a[$7]++ } END { for (k in n) print k, n[k], a[k] + 0 }';

function references(kind, file) {
  switch (kind) {
    case 'capture-sip':
    case 'capture-rtp':
      return have('tshark') ? [{ tool: 'tshark -q -z sip,stat', cmd: 'tshark', args: ['-q', '-z', 'sip,stat', '-r', file] }] : [{ tool: 'tshark', missing: 'tshark is not installed' }];
    case 'asterisk-log':
      return [{ tool: 'grep -c " Called "', cmd: 'grep', args: ['-c', ' Called ', file] }];
    case 'master-csv':
      return AWK ? [{ tool: `${AWK} answered/route`, cmd: AWK, args: ['-F,', AWK_MASTER, file] }] : [{ tool: 'awk', missing: 'no awk' }];
    case 'carrier-csv':
      return AWK ? [{ tool: `${AWK} answered/route`, cmd: AWK, args: ['-F,', AWK_CARRIER, file] }] : [{ tool: 'awk', missing: 'no awk' }];
    default:
      return [];
  }
}

// ── the run ───────────────────────────────────────────────────────────────────────────────────

function machine() {
  let cpuModel = cpus()[0]?.model;
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    /* not Linux */
  }
  const tshark = have('tshark') ? spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] : undefined;
  return { nproc: availableParallelism(), cpuModel, memGiB: +(totalmem() / 2 ** 30).toFixed(1), freeGiB: +(freemem() / 2 ** 30).toFixed(1), node: process.version, kernel: release(), tshark, awk: AWK };
}

const MiB = 2 ** 20;
const results = { date: new Date().toISOString(), machine: machine(), scale, runs, loadAvgStart: loadavg(), loadAvgEnd: undefined, rows: [], memory: [], startup: undefined, parallel: undefined, notes: [] };
if (!TIME) results.notes.push('peak RSS sampled from /proc/<pid>/status VmHWM every 10 ms (GNU time not found)');

const ins = inputs();
for (const input of ins) {
  if (!want(input.kind)) continue;
  log(`${input.kind}: ${input.file} (${(input.bytes / MiB).toFixed(0)} MiB, ${input.units} ${input.kind.startsWith('capture') ? 'packets' : input.kind === 'asterisk-log' ? 'lines' : 'rows'})`);
  const row = { kind: input.kind, file: input.file, bytes: input.bytes, calls: input.calls, units: input.units, tools: [] };
  const truth = truthOf(input.kind, input.calls);
  const r = await measure(`sipscope ${input.kind}`, process.execPath, analyzeArgs([input.file]));
  if (r.ok) {
    const got = totalsOf(r.stdoutFile);
    const correct = got.attempts === truth.attempts && got.answered === truth.answered;
    row.tools.push({ tool: 'sipscope analyze', wallMs: r.wallMs, walls: r.walls, peakRssMiB: r.peakRssMiB, mibPerSec: input.bytes / MiB / (r.wallMs / 1000), unitsPerSec: input.units / (r.wallMs / 1000), callsPerSec: input.calls / (r.wallMs / 1000), correct, truth, got });
  } else row.tools.push({ tool: 'sipscope analyze', error: r.error });
  for (const ref of references(input.kind, input.file)) {
    if (ref.missing) {
      row.tools.push({ tool: ref.tool, skipped: ref.missing });
      continue;
    }
    const m = await measure(ref.tool, ref.cmd, ref.args);
    row.tools.push(m.ok ? { tool: ref.tool, wallMs: m.wallMs, walls: m.walls, peakRssMiB: m.peakRssMiB, mibPerSec: input.bytes / MiB / (m.wallMs / 1000) } : { tool: ref.tool, error: m.error });
  }
  results.rows.push(row);
}

// Memory flatness: every kind of input at ¼ of its size and at full size (4×). The quarter-size files are
// generated with the same seeds into a folder of their own; the full-size side is the row's own runs above
// (the same command on the same file) when that row was measured, else it is measured here.
if (want('memory')) {
  const qDir = join(dir, `quarter-${scale}`);
  for (const full of ins) {
    const kind = full.kind;
    const qFile = join(qDir, basename(full.file));
    if (!existsSync(qFile)) {
      log(`generating ${qFile} …`);
      gen.writeBenchInputs(qDir, scale / 4, new Set([kind]));
    }
    const a = await measure(`memory ${kind} 1×`, process.execPath, analyzeArgs([qFile]));
    const row = results.rows.find((r) => r.kind === kind)?.tools[0];
    const b = row?.wallMs !== undefined ? { wallMs: row.wallMs, peakRssMiB: row.peakRssMiB } : await measure(`memory ${kind} 4×`, process.execPath, analyzeArgs([full.file]));
    results.memory.push({
      kind,
      small: { file: qFile, bytes: statSync(qFile).size, peakRssMiB: a.peakRssMiB, wallMs: a.wallMs, error: a.error },
      large: { file: full.file, bytes: full.bytes, peakRssMiB: b.peakRssMiB, wallMs: b.wallMs, error: b.error },
    });
  }
}

// Start-up: `sipscope explain 486`, best of 10.
if (want('startup')) {
  const s = await measure('startup explain 486', process.execPath, [bin, 'explain', '486'], 10);
  const bare = await measure('node -e 0', process.execPath, ['-e', '0'], 10);
  results.startup = s.ok ? { command: 'sipscope explain 486', wallMs: s.wallMs, walls: s.walls, peakRssMiB: s.peakRssMiB, nodeBareMs: bare.ok ? bare.wallMs : undefined } : { error: s.error };
}

// Parallel: 4 capture files (each as large as the SIP-only capture, different seeds) with --jobs 1 and the
// default (workers are used by default from 256 MiB of input in all; smaller sets gain nothing from them).
if (want('parallel')) {
  const full = ins.find((i) => i.kind === 'capture-sip');
  if (full) {
    const n = full.calls;
    const files = [];
    for (let k = 0; k < 4; k++) {
      const f = join(dir, `parallel-full-${k}.pcap`);
      if (!existsSync(f)) renderToFile(f, (out) => writeCapture(benchScenario(n, 100 + k), out, { rtp: false }));
      files.push(f);
    }
    const one = await measure('parallel 4 files --jobs 1', process.execPath, analyzeArgs(files, ['--jobs', '1']));
    const many = await measure(`parallel 4 files (default jobs)`, process.execPath, analyzeArgs(files));
    let expected = 0;
    for (let k = 0; k < 4; k++) expected += groundTruth(benchScenario(n, 100 + k)).totals.attempts;
    const got = many.ok ? totalsOf(many.stdoutFile) : {};
    results.parallel = {
      files: 4,
      bytes: files.reduce((a, f) => a + statSync(f).size, 0),
      jobs1Ms: one.wallMs,
      defaultMs: many.wallMs,
      speedup: one.ok && many.ok ? one.wallMs / many.wallMs : undefined,
      correct: got.attempts === expected,
      error: one.error ?? many.error,
    };
  }
}

// ── report ────────────────────────────────────────────────────────────────────────────────────

results.loadAvgEnd = loadavg();
// A busy machine makes every wall time longer: say how busy it was (1-minute load average vs cores).
if (Math.max(results.loadAvgStart[0], results.loadAvgEnd[0]) > results.machine.nproc) {
  results.notes.push(`the machine was busy (load average ${results.loadAvgStart[0].toFixed(1)} at start, ${results.loadAvgEnd[0].toFixed(1)} at end, ${results.machine.nproc} cores): wall times are pessimistic`);
}
const f1 = (v, d = 1) => (v === undefined ? '—' : v.toFixed(d));
const lines = [];
lines.push(`sipscope benchmark ${results.date} — ${results.machine.nproc} × ${results.machine.cpuModel}, ${results.machine.memGiB} GiB, node ${results.machine.node}, scale ${scale}, best of ${runs}`);
lines.push('');
lines.push(`${'input'.padEnd(13)} ${'size MiB'.padStart(8)}  ${'tool'.padEnd(24)} ${'wall s'.padStart(7)} ${'MiB/s'.padStart(7)} ${'k units/s'.padStart(10)} ${'RSS MiB'.padStart(8)} ${'sipscope is'.padStart(13)}  check`);
for (const row of results.rows) {
  const ours = row.tools[0];
  for (const t of row.tools) {
    // Read as "sipscope is N× faster (or slower) than this tool".
    const ratio = t !== ours && t.wallMs && ours.wallMs ? (t.wallMs >= ours.wallMs ? `${(t.wallMs / ours.wallMs).toFixed(2)}× faster` : `${(ours.wallMs / t.wallMs).toFixed(2)}× slower`) : '';
    const check = t === ours ? (t.error ? `ERROR ${t.error}` : t.correct ? 'totals = truth' : `MISMATCH ${JSON.stringify(t.got)} vs ${JSON.stringify(t.truth)}`) : t.skipped ? `skipped: ${t.skipped}` : t.error ? `ERROR ${t.error}` : '';
    lines.push(
      `${(t === ours ? row.kind : '').padEnd(13)} ${(t === ours ? f1(row.bytes / MiB, 0) : '').padStart(8)}  ${t.tool.padEnd(24)} ${f1(t.wallMs && t.wallMs / 1000, 2).padStart(7)} ${f1(t.mibPerSec).padStart(7)} ${(t === ours ? f1(t.unitsPerSec && t.unitsPerSec / 1000) : '').padStart(10)} ${f1(t.peakRssMiB, 0).padStart(8)} ${ratio.padStart(13)}  ${check}`,
    );
  }
}
if (results.memory.length) lines.push('');
for (const m of results.memory) {
  lines.push(`memory ${m.kind}: peak RSS ${f1(m.small.peakRssMiB, 0)} MiB on ${f1(m.small.bytes / MiB, 0)} MiB, ${f1(m.large.peakRssMiB, 0)} MiB on ${f1(m.large.bytes / MiB, 0)} MiB (4×)`);
}
if (results.startup) lines.push('', `start-up: sipscope explain 486 ${f1(results.startup.wallMs, 0)} ms wall (bare node ${f1(results.startup.nodeBareMs, 0)} ms), peak RSS ${f1(results.startup.peakRssMiB, 0)} MiB`);
if (results.parallel) lines.push('', `parallel: 4 files ${f1(results.parallel.bytes / MiB, 0)} MiB: --jobs 1 ${f1(results.parallel.jobs1Ms && results.parallel.jobs1Ms / 1000, 2)} s, default ${f1(results.parallel.defaultMs && results.parallel.defaultMs / 1000, 2)} s, speed-up ${f1(results.parallel.speedup, 2)}× ${results.parallel.correct ? '(totals = truth)' : '(TOTALS MISMATCH)'}`);
for (const n of results.notes) lines.push(`note: ${n}`);
console.log(lines.join('\n'));
results.table = lines;
writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
log(`\nwrote ${outFile}`);
rmSync(app, { recursive: true, force: true });
if (!keepDir) rmSync(dir, { recursive: true, force: true });
