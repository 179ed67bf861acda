/**
 * Times given on the command line (`--since`, `--until`): ISO 8601, UTC unless the text carries an offset
 * (`2024-05-01T10:00:00Z`, `2024-05-01T13:00+03:00`, `2024-05-01 10:00`, a date alone is UTC midnight), or
 * epoch seconds (9–10 digits, with a fraction) or milliseconds (12–13 digits). A time without an offset is
 * never read in the machine's zone: the same command gives the same window on every machine.
 */
export function parseTime(s: string): number | undefined {
  const t = s.trim();
  if (/^\d{9,10}(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (/^\d{12,13}$/.test(t)) return Number(t);
  let iso = t;
  if (/^\d{4}-\d\d-\d\d$/.test(t)) iso = `${t}T00:00:00Z`;
  else if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?$/.test(t)) iso = `${t.replace(' ', 'T')}Z`;
  else if (!/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(t)) return undefined;
  // Date.parse rolls an impossible day over (2018-02-30 → 2018-03-02): the fields are checked first.
  const f = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d))?)?/.exec(iso.replace(' ', 'T'));
  if (!f) return undefined;
  const n = (i: number): number => Number(f[i] ?? 0);
  const daysInMonth = new Date(Date.UTC(n(1), n(2), 0)).getUTCDate();
  if (n(2) < 1 || n(2) > 12 || n(3) < 1 || n(3) > daysInMonth || n(4) > 23 || n(5) > 59 || n(6) > 59) return undefined;
  const ms = Date.parse(iso.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

