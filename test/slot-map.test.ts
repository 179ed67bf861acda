import { describe, expect, it } from 'vitest';
import { SlotMap } from '../src/slot-map.js';

describe('SlotMap', () => {
  it('behaves as a Map: get, set (new and existing key), delete, size', () => {
    const m = new SlotMap<string | number, { v: number }>();
    const a = { v: 1 };
    const b = { v: 2 };
    m.set(1, a);
    m.set('x', b);
    expect(m.size).toBe(2);
    expect(m.get(1)).toBe(a);
    expect(m.get('x')).toBe(b);
    expect(m.get('1')).toBeUndefined();
    const c = { v: 3 };
    m.set(1, c);
    expect(m.size).toBe(2);
    expect(m.get(1)).toBe(c);
    m.delete(1);
    m.delete('absent');
    expect(m.size).toBe(1);
    expect(m.get(1)).toBeUndefined();
  });

  it('keeps insertion order across deletes and reused slots', () => {
    const m = new SlotMap<number, string>();
    for (let i = 0; i < 5; i++) m.set(i, `v${i}`);
    m.delete(0);
    m.delete(2);
    m.set(10, 'v10'); // takes a cleared slot, but comes last
    m.set(11, 'v11');
    expect([...m.values()]).toEqual(['v1', 'v3', 'v4', 'v10', 'v11']);
    expect([...m.keys()]).toEqual([1, 3, 4, 10, 11]);
    expect(m.first()).toBe('v1');
    m.clear();
    expect(m.size).toBe(0);
    expect(m.first()).toBeUndefined();
    m.set(7, 'v7');
    expect([...m.values()]).toEqual(['v7']);
  });

  // Why SlotMap exists (src/slot-map.ts): a Map's left-behind hash tables keep what they named alive through
  // scavenges. Here the Map names numbers only, and a deleted entry's value is dropped from the slot at once,
  // so no table, current or left behind, reaches a finished call. This pins that layout.
  it('holds values only in its slot array, and nothing of an entry once it is deleted', () => {
    const m = new SlotMap<string, { call: number }>();
    const values = Array.from({ length: 1000 }, (_, i) => ({ call: i }));
    values.forEach((v, i) => m.set(`c${i}`, v));
    for (let i = 0; i < 1000; i += 2) m.delete(`c${i}`);
    const inner = m as unknown as { index: Map<string, unknown>; slots: unknown[] };
    expect([...inner.index.values()].every((x) => typeof x === 'number')).toBe(true);
    const held = new Set(inner.slots.filter((x) => x !== undefined));
    expect(held.size).toBe(500);
    for (let i = 0; i < 1000; i++) expect(held.has(values[i]!), `c${i}`).toBe(i % 2 === 1);
  });
});
