/**
 * Worker thread for `analyze` over several files: reads the files it is handed into its own Aggregator
 * and WireCounter and sends back their mergeable JSON with each file's accounting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Aggregator } from './analysis/index.js';
import { aggregateSink, readChain, resolveRoutes, type AnalyzeOptions } from './pipeline.js';
import { WireCounter } from './sip/wire.js';
import type { InputSpec } from './input/expand.js';
import type { Progress } from './input/progress.js';

/** Files to read, one chain or a single file (see input/rotation.ts), or `null`: no more files, send the aggregate. */
export interface WorkerTask {
  specs: InputSpec[] | null;
}
export type WorkerReply =
  | { type: 'progress'; bytes: number }
  | { type: 'files'; accounting: import('./types.js').InputAccounting[] }
  | { type: 'aggregate'; agg: unknown; wire: unknown }
  | { type: 'crash'; message: string };

const opts = workerData as AnalyzeOptions;
const port = parentPort!;
const routeOf = resolveRoutes(opts);

let pending = 0;
const progress: Progress = {
  setTotal() {},
  file() {},
  done() {},
  add(bytes) {
    pending += bytes;
    if (pending >= 8 << 20) {
      port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerReply);
      pending = 0;
    }
  },
};

// One aggregate per worker across all its files: it crosses to the main thread once, at the end
// (serialising an aggregate costs about as much as reading a mid-size file, so not once per file).
const agg = new Aggregator(opts);
const wire = new WireCounter();
const sink = aggregateSink(agg, wire);

port.on('message', (task: WorkerTask) => {
  if (task.specs === null) {
    port.postMessage({ type: 'aggregate', agg: agg.toJSON(), wire: wire.toJSON() } satisfies WorkerReply);
    return;
  }
  readChain(task.specs, sink, { ...opts, routeOf, progress })
    .then((accounting) => {
      if (pending) port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerReply);
      pending = 0;
      port.postMessage({ type: 'files', accounting } satisfies WorkerReply);
    })
    .catch((err: unknown) => port.postMessage({ type: 'crash', message: (err as Error)?.message ?? String(err) } satisfies WorkerReply));
});
