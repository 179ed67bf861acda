import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

/** Names a doc lists between backquotes after `marker`, up to `end` (a blank line, or the next list item). */
function documented(doc: string, marker: string, end = '\n\n'): string[] {
  const text = readFileSync(`${root}${doc}`, 'utf8');
  const at = text.indexOf(marker);
  expect(at, `${doc}: ${marker}`).toBeGreaterThanOrEqual(0);
  const para = text.slice(at, text.indexOf(end, at + marker.length));
  return [...para.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)(?:\([^`]*\))?`/g)].map((m) => m[1]!).filter((n) => n !== 'import' && n !== 'sipscope');
}

describe.skipIf(!existsSync(`${root}dist/index.js`))('the library as a user imports it, through the package exports (needs the build: npm run build)', () => {
  it('every name docs/postmortem.md lists is exported by sipscope/postmortem, and the report helpers by sipscope', () => {
    const post = documented('docs/postmortem.md', "`import { … } from 'sipscope/postmortem'`");
    const report = documented('docs/report.md', '- Helpers others can use:', '\n- ');
    expect(post.length).toBeGreaterThan(25);
    expect(report).toEqual(expect.arrayContaining(['csvCell', 'csvRow', 'escapeHtml', 'mdText', 'promLabelValue', 'jsonText']));
    const script = `
      const post = await import('sipscope/postmortem');
      const main = await import('sipscope');
      const missing = [...${JSON.stringify(post)}.filter((n) => !(n in post)), ...${JSON.stringify(report)}.filter((n) => !(n in main))];
      process.stdout.write(JSON.stringify(missing));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
