/**
 * The pipeline: inputs → sources → CallRecords → Aggregator → AnalysisResult.
 * Each input is opened, decompressed and sniffed in input/, then fed chunk by chunk to the source parser
 * for its format. A bad input is recorded in its accounting (`error`) and the others are still read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, readErrorText, SipscopeError } from './errors.js';
import { expandEach, unique, type InputSpec } from './input/expand.js';
import { planChains, type InputTimes } from './input/rotation.js';
import { open, stat } from 'node:fs/promises';
import { tailCapture } from './capture/tail.js';
import { createCaptureDecoder } from './capture/decoder.js';
import { openInput, UnknownFormatError, type SourceKind } from './input/open.js';
import { silentProgress, type Progress } from './input/progress.js';
import { createCaptureSource } from './sip/capture-source.js';
import { WireCounter } from './sip/wire.js';
import { settleMapUse } from './cdr/map-use.js';
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
  type ContinuableSource,
} from './types.js';

export interface ReadOptions extends SourceOptions {
  /** Standard input, for the input `-`. */
  stdin?: NodeJS.ReadableStream;
  progress?: Progress;
}

type SourceFactory = (file: string, sink: RecordSink, opts: SourceOptions) => SourceParser;

/** The reader of each format; the log and CSV readers are loaded when such an input comes. */
const FACTORIES: Record<SourceKind, () => Promise<SourceFactory>> = {
  capture: async () => createCaptureSource,
  'asterisk-log': async () => (await import('./asterisk/index.js')).createAsteriskLogSource,
  'cdr-csv': async () => (await import('./cdr/index.js')).createCdrSource,
};

function failedInput(file: string, message: string): InputAccounting {
  const acc = newAccounting(file, 'unknown', 'packet');
  acc.error = message;
  return acc;
}

/** Reads one input into the sink; never throws for a bad input (its accounting says what happened). */
export async function readInput(spec: InputSpec, sink: RecordSink, opts: ReadOptions = {}): Promise<InputAccounting> {
  return (await readChain([spec], sink, opts))[0]!;
}

/**
 * Reads a chain of inputs, oldest first (see input/rotation.ts), into the sink: one accounting per input, in
 * the chain's order. Consecutive inputs of one kind whose reader can continue (captures, Asterisk logs) go
 * through one reader, so that calls in progress at the end of one file may end in the next; any other input
 * gets its own reader. Never throws for a bad input.
 */
export async function readChain(specs: readonly InputSpec[], sink: RecordSink, opts: ReadOptions = {}): Promise<InputAccounting[]> {
  const progress = opts.progress ?? silentProgress;
  const out: InputAccounting[] = [];
  /** The reader the next input may continue, and its kind. */
  let live: { parser: SourceParser; kind: SourceKind } | undefined;
  const endLive = (): void => {
    if (live === undefined) return;
    const p = live.parser;
    live = undefined;
    try {
      p.end();
    } catch (err) {
      p.accounting.error ??= err instanceof InputError ? err.detail : readErrorText(err);
    }
  };
  for (const spec of specs) {
    if (spec.error !== undefined) {
      out.push(failedInput(spec.display, spec.error));
      continue;
    }
    progress.file(spec.display);
    let opened;
    try {
      opened = await openInput(spec, { stdin: opts.stdin, onRawBytes: (n) => progress.add(n), columnMap: opts.columnMap, columnMapNames: opts.columnMapNames });
    } catch (err) {
      if (err instanceof UnknownFormatError && spec.found) {
        const acc = newAccounting(spec.display, 'unknown', 'packet');
        acc.skipped = err.detail;
        out.push(acc);
      } else if (err instanceof SipscopeError) out.push(failedInput(spec.display, err instanceof InputError ? err.detail : err.message));
      else out.push(failedInput(spec.display, readErrorText(err)));
      if (err instanceof UnknownFormatError) out[out.length - 1]!.bytes = err.bytes; // read to find it out
      continue;
    }
    let parser: SourceParser;
    let continued = false;
    if (live !== undefined && live.kind === opened.kind && isContinuable(live.parser)) {
      try {
        live.parser.continueWith(spec.display);
        continued = true;
      } catch (err) {
        // a bug in handing over must not take the run down: the chain ends there, the next file reads alone
        live.parser.accounting.error ??= readErrorText(err);
        endLive();
      }
    }
    if (continued) parser = live!.parser;
    else {
      endLive();
      try {
        parser = (await FACTORIES[opened.kind]())(spec.display, sink, opts);
      } catch (err) {
        await opened.close();
        out.push(failedInput(spec.display, (err as Error).message));
        continue;
      }
      live = { parser, kind: opened.kind };
    }
    const acc = parser.accounting;
    out.push(acc);
    /** Set when the input stopped being readable part-way: the reason, and the units the reader had then. */
    let stopped: { why: string; whole: number } | undefined;
    /** The last two bytes given to the reader (-1: none yet): whether the input stopped at a line end. */
    let last = -1;
    let beforeLast = -1;
    try {
      for await (const chunk of opened.chunks) {
        parser.push(chunk);
        const n = chunk.length;
        if (n > 0) {
          beforeLast = n > 1 ? chunk[n - 2]! : last;
          last = chunk[n - 1]!;
        }
      }
    } catch (err) {
      // The input stopped being readable part-way (truncated gzip, I/O error, a container error):
      // keep what was read, say where it stopped.
      stopped = { why: err instanceof InputError ? err.detail : readErrorText(err), whole: acc.read };
      acc.error = stoppedText(acc, stopped.whole, opened.compressed, stopped.why);
    }
    if (opened.compressed) acc.compressed = opened.compressed;
    if (!isContinuable(parser)) {
      endLive();
      // The CDR reader reads a short input's head (its first 64 KiB) only at its end, so it had counted no row
      // when the input stopped; now it has, the last one too if the input stopped inside it (a line end, LF in
      // UTF-8 or UTF-16LE, was not the last thing read).
      if (stopped !== undefined && stopped.whole === 0 && acc.read > 0 && acc.unit !== 'packet') {
        const atLineEnd = last === 0x0a || (last === 0x00 && beforeLast === 0x0a);
        acc.error = stoppedText(acc, acc.read - (atLineEnd ? 0 : 1), opened.compressed, stopped.why);
      }
    }
  }
  endLive();
  return out;
}

