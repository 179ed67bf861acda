/**
 * Numbers with a comma in a CDR field (`"1,234"`, `12,5`, `1.234,5`): a thousands separator or a decimal
 * comma. The byte-level reader (row.ts `numberBytes`) reads plain numbers and hands these over as
 * COMMA_NUM; they are rare, so they are read here, from text, by the file's convention:
 *
 * - the number columns of the first rows prove one when a value can only be read one way (`12,5`, `0,25`,
 *   `1.234,5` are decimal commas; `1,234,567`, `1,234.5` are thousands separators);
 * - else the delimiter tells: a `,`-delimited file can hold a comma in a number only inside quotes, which is
 *   how Excel writes thousands separators (`"1,234"`); `;` is the delimiter of decimal-comma locales;
 * - else (tab, `|`, or first rows that use the comma both ways) there is no convention: a value that reads
 *   only one way is read that way, and one that could be either (`1,234`: 1234 or 1.234) is refused
 *   (AMBIGUOUS_NUM): the row interpreter leaves that value unknown and says where. A number is never read
 *   silently in a way the file does not say.
 *
 * A dot is a decimal point (`1.234` is 1.234), except in a decimal-comma file that shows dots grouping
 * thousands, or whose decimal comma a value proves (its writer writes no dot fractions): there `1.234` is 1234
 * (see `dotsProof` and the row interpreter's `dotNum`).
 */
import { AMBIGUOUS_NUM, BAD_NUM } from './row.js';

export type CommaConvention = 'thousands' | 'decimal';

