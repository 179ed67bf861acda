/**
 * Captures split by the real tools (dumpcap's ring buffer, tcpdump -G, editcap -c/-i) on real loopback SIP traffic
 * (kamailio, baresip; scripts/record/record-ring.sh; fixtures/recorded/README.md): read as a folder, the pieces
 * give what the unsplit capture of the same packets gives — the same SIP messages, the same call records, the
 * same report — and the inputs' notes say they were read as one chain. Reads the committed fixtures only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, readInputs } from '../../src/pipeline.js';
import { expandEach } from '../../src/input/expand.js';
import { inputsLine } from '../../src/report/format.js';
import { parseSipStat } from '../../src/sip/wire.js';
import type { AnalysisResult } from '../../src/analysis/result.js';
import type { CallRecord, InputAccounting, SipMessage } from '../../src/types.js';

const ring = fileURLToPath(new URL('../../fixtures/recorded/ring/', import.meta.url));

/** The records and SIP messages of some inputs, as `analyze` reads them (chains planned, seams checked). */
async function read(path: string): Promise<{ records: CallRecord[]; messages: SipMessage[]; inputs: InputAccounting[] }> {
  const records: CallRecord[] = [];
  const messages: SipMessage[] = [];
  const inputs = await readInputs(await expandEach([path]), { record: (r) => records.push(r), message: (m) => messages.push(m) });
  return { records, messages, inputs };
}

/** A record without where it was read (file, packet number, offset differ between the pieces and the whole). */
function placeless(r: CallRecord): Omit<CallRecord, 'source'> {
  const { source: _source, ...rest } = r;
  return rest;
}
function placelessMessage(m: SipMessage): Omit<SipMessage, 'position'> {
  const { position: _position, ...rest } = m;
  return rest;
}
const byCallId = (a: { callId: string }, b: { callId: string }): number => a.callId.localeCompare(b.callId);
const byStart = (a: CallRecord, b: CallRecord): number => a.start - b.start || a.callId.localeCompare(b.callId);

const PCAPNG = 0x0a0d0d0a;

/** callee, final code, answered: the calls each session placed (see record-ring.sh). */
const summary = (records: CallRecord[]): string[] => records.map((r) => `${r.callee} ${r.finalCode ?? 0} ${r.answer !== undefined ? 'answered' : '-'}`).sort();

/** The report without what names the files read, and without when it was made. */
function report(r: AnalysisResult): Omit<AnalysisResult, 'inputs' | 'generatedAt'> {
  const { inputs: _inputs, generatedAt: _generatedAt, ...rest } = r;
  return rest;
}

/** Counts of an input's accounting that must add up over the pieces to the whole capture's. */
function sums(accs: InputAccounting[]): Record<string, unknown> {
  const add = (into: Record<string, number>, from: Record<string, number> | undefined): void => {
    for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
  };
  const ignoredBy: Record<string, number> = {};
  const anomalies: Record<string, number> = {};
  let read = 0, used = 0, ignored = 0, malformed = 0, sipMessages = 0, records = 0;
  for (const a of accs) {
    read += a.read;
    used += a.used;
    ignored += a.ignored;
    malformed += a.malformed;
    sipMessages += a.sipMessages;
    records += a.records;
    add(ignoredBy, a.ignoredBy);
    add(anomalies, a.anomalies);
  }
  return { read, used, ignored, malformed, sipMessages, records, ignoredBy, anomalies };
}

const CHAINED = 'read as one chain with ';

const sessions = [
  {
    session: 'udp',
    want: ['480600 480 -', '486600 486 -', '503600 503 -', 'answer600 200 answered', 'auth600 200 answered', 'ring600 487 -'],
  },
  {
    session: 'tcp',
    // 486701: the INVITE sent in two TCP segments 2.5 s apart; every split set is cut between them
    want: ['486701 486 -', '503700 503 -', 'answer700 200 answered'],
  },
] as const;
const tools = ['dumpcap', 'tcpdump', 'editcap'] as const;

