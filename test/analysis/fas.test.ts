import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Aggregator, finish, type AnalysisOptions, type AnalysisResult, type FasResult } from '../../src/analysis/index.js';
import { analyze } from '../../src/pipeline.js';
import { UNKNOWN_ROUTE, type CallRecord, type RtpSummary } from '../../src/types.js';
import { Rng } from './gen.js';

const T0 = Date.UTC(2026, 0, 1);
const rng = new Rng(42);
let seq = 0;

interface Shape {
  /** INVITE → 18x, or undefined for none. */
  ring?: number;
  /** 18x (or INVITE) → 200. */
  answerAfter: number;
  durSec: number;
  rtp?: RtpSummary;
  /** From a CDR: no packet position, no ringing information. */
  cdr?: boolean;
}

function answered(route: string, s: Shape): CallRecord {
  const start = T0 + rng.int(0, 3_600_000);
  const ringing = s.ring === undefined ? undefined : start + s.ring;
  const answer = (ringing ?? start) + s.answerAfter;
  const r: CallRecord = {
    callId: `${route}-${++seq}`,
    route,
    callee: `7495${rng.int(1_000_000, 9_999_999)}`,
    start,
    answer,
    end: answer + s.durSec * 1000,
    duration: s.durSec * 1000,
    finalCode: 200,
    codeSource: 'sip',
    flags: 0,
    source: s.cdr ? { file: 'cdr.csv', line: seq } : { file: 'x.pcap', packet: seq },
  };
  if (ringing !== undefined) r.ringing = ringing;
  if (s.rtp) r.rtp = s.rtp;
  return r;
}

function failed(route: string, code = 486): CallRecord {
  return { callId: `${route}-${++seq}`, route, start: T0 + rng.int(0, 3_600_000), finalCode: code, codeSource: 'sip', flags: 0, source: { file: 'x' } };
}

const honestRtp = (): RtpSummary => ({ fromCallee: 3000, fromCaller: 3000, firstFromCalleeAfterAnswer: 40 });
const honest = (n: number, route = 'honest', rtp = true, cdr = false): CallRecord[] => [
  ...Array.from({ length: n }, () =>
    answered(route, { ring: rng.int(1500, 5000), answerAfter: rng.int(2000, 10_000), durSec: Math.round(rng.logNormal(120, 1)) + 1, rtp: rtp ? honestRtp() : undefined, cdr }),
  ),
  ...Array.from({ length: n }, () => failed(route, rng.chance(0.5) ? 486 : 480)),
];

function resultOf(records: CallRecord[], opts: AnalysisOptions = {}): AnalysisResult {
  const a = new Aggregator(opts);
  for (const r of records) a.add(r);
  return finish(a, { inputs: [], wire: { responses: {}, requests: {} }, options: opts });
}

function fasOf(records: CallRecord[], route: string, opts: AnalysisOptions = {}): FasResult {
  return resultOf(records, opts).fas.find((f) => f.route === route)!;
}

const hits = (f: FasResult): string[] => f.signals.filter((s) => s.hit).map((s) => s.id).sort();

