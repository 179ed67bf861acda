import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Aggregator, finish } from '../../src/analysis/index.js';
import { mergeShares, readInput } from '../../src/pipeline.js';
import { callIdShare, shareWellFormed } from '../../src/sip/partition.js';
import { scanSipMessage, startLineEnd } from '../../src/sip/scanner.js';
import { WireCounter } from '../../src/sip/wire.js';
import type { InputAccounting, RecordSink } from '../../src/types.js';

const root = new URL('../../', import.meta.url).pathname;
const corpus = new URL('../../../shared/corpus/pcap', import.meta.url).pathname;

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = `${dir}/${name}`;
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) out.push(p);
  }
  return out.sort();
}

/** The report of one capture read whole, or read as `count` shares whose aggregates are merged as workers do. */
async function report(file: string, count: number): Promise<unknown> {
  const agg = new Aggregator({});
  const wire = new WireCounter();
  const parts: InputAccounting[] = [];
  for (let index = 0; index < count; index++) {
    const a = new Aggregator({});
    const w = new WireCounter();
    const sink: RecordSink = { record: (r) => a.add(r), countMessage: (q, m, s) => w.count(q, m, s) };
    parts.push(await readInput({ path: file, display: file }, sink, count > 1 ? { partition: { index, count } } : {}));
    // Through JSON, as the aggregates of worker threads are.
    agg.merge(Aggregator.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))));
    wire.merge(WireCounter.fromJSON(JSON.parse(JSON.stringify(w.toJSON()))));
  }
  const inputs = [count > 1 ? mergeShares(parts) : parts[0]!];
  const r = finish(agg, { inputs, wire: wire.toJSON(), options: {} }) as unknown as Record<string, unknown>;
  delete r.generatedAt;
  return JSON.parse(JSON.stringify(r));
}

async function expectSharesEqualWhole(file: string): Promise<void> {
  const whole = await report(file, 1);
  expect(await report(file, 2)).toEqual(whole);
  expect(await report(file, 3)).toEqual(whole);
}

describe('one capture read as shares of its calls (worker threads) gives the report of one reader', () => {
  for (const f of captures(`${root}fixtures`)) {
    it(f.slice(root.length), () => expectSharesEqualWhole(f));
  }
});

describe('… on a capture cut short in the middle of a packet', () => {
  it('gives the report of one reader, the stop included', async () => {
    const dir = mkdtempSync(`${tmpdir()}/sipscope-split-`);
    try {
      const whole = readFileSync(`${root}fixtures/sip/carrier-day.pcap`);
      const cut = `${dir}/cut.pcap`;
      writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6) + 7));
      const one = (await report(cut, 1)) as { inputs: Array<{ anomalies: Record<string, number> }> };
      expect(one.inputs[0]!.anomalies['truncated-record']).toBe(1);
      await expectSharesEqualWhole(cut);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(corpus))('… on every corpus capture (needs ../shared/corpus)', () => {
  for (const f of existsSync(corpus) ? captures(corpus) : []) {
    it(f.slice(corpus.length), () => expectSharesEqualWhole(f));
  }
});

const enc = new TextEncoder();

function share(msg: string, count = 1000): { share: number; wellFormed: boolean } {
  const b = enc.encode(msg);
  const sl = startLineEnd(b, 0, b.length);
  expect(sl).toBeGreaterThan(0);
  const s = callIdShare(b, 0, b.length, sl, count);
  return { share: s, wellFormed: shareWellFormed };
}

function scannedCallId(msg: string): string {
  const b = enc.encode(msg);
  const meta = { ts: 0, src: '', srcPort: 0, dst: '', dstPort: 0, transport: 'udp' as const, position: { file: '' } };
  return scanSipMessage(b, 0, b.length, meta)!.callId;
}

describe('callIdShare', () => {
  const base = (callIdLine: string, cseq = 'CSeq: 1 INVITE'): string =>
    `INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n${callIdLine}\r\n${cseq}\r\nContent-Length: 0\r\n\r\n`;

  it('puts every spelling the scanner reads as one Call-ID into one share', () => {
    const forms = ['Call-ID: abc@h', 'call-id:abc@h', 'CALL-ID :  abc@h  ', 'i: abc@h', 'I:abc@h', 'Call-ID:\r\n abc@h', 'Call-ID: \r\nCall-ID: other'];
    const shares = new Set<number>();
    for (const f of forms) {
      const m = base(f);
      if (f.endsWith('other')) continue;
      expect(scannedCallId(m)).toBe('abc@h');
      shares.add(share(m).share);
    }
    expect(shares.size).toBe(1);
    // A blank first Call-ID: the scanner reads the second one, and so does the share.
    const blank = base('Call-ID: \r\nCall-ID: abc@h');
    expect(scannedCallId(blank)).toBe('abc@h');
    expect(share(blank).share).toBe([...shares][0]);
  });

  it('spreads Call-IDs over the shares', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[share(base(`Call-ID: ${i.toString(36)}-x@10.0.0.1`), 3).share]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it('says whether the scanner would find the message well formed', () => {
    expect(share(base('Call-ID: a')).wellFormed).toBe(true);
    expect(share(base('Call-ID: a', 'CSeq: 1')).wellFormed).toBe(false);
    expect(share(base('Call-ID: a', 'CSeq: x INVITE')).wellFormed).toBe(false);
    expect(share(base('Call-ID: a', 'CSeq: x\r\nCSeq: 2 BYE')).wellFormed).toBe(true);
    expect(share(base('X-No: call id')).wellFormed).toBe(false);
    expect(share(base('X-No: call id')).share).toBe(0);
    // The Call-ID header in a body is not a header.
    const inBody = 'INVITE sip:b@x SIP/2.0\r\nCSeq: 1 INVITE\r\nContent-Length: 12\r\n\r\nCall-ID: a\r\n';
    expect(share(inBody).share).toBe(0);
    expect(share(inBody).wellFormed).toBe(false);
  });
});
