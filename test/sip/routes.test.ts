import { describe, expect, it } from 'vitest';
import { loadRoutes } from '../../src/routes.js';
import { InputError } from '../../src/errors.js';

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
