import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';
import type { CallRecord } from '../../src/types.js';

describe('console output with no time stamps', () => {
  it('gives an undated record (NaN start, no times), not one from 1970', () => {
    const records: CallRecord[] = [];
    const src = createAsteriskLogSource('excerpt.log', { record: (r) => records.push(r) }, {});
    src.push(readFileSync(new URL('../../fixtures/asterisk/console-excerpt-no-stamps.log', import.meta.url)));
    src.end();
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.route).toBe('carrier-x');
    expect(r.finalCode).toBe(486);
    expect(r.finalReason).toBe('Busy Here');
    expect(Number.isNaN(r.start)).toBe(true);
    expect(r.end).toBeUndefined();
    expect(r.pdd).toBeUndefined();
    expect(src.accounting.notes.join(' ')).toMatch(/no timestamp/);
  });
});
