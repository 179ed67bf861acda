import { describe, expect, it } from 'vitest';
import { CAPTURE_SEAM, judgeSeam, LOG_SEAM, spanText } from '../../src/chain.js';

const MIN = 60_000;

describe('where two files of a chain meet', () => {
  it('holds from a minute before the end to an hour after it, and names a long silence across it', () => {
    expect(judgeSeam(10 * MIN, 10 * MIN + 2_000, 'b.log', LOG_SEAM)).toEqual({
      holds: true,
      note: 'read as one chain with b.log, the next rotated file: calls in progress at the end of this file continue there',
    });
    expect(judgeSeam(10 * MIN, 9 * MIN, 'b.log', LOG_SEAM).holds).toBe(true);
    expect(judgeSeam(10 * MIN, 10 * MIN + 5 * MIN, 'b', CAPTURE_SEAM).note).not.toContain('across the seam');
    const quiet = judgeSeam(10 * MIN, 10 * MIN + 5 * MIN + 1, 'b.pcap', CAPTURE_SEAM);
    expect(quiet.holds).toBe(true);
    expect(quiet.note).toBe(
      'read as one chain with b.pcap, the next capture in time: calls in progress at the end of this file continue there; nothing was read for 300 s across the seam (a quiet spell, or a missing piece of the chain: calls in progress then would end unseen)',
    );
    expect(judgeSeam(0, 60 * MIN, 'b.log', LOG_SEAM).note).toContain('nothing was read for 1.0 h across the seam');
    const broken = judgeSeam(0, 60 * MIN + 1, 'b.log', LOG_SEAM);
    expect(broken.holds).toBe(false);
    expect(broken.note).toBe('not continued by b.log (its first time stamp is 1.0 h after this file\'s last): calls in progress at the end of this file are left unfinished');
    expect(judgeSeam(10 * MIN, 8 * MIN, 'b.pcap', CAPTURE_SEAM).note).toBe(
      "not continued by b.pcap (its first packet is 120 s before this file's last SIP message): calls in progress at the end of this file are left unfinished",
    );
  });

  it('takes a seam with no time on either side on trust', () => {
    for (const [a, b] of [[NaN, 0], [0, NaN]]) {
      const s = judgeSeam(a!, b!, 'b', CAPTURE_SEAM);
      expect(s.holds).toBe(true);
      expect(s.note).toContain('(nothing to check the seam against)');
    }
  });

  it('writes spans in the unit that reads best', () => {
    expect(spanText(-45_000)).toBe('45 s');
    expect(spanText(599_000)).toBe('599 s');
    expect(spanText(10 * MIN)).toBe('10 min');
    expect(spanText(59 * MIN)).toBe('59 min');
    expect(spanText(90 * MIN)).toBe('1.5 h');
    expect(spanText(2 * 86_400_000)).toBe('2.0 d');
  });
});