describe('FAS signals', () => {
  it('an honest route has no hit; every signal reports its value, threshold and calls', () => {
    const f = fasOf(honest(200), 'honest');
    expect(f.flagged).toBe(false);
    expect(f.score).toBe(0);
    expect(hits(f)).toEqual([]);
    expect(f.signals.map((s) => s.id)).toEqual([
      'no-ringing',
      'short-pdd',
      'ring-answer-cluster',
      'short-calls',
      'duration-cluster',
      'asr-high-acd-low',
      'no-rtp-after-answer',
      'ringback-after-answer',
    ]);
    const noRing = f.signals[0];
    expect(noRing).toMatchObject({ value: 0, threshold: 0.3, calls: 200 });
    expect(f.signals.find((s) => s.id === 'asr-high-acd-low')!.value).toBeNull(); // no other route
  });

  it('one group of signals alone (setup: no ringing + instant answer) is not enough', () => {
    const recs = [...honest(200), ...Array.from({ length: 100 }, () => answered('ivr', { answerAfter: 300, durSec: rng.int(30, 400), rtp: honestRtp() }))];
    const f = fasOf(recs, 'ivr');
    expect(hits(f)).toEqual(['no-ringing', 'short-pdd']);
    expect(f.flagged).toBe(false);
  });

  it('ringback after answer with no ringing before: two groups, flagged', () => {
    const rb = (): RtpSummary => ({ fromCallee: 500, fromCaller: 500, firstFromCalleeAfterAnswer: 20, ringbackAfterAnswer: 0.9 });
    const recs = [...honest(200), ...Array.from({ length: 60 }, () => answered('rb', { answerAfter: 350, durSec: rng.int(20, 300), rtp: rb() }))];
    const f = fasOf(recs, 'rb');
    expect(hits(f)).toEqual(['no-ringing', 'ringback-after-answer', 'short-pdd']);
    expect(f.flagged).toBe(true);
    expect(f.signals.find((s) => s.id === 'ringback-after-answer')!.exampleCallIds).toHaveLength(5);
  });

  it('no RTP after answer counts only when the capture has media; silent calls count when others have media', () => {
    const silent = (): RtpSummary => ({ fromCallee: 0, fromCaller: 0 });
    const quiet = Array.from({ length: 50 }, () => answered('quiet', { ring: 2000, answerAfter: rng.int(2000, 9000), durSec: rng.int(30, 300), rtp: silent() }));
    // Nobody has media: the capture simply has no RTP, nothing is measured.
    const none = fasOf([...honest(100, 'honest', false), ...quiet], 'quiet');
    expect(none.signals.find((s) => s.id === 'no-rtp-after-answer')).toMatchObject({ hit: false, value: null, calls: 0 });
    // Others have media: this route's silence is evidence.
    const some = fasOf([...honest(100), ...quiet], 'quiet');
    expect(some.signals.find((s) => s.id === 'no-rtp-after-answer')).toMatchObject({ hit: true, value: 1, calls: 50 });
    // Late or thin callee media counts too.
    const late = Array.from({ length: 30 }, () =>
      answered('late', { ring: 2000, answerAfter: 5000, durSec: 60, rtp: { fromCallee: 2000, fromCaller: 3000, firstFromCalleeAfterAnswer: 15_000 } }),
    );
    expect(fasOf([...honest(100), ...late], 'late').signals.find((s) => s.id === 'no-rtp-after-answer')!.hit).toBe(true);
  });

  it('signals of one group reaching the score are still not enough (no RTP + ringback are both media)', () => {
    const odd = (): RtpSummary => ({ fromCallee: 5, fromCaller: 800, firstFromCalleeAfterAnswer: 30, ringbackAfterAnswer: 0.8 });
    const recs = [...honest(200), ...Array.from({ length: 60 }, () => answered('media', { ring: 2500, answerAfter: rng.int(2000, 9000), durSec: rng.int(30, 300), rtp: odd() }))];
    const f = fasOf(recs, 'media');
    expect(hits(f)).toEqual(['no-rtp-after-answer', 'ringback-after-answer']);
    expect(f.score).toBe(3);
    expect(f.flagged).toBe(false);
    expect(fasOf(recs, 'media', { thresholds: { fasMinGroups: 1 } }).flagged).toBe(true);
  });

  it('too few calls: values shown, no hit', () => {
    const recs = [...honest(200), ...Array.from({ length: 10 }, () => answered('thin', { answerAfter: 300, durSec: 9, rtp: { fromCallee: 0, fromCaller: 400 } }))];
    const f = fasOf(recs, 'thin');
    expect(f.flagged).toBe(false);
    expect(hits(f)).toEqual([]);
    const nr = f.signals.find((s) => s.id === 'no-ringing')!;
    expect(nr.value).toBe(1);
    expect(nr.text).toMatch(/too few calls/);
  });

  it('from a CDR (no ringing or RTP known): durations and the comparison still flag a FAS route', () => {
    const fas = Array.from({ length: 150 }, () => answered('cheat', { answerAfter: 400, durSec: rng.int(8, 12), cdr: true }));
    const recs = [...honest(300, 'honest', false, true), ...fas, ...Array.from({ length: 20 }, () => failed('cheat', 503))];
    const f = fasOf(recs, 'cheat');
    expect(f.signals.find((s) => s.id === 'no-ringing')!.calls).toBe(0);
    expect(hits(f)).toEqual(['asr-high-acd-low', 'duration-cluster', 'short-calls', 'short-pdd']);
    expect(f.flagged).toBe(true);
    expect(fasOf(recs, 'honest').flagged).toBe(false);
  });

  it('thresholds and weights are overridable', () => {
    const recs = [...honest(200), ...Array.from({ length: 100 }, () => answered('ivr', { answerAfter: 300, durSec: rng.int(30, 400), rtp: honestRtp() }))];
    expect(fasOf(recs, 'ivr', { thresholds: { fasMinGroups: 1, fasScore: 2 } }).flagged).toBe(true);
    expect(hits(fasOf(recs, 'ivr', { thresholds: { fasNoRingingShare: 1.01 } }))).toEqual(['short-pdd']);
  });
});

