/**
 * Container recognition from the first bytes, never from the file name (captures named `.pcap`
 * are often pcapng). Anything that is not pcap/pcapng is named when it is a known kind, so that the
 * user gets one line that says what the file is.
 */

export type CaptureContainer =
  | { kind: 'pcap'; littleEndian: boolean; nanos: boolean; /** Kuznetzov's patched format: 8 more bytes per record header. */ extended: boolean }
  | { kind: 'pcapng' };

/** Bytes needed to decide. */
export const SNIFF_BYTES = 4;

/** The capture container of a file starting with `head` (≥ 4 bytes), or null. */
export function sniffCapture(head: Uint8Array): CaptureContainer | null {
  if (head.length < 4) return null;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const le = ((head[3]! << 24) | (head[2]! << 16) | (head[1]! << 8) | head[0]!) >>> 0;
  if (be === 0x0a0d0d0a) return { kind: 'pcapng' };
  for (const [v, littleEndian] of [[le, true], [be, false]] as const) {
    if (v === 0xa1b2c3d4) return { kind: 'pcap', littleEndian, nanos: false, extended: false };
    if (v === 0xa1b23c4d) return { kind: 'pcap', littleEndian, nanos: true, extended: false };
    if (v === 0xa1b2cd34) return { kind: 'pcap', littleEndian, nanos: false, extended: true };
  }
  return null;
}

/** Could `head` (fewer than 4 bytes) still become a capture magic? */
export function couldBeCapture(head: Uint8Array): boolean {
  const magics = [
    [0x0a, 0x0d, 0x0d, 0x0a], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d], [0x34, 0xcd, 0xb2, 0xa1], [0xa1, 0xb2, 0xcd, 0x34],
  ];
  return magics.some((m) => head.every((b, i) => m[i] === b));
}

/** A one-line description of a file that is not a capture (`head` = its first bytes). */
export function describeNonCapture(head: Uint8Array): string {
  const ascii = (s: string) => s.length <= head.length && [...s].every((c, i) => head[i] === c.charCodeAt(0));
  if (head.length === 0) return 'empty file, not a pcap/pcapng capture';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed data reached the capture reader; it should have been decompressed on input';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd-compressed data; decompress it first (zstd -d)';
  if (ascii('BZh')) return 'bzip2-compressed data; decompress it first (bunzip2)';
  if (head[0] === 0xfd && ascii('\xfd7zXZ')) return 'xz-compressed data; decompress it first (xz -d)';
  if (ascii('PK\x03\x04')) return 'a zip archive; extract the capture first';
  if (ascii('GMBU')) return 'a Microsoft Network Monitor 2.x capture, not pcap/pcapng; convert it with `editcap -F pcapng`';
  if (ascii('RTSS')) return 'a Microsoft Network Monitor 1.x capture, not pcap/pcapng; convert it with `editcap -F pcapng`';
  if (ascii('snoo')) return 'a Sun snoop capture, not pcap/pcapng; convert it with `editcap -F pcapng`';
  if (ascii('XCP\0')) return 'a NetXRay/Sniffer capture, not pcap/pcapng; convert it with `editcap -F pcapng`';
  if (ascii('TRSN')) return 'a Sniffer capture, not pcap/pcapng; convert it with `editcap -F pcapng`';
  if (head.length >= 4 && head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))
    return 'text, not a pcap/pcapng capture';
  const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `not a pcap/pcapng capture (starts with 0x${hex})`;
}