for (const { session, want } of sessions) {
  describe(`${session}: a loopback session and its pieces from dumpcap -b, tcpdump -G and editcap`, () => {
    const dir = `${ring}${session}/`;
    const whole = `${dir}whole.pcap`;
    const wholeRead = read(whole);
    const wholeReport = analyze([whole]);

    it('the whole capture holds the calls placed, and the wire counts equal tshark -z sip,stat', async () => {
      const w = await wholeRead;
      expect(summary(w.records)).toEqual([...want].sort());
      expect(w.inputs[0]!.malformed).toBe(0);
      const oracle = parseSipStat(readFileSync(`${whole}.sip_stat.txt`, 'utf8'));
      const r = await wholeReport;
      expect(r.wire.requests).toEqual(oracle.requests);
      expect(r.wire.responses).toEqual(oracle.responses);
      expect(w.messages.length).toBe(oracle.messages);
    });

    for (const tool of tools) {
      const folder = `${dir}${tool}`;
      const pieces = readdirSync(folder).sort();
      const bytes = pieces.map((p) => readFileSync(`${folder}/${p}`));
      /** The pieces whose bytes hold a string (latin1: the SIP text of the packets). */
      const holding = (s: string): string[] => pieces.filter((_, k) => bytes[k]!.toString('latin1').includes(s));

      it(`${tool}: the cuts fall inside calls (an answered call's INVITE and BYE are in different pieces)`, async () => {
        expect(pieces.length).toBeGreaterThan(2);
        const straddling = (await wholeRead).records.filter((r) => r.answer !== undefined && holding(`Call-ID: ${r.callId}`).length > 1);
        expect(straddling.length).toBeGreaterThan(0);
        if (session === 'tcp') {
          // the first half of the INVITE to 486701 in one piece, its second half in a later one
          const head = holding('INVITE sip:486701@');
          const tail = holding('User-Agent: record-ring.sh split INVITE');
          expect(head.length).toBe(1);
          expect(tail.length).toBe(1);
          expect(pieces.indexOf(tail[0]!)).toBeGreaterThan(pieces.indexOf(head[0]!));
        }
      });

      it(`${tool}: read as a folder, the same SIP messages and call records as the whole capture`, async () => {
        const w = await wholeRead;
        const got = await read(folder);
        // dumpcap's and editcap's pieces are nanosecond pcapng, the whole a nanosecond pcap: the same times to the bit
        const pcapng = bytes.every((b) => b.readUInt32LE(0) === PCAPNG);
        expect(pcapng).toBe(tool !== 'tcpdump');
        expect(got.messages.map(placelessMessage)).toEqual(w.messages.map(placelessMessage));
        expect([...got.records].sort(byStart).map(placeless)).toEqual([...w.records].sort(byStart).map(placeless));
        // the fields that matter most, said once more in plain terms
        const key = (r: CallRecord) => ({ callId: r.callId, finalCode: r.finalCode, answered: r.answer !== undefined, start: r.start, answer: r.answer, end: r.end, duration: r.duration });
        expect(got.records.map(key).sort(byCallId)).toEqual(w.records.map(key).sort(byCallId));
        expect(got.inputs.map((a) => a.file)).toEqual(pieces.map((p) => `${folder}/${p}`));
        for (const a of got.inputs) expect(a.read, a.file).toBe(a.used + a.ignored + a.malformed);
        expect(sums(got.inputs)).toEqual(sums(w.inputs));
      });

      it(`${tool}: analyze gives the whole capture's report, and the notes name the chain`, async () => {
        const got = await analyze([folder]);
        const w = await wholeReport;
        expect(got.routes).toEqual(w.routes);
        expect(got.totals).toEqual(w.totals);
        expect(report(got)).toEqual(report(w));

        // every piece with SIP in it is on one chain, followed from the first piece through the notes, in the
        // order of the names (the tools number or date their pieces)
        const inputs = new Map(got.inputs.map((a) => [a.file, a]));
        const files = pieces.map((p) => `${folder}/${p}`);
        const next = (f: string): string | undefined => {
          const n = inputs.get(f)!.notes.find((x) => x.startsWith(CHAINED));
          return n === undefined ? undefined : files.find((g) => n.startsWith(`${CHAINED}${g}, `));
        };
        const withSip = files.filter((f) => inputs.get(f)!.sipMessages > 0);
        const chain = [files.find((f) => next(f) !== undefined)!];
        for (let f = next(chain[0]!); f !== undefined; f = next(f)) chain.push(f);
        expect(chain).toEqual([...chain].sort());
        expect(chain).toEqual(expect.arrayContaining(withSip));
        expect(withSip.length).toBeGreaterThan(1);
        // no seam left unread, no file said to be apart
        expect(got.inputs.flatMap((a) => a.notes).filter((n) => !n.startsWith(CHAINED))).toEqual([]);
        expect(inputsLine(got)).toMatch(new RegExp(`; ${chain.length - 1} seams between split or rotated files read through$`));
      });
    }
  });
}