/**
 * Audit 9, finding 4: a PBX's own calls (CDR rows with no trunk and no dstchannel, route `unknown`: IVR,
 * voicemail, answered by the dialplan at their start, short and of few lengths) are not a vendor: FAS is
 * not judged on them, and they are not among the "other routes" a vendor is compared with.
 */
describe('FAS and the route "unknown" (no vendor)', () => {
  /** Answered at its own start (answer = start, as Asterisk writes it), lasting one of a few lengths. */
  const ivr = (route: string, n: number): CallRecord[] => Array.from({ length: n }, () => answered(route, { answerAfter: 0, durSec: [6, 13, 21][rng.int(0, 2)], cdr: true }));

  it('the shape that flags a vendor route is not judged on "unknown": no FAS entry for it', () => {
    const vendor = resultOf(ivr('vendor-x', 33)).fas;
    expect(vendor.map((f) => [f.route, f.flagged])).toEqual([['vendor-x', true]]);
    expect(hits(vendor[0])).toEqual(['duration-cluster', 'short-calls', 'short-pdd']);
    const local = resultOf(ivr(UNKNOWN_ROUTE, 33));
    expect(local.routes.map((r) => [r.route, r.answered])).toEqual([[UNKNOWN_ROUTE, 33]]);
    expect(local.fas).toEqual([]);
    // With vendor routes beside it, they are judged and it is still not.
    const mixed = resultOf([...honest(100, 'honest', false, true), ...ivr(UNKNOWN_ROUTE, 300)]);
    expect(mixed.fas.map((f) => f.route)).toEqual(['honest']);
  });

  it('a vendor is compared with the other vendors, not with the PBX\'s own calls', () => {
    const cheat = [...Array.from({ length: 150 }, () => answered('cheat', { answerAfter: 400, durSec: rng.int(8, 12), cdr: true })), ...Array.from({ length: 20 }, () => failed('cheat', 503))];
    const vendors = [...honest(300, 'honest', false, true), ...cheat];
    const alone = fasOf(vendors, 'cheat').signals.find((s) => s.id === 'asr-high-acd-low')!;
    expect(alone.hit).toBe(true);
    // 1,000 local calls answered at once for a few seconds would lift "the others" to 81 % ASR and a short ACD.
    const withLocal = fasOf([...vendors, ...ivr(UNKNOWN_ROUTE, 1000)], 'cheat').signals.find((s) => s.id === 'asr-high-acd-low')!;
    expect(withLocal).toEqual(alone);
    const prefixed = (recs: CallRecord[]) => fasOf(recs, 'cheat', { prefixDigits: 4 }).signals.find((s) => s.id === 'asr-high-acd-low')!;
    expect(prefixed([...vendors, ...ivr(UNKNOWN_ROUTE, 1000)])).toEqual(prefixed(vendors));
  });

  /** An Asterisk Master.csv of IVR calls as in the corpus: no dstchannel, answer = start, Hangup/WaitExten. */
  function ivrMaster(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) {
      const t = 1_753_244_998 + i * 360;
      const at = (x: number): string => new Date(x * 1000).toISOString().slice(0, 19).replace('T', ' ');
      const len = [6, 13, 21, 6, 13, 6, 40][i % 7];
      s += `"","1001","t","ivrmenu",""""" <1001>","PJSIP/1001-${String(i).padStart(8, '0')}","","${i % 2 ? 'WaitExten' : 'Hangup'}","","${at(t)}","${at(t)}","${at(t + len)}",${len},${len},"ANSWERED","DOCUMENTATION","${t}.${i}",""\n`;
    }
    return s;
  }

  it('through the CDR reader: the rows say why the route is "unknown", and no FAS verdict is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-fas-'));
    try {
      const file = join(dir, 'Master.csv');
      writeFileSync(file, ivrMaster(33));
      const res = await analyze([file], { now: new Date(0) });
      expect(res.routes.map((r) => [r.route, r.attempts, r.answered])).toEqual([[UNKNOWN_ROUTE, 33, 33]]);
      expect(res.fas).toEqual([]);
      expect(res.inputs[0].notes).toContain(
        '33 rows name no vendor/trunk and no dstchannel peer: route "unknown" (calls the PBX handled itself: IVR, voicemail, local extensions); FAS is not judged on it',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const corpusFile = fileURLToPath(new URL('../../../shared/corpus/cdr/tejdeepsingh__hackathon2025__Master.csv', import.meta.url));
  it.skipIf(!existsSync(corpusFile))('the audit repro (corpus tejdeepsingh Master.csv, IVR calls only): no FAS verdict', async () => {
    const res = await analyze([corpusFile], { now: new Date(0) });
    expect(res.routes.map((r) => r.route)).toEqual([UNKNOWN_ROUTE]);
    expect(res.fas).toEqual([]);
  });
});
