/**
 * Turns command-line input arguments into a list of inputs: files, folders (recursed), globs
 * (`*`, `?`, `**`, `[abc]`; Node 20 has no fs.glob) and `-` for standard input.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

export interface InputSpec {
  /** Path on disk, or '-' for standard input. */
  path: string;
  /** Name shown to the user (the argument as given, or the path found under a folder). */
  display: string;
  /** Size in bytes when known (for progress). */
  size?: number;
  /**
   * Found by walking a folder or a glob rather than named: a file of no known format is then skipped
   * (and listed as skipped), not an error.
   */
  found?: boolean;
  /** The argument could not be expanded (no such file, an empty folder…): reading it gives this error. */
  error?: string;
}

const GLOB_CHARS = /[*?[]/;

/** Wildcard match of one path segment: `*`, `?`, `[set]`, `[!set]`. Greedy-with-backtrack-point, linear in practice. */
export function matchSegment(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starN = n;
      continue;
    }
    if (c === '?') {
      p++;
      n++;
      continue;
    }
    if (c === '[') {
      const close = pattern.indexOf(']', p + 2);
      if (close > 0) {
        let q = p + 1;
        const negate = pattern[q] === '!' || pattern[q] === '^';
        if (negate) q++;
        let hit = false;
        for (; q < close; q++) {
          if (pattern[q + 1] === '-' && q + 2 < close) {
            if (name[n]! >= pattern[q]! && name[n]! <= pattern[q + 2]!) hit = true;
            q += 2;
          } else if (pattern[q] === name[n]) hit = true;
        }
        if (hit !== negate) {
          p = close + 1;
          n++;
          continue;
        }
      } else if (name[n] === '[') {
        p++;
        n++;
        continue;
      }
    } else if (c !== undefined && c === name[n]) {
      p++;
      n++;
      continue;
    }
    if (starP < 0) return false;
    p = starP + 1;
    n = ++starN;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * What an entry of a folder is, a symbolic link followed (a folder of links to rotated captures or logs is
 * common); 'other' for a broken link, a socket, a device.
 */
async function kindOf(dir: string, e: Dirent): Promise<'file' | 'dir' | 'other'> {
  if (e.isFile()) return 'file';
  if (e.isDirectory()) return 'dir';
  if (!e.isSymbolicLink()) return 'other';
  const st = await stat(join(dir, e.name)).catch(() => undefined);
  return st?.isFile() ? 'file' : st?.isDirectory() ? 'dir' : 'other';
}

/** The files under `dir`, in name order; a folder or file reached twice (through links) is taken once. */
async function walk(dir: string, out: string[], seen = new Set<string>()): Promise<void> {
  const real = await realpath(dir).catch(() => dir);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    const kind = await kindOf(dir, e);
    if (kind === 'dir') await walk(p, out, seen);
    else if (kind === 'file') {
      const realFile = e.isSymbolicLink() ? await realpath(p).catch(() => p) : join(real, e.name);
      if (seen.has(realFile)) continue;
      seen.add(realFile);
      out.push(p);
    }
  }
}

async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let base = absolute ? '/' : '.';
  let i = absolute ? 1 : 0;
  while (i < parts.length - 1 && !GLOB_CHARS.test(parts[i]!)) base = join(base, parts[i++]!);
  const rest = parts.slice(i);
  const out: string[] = [];
  const step = async (dir: string, k: number): Promise<void> => {
    if (k === rest.length) return;
    const seg = rest[k]!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (seg === '**') {
      await step(dir, k + 1);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await step(join(dir, e.name), k);
      if (k + 1 === rest.length) for (const e of entries) if ((await kindOf(dir, e)) === 'file') out.push(join(dir, e.name));
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
      if (!matchSegment(seg, e.name)) continue;
      const p = join(dir, e.name);
      const kind = await kindOf(dir, e);
      if (k + 1 === rest.length) {
        if (kind === 'file') out.push(p);
        else if (kind === 'dir') await walk(p, out);
      } else if (kind === 'dir') await step(p, k + 1);
    }
  };
  await step(base, 0);
  return [...new Set(out)];
}

/** Expands arguments to inputs; throws InputError for a path that does not exist or a glob that matches nothing. */
export async function expandInputs(args: readonly string[]): Promise<InputSpec[]> {
  const out: InputSpec[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ path: '-', display: '<stdin>' });
      continue;
    }
    let st;
    try {
      st = await stat(arg);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) {
      const files: string[] = [];
      await walk(arg, files);
      if (files.length === 0) throw new InputError(arg, 'folder holds no files');
      for (const f of files) out.push({ path: f, display: f, size: (await stat(f)).size, found: true });
    } else if (st?.isFile()) {
      out.push({ path: arg, display: arg, size: st.size });
    } else if (GLOB_CHARS.test(arg)) {
      const files = await expandGlob(arg);
      if (files.length === 0) throw new InputError(arg, 'no file matches this pattern');
      for (const f of files) out.push({ path: f, display: f.startsWith('.' + sep) ? f.slice(2) : f, size: (await stat(f)).size, found: true });
    } else {
      throw new InputError(arg, st ? 'not a regular file or folder' : 'no such file or folder');
    }
  }
  return unique(out);
}

/** Each input once (a file named twice, or named and found in a folder, is read once). */
export function unique(specs: InputSpec[]): InputSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    if (s.error !== undefined) return true;
    const key = s.path === '-' ? '-' : resolve(s.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `expandInputs` one argument at a time: an argument that cannot be expanded becomes a spec carrying its
 * `error`, so that a missing file among good ones is reported and the others are still read.
 */
export async function expandEach(args: readonly string[]): Promise<InputSpec[]> {
  const out: InputSpec[] = [];
  for (const arg of args) {
    try {
      out.push(...(await expandInputs([arg])));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      out.push({ path: arg, display: arg, error: err.detail });
    }
  }
  return unique(out);
}
