/**
 * The pipeline: inputs → sources → CallRecords → Aggregator → AnalysisResult.
 * Each input is opened, decompressed and sniffed in input/, then fed chunk by chunk to the source parser
 * for its format. A bad input is recorded in its accounting (`error`) and the others are still read.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, SipscopeError } from './errors.js';
import { expandInputs, type InputSpec } from './input/expand.js';
import { openInput, readErrorText, UnknownFormatError, type SourceKind } from './input/open.js';
import { silentProgress, type Progress } from './input/progress.js';
import { sniffCapture } from './capture/sniff.js';
import { createCaptureSource } from './sip/capture-source.js';
import { createAsteriskLogSource } from './asterisk/index.js';
import { createCdrSource } from './cdr/index.js';
import { WireCounter } from './sip/wire.js';
import { loadRoutes } from './routes.js';
import { Aggregator, finish, type AnalysisOptions } from './analysis/index.js';
import type { AnalysisResult } from './analysis/result.js';
import {
  newAccounting,
  type InputAccounting,
  type InputFormat,
  type RecordSink,
  type SourceOptions,
  type SourceParser,
} from './types.js';

export interface ReadOptions extends SourceOptions {
  /** Standard input, for the input `-`. */
  stdin?: NodeJS.ReadableStream;
  progress?: Progress;
}

type SourceFactory = (file: string, sink: RecordSink, opts: SourceOptions) => SourceParser;

const FACTORIES: Record<SourceKind, SourceFactory> = {
  capture: createCaptureSource,
  'asterisk-log': createAsteriskLogSource,
  'cdr-csv': createCdrSource,
};

function failedInput(file: string, message: string): InputAccounting {
  const acc = newAccounting(file, 'unknown', 'packet');
  acc.error = message;
  return acc;
}

/** Reads one input into the sink; never throws for a bad input (its accounting says what happened). */
export async function readInput(spec: InputSpec, sink: RecordSink, opts: ReadOptions = {}): Promise<InputAccounting> {
  const progress = opts.progress ?? silentProgress;
  progress.file(spec.display);
  let opened;
  try {
    opened = await openInput(spec, { stdin: opts.stdin, onRawBytes: (n) => progress.add(n) });
  } catch (err) {
    if (err instanceof UnknownFormatError && spec.found) {
      const acc = newAccounting(spec.display, 'unknown', 'packet');
      acc.skipped = err.message.slice(spec.display.length + 2);
      return acc;
    }
    if (err instanceof SipscopeError) return failedInput(spec.display, err instanceof InputError ? err.message.slice(spec.display.length + 2) : err.message);
    return failedInput(spec.display, readErrorText(err));
  }
  let parser: SourceParser;
  try {
    parser = FACTORIES[opened.kind](spec.display, sink, opts);
  } catch (err) {
    return failedInput(spec.display, (err as Error).message);
  }
  try {
    for await (const chunk of opened.chunks) parser.push(chunk);
  } catch (err) {
    // The input stopped being readable part-way (truncated gzip, I/O error, a container error):
    // keep what was read, say where it stopped.
    const msg = err instanceof InputError ? err.message.slice(spec.display.length + 2) : readErrorText(err);
    parser.accounting.error = `stopped after ${parser.accounting.bytes} bytes: ${msg}`;
  }
  try {
    parser.end();
  } catch (err) {
    parser.accounting.error ??= (err as Error).message;
  }
  if (opened.compressed) parser.accounting.compressed = opened.compressed;
  return parser.accounting;
}

export interface AnalyzeOptions extends ReadOptions, AnalysisOptions {
  /** A `match,route` CSV file (see routes.ts); or give `routeOf` directly. */
  routesFile?: string;
  /** Inline route map from a config file: address or CIDR → route name. */
  routeMap?: Record<string, string>;
  /**
   * Threads that read the inputs, the main one included (default: one per core, at most one per file, when
   * the files hold PARALLEL_MIN_BYTES or more; 1 = the main thread alone). Each worker aggregates what it
   * reads and the mergeable aggregates are added up. Given explicitly, more threads than files split each
   * large capture by calls (planTasks).
   */
  jobs?: number;
}

/** Builds the address → route function from a routes file or an inline map. */
export function resolveRoutes(opts: Pick<AnalyzeOptions, 'routesFile' | 'routeMap' | 'routeOf'>): SourceOptions['routeOf'] {
  if (opts.routeOf) return opts.routeOf;
  if (opts.routesFile) {
    let text: string;
    try {
      text = readFileSync(opts.routesFile, 'utf8');
    } catch (err) {
      throw new InputError(opts.routesFile, `cannot read routes file: ${readErrorText(err)}`);
    }
    return loadRoutes(text, opts.routesFile);
  }
  if (opts.routeMap) {
    const lines = ['match,route', ...Object.entries(opts.routeMap).map(([m, r]) => `${m},${r}`)];
    return loadRoutes(lines.join('\n'), '<config routes>');
  }
  return undefined;
}

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));
/** Below this many bytes of input in all, several files are read in one thread unless --jobs says otherwise. */
export const PARALLEL_MIN_BYTES = 256 << 20;

