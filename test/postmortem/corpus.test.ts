import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectCall, specsOf } from '../../src/postmortem/collect.js';
import { buildFlow } from '../../src/postmortem/ladder.js';
import { ScannerDetector } from '../../src/postmortem/scanners.js';
import { readAll } from '../../src/postmortem/collect.js';

const corpus = new URL('../../../shared/corpus/', import.meta.url);
const fixtures = new URL('../../fixtures/postmortem/', import.meta.url);

/** tshark `-Y sip -T fields -e frame.number -e sip.Method -e sip.Status-Code -e sip.Call-ID`, recorded once. */
function oracle(name: string): Map<string, Array<[number, string]>> {
  const by = new Map<string, Array<[number, string]>>();
  for (const line of readFileSync(new URL(`${name}.tsv`, fixtures), 'utf8').split('\n')) {
    if (!line) continue;
    const [frame, method, status, callId] = line.split('\t');
    const list = by.get(callId!) ?? [];
    list.push([Number(frame), method || status!]);
    by.set(callId!, list);
  }
  return by;
}

const ORACLES = readdirSync(fixtures).filter((f) => f.endsWith('.tsv')).map((f) => f.slice(0, -4));

describe.skipIf(!existsSync(corpus))('ladder order matches tshark (needs ../shared/corpus)', () => {
  for (const name of ORACLES) {
    it(name, async () => {
      const specs = await specsOf([new URL(`pcap/${name}`, corpus).pathname]);
      const want = oracle(name);
      expect(want.size).toBeGreaterThan(0);
      for (const [callId, rows] of want) {
        const got = await collectCall(specs, callId, { link: false });
        const flow = buildFlow(callId, got.legs);
        const seen = flow.messages.map((m): [number, string] => [m.message.position.packet ?? -1, m.message.isRequest ? m.message.method! : String(m.message.status)]);
        expect(seen, callId).toEqual(rows);
      }
    });
  }

  it('diagnoses real captures: 488 codec reject, auth failure, busy, cancel', async () => {
    const diag = async (file: string): Promise<Record<string, string[]>> => {
      const specs = await specsOf([new URL(`pcap/${file}`, corpus).pathname]);
      const out: Record<string, string[]> = {};
      for (const callId of oracle(file).keys()) {
        const got = await collectCall(specs, callId, { link: false, keepRaw: true });
        out[callId] = buildFlow(callId, got.legs).diagnosis.map((d) => d.id);
      }
      return out;
    };
    expect(Object.values(await diag('NormB__sipnab__sip-488-codec-reject.pcapng')).flat()).toContain('codec');
    expect(Object.values(await diag('Illyaluntik__FIIT-MTAA-zadanie-1__busy.pcap')).flat()).toEqual(['busy']);
    // despite its name this capture ends at the 200 OK of a proxied call: relayed once per hop, not retransmitted
    expect(Object.values(await diag('Illyaluntik__FIIT-MTAA-zadanie-1__cancel-accepted.pcap')).flat()).toEqual([]);
    expect(Object.values(await diag('NormB__sipnab__sip_call.pcap')).flat()).toEqual([]);
  });

  it('one-way audio where tshark -z rtp,streams shows RTP in one direction only, not where it shows both', async () => {
    const diag = async (file: string, callId: string): Promise<string[]> => {
      const specs = await specsOf([new URL(`pcap/${file}`, corpus).pathname]);
      const got = await collectCall(specs, callId, { link: false });
      return buildFlow(callId, got.legs).diagnosis.map((d) => d.id);
    };
    // tshark: only 10.0.2.15 → 10.0.2.20:6000 streams (425 and 414 packets)
    expect(await diag('NormB__sipnab__sip-rtp-g711.pcap', '1-1966@10.0.2.20')).toEqual(['one-way-audio']);
    expect(await diag('NormB__sipnab__sip-rtp-g722.pcap', '1-2161@10.0.2.20')).toEqual(['one-way-audio']);
    // tshark: 200.57.7.196 ⇄ 200.57.7.204 both ways
    expect(await diag('NormB__sipnab__SIP_CALL_RTP_G711.pcap', '12013223@200.57.7.195')).toEqual([]);
    // a hairpin through one host (offer and answer on 192.168.105.110): RTP both ways, direction not attributable
    expect(await diag('NormB__sipnab__SIP_DTMF2.cap', '25672@192.168.105.110')).toEqual([]);
  });

  it('refusals in real captures: an instant 603, and a 480 after a 183 announcement (not ringing) with Q.850 cause 21', async () => {
    const flow = async (file: string, callId: string) => {
      const specs = await specsOf([new URL(`pcap/${file}`, corpus).pathname]);
      const got = await collectCall(specs, callId, { link: false, keepRaw: true });
      return buildFlow(callId, got.legs).diagnosis;
    };
    // Brekeke OnDO answers 603 17 ms after the INVITE, after its 100 Trying only
    const declined = await flow('NormB__sipnab__SIP_DTMF2.cap', '5514@192.168.105.110');
    expect(declined.map((d) => [d.id, d.severity])).toEqual([['declined', 'warning']]);
    expect(declined[0]!.text.en).toContain('17 ms after the INVITE without ringing');
    // a carrier: 407, the retried INVITE, 183 "In band info available", 480 "Error" 43 ms later with cause 21
    const unavailable = await flow('irontec__sngrep__aaa.pcap', '11894297-4432a9f8@192.168.1.2');
    expect(unavailable.map((d) => d.id)).toEqual(['unavailable']);
    expect(unavailable[0]!.evidence.map((e) => e.what.en)).toEqual([
      'INVITE: request',
      '183 In band info available: only 43 ms before the 480: not ringing',
      '480 Error: 469 ms after the INVITE; from 212.242.33.35 (Cirpack/v4.38e (gw_sip)); Reason: Q.850 cause 21 (Call rejected)',
    ]);
    expect(unavailable[0]!.text.en).toContain('another cause, Q.850 21 (Call rejected)');
  });

  it('scanners: Asterisk security logs (brute force, user enumeration)', async () => {
    const det = new ScannerDetector();
    const files = ['crowdsecurity__hub__asterisk-bf__asterisk-bf.log', 'crowdsecurity__hub__asterisk-user-enum__asterisk-user-enum.log', 'fail2ban__fail2ban__asterisk.log'];
    const specs = await specsOf(files.map((f) => new URL(`asterisk/${f}`, corpus).pathname));
    await readAll(specs, { record: () => {}, security: (e) => det.security(e), message: (m) => det.message(m) }, { year: 2021 });
    const res = det.result();
    const bad = res.filter((r) => r.verdict !== 'ok');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.find((r) => r.address === '172.17.0.1')).toBeTruthy();
  });
});
