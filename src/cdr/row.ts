/**
 * One CSV record as offsets into a buffer: what both splitters (the byte-level fast path and the csv-parse
 * reference path) hand to the row interpreter. Strings are made only for the fields that are kept.
 */

/** Field kinds. */
export const RAW = 0;
/** Quoted field whose text holds doubled quotes (`""` → `"`). */
export const ESCAPED = 1;
/**
 * Quoted field broken by a lone quote (relaxed quoting): the value is `"` + the unescaped text up to the
 * lone quote (`fq`) + the bytes from that quote to the end of the field, as written (csv-parse `relax_quotes`).
 */
export const RELAXED = 2;

export class Row {
  buf: Buffer = Buffer.alloc(0);
  /** Number of fields. */
  n = 0;
  /** 1-based line of the record's first byte. */
  line = 0;
  /** Byte offset of the record in the (decompressed) input. */
  offset = 0;
  /** The whole buffer is ASCII (strings need no UTF-8 check). */
  ascii = false;
  /**
   * The record as written, without its line end: `rb[rs..re)`. A view into the input (`buf` on the fast
   * path); the row interpreter compares it with earlier rows to find rows written twice (dedupe.ts).
   */
  rb: Buffer = this.buf;
  rs = 0;
  re = 0;
  /** Offset of `rb[rs]` in the input the splitter was given. */
  ro = 0;
  fs: Int32Array;
  fe: Int32Array;
  fq: Int32Array;
  fk: Uint8Array;

  constructor(capacity: number) {
    this.fs = new Int32Array(capacity);
    this.fe = new Int32Array(capacity);
    this.fq = new Int32Array(capacity);
    this.fk = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.fs.length;
  }

  /** Fill from decoded strings (reference path and fallbacks): each field becomes RAW bytes. */
  setStrings(fields: readonly string[], line: number, offset: number): void {
    if (fields.length > this.fs.length) {
      const cap = Math.max(fields.length, this.fs.length * 2);
      this.fs = new Int32Array(cap);
      this.fe = new Int32Array(cap);
      this.fq = new Int32Array(cap);
      this.fk = new Uint8Array(cap);
    }
    let total = 0;
    for (const f of fields) total += Buffer.byteLength(f, 'utf8');
    const buf = Buffer.allocUnsafe(total);
    let p = 0;
    for (let i = 0; i < fields.length; i++) {
      this.fs[i] = p;
      p += buf.write(fields[i], p, 'utf8');
      this.fe[i] = p;
      this.fk[i] = RAW;
    }
    this.buf = buf;
    this.ascii = false;
    // The caller says where the record's own bytes are; until then, the fields as packed here.
    this.rb = buf;
    this.rs = 0;
    this.re = p;
    this.ro = offset;
    this.n = fields.length;
    this.line = line;
    this.offset = offset;
  }
}

/** A field's bytes after unquoting: `b[s..e)`. Filled by `view`; reused (do not keep). */
export interface FieldView {
  b: Buffer;
  s: number;
  e: number;
}

let scratch = Buffer.allocUnsafe(4096);

/** The unquoted bytes of field i (a view into the row, or into a shared scratch buffer). */
export function view(row: Row, i: number, out: FieldView): FieldView {
  const k = row.fk[i];
  const s = row.fs[i];
  const e = row.fe[i];
  if (k === RAW) {
    out.b = row.buf;
    out.s = s;
    out.e = e;
    return out;
  }
  const b = row.buf;
  if (scratch.length < e - s + 2) scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, e - s + 2));
  let o = 0;
  const q = k === RELAXED ? row.fq[i] : e;
  if (k === RELAXED) scratch[o++] = 34;
  for (let p = s; p < q; p++) {
    const c = b[p];
    scratch[o++] = c;
    if (c === 34 && p + 1 < q && b[p + 1] === 34) p++;
  }
  for (let p = q; p < e; p++) scratch[o++] = b[p];
  out.b = scratch;
  out.s = 0;
  out.e = o;
  return out;
}

const tmp: FieldView = { b: scratch, s: 0, e: 0 };

/** The text of field i (UTF-8). */
export function fieldString(row: Row, i: number): string {
  const v = view(row, i, tmp);
  return decode(v.b, v.s, v.e);
}

/** Buffer's own slicers (present on every Node Buffer; not in the type declarations). */
interface FastSlices extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const fc = String.fromCharCode;

/**
 * An ASCII string of b[s..e). For up to 32 bytes, String.fromCharCode with a fixed number of arguments builds
 * the string in JavaScript, two to three times faster than a call into Buffer's slicers (measured: 28 vs
 * 64–107 ns for call ids and phone numbers; up to 32 covers `hex@a.b.c.d` call ids, carrier CSV source
 * 619 → 588 ms CPU per million rows); longer ones use latin1Slice.
 */
export function asciiString(b: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return fc(b[s]);
    case 2:
      return fc(b[s], b[s + 1]);
    case 3:
      return fc(b[s], b[s + 1], b[s + 2]);
    case 4:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    case 17:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16]);
    case 18:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17]);
    case 19:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18]);
    case 20:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19]);
    case 21:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20]);
    case 22:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21]);
    case 23:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22]);
    case 24:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23]);
    case 25:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24]);
    case 26:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25]);
    case 27:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25], b[s + 26]);
    case 28:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25], b[s + 26], b[s + 27]);
    case 29:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25], b[s + 26], b[s + 27], b[s + 28]);
    case 30:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25], b[s + 26], b[s + 27], b[s + 28], b[s + 29]);
    case 31:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25], b[s + 26], b[s + 27], b[s + 28], b[s + 29], b[s + 30]);
    case 32:
      return fc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23], b[s + 24], b[s + 25], b[s + 26], b[s + 27], b[s + 28], b[s + 29], b[s + 30], b[s + 31]);
    default:
      return (b as FastSlices).latin1Slice(s, e);
  }
}

