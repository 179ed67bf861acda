/**
 * Reading inputs for the post-mortem commands: the same sources as `analyze` (readInputs), with sinks that
 * keep only what one command needs.
 */
import { InputError } from '../errors.js';
import { expandEach, type InputSpec } from '../input/expand.js';
import { readInputs, resolveRoutes, type ReadOptions } from '../pipeline.js';
import type { Text } from '../catalogue/index.js';
import type { CallRecord, InputAccounting, RecordSink, SipMessage } from '../types.js';
import { LegIndex, type LinkedLeg } from './legs.js';

export interface PostmortemReadOptions extends ReadOptions {
  routesFile?: string;
}

/**
 * Expands input arguments. A missing one is read as an input that failed (a line on stderr, exit 2) and the
 * others are still read, as `analyze` does; none at all is an error.
 */
export async function specsOf(inputs: readonly string[]): Promise<InputSpec[]> {
  const specs = await expandEach(inputs);
  if (specs.length === 0) throw new InputError(inputs.join(' '), 'no input files found');
  return specs;
}

/** Reads every input into the sink; returns their accounting. */
export async function readAll(specs: readonly InputSpec[], sink: RecordSink, opts: PostmortemReadOptions): Promise<InputAccounting[]> {
  return readInputs(specs, sink, { ...opts, routeOf: resolveRoutes(opts) });
}

export interface CallLeg {
  callId: string;
  /** How this leg is tied to the asked one (`self` for the asked Call-ID). */
  by: 'self' | LinkedLeg['by'];
  messages: SipMessage[];
  records: CallRecord[];
}

export interface CollectedCall {
  legs: CallLeg[];
  inputs: InputAccounting[];
  /** Why legs could not be linked (standard input is read once), in both languages. */
  note?: Text;
}

/** Capture order within one input; by time across inputs (stable). */
function ordered(ms: SipMessage[]): SipMessage[] {
  const files = new Set(ms.map((m) => m.position.file));
  if (files.size <= 1) return ms;
  return ms.map((m, i) => ({ m, i })).sort((a, b) => a.m.ts - b.m.ts || a.i - b.i).map((x) => x.m);
}

/**
 * Collects the messages and records of one Call-ID and of the legs linked to it. The first pass keeps the
 * asked Call-ID's messages and a one-entry-per-call index of INVITEs; a second pass (files only) fetches
 * the linked legs.
 */
export async function collectCall(
  specs: readonly InputSpec[],
  callId: string,
  opts: PostmortemReadOptions & { link?: boolean },
): Promise<CollectedCall> {
  const index = new LegIndex();
  const mine: CallLeg = { callId, by: 'self', messages: [], records: [] };
  const link = opts.link !== false;
  const inputs = await readAll(
    specs,
    {
      record: (r) => {
        if (r.callId === callId) mine.records.push(r);
      },
      message: (m) => {
        if (m.callId === callId) mine.messages.push(m);
        if (link) index.add(m);
      },
    },
    opts,
  );
  mine.messages = ordered(mine.messages);
  const legs: CallLeg[] = [mine];
  if (!link) return { legs, inputs };
  const linked = index.linked(callId);
  if (linked.length === 0) return { legs, inputs };
  if (specs.some((s) => s.path === '-')) {
    const n = linked.length;
    return {
      legs,
      inputs,
      note: {
        en: `${n} linked ${n === 1 ? 'leg' : 'legs'} found but standard input cannot be read twice: give the capture as a file to see them`,
        ru: `найдено связанных плеч: ${n}, но стандартный ввод нельзя прочитать дважды: чтобы их увидеть, передайте запись файлом`,
      },
    };
  }
  const byId = new Map<string, CallLeg>(linked.map((l) => [l.callId, { callId: l.callId, by: l.by, messages: [], records: [] }]));
  await readAll(
    specs,
    {
      record: (r) => void byId.get(r.callId)?.records.push(r),
      message: (m) => void byId.get(m.callId)?.messages.push(m),
    },
    opts,
  );
  for (const l of byId.values()) {
    l.messages = ordered(l.messages);
    legs.push(l);
  }
  return { legs, inputs };
}
