/**
 * The dialogs of one Call-ID. A Call-ID is normally one call, but a dialer or a SIPp scenario may reuse it for a new
 * call: a new initial INVITE with another From-tag is a new dialog (RFC 3261 §12), and the call tracker makes it a new
 * attempt (`otherDialog`). `flow` splits such a Call-ID by the tracker's own rules, so that each call is drawn and
 * diagnosed as what it was, not one call's 486 for the whole Call-ID when the next call on it was answered:
 *
 * - a new dialog begins at an initial INVITE (no To-tag) whose From-tag differs from every earlier one, both
 *   present (`otherDialog`); an INVITE with no From-tag (RFC 2543) proves nothing;
 * - a message belongs to the dialog whose INVITE's From-tag is its From-tag or its To-tag (`mayBelongTo`). One with
 *   no From-tag may belong to any: it goes to the dialog begun last before it (the one open then). One whose tags
 *   name no INVITE of the input is of a dialog whose INVITE the capture missed: it makes a dialog of its own,
 *   which takes the later messages that carry either of its tags.
 *
 * Fewer than two From-tags on initial INVITEs: one dialog, the whole list, as before.
 */
import { mayBelongTo } from '../sip/tracker.js';
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

/**
 * A leg's messages (in order) and records split into dialogs, in the order they began (their first message). One
 * part holding everything when the Call-ID carries one dialog. Linear in the messages and records (lookups by tag
 * and by place: a scanner may put thousands of INVITEs on one Call-ID).
 */
export function splitDialogs(messages: readonly SipMessage[], records: readonly CallRecord[]): DialogPart[] {
  // The From-tags of initial INVITEs: each one another than every earlier one's begins a new dialog (the tracker's
  // otherDialog against each of them, as a set lookup); an INVITE with no From-tag proves nothing.
  const inviteTags: string[] = [];
  const known = new Set<string>();
  for (const m of messages) {
    if (!isInitialInvite(m) || m.fromTag === undefined || known.has(m.fromTag)) continue;
    known.add(m.fromTag);
    inviteTags.push(m.fromTag);
  }
  if (inviteTags.length < 2) return [{ ...(inviteTags.length ? { fromTag: inviteTags[0] } : {}), invite: inviteTags.length > 0, indices: messages.map((_, i) => i), records: [...records] }];

  const parts: DialogPart[] = [];
  const byTag = new Map<string, DialogPart>(); // an INVITE's From-tag → its dialog
  const noInvite = new Map<string, DialogPart>(); // either tag of a dialog whose INVITE the input lacks → it
  let open: DialogPart | undefined; // the dialog begun last
  const begin = (d: DialogPart): DialogPart => {
    parts.push(d);
    open = d;
    return d;
  };
  const ofInvite = (tag: string): DialogPart => {
    let d = byTag.get(tag);
    if (d === undefined) {
      d = begin({ fromTag: tag, invite: true, indices: [], records: [] });
      byTag.set(tag, d);
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
      // the dialog of an INVITE of the input that may hold it (mayBelongTo): its From-tag is the message's
      // From-tag (the caller's requests, every response to them), else its To-tag (the callee's requests)
      const tag = [m.fromTag, m.toTag].find((t) => t !== undefined && known.has(t) && mayBelongTo(t, m));
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
