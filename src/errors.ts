/**
 * Errors that the CLI turns into one line on stderr and an exit code (no stack trace unless --debug).
 * Only an unreadable container or file throws; everything inside a readable input is counted instead.
 */
export const ExitCode = { Ok: 0, Failure: 1, Usage: 2, ThresholdBroken: 3 } as const;

export class SipscopeError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SipscopeError';
  }
}

/** Bad command line: exit 2. */
export class UsageError extends SipscopeError {
  constructor(message: string) {
    super(message, ExitCode.Usage, 'usage');
  }
}

/** A file that cannot be read or whose container is not recognised: exit 2, naming the file and position. */
export class InputError extends SipscopeError {
  /** The message without the file name (for places that name the file themselves). */
  readonly detail: string;

  constructor(
    readonly file: string,
    message: string,
    readonly offset?: number,
  ) {
    super(`${file}${offset === undefined ? '' : ` (byte ${offset})`}: ${message}`, ExitCode.Usage, 'input');
    this.detail = offset === undefined ? message : `byte ${offset}: ${message}`;
  }
}

/** A read or write error as a few words (the errno names users meet most, else the message). */
export function readErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a folder';
  if (e?.code === 'Z_DATA_ERROR' || e?.code === 'Z_BUF_ERROR') return `corrupt compressed data (${e.message})`;
  return e?.message ?? String(err);
}
