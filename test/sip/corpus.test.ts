import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureSource } from '../../src/sip/capture-source.js';
import { WireCounter, parseSipStat } from '../../src/sip/wire.js';
import { flagNames, type CallRecord } from '../../src/types.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const pcapDir = `${corpus}pcap/`;
const oracleDir = `${corpus}pcap-oracle/`;

/**
 * Captures whose counts differ from tshark on purpose (see docs/sip.md "Deliberate differences"):
 * file → the responses we expect instead of the oracle's.
 */
const DELIBERATE: Record<string, Record<string, number>> = {
  // HEP3 on UDP/9060: tshark 4.0 shows it as data; we decode the SIP inside (INVITE → 100, 407; OPTIONS → 200).
  'sipcapture__hep-wireshark__hep.pcap': { '100': 1, '200': 1, '407': 1 },
};

function run(file: string, chunk: number): { wire: WireCounter; records: CallRecord[]; acc: ReturnType<typeof createCaptureSource>['accounting'] } {
  const wire = new WireCounter();
  const records: CallRecord[] = [];
  const src = createCaptureSource(file, { record: (r) => records.push(r), message: (m) => wire.add(m) }, {});
  const data = readFileSync(`${pcapDir}${file}`);
  for (let i = 0; i < data.length; i += chunk) src.push(data.subarray(i, Math.min(data.length, i + chunk)));
  src.end();
  return { wire, records, acc: src.accounting };
}