/** UTF-8 text of b[s..e), with a cheap path for short ASCII. */
export function decode(b: Buffer, s: number, e: number, ascii = false): string {
  if (ascii) return asciiString(b, s, e);
  if (e - s <= 32) {
    let or = 0;
    for (let p = s; p < e; p++) or |= b[p];
    // latin1Slice/utf8Slice skip toString's argument handling (a third of the cost on short fields).
    if (or < 0x80) return asciiString(b, s, e);
  }
  return (b as FastSlices).utf8Slice(s, e);
}

/** Empty after trimming blanks, or a NULL marker (`NULL`, `\N`). */
export function isNullBytes(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const n = e - s;
  if (n === 0) return true;
  if (n === 4) return (b[s] | 32) === 110 && (b[s + 1] | 32) === 117 && (b[s + 2] | 32) === 108 && (b[s + 3] | 32) === 108;
  return n === 2 && b[s] === 92 && b[s + 1] === 78;
}

/** Absent number (empty / NULL). */
export const NO_NUM = -1;
/** Unreadable number. */
export const BAD_NUM = -2;
/**
 * A number with a comma in it (`1,234`, `12,5`, `1.234,5`): a thousands separator or a decimal comma, which
 * only the file's convention can tell (the row interpreter decides; see docs/cdr.md).
 */
export const COMMA_NUM = -3;
/** A number whose comma could be either a thousands separator or a decimal comma, in a file that does not say. */
export const AMBIGUOUS_NUM = -4;

/**
 * A non-negative decimal number (`12`, `12.5`, ` 7 `), or NO_NUM / BAD_NUM, or COMMA_NUM when a comma
 * follows digits (never read here: whether `1,234` is 1234 or 1.234 depends on the file). With `leading`, a
 * number followed by text (`486 Busy Here`) gives its leading digits.
 */
export function numberBytes(b: Uint8Array, s: number, e: number, leading = false): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s === e) return NO_NUM;
  let p = s;
  let n = 0;
  let c = 0;
  while (p < e && (c = b[p]) >= 48 && c <= 57) {
    n = n * 10 + (c - 48);
    p++;
  }
  if (p === s) return isNullBytes(b, s, e) ? NO_NUM : BAD_NUM;
  if (p === e) return n;
  // Only numbers that are not whole get here: the checks below cost integers nothing.
  if (c === 44 && !leading) return COMMA_NUM;
  if (c === 46 || c === 44) {
    // Fraction.
    let q = p + 1;
    let scale = 0.1;
    let f = 0;
    while (q < e && (c = b[q]) >= 48 && c <= 57) {
      f += (c - 48) * scale;
      scale /= 10;
      q++;
    }
    if (q === e && q > p + 1) return n + f;
    if (c === 44 && !leading) return COMMA_NUM; // `1.234,5`
    return leading && q === p + 1 ? n : BAD_NUM;
  }
  return leading && (c === 32 || c === 9 || c === 59 || c === 45) ? n : BAD_NUM;
}

/** A number from field i (see numberBytes). */
export function fieldNumber(row: Row, i: number, leading = false): number {
  if (row.fk[i] === RAW) return numberBytes(row.buf, row.fs[i], row.fe[i], leading);
  const v = view(row, i, tmp);
  return numberBytes(v.b, v.s, v.e, leading);
}

/** Field i is empty or NULL. */
export function fieldIsNull(row: Row, i: number): boolean {
  if (row.fk[i] === RAW) return isNullBytes(row.buf, row.fs[i], row.fe[i]);
  const v = view(row, i, tmp);
  return isNullBytes(v.b, v.s, v.e);
}

/**
 * Strings for repeated values (routes, dispositions, causes) without a string per row: a small
 * open-addressing table keyed by the bytes. Stops learning new values past `limit` (unique columns).
 */
export class Interner<T> {
  private readonly keys: (Buffer | undefined)[];
  private readonly vals: T[];
  private readonly mask: number;
  private count = 0;

  constructor(
    private readonly make: (b: Buffer, s: number, e: number) => T,
    bits = 10,
    private readonly limit = 512,
  ) {
    this.keys = new Array<Buffer | undefined>(1 << bits).fill(undefined);
    this.vals = new Array<T>(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  get(b: Buffer, s: number, e: number): T {
    // A hash of the length and three bytes is enough to spread the few values such columns hold; the byte
    // comparison below settles equality, so the value is read once.
    const len = e - s;
    let slot = 0;
    if (len > 0) slot = Math.imul(len * 31 + b[s], 0x9e3779b1) ^ Math.imul(b[e - 1] * 131 + b[s + (len >> 1)], 0x85ebca6b);
    slot = (slot ^ (slot >>> 15)) & this.mask;
    for (let probe = 0; probe < 16; probe++) {
      const k = this.keys[slot];
      if (k === undefined) {
        const v = this.make(b, s, e);
        if (this.count < this.limit) {
          this.keys[slot] = Buffer.from(b.subarray(s, e));
          this.vals[slot] = v;
          this.count++;
        }
        return v;
      }
      if (k.length === len) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (k[i] !== b[s + i]) {
            same = false;
            break;
          }
        }
        if (same) return this.vals[slot];
      }
      slot = (slot + 1) & this.mask;
    }
    return this.make(b, s, e);
  }
}