/**
 * A single capture at least this large is read by all workers at once, each taking a share of the calls
 * (sip/partition.ts), when there are fewer files than workers. Every worker still reads and decodes the
 * whole capture, so a share costs about 70 % of the whole: splitting pays from a few hundred MiB on (the
 * default worker count only starts at PARALLEL_MIN_BYTES); the environment variable
 * SIPSCOPE_SPLIT_MIN_BYTES overrides it (tests split small fixtures with it).
 */
export const PARTITION_MIN_BYTES = 64 << 20;

function splitMinBytes(): number {
  const v = Number(process.env.SIPSCOPE_SPLIT_MIN_BYTES);
  return process.env.SIPSCOPE_SPLIT_MIN_BYTES !== undefined && Number.isFinite(v) && v >= 0 ? v : PARTITION_MIN_BYTES;
}

/** What a worker reads: a whole input, or one share of a capture's calls. */
export interface ReadTask {
  spec: InputSpec;
  partition?: { index: number; count: number };
}

/** Whether a file starts like an uncompressed pcap/pcapng capture (4 bytes read; false when unreadable). */
function isPlainCapture(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(4);
    return readSync(fd, head, 0, 4, 0) === 4 && sniffCapture(head) !== null;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The work for `jobs` workers: one task per input, except that when there are fewer inputs than workers,
 * each plain capture of PARTITION_MIN_BYTES or more is split into `jobs` shares of its calls.
 */
export function planTasks(specs: readonly InputSpec[], jobs: number): ReadTask[] {
  const split = specs.length < jobs;
  const tasks: ReadTask[] = [];
  for (const spec of specs) {
    if (split && (spec.size ?? 0) >= splitMinBytes() && isPlainCapture(spec.path)) {
      for (let index = 0; index < jobs; index++) tasks.push({ spec, partition: { index, count: jobs } });
    } else tasks.push({ spec });
  }
  return tasks;
}

/**
 * One input's accounting from the accountings of the readers of its shares (index order): share 0 counted
 * every packet, the notes and the packet warnings; each share counted its own messages, records and
 * message warnings.
 */
export function mergeShares(parts: readonly InputAccounting[]): InputAccounting {
  const out: InputAccounting = structuredClone(parts[0]!);
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    out.sipMessages += p.sipMessages;
    out.records += p.records;
    if (p.warnings) {
      const w = (out.warnings ??= {});
      for (const [k, v] of Object.entries(p.warnings)) w[k] = (w[k] ?? 0) + v;
    }
    if (out.error === undefined && p.error !== undefined) out.error = p.error;
  }
  return out;
}

/** Options a worker thread can receive (functions and streams stay in the main thread). */
function cloneable(opts: AnalyzeOptions): AnalyzeOptions {
  const { stdin: _stdin, progress: _progress, routeOf: _routeOf, ...rest } = opts;
  return rest;
}

async function collectParallel(
  specs: readonly InputSpec[],
  opts: AnalyzeOptions,
  jobs: number,
): Promise<{ agg: Aggregator; wire: WireCounter; inputs: InputAccounting[] }> {
  const agg = new Aggregator(opts);
  const wire = new WireCounter();
  const tasks = planTasks(specs, jobs);
  const byTask: InputAccounting[] = new Array(tasks.length);
  const progress = opts.progress ?? silentProgress;
  let next = 0;
  // The readers of a capture's other shares read the same bytes again: only share 0 reports progress.
  const quiet = (t: ReadTask): boolean => t.partition !== undefined && t.partition.index > 0;
  // The main thread is one of the `jobs` readers: what it reads goes straight into `agg`, with nothing to
  // hand over, and one thread fewer holds a heap of its own.
  const sink: RecordSink = {
    record: (r) => agg.add(r),
    message: (m) => wire.add(m),
    countMessage: (isRequest, method, status) => wire.count(isRequest, method, status),
  };
  const sourceOpts: ReadOptions = { ...opts, routeOf: resolveRoutes(opts) };
  const readHere = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i]!;
      byTask[i] = await readInput(task.spec, sink, { ...sourceOpts, partition: task.partition, progress: quiet(task) ? silentProgress : progress });
    }
  };
  // Workers' aggregates are merged once the main thread has read its share (adding and merging commute).
  const handed: Array<{ agg: unknown; wire: unknown }> = [];
  const workers = Array.from({ length: jobs - 1 }, () => new Worker(WORKER_FILE, { workerData: cloneable(opts) }));
  try {
    await Promise.all([
      ...workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const give = (): void => {
              if (next >= tasks.length) {
                w.postMessage({ task: null } satisfies import('./worker.js').WorkerTask);
                return;
              }
              current = next++;
              const task = tasks[current]!;
              if (!quiet(task)) progress.file(task.spec.display);
              w.postMessage({ task } satisfies import('./worker.js').WorkerTask);
            };
            w.on('message', (msg: import('./worker.js').WorkerReply) => {
              if (msg.type === 'progress') progress.add(msg.bytes);
              else if (msg.type === 'crash') reject(new Error(`${tasks[current]!.spec.display}: ${msg.message}`));
              else if (msg.type === 'file') {
                byTask[current] = msg.accounting;
                give();
              } else {
                handed.push(msg);
                resolve();
              }
            });
            w.on('error', reject);
            give();
          }),
      ),
      readHere(),
    ]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  for (const h of handed) {
    agg.merge(Aggregator.fromJSON(h.agg));
    wire.merge(WireCounter.fromJSON(h.wire));
  }
  // Back to one accounting per input, in input order (a split capture's shares are consecutive tasks).
  const inputs: InputAccounting[] = [];
  for (let t = 0; t < tasks.length; ) {
    const count = tasks[t]!.partition?.count ?? 1;
    inputs.push(count > 1 ? mergeShares(byTask.slice(t, t + count)) : byTask[t]!);
    t += count;
  }
  return { agg, wire, inputs };
}

