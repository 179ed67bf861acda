/**
 * `--routes FILE`: maps next-hop addresses to vendor route names.
 *
 *   # comment
 *   match,route
 *   203.0.113.7,VendorA   # a comment after a blank, too
 *   198.51.100.0/24,VendorB
 *   2001:db8::/32,VendorC
 *
 * `match` is an IPv4/IPv6 address or CIDR block; the longest matching prefix wins.
 *
 * Every line is checked, and a file with a wrong line is refused (an InputError naming the file and the
 * line) rather than read in part: a routes file decides which vendor is blamed. That includes two lines
 * that give the same address or prefix (however written: `10.0.0.1/8` is `10.0.0.0/8`, `2001:DB8::1` is
 * `2001:db8::1`) to two different routes: no line silently wins. The same mapping written twice is
 * accepted. A more specific prefix inside a wider one is no conflict: that is what longest-prefix is for.
 * See docs/routes.md.
 */
import { InputError } from './errors.js';
import { parseAddr } from './net/payload.js';

interface Table {
  /** Prefix lengths present, longest first. */
  lengths: number[];
  byLength: Map<number, Map<string, string>>;
}

function newTable(): Table {
  return { lengths: [], byLength: new Map() };
}

/** Key of the first `bits` bits of an address. */
function prefixKey(a: Uint8Array, bits: number): string {
  let k = '';
  const full = bits >> 3;
  for (let i = 0; i < full; i++) k += a[i]!.toString(16).padStart(2, '0');
  const rem = bits & 7;
  if (rem) k += (a[full]! & ((0xff << (8 - rem)) & 0xff)).toString(16).padStart(2, '0');
  return k;
}

function unquote(s: string): string {
  s = s.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replace(/""/g, '"').trim();
  return s;
}

/** The line without a comment: `#` at its start or after a blank, outside quotes (`"Vendor #2"` keeps its `#`). */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i);
  }
  return line;
}

/** Splits a CSV line of two fields (the route may be quoted and contain commas). */
function splitTwo(line: string): [string, string] | undefined {
  const comma = line.indexOf(',');
  if (comma < 0) return undefined;
  return [unquote(line.slice(0, comma)), unquote(line.slice(comma + 1))];
}

export function loadRoutes(text: string, file: string): (addr: string) => string | undefined {
  const v4 = newTable();
  const v6 = newTable();
  let header = false;
  /** Where each address/prefix was mapped: `4/24/c63364` → its first line. */
  const seen = new Map<string, { line: number; match: string; route: string }>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').replace(/^\uFEFF/, '');
    const t = withoutComment(line).trim();
    if (t === '') continue;
    const where = `line ${i + 1}`;
    const f = splitTwo(t);
    if (!header) {
      if (!f || f[0].toLowerCase() !== 'match' || f[1].toLowerCase() !== 'route') {
        throw new InputError(file, `${where}: expected the header "match,route", found "${t.slice(0, 60)}"`);
      }
      header = true;
      continue;
    }
    if (!f) throw new InputError(file, `${where}: expected "match,route", found "${t.slice(0, 60)}"`);
    const [match, route] = f;
    if (!route) throw new InputError(file, `${where}: empty route name for "${match}"`);
    const slash = match.indexOf('/');
    const addrText = slash < 0 ? match : match.slice(0, slash);
    const addr = parseAddr(addrText);
    if (!addr) throw new InputError(file, `${where}: "${match}" is not an IPv4/IPv6 address or CIDR`);
    const max = addr.length * 8;
    let bits = max;
    if (slash >= 0) {
      const b = match.slice(slash + 1);
      if (!/^\d{1,3}$/.test(b) || Number(b) > max) throw new InputError(file, `${where}: bad prefix length in "${match}"`);
      bits = Number(b);
    }
    const key = prefixKey(addr, bits);
    const id = `${addr.length}/${bits}/${key}`;
    const prev = seen.get(id);
    if (prev !== undefined) {
      if (prev.route !== route) {
        const what = bits === max ? 'address' : 'prefix';
        throw new InputError(
          file,
          `${where}: ${JSON.stringify(match)} → ${JSON.stringify(route)} conflicts with line ${prev.line}: ${JSON.stringify(prev.match)} → ${JSON.stringify(prev.route)} ` +
            `(the same ${what}, two routes): neither line wins; keep the right one and delete the other`,
        );
      }
      continue;
    }
    seen.set(id, { line: i + 1, match, route });
    const table = addr.length === 4 ? v4 : v6;
    let m = table.byLength.get(bits);
    if (!m) {
      table.byLength.set(bits, (m = new Map()));
      table.lengths.push(bits);
      table.lengths.sort((x, y) => y - x);
    }
    m.set(key, route);
  }
  if (!header) throw new InputError(file, 'no "match,route" header: the file is empty');

  const cache = new Map<string, string | undefined>();
  return (addrText: string): string | undefined => {
    if (cache.has(addrText)) return cache.get(addrText);
    const a = parseAddr(addrText);
    let found: string | undefined;
    if (a) {
      const table = a.length === 4 ? v4 : v6;
      for (const bits of table.lengths) {
        const r = table.byLength.get(bits)!.get(prefixKey(a, bits));
        if (r !== undefined) { found = r; break; }
      }
    }
    if (cache.size > 100_000) cache.clear();
    cache.set(addrText, found);
    return found;
  };
}
