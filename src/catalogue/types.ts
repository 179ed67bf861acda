/** Shapes of the response-code catalogue. The data modules hold plain literals of these types. */

export type Lang = 'en' | 'ru';

/** A text in both languages of the catalogue. */
export interface Text {
  en: string;
  ru: string;
}

/** RFC 3261 §7.2: the class of a response is its first digit. */
export type CodeClass = 'provisional' | 'success' | 'redirection' | 'client' | 'server' | 'global';

/**
 * `iana`: registered in the IANA SIP response-code registry; `obsolete`: defined only by RFC 2543 and never
 * registered; `nonstandard`: not defined anywhere, but seen from real providers.
 */
export type CodeStatus = 'iana' | 'obsolete' | 'nonstandard';

export interface CodeData {
  code: number;
  /** Default reason phrase of the defining RFC / registry. */
  reason: string;
  /** Where the code is defined, e.g. `RFC 3261 §21.4.24`. */
  rfc: string;
  status: CodeStatus;
  /** Other standard spellings of the default phrase (older RFCs, registry renames, common variants). */
  aliases?: readonly string[];
  description: Text;
}

/** A provider-specific reason phrase: kept exactly as seen on the wire. */
export interface VariantData {
  code: number;
  reason: string;
  description: Text;
  /** Ids of hints (hints.ts) that apply to this phrase in particular. */
  hints?: readonly string[];
  /** Other spellings of the same provider phrase (a typo corrected: `Stale nonce` for the wire's `Stall nonce`). */
  aliases?: readonly string[];
}

export interface HintData {
  id: string;
  /** Codes the hint applies to whatever the phrase (empty for topic-only hints). */
  codes: readonly number[];
  /**
   * Makes the hint a topic of `explain` (a known problem looked up with no code): its title, and the keyword
   * rules that find it. A rule is terms joined by ` + `, all of which must occur in the query; a term is
   * alternatives joined by `|`. An alternative of letters matches any word that starts with it (`обрыв`
   * matches `обрываются`), or only that word when it starts with `=` (`=с` is not `сегодня`); one of digits
   * matches that number only (`30` is not `300`); digits and `s` match that number of seconds (`30s` matches
   * `30 s`, `30s`, `30 sec`, `30 секунд`, not `30 calls`). Words are compared lower-cased, `ё` as `е`.
   */
  topic?: { title: Text; rules: readonly string[] };
  /**
   * The hint describes the vendor's own failure (its routing, its database), so another vendor may complete
   * the call even when the code, by its standard meaning, is the callee's answer and is not re-routed
   * (`410 No Route`). `explain` then says both, instead of contradicting the hint.
   */
  vendorFailure?: boolean;
  /**
   * The mirror case: the hint puts the failure on the dialled number (wrong, or not existing), so another
   * vendor would give the same answer even when the code, by its standard meaning, is re-routed (`403 not
   * found`). `explain` then says so, instead of advising another vendor.
   */
  numberFailure?: boolean;
  text: Text;
}