/**
 * Reads the inputs into one aggregate; the wire counts and accounting come along. Several files are
 * read in worker threads (when running from the built package) and their aggregates merged.
 */
export async function collect(
  specs: readonly InputSpec[],
  opts: AnalyzeOptions,
): Promise<{ agg: Aggregator; wire: WireCounter; inputs: InputAccounting[] }> {
  const files = specs.filter((s) => s.path !== '-');
  // By default, workers only where they pay: starting them and handing their aggregates over costs about
  // what reading a few dozen MiB does (4 × 75 MiB captures: 2.56 s serial, 2.49 s with 2 workers;
  // 4 × 298 MiB: 9.30 s vs 7.13 s). `--jobs N` forces N.
  const total = files.reduce((n, s) => n + (s.size ?? 0), 0);
  const wanted = opts.jobs ?? (total >= PARALLEL_MIN_BYTES ? availableParallelism() : 1);
  // More workers than files: a large capture is split by calls (planTasks). Only when asked for with
  // `--jobs`: every worker holds a heap of its own, so the peak memory grows with the workers (about
  // 2× for 2 workers), past what a default run is allowed.
  const splittable = opts.jobs !== undefined && files.some((s) => (s.size ?? 0) >= splitMinBytes() && isPlainCapture(s.path));
  const jobs = splittable ? wanted : Math.min(wanted, files.length);
  if (jobs > 1 && files.length === specs.length && existsSync(WORKER_FILE)) return collectParallel(specs, opts, jobs);
  return collectSerial(specs, opts);
}

async function collectSerial(
  specs: readonly InputSpec[],
  opts: AnalyzeOptions,
): Promise<{ agg: Aggregator; wire: WireCounter; inputs: InputAccounting[] }> {
  const agg = new Aggregator(opts);
  const wire = new WireCounter();
  const sink: RecordSink = {
    record: (r) => agg.add(r),
    message: (m) => wire.add(m),
    countMessage: (isRequest, method, status) => wire.count(isRequest, method, status),
  };
  const sourceOpts: ReadOptions = { ...opts, routeOf: resolveRoutes(opts) };
  const inputs: InputAccounting[] = [];
  for (const spec of specs) inputs.push(await readInput(spec, sink, sourceOpts));
  return { agg, wire, inputs };
}

/**
 * The library's main entry: analyse captures, logs and CDR exports (paths, folders, globs or `-`)
 * and return the per-route report.
 */
export async function analyze(inputs: ReadonlyArray<string | InputSpec>, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const specs: InputSpec[] = [];
  const unreadable: InputAccounting[] = [];
  for (const i of inputs) {
    if (typeof i !== 'string') {
      specs.push(i);
      continue;
    }
    // One argument at a time: a missing file among good ones is reported, the others are still analysed.
    try {
      specs.push(...(await expandInputs([i])));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      unreadable.push(failedInput(i, err.message.slice(i.length + 2)));
    }
  }
  opts.progress?.setTotal(specs.some((s) => s.size === undefined) ? 0 : specs.reduce((n, s) => n + (s.size ?? 0), 0));
  const { agg, wire, inputs: accounting } = await collect(specs, opts);
  accounting.push(...unreadable);
  (opts.progress ?? silentProgress).done();
  return finish(agg, { inputs: accounting, wire: wire.toJSON(), options: opts });
}

export type { InputFormat };
