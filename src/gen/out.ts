/**
 * Byte output for the writers: a reusable batch buffer flushed to a sink in large writes, so that a
 * gigabyte input is produced with constant memory and no per-packet allocation.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type FlushFn = (bytes: Uint8Array) => void;

export class ByteOut {
  buf: Buffer;
  pos = 0;
  /** Bytes flushed so far plus what is pending. */
  private flushed = 0;

  constructor(
    private readonly flushTo: FlushFn,
    size = 1 << 22,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get written(): number {
    return this.flushed + this.pos;
  }

  /** Makes room for n bytes at `pos` (the caller writes them and advances `pos`). */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Text as UTF-8. */
  text(s: string): void {
    this.reserve(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  flush(): void {
    if (this.pos === 0) return;
    this.flushTo(this.buf.subarray(0, this.pos));
    this.flushed += this.pos;
    this.pos = 0;
  }
}

/** A sink that writes synchronously to a file (the batch buffer is reused after each write). */
export function fileSink(path: string): { flush: FlushFn; close(): void } {
  const fd = openSync(path, 'w');
  return {
    flush(b) {
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** A sink that keeps copies of the batches, for small outputs (tests, fixtures). */
export function memorySink(): { flush: FlushFn; result(): Buffer } {
  const parts: Buffer[] = [];
  return {
    flush(b) {
      parts.push(Buffer.from(b));
    },
    result() {
      return Buffer.concat(parts);
    },
  };
}

/** Runs a writer into a Buffer. */
export function renderToBuffer(write: (out: ByteOut) => void): Buffer {
  const sink = memorySink();
  const out = new ByteOut(sink.flush, 1 << 16);
  write(out);
  out.flush();
  return sink.result();
}

/** Runs a writer into a file; returns the number of bytes written. */
export function renderToFile(path: string, write: (out: ByteOut) => void): number {
  const sink = fileSink(path);
  try {
    const out = new ByteOut(sink.flush);
    write(out);
    out.flush();
    return out.written;
  } finally {
    sink.close();
  }
}
