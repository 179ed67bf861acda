/** Timestamp text for the log and CDR writers (UTC). */

function p2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `2023-11-14 22:13:20`, optionally with `.123`. */
export function isoSpace(ms: number, withMs = false): string {
  const d = new Date(ms);
  const s =
    `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  if (!withMs) return s;
  const m = d.getUTCMilliseconds();
  return `${s}.${m < 10 ? '00' : m < 100 ? '0' : ''}${m}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 14 22:13:20` (the syslog-like stamp of older Asterisk logs; no year). */
export function monthDay(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return (
    `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' : ''}${day} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
  );
}
