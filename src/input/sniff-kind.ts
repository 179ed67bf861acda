/**
 * The format of an input from its first bytes, synchronously (library API): pcap/pcapng magic, then
 * Asterisk log, then CDR CSV. The reader itself (open.ts) loads the log and CSV sniffers lazily.
 */
import { isAsteriskLog } from '../asterisk/index.js';
import { isCdrCsv } from '../cdr/index.js';
import { isCaptureHead, type SourceKind } from './open.js';

export function sniffKind(head: Uint8Array, opts: { columnMap?: Record<string, string> } = {}): SourceKind | undefined {
  if (isCaptureHead(head)) return 'capture';
  if (isAsteriskLog(head)) return 'asterisk-log';
  if (isCdrCsv(head, opts)) return 'cdr-csv';
  return undefined;
}
