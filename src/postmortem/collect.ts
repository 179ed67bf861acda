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
import { CALL_ID_PREFIX_MIN, CallIdMatcher, callIdPrefix } from './call-id.js';

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
  /**
   * The whole Call-ID taken for the asked one, when that matched none exactly: the asked one without its `…`,
   * or the only Call-ID it is the start of.
   */
  resolved?: string;
  /**
   * When nothing matched: the Call-IDs the asked one is the start of (several: it was not unique), up to
   * NEAR_MAX, and `moreStarting` when there are more than those.
   */
  starting?: string[];
  moreStarting?: boolean;
  /** The asked one is shorter than CALL_ID_PREFIX_MIN and has no `…`: too short to be taken as the start of one. */
  tooShort?: boolean;
  /** When nothing matched: Call-IDs close to the asked one (case, a substring, a typo), best first, up to NEAR_MAX. */
  near?: string[];
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
  asked: string,
  opts: PostmortemReadOptions & { link?: boolean },
): Promise<CollectedCall> {
  const index = new LegIndex();
  // blanks picked up with a copy from the terminal are no part of a Call-ID
  const callId = asked.trim();
  let mine: CallLeg = { callId, by: 'self', messages: [], records: [] };
  const link = opts.link !== false;
  // Not found as given: the same without a trailing `…` (copied from a clipped table), else the only Call-ID it
  // is the start of. Their messages are kept while they can still be the one (one prefix match at most).
  const matcher = new CallIdMatcher(callId);
  const stripped = callIdPrefix(callId);
  const bare: CallLeg | undefined = stripped !== callId && stripped !== '' ? { callId: stripped, by: 'self', messages: [], records: [] } : undefined;
  let only: CallLeg | undefined;
  let several = false;
  // A few characters start too many Call-IDs to stand for one (`--call-id 1` would open whichever call came
  // alone with it): a start is taken only from CALL_ID_PREFIX_MIN characters, or with the `…` of a clipped column.
  const tooShort = stripped === callId && stripped.length < CALL_ID_PREFIX_MIN;
  const candidate = (id: string): CallLeg | undefined => {
    if (id === bare?.callId) return bare;
    if (!matcher.see(id) || several || tooShort) return undefined;
    if (only === undefined) only = { callId: id, by: 'self', messages: [], records: [] };
    else if (only.callId !== id) {
      several = true;
      only = undefined;
    }
    return only;
  };
  const found = (l: CallLeg | undefined): boolean => l !== undefined && (l.messages.length > 0 || l.records.length > 0);
  const inputs = await readAll(
    specs,
    {
      // Once the asked Call-ID is found it is the call: the other Call-IDs are no longer ranked as stand-ins.
      record: (r) => {
        if (r.callId === callId) mine.records.push(r);
        else if (!found(mine)) candidate(r.callId)?.records.push(r);
      },
      message: (m) => {
        if (m.callId === callId) mine.messages.push(m);
        else if (!found(mine)) candidate(m.callId)?.messages.push(m);
        if (link) index.add(m);
      },
    },
    opts,
  );
  let resolved: string | undefined;
  if (!found(mine)) {
    const other = found(bare) ? bare : found(only) ? only : undefined;
    if (other) {
      mine = other;
      resolved = other.callId;
    }
  }
  const named = resolved !== undefined ? { resolved } : {};
  if (!found(mine)) {
    const near = matcher.closeMatches().filter((id) => !matcher.starting.includes(id));
    return {
      legs: [mine],
      inputs,
      ...(matcher.starting.length ? { starting: matcher.starting } : {}),
      ...(matcher.startingMore ? { moreStarting: true } : {}),
      ...(tooShort && matcher.starting.length ? { tooShort: true } : {}),
      ...(near.length ? { near } : {}),
    };
  }
  mine.messages = ordered(mine.messages);
  const legs: CallLeg[] = [mine];
  if (!link) return { legs, inputs, ...named };
  const linked = index.linked(mine.callId);
  if (linked.length === 0) return { legs, inputs, ...named };
  if (specs.some((s) => s.path === '-')) {
    const n = linked.length;
    return {
      legs,
      inputs,
      ...named,
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
  return { legs, inputs, ...named };
}
