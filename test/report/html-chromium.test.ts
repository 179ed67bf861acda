/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium` package) loads it from a file,
 * the DOM is dumped and checked, the console must stay silent (no errors, no CSP violations), and a
 * screenshot is taken. Skipped, with the reason, when no Chromium is installed.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { renderHtml } from '../../src/report/html.js';

function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium) console.warn('html-chromium.test.ts: skipped, no chromium on PATH (apt-get install -y chromium)');

const work = mkdtempSync(join(tmpdir(), 'sipscope-html-'));
afterAll(() => {
  // Screenshots are kept for a person to look at when SIPSCOPE_KEEP_SCREENSHOTS is set.
  if (!process.env.SIPSCOPE_KEEP_SCREENSHOTS) rmSync(work, { recursive: true, force: true });
  else console.log(`screenshots in ${work}`);
});

interface Run {
  stdout: string;
  stderr: string;
}

function runChromium(args: string[]): Promise<Run> {
  const profile = mkdtempSync(join(work, 'profile-'));
  const base = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0',
  ];
  return new Promise((resolve, reject) => {
    execFile(chromium!, [...base, ...args], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Console messages of the page (errors, CSP violations) as Chromium logs them with --enable-logging. */
const consoleLines = (stderr: string) => stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/report/${name}.json`, import.meta.url), 'utf8')) as AnalysisResult;

describe.skipIf(!chromium)('HTML report in headless Chromium (needs chromium)', () => {
  const pages = new Map<string, string>();
  for (const name of ['day', 'hostile', 'empty']) {
    const file = join(work, `${name}.html`);
    writeFileSync(file, renderHtml(load(name)));
    pages.set(name, file);
  }

  it.each(['day', 'hostile', 'empty'])('%s renders with a silent console and the expected DOM', async (name) => {
    const result = load(name);
    const { stdout, stderr } = await runChromium(['--dump-dom', `file://${pages.get(name)}`]);
    expect(consoleLines(stderr)).toEqual([]);
    expect(stdout).toContain('<h1>sipscope report</h1>');
    // The parsed DOM holds no element the data could have injected.
    expect(stdout).not.toMatch(/<(script|img|iframe|object|embed)\b/i);
    const charts = (stdout.match(/<svg class="chart"/g) ?? []).length;
    expect(charts).toBe(result.routes.length === 0 ? 0 : result.routes.length + 1);
    for (const r of result.routes) expect(stdout).toContain(r.route.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').split('\n')[0]);
  }, 120_000);

  it('reports console errors and blocked loads (the check above can fail)', async () => {
    const tampered = readFileSync(pages.get('day')!, 'utf8').replace('</main>', '<script>console.error("boom")</script><img src="http://example.invalid/x.png"></main>');
    const file = join(work, 'tampered.html');
    writeFileSync(file, tampered);
    const { stderr } = await runChromium(['--dump-dom', `file://${file}`]);
    const lines = consoleLines(stderr);
    expect(lines.some((l) => /Content Security Policy/.test(l) && /inline script/.test(l))).toBe(true);
    expect(lines.some((l) => /example\.invalid/.test(l))).toBe(true);
  }, 120_000);

  it('fits the route table in a 1400 px window: no code label past its cell, no sideways scroll (audit 9b, 11)', async () => {
    // The corpus CDR report that overflowed: long labels at 100.0 %, in bold on the all-routes row, and a
    // table with every column filled. The page is measured by a script, so its CSP is taken out here.
    const day = load('day');
    const mix = (total: number, shares: number[]) =>
      [480, 500, 481].map((code, i) => ({
        code, count: Math.round(total * shares[i]), share: shares[i], reason: ['Temporarily Unavailable', 'Server Internal Error', 'Call/Transaction Does Not Exist'][i], meaning: 'm', reroutable: true,
      }));
    const routes = [...day.routes, ...day.routes.map((r) => ({ ...r, route: `Local/callback-agent-${r.route}` }))].map((r) => ({ ...r, codeMix: mix(r.attempts, [1, 0.5, 0.25]) }));
    const result = { ...day, routes, totals: { ...day.totals, codeMix: mix(day.totals.attempts, [0.25, 0.092, 0.012]) } };
    const probe =
      '<pre id="probe"></pre><script>' +
      'const t=document.querySelector("table.routes"),sc=t.parentElement,over=[];' +
      'for(const td of t.querySelectorAll("td.codes"))for(const c of td.querySelectorAll(".code")){const a=c.getBoundingClientRect(),b=td.getBoundingClientRect();if(a.right>b.right+0.5)over.push(c.textContent)}' +
      'document.getElementById("probe").textContent=JSON.stringify({client:sc.clientWidth,scroll:sc.scrollWidth,over})' +
      '</script>';
    const file = join(work, 'wide-codes.html');
    writeFileSync(file, renderHtml(result).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</main>', `</main>${probe}`));
    const { stdout } = await runChromium(['--window-size=1400,1200', '--dump-dom', `file://${file}`]);
    const m = JSON.parse(/<pre id="probe">([^<]*)<\/pre>/.exec(stdout)![1].replaceAll('&quot;', '"')) as { client: number; scroll: number; over: string[] };
    expect(m.over).toEqual([]);
    expect(m.scroll).toBeLessThanOrEqual(m.client);
    expect(m.client).toBeGreaterThan(1200);
  }, 120_000);

  it.each(['day', 'hostile'])('takes a screenshot of %s', async (name) => {
    const png = join(work, `${name}.png`);
    const { stderr } = await runChromium([`--screenshot=${png}`, '--window-size=1400,2000', `file://${pages.get(name)}`]);
    expect(consoleLines(stderr)).toEqual([]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(statSync(png).size).toBeGreaterThan(50_000);
  }, 120_000);
});
