/**
 * A one-line progress bar on stderr (bytes read of total, rate, ETA), redrawn at most 10 times a second.
 * The CLI creates it only when stderr is a terminal and --no-progress was not given.
 */
export interface Progress {
  /** Total bytes expected (sum of file sizes; 0 when unknown, e.g. stdin). */
  setTotal(bytes: number): void;
  add(bytes: number): void;
  file(name: string): void;
  done(): void;
}

export const silentProgress: Progress = { setTotal() {}, add() {}, file() {}, done() {} };

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export function createProgressBar(total: number, write: (s: string) => void, now: () => number = () => performance.now()): Progress {
  const started = now();
  let read = 0;
  let last = 0;
  let current = '';
  let drawn = false;
  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - last < 100) return;
    last = t;
    const secs = Math.max((t - started) / 1000, 1e-3);
    const rate = read / secs;
    const width = 24;
    let bar = '';
    let tail = '';
    if (total > 0) {
      const frac = Math.min(read / total, 1);
      const fill = Math.round(frac * width);
      bar = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% `;
      const eta = rate > 0 ? Math.max(total - read, 0) / rate : 0;
      tail = ` ETA ${eta < 60 ? `${eta.toFixed(0)}s` : `${Math.floor(eta / 60)}m${Math.round(eta % 60)}s`}`;
    }
    const name = current.length > 40 ? '…' + current.slice(-39) : current;
    write(`\r\x1b[K${bar}${human(read)}${total > 0 ? ` of ${human(total)}` : ''} ${human(rate)}/s${tail} ${name}`);
    drawn = true;
  };
  return {
    setTotal(bytes) {
      total = bytes;
    },
    add(bytes) {
      read += bytes;
      draw(false);
    },
    file(name) {
      current = name;
      draw(false);
    },
    done() {
      if (drawn) write('\r\x1b[K');
    },
  };
}