/**
 * Where an input that stopped part-way stopped, for a user to find it: the last unit read whole (`whole`: a
 * packet of a capture, a line of a log, a row of a CSV, as its reader counts them in `read`; a CSV row is its
 * line unless a quoted field holds a line break), and the bytes read, which for a compressed input are bytes
 * of decompressed data (more than the file holds).
 */
function stoppedText(acc: InputAccounting, whole: number, compressed: string | undefined, why: string): string {
  const at = whole > 0 ? `after ${acc.unit} ${whole}` : `within the first ${acc.unit}`;
  const bytes = compressed ? `${acc.bytes} bytes of ${compressed}-decompressed data` : `${acc.bytes} bytes`;
  return `stopped ${at} (${bytes}): ${why}`;
}

/**
 * Reads the inputs one after another, each chain (rotated copies of a log, the pieces of a capture split by
 * time) through one reader, oldest first; returns their accounting in the order of `specs`. `chains`: the
 * plan when the caller has made it already (planChains).
 */
export async function readInputs(
  specs: readonly InputSpec[],
  sink: RecordSink,
  opts: ReadOptions = {},
  chains?: readonly (readonly number[])[],
): Promise<InputAccounting[]> {
  const inputs: InputAccounting[] = new Array(specs.length);
  const notes = new Map<number, string>();
  for (const chain of chains ?? (await planChains(specs, (s) => inputTimes(s, opts), notes))) {
    placeChain(inputs, chain, await readChain(chain.map((i) => specs[i]!), sink, opts));
  }
  addNotes(inputs, notes);
  return inputs;
}

/** How much of an input's end is read for its last packet or time stamp. */
const TAIL_BYTES = 1 << 16;

/**
 * When a capture or an Asterisk log begins and ends, for putting the pieces of a split capture and the copies
 * of a rotated log in time order (planChains): the first packet or time stamp from the input's first piece
 * (the sniffed head), the last from its last 64 KiB when the file is not compressed, and the file's last
 * write. Undefined for other inputs, or when the head holds no packet or stamp. Reads nothing else of the file.
 */
