/**
 * A CDR with a trunk/vendor column and a dstchannel: the route of a leg is the trunk peer it dialled. Some
 * exports write the call's last trunk on each of its failover legs (the srinimonster corpus file), so a
 * trunk column that names another trunk than a SIP/PJSIP/IAX2 dstchannel gives way to the channel's peer;
 * a channel that names no trunk peer (Local/, DAHDI/, an address, none) leaves the column; `--map route=`
 * keeps the column.
 */
import { describe, expect, test } from 'vitest';
import { channelRoute } from '../../src/cdr/index.js';
import type { SourceOptions } from '../../src/types.js';
import { reconciled, runCdr } from './helpers.js';

const HEADER = 'calldate,src,dst,dstchannel,disposition,billsec,trunk';

/** A FreePBX-like export: one call tried on VIOrig, then VITerm, then thinQ (answered), each leg marked thinQ. */
const FAILOVER = [
  HEADER,
  '2024-03-05 10:00:00,1001,15551230001,PJSIP/VIOrig-00000001,FAILED,0,thinQ',
  '2024-03-05 10:00:01,1001,15551230001,PJSIP/VITerm-00000002,NO ANSWER,0,thinQ',
  '2024-03-05 10:00:02,1001,15551230001,PJSIP/thinQ-00000003,ANSWERED,30,thinQ',
  '2024-03-05 10:01:00,1002,15551230002,SIP/VIOrig-00000004,BUSY,0,VITerm',
  '2024-03-05 10:02:00,1003,15551230003,IAX2/VITerm-5,ANSWERED,12,thinQ',
].join('\n');

const routes = (text: string, opts: SourceOptions = {}): string[] => runCdr('t.csv', Buffer.from(text), opts).records.map((r) => r.route);

