import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, matchSegment } from '../../src/input/expand.js';
import { InputError } from '../../src/errors.js';

describe('matchSegment', () => {
  it.each([
    ['*.pcap', 'a.pcap', true],
    ['*.pcap', 'a.pcapng', false],
    ['full*', 'full.1.gz', true],
    ['?.csv', 'a.csv', true],
    ['?.csv', 'ab.csv', false],
    ['[ab]*.log', 'b1.log', true],
    ['[!ab]*.log', 'b1.log', false],
    ['[a-c]x', 'bx', true],
    ['*a*b*c', 'xxaxxbxxc', true],
    ['*a*b*c', 'xxaxxbxx', false],
    ['literal', 'literal', true],
  ])('%s ~ %s → %s', (pattern, name, want) => {
    expect(matchSegment(pattern, name)).toBe(want);
  });

  it('stays fast on a pathological pattern', () => {
    const t = performance.now();
    expect(matchSegment('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe('expandInputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-expand-'));
  mkdirSync(join(dir, 'sub', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'a.pcap'), 'x');
  writeFileSync(join(dir, 'b.csv'), 'y');
  writeFileSync(join(dir, 'sub', 'c.pcap'), 'z');
  writeFileSync(join(dir, 'sub', 'deep', 'd.pcap'), 'w');
  writeFileSync(join(dir, '.hidden'), 'h');

  it('recurses into folders, skips hidden files, sorts', async () => {
    const specs = await expandInputs([dir]);
    expect(specs.map((s) => s.path.slice(dir.length + 1))).toEqual(['a.pcap', 'b.csv', 'sub/c.pcap', 'sub/deep/d.pcap']);
    expect(specs[0]!.size).toBe(1);
  });

  it('expands globs, including **', async () => {
    expect((await expandInputs([join(dir, '*.pcap')])).map((s) => s.path)).toEqual([join(dir, 'a.pcap')]);
    const all = await expandInputs([join(dir, '**', '*.pcap')]);
    expect(all.map((s) => s.path.slice(dir.length + 1)).sort()).toEqual(['a.pcap', 'sub/c.pcap', 'sub/deep/d.pcap']);
  });

  it('follows links in a folder: to files and folders, each taken once (a link back up does not loop); a broken link is passed over', async () => {
    const d = mkdtempSync(join(tmpdir(), 'sipscope-links-'));
    mkdirSync(join(d, 'ring'));
    writeFileSync(join(d, 'ring', 'sbc.pcap1'), 'x');
    const l = join(d, 'links');
    mkdirSync(l);
    symlinkSync(join(d, 'ring', 'sbc.pcap1'), join(l, 'sbc.pcap1'));
    symlinkSync(join(d, 'ring'), join(l, 'ring-dir'));
    symlinkSync(l, join(l, 'up'));
    symlinkSync(join(d, 'gone'), join(l, 'broken'));
    writeFileSync(join(l, 'sbc.pcap'), 'y');
    const specs = await expandInputs([l]);
    // sbc.pcap1 is reached twice (through ring-dir and its own link): read once
    expect(specs.map((s) => s.path.slice(l.length + 1))).toEqual(['ring-dir/sbc.pcap1', 'sbc.pcap']);
    expect((await expandInputs([join(l, 'sbc*')])).map((s) => s.path.slice(l.length + 1))).toEqual(['sbc.pcap', 'sbc.pcap1']);
  });

  it('takes - as stdin and removes duplicates', async () => {
    const specs = await expandInputs(['-', join(dir, 'a.pcap'), join(dir, 'a.pcap')]);
    expect(specs.map((s) => s.display)).toEqual(['<stdin>', join(dir, 'a.pcap')]);
  });

  it('names a missing file or an empty glob in a one-line error', async () => {
    await expect(expandInputs([join(dir, 'nope.pcap')])).rejects.toThrow(InputError);
    await expect(expandInputs([join(dir, 'nope.pcap')])).rejects.toThrow(/nope\.pcap: no such file or folder/);
    await expect(expandInputs([join(dir, '*.xyz')])).rejects.toThrow(/no file matches/);
  });
});
