/**
 * The dialogs of one Call-ID. A Call-ID is normally one call, but a dialer or a SIPp scenario may reuse it for a new
 * call: a new initial INVITE with another From-tag is a new dialog (RFC 3261 §12), and the call tracker makes it a new
 * attempt (`otherDialog`). `flow` splits such a Call-ID where the tracker begins a new attempt, so that each call is
 * drawn and diagnosed as what it was, not one call's 486 for the whole Call-ID when the next call on it was answered:
 *
 * - a new dialog begins at an initial INVITE (no To-tag) whose From-tag differs from every earlier one, both
 *   present (`otherDialog`), on a hop where an open dialog sent its INVITE, or once every earlier dialog is over
 *   (`dialogGroups`). Another From-tag on another hop while a dialog is open is a hop of that dialog: an SBC or
 *   B2BUA that keeps the Call-ID but writes its own From-tag, as the tracker sees it too. An INVITE with no
 *   From-tag (RFC 2543) proves nothing;
 * - a message belongs to the dialog of the initial INVITE whose From-tag is its From-tag (the caller's requests and
 *   every response to them), else its To-tag (the callee's requests): the tag test of the tracker's `mayBelongTo`,
 *   done as a lookup of both tags. One with no From-tag may belong to any: it goes to the dialog begun last before
 *   it (the one open then). One whose tags name no INVITE of the input is of a dialog whose INVITE the capture
 *   missed: it makes a dialog of its own, which takes the later messages that carry either of its tags.
 *
 * Fewer than two dialogs: one part, the whole list, as before.
 */
import type { CallRecord, Position, SipMessage } from '../types.js';

export interface DialogPart {
  /** The From-tag of its initial INVITE; undefined for a dialog whose INVITE is not in the input. */
  fromTag?: string;
  /** Whether its initial INVITE is in the input. */
  invite: boolean;
  /** Indexes of its messages in the leg's list, in order. */
  indices: number[];
  /** The call records (attempts) of the dialog: those whose INVITE is one of its messages. */
  records: CallRecord[];
}

const isInitialInvite = (m: SipMessage): boolean => m.isRequest && m.method === 'INVITE' && m.toTag === undefined;

/** A message's place in its input, as a record's `source` names its INVITE. */
const placeKey = (p: Position): string => `${p.file}\0${p.packet ?? ''}\0${p.line ?? ''}\0${p.offset ?? ''}`;

/** A hop, as the tracker's `sameHop` tells it for an INVITE with another From-tag: both addresses and ports. */
const hopKey = (m: SipMessage): string => `${m.src}\0${m.srcPort}\0${m.dst}\0${m.dstPort}`;

/** Final responses to an INVITE after which the same dialog goes on: a retry with credentials, a new Session-Expires, a glare. */
const RETRIED = new Set([401, 407, 422, 491]);

/**
 * Which dialog each initial INVITE's From-tag starts or joins: dialog numbers, from 0 in the order they began. This is
 * the tracker's rule: a new From-tag on an initial INVITE is a new dialog only on a hop where an earlier dialog
 * still open has sent its INVITE (`otherDialog` is checked only against a leg of the same hop), or once every
 * earlier dialog is over (the tracker buried them: a final failure of the INVITE, or the BYE answered). On another
 * hop while a dialog is open, it is a hop of that dialog: an SBC or B2BUA that keeps the Call-ID but writes its own
 * From-tag (FreeSWITCH with `sip_outgoing_call_id`, a Call-ID pass-through), which the tracker makes a hop record
 * of the same attempt. One pass, a map lookup per message, and for each new From-tag a walk over the dialogs so far
 * (one per new call on the Call-ID: a scanner's thousands of INVITEs make this quadratic in their number).
 */