describe('trunk column and dstchannel', () => {
  test('a failover leg is counted on the trunk it dialled, with a note naming the count and the first row', () => {
    const { records, acc } = runCdr('t.csv', Buffer.from(FAILOVER));
    expect(records.map((r) => r.route)).toEqual(['VIOrig', 'VITerm', 'thinQ', 'VIOrig', 'VITerm']);
    expect(records.map((r) => r.finalCode)).toEqual([500, 480, 200, 486, 200]);
    expect(reconciled(acc)).toBe(true);
    expect(acc.notes.find((n) => n.includes('disagrees'))).toBe(
      '4 rows: the trunk column "trunk" disagrees with the channel the leg dialled (dstchannel), first at line 2 ("thinQ", dstchannel "PJSIP/VIOrig-00000001"); ' +
        "the channel's peer is used as the route (thinQ → VITerm 2, VITerm → VIOrig 1, thinQ → VIOrig 1); --map route=trunk keeps the column",
    );
  });

  test('--map route=COLUMN keeps the column, with no note', () => {
    for (const key of ['route', 'trunk', 'vendor']) {
      const { records, acc } = runCdr('t.csv', Buffer.from(FAILOVER), { columnMap: { [key]: 'trunk' } });
      expect(records.map((r) => r.route)).toEqual(['thinQ', 'thinQ', 'thinQ', 'VITerm', 'thinQ']);
      expect(acc.notes.some((n) => n.includes('disagrees'))).toBe(false);
    }
    // Naming the dstchannel explicitly is no choice of the route column: the dialled peer still wins.
    expect(routes(FAILOVER, { columnMap: { dstchannel: 'dstchannel' } })).toEqual(['VIOrig', 'VITerm', 'thinQ', 'VIOrig', 'VITerm']);
    // With the dstchannel switched off, the trunk column is all there is.
    expect(routes(FAILOVER, { columnMap: { dstchannel: '-' } })).toEqual(['thinQ', 'thinQ', 'thinQ', 'VITerm', 'thinQ']);
  });

  test('a channel that names no trunk peer leaves the trunk column: Local/, DAHDI/, an address, empty, NULL', () => {
    const text = [
      HEADER,
      '2024-03-05 10:00:00,1001,5551,Local/3323@local-call-00000040;1,ANSWERED,10,VITerm',
      '2024-03-05 10:00:01,1001,5552,DAHDI/1-1,ANSWERED,10,pri-telco',
      '2024-03-05 10:00:02,1001,5553,SIP/203.0.113.5-0000001a,ANSWERED,10,carrier-a',
      '2024-03-05 10:00:03,1001,5554,SIP/[2001:db8::5]:5060-0000001b,ANSWERED,10,carrier-a',
      '2024-03-05 10:00:04,1001,5555,,ANSWERED,10,carrier-b',
      '2024-03-05 10:00:05,1001,5556,NULL,ANSWERED,10,carrier-b',
      '2024-03-05 10:00:06,1001,5557,PJSIP/-00000001,ANSWERED,10,carrier-c',
      // Without a trunk value, the channel names the route as before (Local/… too).
      '2024-03-05 10:00:07,1001,5558,Local/3323@local-call-00000041;1,ANSWERED,10,NULL',
      '2024-03-05 10:00:08,1001,5559,PJSIP/1115-00000042,ANSWERED,10,',
    ].join('\n');
    const { records, acc } = runCdr('t.csv', Buffer.from(text));
    expect(records.map((r) => r.route)).toEqual(['VITerm', 'pri-telco', 'carrier-a', 'carrier-a', 'carrier-b', 'carrier-b', 'carrier-c', 'Local/local-call', '1115']);
    expect(acc.notes.some((n) => n.includes('disagrees'))).toBe(false);
  });

  test('the same trunk in another case or with a TECH/ prefix is no disagreement', () => {
    const text = [HEADER, '2024-03-05 10:00:00,1001,5551,PJSIP/thinQ-00000001,ANSWERED,10,THINQ', '2024-03-05 10:00:01,1001,5552,SIP/thinQ-00000002,ANSWERED,10,PJSIP/thinQ'].join('\n');
    const { records, acc } = runCdr('t.csv', Buffer.from(text));
    expect(records.map((r) => r.route)).toEqual(['THINQ', 'PJSIP/thinQ']);
    expect(acc.notes.some((n) => n.includes('disagrees'))).toBe(false);
  });

  test('a chan_sip channel to an address that --routes names is the dialled peer', () => {
    const text = [HEADER, '2024-03-05 10:00:00,1001,5551,SIP/203.0.113.5-0000001a,BUSY,0,carrier-b'].join('\n');
    const routeOf = (a: string): string | undefined => (a === '203.0.113.5' ? 'carrier-a' : undefined);
    expect(routes(text, { routeOf })).toEqual(['carrier-a']);
    expect(routes(text)).toEqual(['carrier-b']);
    expect(channelRoute('SIP/203.0.113.5', routeOf)).toEqual({ route: 'carrier-a', lower: 'carrier-a', peer: true });
    expect(channelRoute('SIP/203.0.113.5')).toMatchObject({ route: '203.0.113.5', peer: false });
    expect(channelRoute('DAHDI/1')).toMatchObject({ route: 'DAHDI/1', peer: false });
    expect(channelRoute('PJSIP/thinQ')).toEqual({ route: 'thinQ', lower: 'thinq', peer: true });
  });

  test('fixed layouts: the fast path, 1-byte chunks and the reference path agree', () => {
    const whole = runCdr('t.csv', Buffer.from(FAILOVER));
    const one = runCdr('t.csv', Buffer.from(FAILOVER), {}, {}, 1);
    const ref = runCdr('t.csv', Buffer.from(FAILOVER), {}, { path: 'reference' });
    expect(one.records).toEqual(whole.records);
    expect(one.acc).toEqual(whole.acc);
    expect(ref.records).toEqual(whole.records);
  });

  test('a Master.csv has no trunk column: dstchannel alone, as before', () => {
    const row = (ch: string, i: number): string =>
      `"","1001","5551","from-internal","""A"" <1001>","PJSIP/1001-0000000${i}","${ch}","Dial","PJSIP/5551@x","2024-03-05 10:00:0${i}","","2024-03-05 10:00:1${i}",10,0,"NO ANSWER","DOCUMENTATION","17096292${i}0.${i}",""`;
    const text = [row('PJSIP/alpha-00000001', 1), row('Local/5551@from-trunk-00000002;1', 2), row('', 3)].join('\n');
    const { records, acc } = runCdr('Master.csv', Buffer.from(text));
    expect(records.map((r) => r.route)).toEqual(['alpha', 'Local/from-trunk', 'unknown']);
    expect(acc.notes.some((n) => n.includes('disagrees'))).toBe(false);
  });
});
