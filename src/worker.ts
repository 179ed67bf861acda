/**
 * Worker thread for `analyze` over several files: reads the files it is handed into its own Aggregator
 * and WireCounter and sends back their mergeable JSON with each file's accounting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Aggregator } from './analysis/index.js';
import { readInput, resolveRoutes, type AnalyzeOptions } from './pipeline.js';
import { WireCounter } from './sip/wire.js';
import type { InputSpec } from './input/expand.js';
import type { Progress } from './input/progress.js';

export interface WorkerTask {
  spec: InputSpec;
}
export type WorkerReply =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; accounting: import('./types.js').InputAccounting; agg: unknown; wire: unknown }
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

port.on('message', (task: WorkerTask) => {
  const agg = new Aggregator(opts);
  const wire = new WireCounter();
  readInput(task.spec, { record: (r) => agg.add(r), message: (m) => wire.add(m) }, { ...opts, routeOf, progress })
    .then((accounting) => {
      if (pending) port.postMessage({ type: 'progress', bytes: pending } satisfies WorkerReply);
      pending = 0;
      port.postMessage({ type: 'done', accounting, agg: agg.toJSON(), wire: wire.toJSON() } satisfies WorkerReply);
    })
    .catch((err: unknown) => port.postMessage({ type: 'crash', message: (err as Error)?.message ?? String(err) } satisfies WorkerReply));
});