function dialogGroups(messages: readonly SipMessage[]): Map<string, number> {
  const group = new Map<string, number>(); // a From-tag of an initial INVITE → its dialog
  const hops: Array<Set<string>> = []; // per dialog: the hops its INVITEs took
  const open: number[] = []; // per dialog: how many of its From-tags (one per hop that writes its own) are not over
  const tagOpen = new Map<string, boolean>();
  const close = (tag: string): void => {
    if (tagOpen.get(tag) !== true) return;
    tagOpen.set(tag, false);
    open[group.get(tag)!]!--;
  };
  for (const m of messages) {
    if (m.fromTag === undefined) continue;
    if (isInitialInvite(m)) {
      const hop = hopKey(m);
      let g = group.get(m.fromTag);
      if (g === undefined) {
        // the open dialog begun last; a new one if the INVITE is on one of an open dialog's hops, or none is open
        let last: number | undefined;
        let sameHop = false;
        for (let i = 0; i < hops.length; i++) {
          if (open[i] === 0) continue;
          last = i;
          if (hops[i]!.has(hop)) sameHop = true;
        }
        if (last === undefined || sameHop) {
          g = hops.length;
          hops.push(new Set());
          open.push(0);
        } else g = last;
        group.set(m.fromTag, g);
      }
      hops[g]!.add(hop);
      // a retry of the same dialog reopens it
      if (tagOpen.get(m.fromTag) !== true) {
        tagOpen.set(m.fromTag, true);
        open[g]!++;
      }
      continue;
    }
    // the end of a dialog on a hop: its INVITE failed for good, or a BYE of it was answered
    if (m.isRequest || m.status === undefined || m.status < 200) continue;
    if (m.cseqMethod === 'INVITE' && m.status >= 300 && !RETRIED.has(m.status)) close(m.fromTag);
    else if (m.cseqMethod === 'BYE') {
      // a BYE from either side: the hop's tag is its From-tag or its To-tag
      if (group.has(m.fromTag)) close(m.fromTag);
      else if (m.toTag !== undefined && group.has(m.toTag)) close(m.toTag);
    }
  }
  return group;
}

/**
 * A leg's messages (in order) and records split into dialogs, in the order they began (their first message). One
 * part holding everything when the Call-ID carries one dialog. Linear in the messages and records (lookups by tag
 * and by place: a scanner may put thousands of INVITEs on one Call-ID).
 */
export function splitDialogs(messages: readonly SipMessage[], records: readonly CallRecord[]): DialogPart[] {
  // the From-tag of every initial INVITE → its dialog (a hop's own tag included, under the dialog it joined)
  const group = dialogGroups(messages);
  const first = new Map<number, string>(); // a dialog → the From-tag of its first INVITE, which names it
  for (const m of messages) {
    if (!isInitialInvite(m) || m.fromTag === undefined) continue;
    const g = group.get(m.fromTag)!;
    if (!first.has(g)) first.set(g, m.fromTag);
  }
  if (first.size < 2) {
    const tag = first.get(0);
    return [{ ...(tag !== undefined ? { fromTag: tag } : {}), invite: tag !== undefined, indices: messages.map((_, i) => i), records: [...records] }];
  }
  const inviteTags = [...first.values()];

  const parts: DialogPart[] = [];
  const byGroup = new Map<number, DialogPart>(); // a dialog's number (dialogGroups) → its part
  const noInvite = new Map<string, DialogPart>(); // either tag of a dialog whose INVITE the input lacks → it
  let open: DialogPart | undefined; // the dialog begun last
  const begin = (d: DialogPart): DialogPart => {
    parts.push(d);
    open = d;
    return d;
  };
  const ofInvite = (tag: string): DialogPart => {
    const g = group.get(tag)!;
    let d = byGroup.get(g);
    if (d === undefined) {
      d = begin({ fromTag: first.get(g)!, invite: true, indices: [], records: [] });
      byGroup.set(g, d);
    }
    return d;
  };
  const partOf: DialogPart[] = [];
  messages.forEach((m, i) => {
    let d: DialogPart | undefined;
    if (m.fromTag === undefined) {
      // no From-tag proves nothing: the dialog open at that time (the first one, before any began)
      d = open ?? ofInvite(inviteTags[0]!);
    } else {
      // the dialog of an INVITE of the input whose From-tag is the message's From-tag (the caller's requests,
      // every response to them), else its To-tag (the callee's requests)
      const tag = group.has(m.fromTag) ? m.fromTag : m.toTag !== undefined && group.has(m.toTag) ? m.toTag : undefined;
      if (tag !== undefined) d = ofInvite(tag);
      else {
        // else a dialog whose INVITE the input lacks: one met before that either of its tags names, or a new one
        d = noInvite.get(m.fromTag) ?? (m.toTag !== undefined ? noInvite.get(m.toTag) : undefined);
        if (d === undefined) {
          d = begin({ invite: false, indices: [], records: [] });
          noInvite.set(m.fromTag, d);
          if (m.toTag !== undefined && !noInvite.has(m.toTag)) noInvite.set(m.toTag, d);
        }
      }
    }
    d.indices.push(i);
    partOf.push(d);
  });

  const place = new Map<string, number>();
  messages.forEach((m, i) => {
    const k = placeKey(m.position);
    if (!place.has(k)) place.set(k, i);
  });
  for (const r of records) {
    const at = place.get(placeKey(r.source));
    // a record whose INVITE is not among the messages: the dialog begun last at its start
    const d = (at !== undefined ? partOf[at] : undefined) ?? [...parts].reverse().find((p) => messages[p.indices[0]!]!.ts <= r.start) ?? parts[0]!;
    d.records.push(r);
  }
  // begun at their first message: already in order
  return parts;
}
