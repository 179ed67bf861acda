import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as w from '../../src/capture/writer.js';
import { WireCounter, parseSipStat } from '../../src/sip/wire.js';
import { run } from '../postmortem/run.js';
import { validate, type Schema } from '../report/json-schema.js';
import { T0 } from './scenario.js';

/** Method names that are also properties of every plain object. */
const BUILTINS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

const schema = JSON.parse(readFileSync(new URL('../../schema/analysis.schema.json', import.meta.url), 'utf8')) as Schema;

/** One request per built-in name from 45.0.0.9, then an OPTIONS answered 200. */
function capture(names: readonly string[] = BUILTINS): Uint8Array {
  const eth = (src: string, dst: string, payload: string) => w.ethernet(w.udpPacket({ src, dst, sport: 5060, dport: 5060, payload }));
  const req = (method: string, i: number) =>
    `${method} sip:100@10.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 45.0.0.9:5060;branch=z9hG4bK-${i}\r\nFrom: <sip:9@45.0.0.9>;tag=f${i}\r\n` +
    `To: <sip:100@10.0.0.1>\r\nCall-ID: m-${i}@h\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;
  const packets = [...names, 'OPTIONS'].map((m, i) => ({ ts: T0 + i * 1000, data: eth('45.0.0.9', '10.0.0.1', req(m, i)) }));
  const ok = req('OPTIONS', 5).replace(/^OPTIONS sip:100@10.0.0.1 SIP\/2.0/, 'SIP/2.0 200 OK');
  packets.push({ ts: T0 + 5010, data: eth('10.0.0.1', '45.0.0.9', ok) });
  return w.writePcap(packets);
}

const dir = mkdtempSync(join(tmpdir(), 'sipscope-wire-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pcap = join(dir, 'builtin-methods.pcap');
writeFileSync(pcap, capture());

describe('wire counts keyed by method names that are Object.prototype properties', () => {
  it('counts them like any other method, in JSON and across a worker hand-over', () => {
    const c = new WireCounter();
    for (const m of BUILTINS) c.addRequest(m);
    c.addRequest('__proto__');
    c.addResponse(200);
    expect(c.messages).toBe(7);
    const j = c.toJSON();
    // plain objects for callers, the same key order (sorted) as for ordinary methods
    expect(Object.getPrototypeOf(j.requests)).toBe(Object.prototype);
    expect(JSON.stringify(j)).toBe('{"responses":{"200":1},"requests":{"__proto__":2,"constructor":1,"hasOwnProperty":1,"toString":1,"valueOf":1}}');
    // what pipeline.ts does with a worker's counts: structured clone, fromJSON, merge
    const main = new WireCounter();
    main.addRequest('constructor');
    main.merge(WireCounter.fromJSON(structuredClone(j)));
    main.merge(WireCounter.fromJSON(JSON.parse(JSON.stringify(j))));
    expect(main.messages).toBe(15);
    expect(JSON.stringify(main.toJSON().requests)).toBe('{"__proto__":4,"constructor":3,"hasOwnProperty":2,"toString":2,"valueOf":2}');
  });

  it('reads such rows from a tshark sip,stat file', () => {
    const o = parseSipStat('* List of SIP Request methods\n  __proto__       :     2 Packets\n  constructor     :     1 Packets\n  INVITE          :     3 Packets\n');
    expect(Object.entries(o.requests)).toEqual([['__proto__', 2], ['constructor', 1], ['INVITE', 3]]);
  });

  it('analyze --format json: numbers, nothing lost, valid against the schema', async () => {
    const r = await run(['analyze', pcap, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { wire: { requests: Record<string, number>; responses: Record<string, number> }; inputs: Array<{ sipMessages: number }> };
    expect(Object.entries(j.wire.requests)).toEqual([['OPTIONS', 1], ['__proto__', 1], ['constructor', 1], ['hasOwnProperty', 1], ['toString', 1], ['valueOf', 1]]);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(j.wire.requests) + sum(j.wire.responses)).toBe(j.inputs[0]!.sipMessages);
    expect(j.inputs[0]!.sipMessages).toBe(7);
    expect(validate(schema, j)).toEqual([]);
  });

  it('analyze --format html: the wire table shows counts, not NaN', async () => {
    const r = await run(['analyze', pcap, '--format', 'html']);
    expect(r.code).toBe(0);
    const table = r.out.slice(r.out.indexOf('SIP messages on the wire'));
    expect(table).not.toContain('NaN');
    for (const m of BUILTINS) expect(table).toMatch(new RegExp(`<td>${m}</td><td class="n">1</td>`));
  });

  it('analyze --format json keeps __proto__ when the renderer puts keys in order (numeric-looking names first)', async () => {
    const file = join(dir, 'reordered.pcap');
    writeFileSync(file, capture(['__proto__', '5e2', '1e3']));
    const r = await run(['analyze', file, '--format', 'json']);
    const j = JSON.parse(r.out) as { wire: { requests: Record<string, number> } };
    expect(Object.keys(j.wire.requests).sort()).toEqual(['1e3', '5e2', 'OPTIONS', '__proto__']);
  });
});
