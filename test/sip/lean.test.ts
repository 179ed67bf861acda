/**
 * The lean scan (a sink with `countMessage`, as `analyze` builds) must give exactly the records, wire
 * counts and accounting of the full scan (a sink with `message`), on every committed capture fixture and
 * the capture corpus, whole and in odd-size chunks; and every field the tracker reads must be the same
 * message by message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import { scanSipMessage, type MessageMeta } from '../../src/sip/scanner.js';
import { WireCounter } from '../../src/sip/wire.js';
import type { CallRecord, RecordSink, SipMessage } from '../../src/types.js';

const root = new URL('../../', import.meta.url);
const FIXTURE_DIRS = ['fixtures/gen/', 'fixtures/recorded/', 'fixtures/capture/', 'fixtures/sip/'];
const fixtures = FIXTURE_DIRS.flatMap((d) => {
  const dir = fileURLToPath(new URL(d, root));
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => dir + f) : [];
});
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/pcap/', import.meta.url));

interface Run {
  records: CallRecord[];
  wire: unknown;
  acc: unknown;
  messages: SipMessage[];
}

function run(file: string, lean: boolean, chunk = 0): Run {
  const data = readFileSync(file);
  const records: CallRecord[] = [];
  const messages: SipMessage[] = [];
  const wire = new WireCounter();
  const sink: RecordSink = lean
    ? { record: (r) => records.push(r), countMessage: (q, m, s) => wire.count(q, m, s) }
    : { record: (r) => records.push(r), message: (m) => { wire.add(m); messages.push(m); } };
  const src = createCaptureSource(file, sink, { routeOf: (a) => (a.endsWith('.1') ? 'one' : undefined) });
  // A file that is not a capture throws (the pipeline records it as the input's error): same for both.
  let error: string | undefined;
  try {
    if (chunk <= 0) src.push(data);
    else for (let i = 0; i < data.length; i += chunk) src.push(data.subarray(i, Math.min(data.length, i + chunk)));
    src.end();
  } catch (err) {
    error = (err as Error).message;
  }
  return { records, wire: wire.toJSON(), acc: { ...src.accounting, error }, messages };
}

function same(file: string, chunk = 0): Run {
  const full = run(file, false, chunk);
  const lean = run(file, true, chunk);
  expect(lean.records).toEqual(full.records);
  expect(JSON.stringify(lean.records)).toBe(JSON.stringify(full.records));
  expect(lean.wire).toEqual(full.wire);
  expect(lean.acc).toEqual(full.acc);
  return full;
}

/** The fields CallTracker reads, as a lean scan must give them. */
function trackerView(m: SipMessage): unknown {
  const invite = m.isRequest && m.method === 'INVITE';
  const finalToInvite = !m.isRequest && m.cseqMethod === 'INVITE' && m.status! >= 200;
  const media = m.isRequest ? ['INVITE', 'ACK', 'UPDATE', 'PRACK'].includes(m.method!) : ['INVITE', 'UPDATE', 'PRACK'].includes(m.cseqMethod);
  return {
    ts: m.ts, src: m.src, srcPort: m.srcPort, dst: m.dst, dstPort: m.dstPort, transport: m.transport,
    isRequest: m.isRequest, method: m.method, status: m.status, callId: m.callId, cseq: m.cseq,
    cseqMethod: m.cseqMethod, fromTag: m.fromTag, toTag: m.toTag, q850: m.q850,
    contentLength: m.contentLength, malformed: m.malformed, position: m.position,
    fromUser: invite ? m.fromUser : undefined,
    toUser: invite ? m.toUser : undefined,
    reason: finalToInvite ? m.reason : undefined,
    userAgent: invite || finalToInvite ? m.userAgent : undefined,
    viaBranch: !m.isRequest || ['INVITE', 'CANCEL', 'ACK'].includes(m.method!) ? m.viaBranch : undefined,
    // The tracker reads the SDP's presence, address and port (codecs are for flows and scanners).
    sdp: media && m.sdp ? { addr: m.sdp.addr, port: m.sdp.port } : undefined,
  };
}

describe('lean scan (countMessage sinks) = full scan', () => {
  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThan(10);
  });

  for (const f of fixtures) {
    it(`same records, wire counts and accounting: ${f.slice(f.indexOf('fixtures/'))}`, () => {
      same(f);
      same(f, 1);
      same(f, 7);
      same(f, 1021);
    });
  }

  it('every message of the fixtures (and corpus, when there): tracker fields equal, unread fields absent', () => {
    let n = 0;
    const corpus = existsSync(corpusDir) ? readdirSync(corpusDir).map((f) => corpusDir + f) : [];
    for (const f of [...fixtures, ...corpus]) {
      // Full scans keep the raw text; scanning it again fully and leanly compares field by field.
      const records: CallRecord[] = [];
      const raws: SipMessage[] = [];
      const src = createCaptureSource(f, { record: (r) => records.push(r), message: (m) => raws.push(m) }, { keepRaw: true });
      try {
        src.push(readFileSync(f));
        src.end();
      } catch {
        // not a capture (see run()): its messages so far are still compared
      }
      for (const r of raws) {
        const buf = new TextEncoder().encode(r.raw!);
        const meta: MessageMeta = { ts: r.ts, src: r.src, srcPort: r.srcPort, dst: r.dst, dstPort: r.dstPort, transport: r.transport, position: r.position };
        const full = scanSipMessage(buf, 0, buf.length, meta)!;
        const lean = scanSipMessage(buf, 0, buf.length, meta, false, undefined, undefined, true)!;
        expect(trackerView(lean)).toEqual(trackerView(full));
        expect(lean.requestUri).toBeUndefined();
        expect(lean.contact).toBeUndefined();
        expect(lean.fromDisplay).toBeUndefined();
        expect(lean.correlation).toBeUndefined();
        expect(lean.reasonHeader).toBeUndefined();
        n++;
      }
    }
    expect(n).toBeGreaterThan(400);
  });
});

describe.skipIf(!existsSync(corpusDir))('lean scan = full scan on the capture corpus (needs ../shared/corpus)', () => {
  const files = existsSync(corpusDir) ? readdirSync(corpusDir).map((f) => corpusDir + f) : [];
  for (const f of files) {
    it(f.slice(corpusDir.length), () => {
      same(f);
      same(f, 4093);
    });
  }
});
