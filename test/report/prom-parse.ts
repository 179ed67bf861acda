/**
 * A small parser of the Prometheus text exposition format (0.0.4) for the tests: HELP/TYPE before the samples of
 * their family, one block per family, metric and label names valid, label values with only the three allowed
 * escapes, values parseable, summary quantiles in 0..1, no duplicate series. Throws on the first violation.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface PromFamily {
  name: string;
  type: string;
  help: string;
  samples: PromSample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`bad value ${s}`);
  return Number(s);
}

/** Parses one sample line by characters (label values may hold anything escaped). */
function parseSample(line: string): PromSample {
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ') i++;
  const name = line.slice(0, i);
  if (!METRIC.test(name)) throw new Error(`bad metric name ${name}`);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      if (eq < 0) throw new Error('label without =');
      const label = line.slice(i, eq);
      if (!LABEL.test(label)) throw new Error(`bad label name ${label}`);
      if (label in labels) throw new Error(`label ${label} twice`);
      i = eq + 1;
      if (line[i] !== '"') throw new Error('label value not quoted');
      i++;
      let value = '';
      for (;;) {
        if (i >= line.length) throw new Error('unterminated label value');
        const c = line[i];
        if (c === '"') break;
        if (c === '\\') {
          const n = line[i + 1];
          if (n === '\\') value += '\\';
          else if (n === '"') value += '"';
          else if (n === 'n') value += '\n';
          else throw new Error(`bad escape \\${n}`);
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      labels[label] = value;
      i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`expected , or } at ${i}`);
    }
    i++;
  }
  if (line[i] !== ' ') throw new Error('no space before the value');
  const rest = line.slice(i + 1).split(' ');
  if (rest.length > 2) throw new Error('trailing text');
  if (rest.length === 2 && !/^-?\d+$/.test(rest[1])) throw new Error('bad timestamp');
  return { name, labels, value: parseValue(rest[0]) };
}

export function parseProm(text: string): PromFamily[] {
  if (!text.endsWith('\n')) throw new Error('no final line feed');
  const families: PromFamily[] = [];
  const seenNames = new Set<string>();
  const series = new Set<string>();
  let help: { name: string; text: string } | null = null;
  let cur: PromFamily | null = null;
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, n) => {
      const at = (m: string) => new Error(`line ${n + 1}: ${m}: ${line}`);
      if (line.startsWith('# HELP ')) {
        const [name, ...words] = line.slice(7).split(' ');
        if (!METRIC.test(name)) throw at('bad name');
        if (seenNames.has(name)) throw at('family seen before');
        const t = words.join(' ');
        if (/\\[^\\n]/.test(t.replaceAll('\\\\', ''))) throw at('bad escape in HELP');
        help = { name, text: t };
        cur = null;
        return;
      }
      if (line.startsWith('# TYPE ')) {
        const [name, type, extra] = line.slice(7).split(' ');
        if (extra !== undefined || !TYPES.has(type)) throw at('bad TYPE');
        if (seenNames.has(name)) throw at('TYPE after samples or twice');
        if (!help || help.name !== name) throw at('TYPE without its HELP');
        seenNames.add(name);
        cur = { name, type, help: help.text, samples: [] };
        families.push(cur);
        return;
      }
      if (line.startsWith('#') || line.trim() === '') throw at('unexpected comment or blank line');
      let s: PromSample;
      try {
        s = parseSample(line);
      } catch (err) {
        throw at((err as Error).message);
      }
      const fam = cur as PromFamily | null;
      if (!fam) throw at('sample outside a family');
      const suffixes = fam.type === 'summary' ? ['', '_sum', '_count'] : fam.type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
      if (!suffixes.some((x) => s.name === fam.name + x)) throw at(`sample of another family than ${fam.name}`);
      if (fam.type === 'summary' && s.name === fam.name) {
        const q = Number(s.labels.quantile);
        if (!(q >= 0 && q <= 1)) throw at('summary sample without a 0..1 quantile');
      }
      const key = s.name + JSON.stringify(Object.entries(s.labels).sort());
      if (series.has(key)) throw at('duplicate series');
      series.add(key);
      fam.samples.push(s);
    });
  return families;
}

