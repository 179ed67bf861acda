import { describe, expect, it } from 'vitest';
import { makeFilter, parseCodeFilter } from '../../src/postmortem/calls.js';
import type { CallRecord } from '../../src/types.js';

const rec = (o: Partial<CallRecord>): CallRecord => ({ callId: 'c', route: 'r', start: 0, codeSource: 'sip', flags: 0, source: { file: 'x' }, ...o });

describe('calls filters', () => {
  it('--code 0 (as the reports write it) and none: the calls with no final response', () => {
    for (const c of ['0', '000', 'none', 'NONE']) {
      const f = parseCodeFilter(c)!;
      expect(f(undefined), c).toBe(true);
      expect(f(486), c).toBe(false);
    }
    expect(parseCodeFilter('00')).toBeUndefined();
    expect(parseCodeFilter('7xx')).toBeUndefined();
  });

  it('--number compares digits as digits, other text as written', () => {
    const r = rec({ caller: '+7 (495) 123-45-67', callee: '74957770002' });
    for (const n of ['7495', '+7495', '7 495', '495-123', '+7 (495) 777']) expect(makeFilter({ number: n })(r), n).toBe(true);
    expect(makeFilter({ number: '+7812' })(r)).toBe(false);
    expect(makeFilter({ number: 'alice' })(rec({ caller: 'alice', callee: 'bob' }))).toBe(true);
    expect(makeFilter({ number: 'carol' })(rec({ caller: 'alice', callee: 'bob' }))).toBe(false);
    expect(makeFilter({ number: '7495' })(rec({}))).toBe(false);
  });
});
