/**
 * The Call-IDs of records read from Asterisk Dial lines, which have no SIP Call-ID: `<marker>/<tech>/<peer>#<n>`
 * (`C-0000012a/SIP/alpha#1`; `L<line>/…` for a log without call markers), made by the Dial tracker (dial.ts).
 * Kept apart so that the commands can tell such an id from a SIP one without loading the reader.
 */
import type { CallRecord } from '../types.js';

/** `<marker>/<tech>/<peer>#<n>`: a marker with no `/`, a technology of letters and digits, n from 1. */
const DIAL_ID = /^[^/\s]+\/[A-Za-z][A-Za-z0-9_]*\/[^\s]*#[1-9][0-9]*$/;

/**
 * Whether `r` is a call attempt read from Dial lines: an id of that form and no signalling address (every
 * record of a SIP message, captured or dumped, has one).
 */
export function isDialRecord(r: CallRecord): boolean {
  return r.srcAddr === undefined && DIAL_ID.test(r.callId);
}
