/**
 * Bounded example Call-IDs: a bottom-k sample by hash. Each Call-ID is kept when its hash is among
 * the k smallest seen, so the sample does not depend on the order records arrive in, and merging two
 * samples gives exactly the sample of all records (what makes worker merges equal to one pass).
 */

/** FNV-1a 32-bit over the UTF-16 code units of a string. */
export function hashId(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Sampled {
  h: number;
  id: string;
  /** An optional number carried with the id (a duration, a bin) for later filtering. */
  v: number;
}

function before(a: Sampled, b: Sampled): boolean {
  return a.h < b.h || (a.h === b.h && a.id < b.id);
}

export class Reservoir {
  readonly items: Sampled[] = [];
  constructor(readonly k: number) {}

  /** `h` is `hashId(id)`, passed in so that a record's hash is computed once. */
  offer(id: string, h: number, v = 0): void {
    const items = this.items;
    if (items.length >= this.k) {
      const last = items[items.length - 1];
      if (h > last.h || (h === last.h && id >= last.id)) return; // the common case: no allocation
    }
    this.insert({ h, id, v });
  }

  /** Puts an item that passed the bound in its place (not when the same call is there already). */
  private insert(item: Sampled): void {
    const items = this.items;
    const { h, id } = item;
    let i = items.length;
    while (i > 0 && before(item, items[i - 1])) i--;
    if (i > 0 && items[i - 1].id === id && items[i - 1].h === h) return; // the same call offered twice
    items.splice(i, 0, item);
    if (items.length > this.k) items.pop();
  }

  /** Offers the other's items; they are shared, not copied (items are never changed). */
  merge(o: Reservoir): void {
    const items = this.items;
    for (const it of o.items) {
      if (items.length >= this.k) {
        const last = items[items.length - 1];
        if (it.h > last.h || (it.h === last.h && it.id >= last.id)) continue;
      }
      this.insert(it);
    }
  }

  ids(filter?: (v: number) => boolean, max = this.k): string[] {
    const out: string[] = [];
    for (const it of this.items) {
      if (out.length >= max) break;
      if (!filter || filter(it.v)) out.push(it.id);
    }
    return out;
  }

  toJSON(): Array<[string, number]> {
    return this.items.map((it) => [it.id, it.v]);
  }

  static fromJSON(k: number, j: unknown): Reservoir {
    const r = new Reservoir(k);
    if (!Array.isArray(j)) throw new TypeError('Reservoir: expected an array');
    for (const e of j) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') throw new TypeError('Reservoir: bad entry');
      r.offer(e[0], hashId(e[0]), e[1]);
    }
    return r;
  }
}
