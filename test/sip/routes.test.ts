import { describe, expect, it } from 'vitest';
import { loadRoutes } from '../../src/routes.js';
import { InputError } from '../../src/errors.js';
import { resolveRoutes } from '../../src/pipeline.js';

const text = `# vendor routes
match,route
203.0.113.7,VendorA
198.51.100.0/24,VendorB
198.51.100.128/25,"VendorB, premium"
10.0.0.0/8,Internal

2001:db8::/32,VendorV6
2001:db8:1::5,VendorV6-host
`;

describe('loadRoutes', () => {
  const routeOf = loadRoutes(text, 'routes.csv');
  const cases: Array<[string, string | undefined]> = [
    ['203.0.113.7', 'VendorA'],
    ['203.0.113.8', undefined],
    ['198.51.100.1', 'VendorB'],
    ['198.51.100.200', 'VendorB, premium'],
    ['10.200.1.1', 'Internal'],
    ['2001:db8:ffff::1', 'VendorV6'],
    ['2001:db8:1::5', 'VendorV6-host'],
    ['2001:db9::1', undefined],
    ['not-an-ip', undefined],
  ];
  for (const [addr, want] of cases) it(`${addr} → ${want}`, () => expect(routeOf(addr)).toBe(want));

  const bad: Array<[string, RegExp]> = [
    ['203.0.113.7,VendorA\n', /routes\.csv: line 1: expected the header "match,route"/],
    ['match,route\n300.1.1.1,X\n', /routes\.csv: line 2: "300\.1\.1\.1" is not an IPv4\/IPv6 address or CIDR/],
    ['match,route\n# c\n10.0.0.0/33,X\n', /routes\.csv: line 3: bad prefix length/],
    ['match,route\n10.0.0.1\n', /line 2: expected "match,route"/],
    ['match,route\n10.0.0.1,\n', /line 2: empty route name/],
    ['# only a comment\n', /no "match,route" header/],
  ];
  for (const [t, re] of bad) {
    it(`rejects ${JSON.stringify(t)}`, () => {
      expect(() => loadRoutes(t, 'routes.csv')).toThrow(InputError);
      expect(() => loadRoutes(t, 'routes.csv')).toThrow(re);
    });
  }
});

describe('comments in a routes file', () => {
  it('a `#` after a blank ends the line; inside a quoted name or a word it stays', () => {
    const routeOf = loadRoutes('match,route  # header\n203.0.113.10,vendor-a # main vendor\n203.0.113.11,"vendor #2"\t# spare\n203.0.113.12,v#3\n  # indented\n', 'r.csv');
    expect(routeOf('203.0.113.10')).toBe('vendor-a');
    expect(routeOf('203.0.113.11')).toBe('vendor #2');
    expect(routeOf('203.0.113.12')).toBe('v#3');
  });
});

/**
 * Audit 9, finding 10: two lines giving the same address or prefix to two routes were read silently
 * (the last won). A routes file decides which vendor is blamed, so the file is refused, as for any
 * other wrong line, with both lines named.
 */
describe('conflicting lines in a routes file', () => {
  const conflict = (t: string): string => {
    try {
      loadRoutes(t, '/etc/sipscope/routes.csv');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };

  it('the same address to two routes: an error naming the file, both lines and that neither wins', () => {
    expect(conflict('match,route\n198.51.100.20,vendor-b\n198.51.100.20,vendor-c\n')).toBe(
      '/etc/sipscope/routes.csv: line 3: "198.51.100.20" → "vendor-c" conflicts with line 2: "198.51.100.20" → "vendor-b" (the same address, two routes): neither line wins; keep the right one and delete the other',
    );
  });

  it('the same prefix however written (host bits, case, zero runs), comments and blank lines counted in line numbers', () => {
    expect(conflict('# routes\nmatch,route\n10.0.0.0/8,a\n\n10.1.2.3/8,b # typo\n')).toMatch(/routes\.csv: line 5: "10\.1\.2\.3\/8" → "b" conflicts with line 3: "10\.0\.0\.0\/8" → "a" \(the same prefix, two routes\)/);
    expect(conflict('match,route\n2001:db8::1,v6a\n2001:DB8:0:0::1,v6b\n')).toMatch(/line 3: .* conflicts with line 2: "2001:db8::1" → "v6a" \(the same address/);
    expect(conflict('match,route\n203.0.113.7,"Vendor A"\n203.0.113.7,Vendor B\n')).toMatch(/line 3: "203\.0\.113\.7" → "Vendor B" conflicts with line 2/);
  });

  it('the same mapping twice, nested prefixes and the same bits of another family are no conflict', () => {
    const routeOf = loadRoutes('match,route\n198.51.100.20,vendor-b\n198.51.100.20/32,vendor-b\n198.51.100.0/24,wide\n198.51.100.0/25,narrow\n::c633:6414,v6\n', 'r.csv');
    expect(routeOf('198.51.100.20')).toBe('vendor-b');
    expect(routeOf('198.51.100.1')).toBe('narrow');
    expect(routeOf('198.51.100.200')).toBe('wide');
    expect(routeOf('::c633:6414')).toBe('v6');
  });

  it('an inline map from a config file is checked the same way (its entries are named by their text)', () => {
    expect(() => resolveRoutes({ routeMap: { '10.0.0.0/8': 'a', '10.0.0.1/8': 'b' } })).toThrow(
      /<config routes>: .*"10\.0\.0\.1\/8" → "b" conflicts with .*"10\.0\.0\.0\/8" → "a"/,
    );
  });

  it('an inline map keeps the names as written: #, commas and quotes in them', () => {
    const routeOf = resolveRoutes({ routeMap: { '10.0.0.1': 'vendor #a', '10.0.0.2': '"c"', '10.0.0.3': 'x, y' } })!;
    expect(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((a) => routeOf(a))).toEqual(['vendor #a', '"c"', 'x, y']);
    expect(() => resolveRoutes({ routeMap: { '10.0.0.1': 'a\nb' } })).toThrow(/<config routes>: a line break in "10\.0\.0\.1"/);
  });
});
