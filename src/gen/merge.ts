/**
 * Interleaves the events of overlapping calls in time order without holding the scenario in memory:
 * calls arrive in start order, each becomes a cursor over its own events, and a binary heap keyed by
 * each cursor's next time releases events up to the start of the next call. Memory follows the
 * number of calls in progress, not the scenario's size.
 */

export interface Cursor {
  /** Time of the next event; meaningful while `done` is false. */
  ts: number;
  done: boolean;
  /** Tie-break for events at the same time: lower first (the call's index, for stable output). */
  order: number;
  /** Emits the current event and moves to the next one. */
  step(): void;
}

class CursorHeap {
  private items: Cursor[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Cursor | undefined {
    return this.items[0];
  }

  push(c: Cursor): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): Cursor | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && less(a[l]!, a[m]!)) m = l;
      if (r < a.length && less(a[r]!, a[m]!)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

function less(a: Cursor, b: Cursor): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.order < b.order);
}

/**
 * Runs the cursors made from `items` (in start order; `startOf` must not decrease) so that every
 * event is emitted in time order. `make` may return undefined for an item with no events.
 */
export function mergeInTime<T>(items: Iterable<T>, startOf: (item: T) => number, make: (item: T) => Cursor | undefined): void {
  const heap = new CursorHeap();
  const drainUntil = (limit: number): void => {
    for (;;) {
      const top = heap.peek();
      if (top === undefined || top.ts > limit) return;
      heap.pop();
      top.step();
      if (!top.done) heap.push(top);
    }
  };
  for (const item of items) {
    drainUntil(startOf(item) - 1e-9);
    const c = make(item);
    if (c !== undefined && !c.done) heap.push(c);
  }
  drainUntil(Infinity);
}

/** A cursor over a ready, time-sorted array of events. */
export function arrayCursor<E extends { ts: number }>(events: E[], order: number, emit: (e: E) => void): Cursor | undefined {
  if (events.length === 0) return undefined;
  let i = 0;
  const c: Cursor = {
    ts: events[0]!.ts,
    done: false,
    order,
    step() {
      emit(events[i]!);
      i++;
      if (i < events.length) c.ts = events[i]!.ts;
      else c.done = true;
    },
  };
  return c;
}