describe.skipIf(!existsSync(pcapDir))('wire counts equal tshark -z sip,stat (needs ../shared/corpus)', () => {
  const files = existsSync(pcapDir) ? readdirSync(pcapDir).sort() : [];
  for (const file of files) {
    const head = readFileSync(`${pcapDir}${file}`).subarray(0, 4);
    const magic = head.readUInt32BE(0);
    if (![0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(magic)) {
      it(`${file} is refused (not pcap/pcapng)`, () => {
        expect(() => run(file, 1 << 16)).toThrow(/not pcap/);
      });
      continue;
    }
    it(file, () => {
      const oracle = parseSipStat(readFileSync(`${oracleDir}${file}.sip_stat.txt`, 'utf8'));
      const { wire, acc } = run(file, 1 << 16);
      expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
      expect(wire.tsharkResponses()).toEqual(DELIBERATE[file] ?? oracle.responses);
      if (!DELIBERATE[file]) expect(wire.requests).toEqual(oracle.requests);
      // Odd-size chunks give the same result.
      const odd = run(file, 997);
      expect(odd.wire.toJSON()).toEqual(wire.toJSON());
    });
  }
});

/**
 * Call attempts found in the corpus captures: `route callee final-code flags`, reviewed against the
 * message flows (tshark -Y sip). Captures with no INVITE have no attempts.
 */
const ATTEMPTS: Record<string, string[]> = {
  'Illyaluntik__FIIT-MTAA-zadanie-1__cancel-accepted.pcap': [
    '192.168.100.207 android 200 Unfinished',
    '192.168.100.55 android 200 Unfinished',
  ],
  'Illyaluntik__FIIT-MTAA-zadanie-1__cancel-not-accepted.pcap': [
    '192.168.100.207 android 487 Retransmitted+Cancelled',
    '192.168.100.55 android 487 Cancelled',
  ],
  'Illyaluntik__FIIT-MTAA-zadanie-1__conference.pcap': [
    '192.168.100.207 android 200 Retransmitted',
    '192.168.100.56 iphone 200 -',
  ],
  'NormB__sipnab__Asterisk_ZFONE_XLITE.pcap': [
    '192.168.10.2 10008 200 AuthChallenged+ReInvite',
  ],
  'NormB__sipnab__DTMFsipinfo.pcap': [
    '213.192.59.75 echo 200 ReInvite+Unfinished',
  ],
  'NormB__sipnab__SIP_CALL_RTP_G711.pcap': [
    '200.57.7.204 francisco 0 Unfinished',
    '200.57.7.204 francisco 200 Unfinished',
  ],
  'NormB__sipnab__SIP_DTMF2.cap': [
    '192.168.105.105 2504 200 Unfinished+NoRtpFromCallee',
    '192.168.105.105 2504 603 -',
    '192.168.105.110 2504 200 Unfinished+NoRtpFromCallee',
  ],
  'NormB__sipnab__codec-negotiation.pcap': [
    '127.0.0.1 bob 200 ReInvite',
  ],
  'NormB__sipnab__h263-over-rtp.pcap': [
    '127.0.0.1 auto 200 Unfinished',
  ],
  'NormB__sipnab__invite-opus-bye.pcap': [
    '127.0.0.1 bob 200 -',
  ],
  'NormB__sipnab__metasploit-sip-invite-spoof.pcap': [
    '10.0.1.45 - 0 Unfinished',
  ],
  'NormB__sipnab__register-invite-reinvite-bye.pcap': [
    '127.0.0.1 bob 200 ReInvite',
  ],
  'NormB__sipnab__rtp-protocol.pcap': [
    '10.33.6.100 101 200 -',
  ],
  'NormB__sipnab__sip-488-codec-reject.pcapng': [
    '192.168.8.13 8802 488 AuthChallenged',
  ],
  'NormB__sipnab__sip-over-tcp.pcap': [
    '10.33.6.101 201 200 -',
  ],
  'NormB__sipnab__sip-proxy.pcap': [
    '10.33.6.100 101 200 -',
    '10.33.6.102 101 200 -',
  ],
  'NormB__sipnab__sip-routing-error.pcapng': [
    '172.16.98.101 telephone1 404 AuthChallenged',
    '172.16.98.101 telephone2 404 AuthChallenged',
  ],
  'NormB__sipnab__sip-rtp-g711.pcap': [
    '10.0.2.15 test 200 -',
    '10.0.2.15 test 200 Unfinished',
  ],
  'NormB__sipnab__sip-rtp-g722.pcap': [
    '10.0.2.15 test 200 -',
  ],
  'NormB__sipnab__sip-rtp-g729a.pcap': [
    '10.0.2.15 test 200 -',
  ],
  'NormB__sipnab__sip-rtp-opus-hybrid.pcap': [
    '10.0.2.15 test 200 Unfinished',
  ],
  'NormB__sipnab__sip-sdp-example.pcap': [
    '10.33.6.100 101 200 -',
  ],
  'NormB__sipnab__sip_call.pcap': [
    '10.0.0.2 1002 200 -',
  ],
  'OISF__suricata-verify__sip-body-frames__public-cloudshark-sip-s0.pcap': [
    '200.57.7.204 francisco 0 Unfinished',
    '200.57.7.204 francisco 200 Unfinished',
  ],
  'OISF__suricata-verify__sip-compact-form__sip_compact_form.pcap': [
    '2.2.2.2 97239287044 0 Unfinished',
  ],
  'OISF__suricata-verify__sip-header-multi-value__sip_header_multi_val.pcap': [
    '2.2.2.2 97239287044 0 Unfinished',
  ],
  'OISF__suricata-verify__sip-sdp__sdp.pcap': [
    '2.2.2.2 97239287044 200 Unfinished',
  ],
  'arkime__arkime__arkime_synthetic.pcap': [
    '10.0.46.1 bob 0 Unfinished',
  ],
  'irontec__sngrep__aaa.pcap': [
    '200.68.120.81 97239287044 408 Retransmitted+Cancelled',
    '212.242.33.35 0097239287044 403 AuthChallenged',
    '212.242.33.35 0097239287044 403 AuthChallenged+Retransmitted',
    '212.242.33.35 35104724 480 AuthChallenged+EarlyMedia',
  ],
  'irontec__sngrep__ipip.pcap': [
    '10.15.193.31 1bdaa608131517540000 200 NoAck+EarlyMedia',
  ],
  'ntop__nDPI__sip.pcap': [
    '200.68.120.81 97239287044 408 Retransmitted+Cancelled',
    '212.242.33.35 0097239287044 403 AuthChallenged',
    '212.242.33.35 0097239287044 403 AuthChallenged+Retransmitted',
    '212.242.33.35 35104724 480 AuthChallenged+EarlyMedia',
  ],
  'sipcapture__hep-wireshark__hep.pcap': [
    '192.168.1.2 nodejs 407 AuthChallenged',
  ],
  'sipcapture__heplify__ipip0.pcap': [
    '157.161.10.72 +3908351673002 0 Unfinished',
  ],
  'zeek__zeek__invalid-content-length.pcap': [
    '10.0.0.2 bob 200 Unfinished',
  ],
  'zeek__zeek__wireshark.pcap': [
    '200.68.120.81 97239287044 408 Retransmitted+Cancelled',
    '212.242.33.35 0097239287044 403 AuthChallenged',
    '212.242.33.35 0097239287044 403 AuthChallenged+Retransmitted',
    '212.242.33.35 35104724 480 AuthChallenged+EarlyMedia',
  ],
};

describe.skipIf(!existsSync(pcapDir))('call attempts in the corpus captures (needs ../shared/corpus)', () => {
  const files = existsSync(pcapDir) ? readdirSync(pcapDir).sort().filter((f) => !f.includes('c07-sip-r2')) : [];
  for (const file of files) {
    it(file, () => {
      const { records } = run(file, 1 << 16);
      const got = records.map((r) => `${r.route} ${r.callee ?? '-'} ${r.finalCode ?? 0} ${flagNames(r.flags).join('+') || '-'}`).sort();
      expect(got).toEqual(ATTEMPTS[file] ?? []);
      expect(run(file, 1).records).toEqual(records);
    });
  }
});

describe.skipIf(!existsSync(pcapDir))('real captures joined, cut and mixed with other traffic (needs ../shared/corpus)', () => {
  const bytes = (f: string): Buffer => readFileSync(`${pcapDir}${f}`);
  const push = (name: string, data: Uint8Array): ReturnType<typeof createCaptureSource>['accounting'] => {
    const src = createCaptureSource(name, { record: () => {}, message: () => {} }, {});
    src.push(data);
    src.end();
    return src.accounting;
  };

  it('two captures joined with cat, same byte order: both read (88 packets = 7 + 81), one note', () => {
    const a = push('a', bytes('NormB__sipnab__sip_call.pcap'));
    const b = push('b', bytes('zeek__zeek__wireshark.pcap'));
    const j = push('joined', Buffer.concat([bytes('NormB__sipnab__sip_call.pcap'), bytes('zeek__zeek__wireshark.pcap')]));
    expect(j.read).toBe(a.read + b.read);
    expect(j.sipMessages).toBe(a.sipMessages + b.sipMessages);
    expect(j.notes.filter((n) => n.startsWith('a second capture header'))).toHaveLength(1);
    expect(j.error).toBeUndefined();
  });

  it('a record length corrupted mid-file stops reading with an error that says where (no silent loss)', () => {
    const data = Buffer.from(bytes('NormB__sipnab__SIP_CALL_RTP_G711.pcap'));
    // the 5th record's captured length (records follow the 24-byte file header)
    let o = 24;
    for (let i = 0; i < 4; i++) o += 16 + data.readUInt32LE(o + 8);
    data.writeUInt32LE(10_000_000, o + 8);
    const acc = push('g711.pcap', data);
    expect(acc.error).toBe(`stopped reading at byte ${o}: record of 10000000 bytes`);
    expect(acc.read).toBe(5);
  });

  it('NetBIOS and DNS datagrams are not counted as RTP: tshark heuristic RTP in aaa.pcap is 9', () => {
    expect(push('aaa.pcap', bytes('irontec__sngrep__aaa.pcap')).ignoredBy.rtp).toBe(9);
    expect(push('arkime.pcap', bytes('arkime__arkime__arkime_synthetic.pcap')).ignoredBy.rtp ?? 0).toBe(0);
  });
});
