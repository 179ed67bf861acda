/**
 * Push-based line splitter over bytes: chunks of any size in, one callback per line out.
 *
 * Lines are handed out as (buffer, start, end) views without the terminating LF or CR LF; the view is valid
 * only during the callback. A line that does not fit in `maxLine` bytes is reported once as too long
 * (with its first `maxLine` bytes) and the rest of it is skipped, so memory stays bounded whatever the input.
 */

export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number, offset: number, tooLong: boolean) => void;

export const DEFAULT_MAX_LINE = 64 * 1024;

export class LineSplitter {
  private carry: Buffer;
  private carryLen = 0;
  /** Inside an over-long line: skipping until the next LF. */
  private skipping = false;
  private lineNo = 0;
  /** Byte offset of the start of the line being assembled. */
  private lineOffset = 0;
  private consumed = 0;

  /** Where the line being handed out ends (the next one starts): reading resumes there after an error. */
  private resumeAt = 0;

  /**
   * `onError`: a line handler that throws costs that line: the error goes here and the next line is read
   * (without it, the error propagates). No try block around each call: one around the chunk's loop.
   */
  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLine = DEFAULT_MAX_LINE,
    private readonly onError?: (err: unknown) => void,
  ) {
    this.carry = Buffer.allocUnsafe(Math.min(4096, maxLine));
  }

  /** Lines delivered so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(input: Uint8Array): void {
    // Lines are handed out as Buffer views so that the few that become strings need no wrapper per line.
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
    const base = this.consumed;
    this.consumed += chunk.length;
    let pos = 0;
    for (;;) {
      try {
        this.scan(chunk, pos, base);
        return;
      } catch (err) {
        if (this.onError === undefined) throw err;
        this.onError(err);
        this.carryLen = 0;
        pos = this.resumeAt;
        this.lineOffset = base + pos;
      }
    }
  }

  private scan(chunk: Buffer, pos: number, base: number): void {
    const n = chunk.length;
    while (pos < n) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.resumeAt = n; // an over-long line reported from stash: the rest of the chunk is its own
        this.stash(chunk, pos, n, base);
        return;
      }
      if (this.skipping) {
        this.skipping = false;
        this.carryLen = 0;
        pos = nl + 1;
        this.lineOffset = base + pos;
        continue;
      }
      this.resumeAt = nl + 1;
      if (this.carryLen === 0) {
        if (nl - pos > this.maxLine) this.emit(chunk, pos, pos + this.maxLine, base + pos, true);
        else this.emit(chunk, pos, nl, base + pos, false);
      } else if (this.carryLen + (nl - pos) > this.maxLine) {
        this.emit(this.carry, 0, this.carryLen, this.lineOffset, true);
        this.carryLen = 0;
      } else {
        this.append(chunk, pos, nl);
        this.emit(this.carry, 0, this.carryLen, this.lineOffset, false);
        this.carryLen = 0;
      }
      pos = nl + 1;
      this.lineOffset = base + pos;
    }
  }

  /** Flush a last line that has no newline. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.carryLen = 0;
      return;
    }
    if (this.carryLen > 0) {
      this.emit(this.carry, 0, this.carryLen, this.lineOffset, false);
      this.carryLen = 0;
    }
  }

  private stash(chunk: Buffer, from: number, to: number, base: number): void {
    if (this.skipping) return;
    if (this.carryLen === 0) this.lineOffset = base + from;
    if (this.carryLen + (to - from) > this.maxLine) {
      // Report the over-long line now (first maxLine bytes) and skip to its end.
      const room = this.maxLine - this.carryLen;
      if (room > 0) this.append(chunk, from, from + room);
      this.skipping = true; // before the handler runs: the rest of the line is skipped even if it throws
      this.emit(this.carry, 0, this.carryLen, this.lineOffset, true);
      this.carryLen = 0;
      return;
    }
    this.append(chunk, from, to);
  }

  private append(src: Uint8Array, from: number, to: number): void {
    const need = this.carryLen + (to - from);
    if (need > this.carry.length) {
      let size = this.carry.length * 2;
      while (size < need) size *= 2;
      const next = Buffer.allocUnsafe(Math.min(Math.max(size, need), this.maxLine));
      next.set(this.carry.subarray(0, this.carryLen));
      this.carry = next;
    }
    this.carry.set(src.subarray(from, to), this.carryLen);
    this.carryLen = need;
  }

  private emit(buf: Buffer, start: number, end: number, offset: number, tooLong: boolean): void {
    this.lineNo++;
    if (!tooLong && end > start && buf[end - 1] === 13) end--;
    this.onLine(buf, start, end, this.lineNo, offset, tooLong);
  }
}