export async function inputTimes(spec: InputSpec, opts: Pick<ReadOptions, 'tz' | 'year'> = {}): Promise<InputTimes | undefined> {
  let opened;
  try {
    opened = await openInput(spec);
  } catch {
    return undefined;
  }
  try {
    if (opened.kind !== 'capture' && opened.kind !== 'asterisk-log') return undefined;
    const it = opened.chunks[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return undefined;
    const head = first.value;
    const capture = opened.kind === 'capture';
    // the log reader's modules are loaded only when a log comes (a capture run does not load them)
    const stampSpan = capture ? undefined : (await import('./asterisk/probe.js')).stampSpan;
    const headSpan = capture ? undefined : stampSpan!(head, true, opts);
    const ts = capture ? payloadTimes(spec.display, head).first : headSpan?.first;
    if (ts === undefined) return undefined;
    const out: InputTimes = { first: ts };
    if (headSpan !== undefined) {
      out.log = true;
      if (headSpan.yearGuessed) out.yearGuessed = true;
    }
    const st = await stat(spec.path).catch(() => undefined);
    if (st !== undefined) out.mtime = st.mtimeMs;
    if (st !== undefined && !opened.compressed && spec.path !== '-') {
      const tailStart = Math.max(0, st.size - TAIL_BYTES);
      const fh = await open(spec.path, 'r');
      try {
        const tail = new Uint8Array(st.size - tailStart);
        await fh.read(tail, 0, tail.length, tailStart);
        let last: number | undefined;
        if (capture) {
          const small = tailCapture(head, tail, Math.floor(ts / 1000));
          last = small === undefined ? undefined : payloadTimes(spec.display, small).last;
        } else {
          // a year taken from a full-date line at one end and from the clock at the other would not compare
          const tailSpan = stampSpan!(tail, tailStart === 0, opts);
          if (tailSpan !== undefined && tailSpan.yearGuessed === (headSpan?.yearGuessed ?? false)) last = tailSpan.last;
        }
        if (last !== undefined && last >= ts) out.last = last;
      } finally {
        await fh.close();
      }
    }
    return out;
  } catch {
    return undefined;
  } finally {
    await opened.close();
  }
}

/** The first and the latest time of the transport payloads in a small capture (nothing else is done with them). */
function payloadTimes(name: string, bytes: Uint8Array): { first?: number; last?: number } {
  const t: { first?: number; last?: number } = {};
  const decoder = createCaptureDecoder(name, {
    onPayload(p) {
      t.first ??= p.ts;
      if (t.last === undefined || p.ts > t.last) t.last = p.ts;
      return 'other';
    },
  }, newAccounting(name, 'unknown', 'packet'));
  try {
    decoder.push(bytes);
    decoder.end();
  } catch {
    // a cut record at the end of a head: the times seen so far stand
  }
  return t;
}

/** A chain's accounting, in the chain's order, put where each of its inputs stands in `inputs`. */
function placeChain(inputs: InputAccounting[], chain: readonly number[], accs: readonly InputAccounting[]): void {
  chain.forEach((i, k) => (inputs[i] = accs[k]!));
}

/** The planner's notes on files named alike that were not read as one chain (see planChains). */
function addNotes(inputs: InputAccounting[], notes: ReadonlyMap<number, string>): void {
  for (const [i, note] of notes) inputs[i]?.notes.push(note);
}

function isContinuable(p: SourceParser): p is ContinuableSource {
  return typeof (p as Partial<ContinuableSource>).continueWith === 'function';
}

export interface AnalyzeOptions extends ReadOptions, AnalysisOptions {
  /** A `match,route` CSV file (see routes.ts); or give `routeOf` directly. */
  routesFile?: string;
  /** Inline route map from a config file: address or CIDR → route name. */
  routeMap?: Record<string, string>;
  /**
   * Threads that read the input files, the main one included (default: one per core, at most one per
   * file, when the files hold PARALLEL_MIN_BYTES or more; 1 = the main thread alone). Each worker
   * aggregates what it reads and the mergeable aggregates are added up.
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
    // the same reader as a routes file: each name quoted, so that `#`, `,` and `"` in it stay part of it
    const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;
    const lines = ['match,route'];
    for (const [m, r] of Object.entries(opts.routeMap)) {
      if (/[\r\n]/.test(m) || /[\r\n]/.test(String(r))) throw new InputError('<config routes>', `a line break in "${m}" → "${String(r)}"`);
      lines.push(`${quote(m)},${quote(String(r))}`);
    }
    return loadRoutes(lines.join('\n'), '<config routes>');
  }
  return undefined;
}

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));
/** Below this many bytes of input in all, several files are read in one thread unless --jobs says otherwise. */
export const PARALLEL_MIN_BYTES = 256 << 20;

/** The sink every reading thread uses: records into an Aggregator, SIP messages into the wire counts. */
export function aggregateSink(agg: Aggregator, wire: WireCounter): RecordSink {
  return {
    record: (r) => agg.add(r),
    message: (m) => wire.add(m),
    countMessage: (isRequest, method, status) => wire.count(isRequest, method, status),
  };
}

/** Options a worker thread can receive (functions and streams stay in the main thread). */
function cloneable(opts: AnalyzeOptions): AnalyzeOptions {
  const { stdin: _stdin, progress: _progress, routeOf: _routeOf, ...rest } = opts;
  return rest;
}

async function collectParallel(
  specs: readonly InputSpec[],
  chains: readonly (readonly number[])[],
  opts: AnalyzeOptions,
  jobs: number,
): Promise<{ agg: Aggregator; wire: WireCounter; inputs: InputAccounting[] }> {
  const agg = new Aggregator(opts);
  const wire = new WireCounter();
  const inputs: InputAccounting[] = new Array(specs.length);
  const progress = opts.progress ?? silentProgress;
  let next = 0;
  // The main thread is one of the `jobs` readers: what it reads goes straight into `agg`, with nothing to
  // hand over, and one thread fewer holds a heap of its own.
  const sink = aggregateSink(agg, wire);
  const sourceOpts: ReadOptions = { ...opts, routeOf: resolveRoutes(opts) };
  const readHere = async (): Promise<void> => {
    while (next < chains.length) {
      const chain = chains[next++]!;
      placeChain(inputs, chain, await readChain(chain.map((i) => specs[i]!), sink, sourceOpts));
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
            let current: readonly number[] = [];
            const give = (): void => {
              if (next >= chains.length) {
                w.postMessage({ specs: null } satisfies import('./worker.js').WorkerTask);
                return;
              }
              current = chains[next++]!;
              progress.file(specs[current[0]!]!.display);
              w.postMessage({ specs: current.map((i) => specs[i]!) } satisfies import('./worker.js').WorkerTask);
            };
            w.on('message', (msg: import('./worker.js').WorkerReply) => {
              if (msg.type === 'progress') progress.add(msg.bytes);
              else if (msg.type === 'crash') reject(new Error(`${current.map((i) => specs[i]!.display).join(', ')}: ${msg.message}`));
              else if (msg.type === 'files') {
                placeChain(inputs, current, msg.accounting);
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
  // what reading a few dozen MiB does (4 × 75 MiB captures: 2.56 s serial, 2.49 s with 2 workers, measured
  // when the main thread did not read; 4 × 298 MiB: 4.93 s vs 4.03 s with the main thread and one worker,
  // `npm run bench`). `--jobs N` forces N.
  const total = files.reduce((n, s) => n + (s.size ?? 0), 0);
  const wanted = opts.jobs ?? (total >= PARALLEL_MIN_BYTES ? availableParallelism() : 1);
  // a chain (rotated logs, a capture split by time) is read by one thread: its calls run on from one file into the next
  const notes = new Map<number, string>();
  const chains = await planChains(specs, (s) => inputTimes(s, opts), notes);
  const jobs = Math.min(wanted, chains.length);
  const read = jobs > 1 && files.length === specs.length && existsSync(WORKER_FILE) ? await collectParallel(specs, chains, opts, jobs) : await collectSerial(specs, chains, opts);
  addNotes(read.inputs, notes);
  return read;
}

async function collectSerial(
  specs: readonly InputSpec[],
  chains: readonly (readonly number[])[],
  opts: AnalyzeOptions,
): Promise<{ agg: Aggregator; wire: WireCounter; inputs: InputAccounting[] }> {
  const agg = new Aggregator(opts);
  const wire = new WireCounter();
  const sink = aggregateSink(agg, wire);
  const sourceOpts: ReadOptions = { ...opts, routeOf: resolveRoutes(opts) };
  return { agg, wire, inputs: await readInputs(specs, sink, sourceOpts, chains) };
}

/**
 * The library's main entry: analyse captures, logs and CDR exports (paths, folders, globs or `-`)
 * and return the per-route report.
 */
export async function analyze(inputs: ReadonlyArray<string | InputSpec>, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const given: InputSpec[] = [];
  for (const i of inputs) {
    if (typeof i !== 'string') given.push(i);
    else given.push(...(await expandEach([i])));
  }
  // a file named twice, or named and found in a folder (`analyze logs logs/full.1`), is read once
  const specs = unique(given);
  opts.progress?.setTotal(specs.some((s) => s.size === undefined && s.error === undefined) ? 0 : specs.reduce((n, s) => n + (s.size ?? 0), 0));
  const { agg, wire, inputs: accounting } = await collect(specs, opts);
  // A --map that fits only some inputs: said on stderr only when none honoured it (src/cdr/map-use.ts).
  settleMapUse(accounting);
  (opts.progress ?? silentProgress).done();
  return finish(agg, { inputs: accounting, wire: wire.toJSON(), options: opts });
}

export type { InputFormat };
