import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const built = existsSync(`${root}dist/cli/main.js`);

describe.skipIf(!built)('a reader that closes the pipe early (sipscope … | head; needs the build)', () => {
  it('ends quietly with exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, [`${root}bin/sipscope.js`, 'calls', `${root}fixtures/sample/carrier-day.pcap.gz`, '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

describe.skipIf(!built || !existsSync('/dev/full'))('standard output that cannot be written (a full disk; needs the build and /dev/full)', () => {
  it('one line on stderr and exit 2, no stack trace', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [`${root}bin/sipscope.js`, 'analyze', `${root}fixtures/sample/carrier-day.cdr.csv`], { stdio: ['ignore', full, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    closeSync(full);
    expect(err).toBe('sipscope: cannot write the output: ENOSPC: no space left on device, write\n');
    expect(code).toBe(2);
  });
});
