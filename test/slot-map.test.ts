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
});
