/**
 * The examples in docs/report.md are the tool's real output on the bundled sample: each table row quoted
 * there is a row of `analyze fixtures/sample/carrier-day.pcap.gz --routes fixtures/sample/routes.csv`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';
import { render } from '../../src/report/index.js';

const root = new URL('../../', import.meta.url).pathname;

describe('docs/report.md quotes the sample as the tool prints it', () => {
  it('every row of its table example is in the table output', async () => {
    const doc = readFileSync(`${root}docs/report.md`, 'utf8');
    const at = doc.indexOf('## table');
    const open = doc.indexOf('```\n', at) + 4;
    const quoted = doc.slice(open, doc.indexOf('```', open)).split('\n').filter((l) => l.startsWith('│'));
    expect(quoted.length).toBeGreaterThanOrEqual(5);
    const result = await analyze([`${root}fixtures/sample/carrier-day.pcap.gz`], { routesFile: `${root}fixtures/sample/routes.csv` });
    const lines = new Set(render(result, 'table').split('\n'));
    expect(quoted.filter((l) => !lines.has(l))).toEqual([]);
  });
});