/** `1,234`, `12,345,678`, `1,234.5`: groups of three after a first group of one to three digits (not 0). */
const THOUSANDS = /^[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?$/;
/** Thousands separators that cannot be a decimal comma: two or more groups, or a dot fraction after them. */
const THOUSANDS_ONLY = /^[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]+)?|,[0-9]{3}\.[0-9]+)$/;
/** `12,5`, `0,25`, `1234,5`. */
const DECIMAL = /^[0-9]+,[0-9]+$/;
/** `1.234,5`: dots grouping thousands, a decimal comma. */
const DECIMAL_DOTS = /^[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+$/;

/** `1.234`, `12.345.678`: dots that may group thousands (or be a decimal point before three digits). */
const DOT_GROUPS = /^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$/;
/** `12.5`, `0.850`: a number with a dot fraction (a decimal point unless it matches DOT_GROUPS). */
const DOT_POINT = /^[0-9]+\.[0-9]+$/;
/** `1.234,5`, `1.234.567`: dots that can only group thousands. */
const DOTS_ONLY = /^[1-9][0-9]{0,2}(?:(?:\.[0-9]{3})+,[0-9]+|(?:\.[0-9]{3}){2,})$/;

/** Whether a trimmed value could be a whole number with dots grouping thousands (`1.234`, `12.345.678`). */
export function dotGrouped(t: string): boolean {
  return DOT_GROUPS.test(t);
}

/** Whether a trimmed value proves that dots group thousands in its file (`1.234,5`, `1.234.567`). */
export function dotsProof(t: string): boolean {
  return DOTS_ONLY.test(t);
}

/**
 * Whether a trimmed value is a number in some convention (digits; a dot fraction; dots grouping thousands; a comma
 * value with a reading): then a value its file's convention refuses is unsure, not junk (`1.2.3`, `12,12,12`).
 */
export function readsSomeWay(t: string): boolean {
  if (t.indexOf(',') >= 0) return commaReadings(t) !== undefined;
  return /^[0-9]+$/.test(t) || DOT_POINT.test(t) || DOT_GROUPS.test(t);
}

/** How a value with a comma can be read: one way, either way, or not at all (undefined). */
export function commaReadings(t: string): CommaConvention | 'either' | undefined {
  const thousands = THOUSANDS.test(t);
  const decimal = DECIMAL.test(t) || DECIMAL_DOTS.test(t);
  if (thousands && decimal) return 'either';
  return thousands ? 'thousands' : decimal ? 'decimal' : undefined;
}

/** Whether a value proves the file's convention (it can be read only one way), and which. */
export function commaProof(t: string): CommaConvention | undefined {
  if (t.indexOf(',') < 0) return undefined;
  if (THOUSANDS_ONLY.test(t)) return 'thousands';
  const r = commaReadings(t);
  return r === 'decimal' ? 'decimal' : undefined;
}

/** The value of `t` read as `as` (a reading `commaReadings` allowed). */
function valueAs(t: string, as: CommaConvention): number {
  return as === 'thousands' ? Number(t.replace(/,/g, '')) : Number(t.replace(/\./g, '').replace(',', '.'));
}

export interface CommaRead {
  /** The value, or BAD_NUM (no reading the convention allows), or AMBIGUOUS_NUM. */
  value: number;
  /** How it was read, when it was. */
  as?: CommaConvention;
}

/** A trimmed value with a comma, read by the file's convention (undefined: none known). */
export function readCommaNumber(t: string, conv: CommaConvention | undefined): CommaRead {
  const r = commaReadings(t);
  if (r === undefined) return { value: BAD_NUM };
  if (conv !== undefined) return r === conv || r === 'either' ? { value: valueAs(t, conv), as: conv } : { value: BAD_NUM };
  if (r === 'either') return { value: AMBIGUOUS_NUM };
  return { value: valueAs(t, r), as: r };
}

/** Why a value with a comma was refused, for the anomaly sample (after `Column = "value"`). */
export function commaProblem(t: string, conv: CommaConvention | undefined, why: string): string {
  const r = commaReadings(t);
  if (r === undefined) return 'not a number';
  if (conv === undefined) {
    return `${valueAs(t, 'thousands')} with a thousands separator or ${valueAs(t, 'decimal')} with a decimal comma? ${why.charAt(0).toUpperCase()}${why.slice(1)}`;
  }
  return conv === 'thousands'
    ? `a comma in a number is a thousands separator in this file (${why}), and this value is not grouped in threes`
    : `a comma in a number is a decimal comma in this file (${why}), and this value is not one`;
}

export interface CommaConventionGuess {
  comma: CommaConvention | undefined;
  /** Why, for the notes and the anomaly samples. */
  why: string;
  /** The value that proved a decimal comma (`12,5`). */
  decimal?: string;
  /** A decimal-comma file whose first rows show dots grouping thousands: the value that shows it (`1.234,5`). */
  dots?: string;
  /** A value of the first rows whose dot can only be a decimal point (`12.5`, `0.850`): the first one. */
  point?: string;
  /** A note to write at detection (first rows that use the comma both ways). */
  note?: string;
}

const DELIM_TEXT: Record<number, string> = { 44: "','", 59: "';'", 9: 'tab', 124: "'|'" };

/**
 * The file's convention for a comma in a number: from the values of its number columns in the first rows
 * when one of them can be read only one way, else from the delimiter (`,` thousands, `;` decimal), else none.
 */
export function guessCommaConvention(values: readonly string[], delim: number | undefined): CommaConventionGuess {
  let thousands: string | undefined;
  let decimal: string | undefined;
  let dots: string | undefined;
  let point: string | undefined;
  for (const v of values) {
    const p = commaProof(v);
    if (p === 'thousands') thousands ??= v;
    else if (p === 'decimal') decimal ??= v;
    if (v.indexOf('.') >= 0) {
      if (dots === undefined && dotsProof(v)) dots = v;
      else if (point === undefined && DOT_POINT.test(v) && !DOT_GROUPS.test(v)) point = v;
    }
  }
  if (thousands !== undefined && decimal !== undefined) {
    const why = `the first rows use the comma both ways (${JSON.stringify(decimal)}, ${JSON.stringify(thousands)})`;
    return { comma: undefined, why, note: `numbers: ${why}; a value whose comma could be either is not read (left unknown)` };
  }
  const dotted = { ...(dots === undefined ? {} : { dots }), ...(point === undefined ? {} : { point }) };
  if (decimal !== undefined) return { comma: 'decimal', why: `the first rows prove it: ${JSON.stringify(decimal)}`, decimal, ...dotted };
  if (thousands !== undefined) return { comma: 'thousands', why: `the first rows prove it: ${JSON.stringify(thousands)}` };
  if (delim === 44) return { comma: 'thousands', why: "the file is ','-delimited, where a comma inside a quoted number is a thousands separator (\"1,234\")" };
  if (delim === 59) return { comma: 'decimal', why: "the file is ';'-delimited, the convention of decimal-comma locales (\"12,5\")", ...dotted };
  const d = delim === undefined ? 'unknown' : (DELIM_TEXT[delim] ?? `byte ${delim}`);
  return { comma: undefined, why: `neither the delimiter (${d}) nor the first rows tell whether a comma in a number is a thousands separator or a decimal comma` };
}
