/**
 * One `--map` applies to every input of a run, and a folder may hold exports of two layouts of which only one has
 * the column named (`--map route=Supplier` for one carrier's files). Each CDR input says what it could not honour
 * (MapUse, with an alert); once the run is read, this decides what reaches stderr (re-audit N6: the README's cron
 * recipe mails any stderr line, so a correct setup must not alert every night):
 *
 * - an entry another input honoured: the alert is taken back, and the input keeps its note, plus one saying why it
 *   was not said (an entry another header of the same file honoured was never an alert: the reader decides that);
 * - an entry no input honoured (a typo): said once, on the first input that missed it, with how many others did.
 *
 * Kept apart from the reader so that the pipeline, which runs it, loads nothing more for a run of captures.
 */
import type { InputAccounting } from '../types.js';

/**
 * What a CDR input tells the run of its `--map`: the entries (`--map route=Supplier`) it honoured, and those it had
 * no column for, with the alert it said of each. Transient: an extra field of its accounting until the run is read
 * (it crosses from a worker thread with it), removed by settleMapUse, so never in a report.
 */
export interface MapUse {
  honoured: string[];
  missing: { map: string; alert: string }[];
}

type Unsettled = InputAccounting & { mapUse?: MapUse };

/** Hands an input's MapUse to the run (see MapUse). */
export function setMapUse(acc: InputAccounting, use: MapUse): void {
  (acc as Unsettled).mapUse = use;
}

/** Input names listed in the one alert of an entry no input honoured. */
const MAX_NAMED = 3;

/** Settles the inputs' MapUse (see above) and removes it; idempotent. */
export function settleMapUse(inputs: readonly InputAccounting[]): void {
  const honoured = new Set<string>();
  for (const a of inputs as readonly Unsettled[]) for (const m of a.mapUse?.honoured ?? []) honoured.add(m);
  const first = new Map<string, { acc: InputAccounting; alert: string; others: string[] }>();
  for (const a of inputs as readonly Unsettled[]) {
    const use = a.mapUse;
    if (use === undefined) continue;
    delete a.mapUse;
    for (const m of use.missing) {
      if (!honoured.has(m.map) && !first.has(m.map)) {
        first.set(m.map, { acc: a, alert: m.alert, others: [] });
        continue;
      }
      drop(a, m.alert);
      if (honoured.has(m.map)) a.notes.push(`${m.map}: another input of this run has that column, so this one is only noted (not said on stderr)`);
      else first.get(m.map)!.others.push(a.file);
    }
  }
  for (const f of first.values()) {
    const n = f.others.length;
    if (n === 0) continue;
    const names = f.others.slice(0, MAX_NAMED).join(', ') + (n > MAX_NAMED ? ', …' : '');
    const alerts = f.acc.alerts!;
    alerts[alerts.indexOf(f.alert)] = `${f.alert}; the same in ${n} other input${n === 1 ? '' : 's'} (${names})`;
  }
}

/** Takes an alert back (it stays in the notes). */
function drop(a: InputAccounting, alert: string): void {
  const i = a.alerts?.indexOf(alert) ?? -1;
  if (i < 0) return;
  a.alerts!.splice(i, 1);
  if (a.alerts!.length === 0) delete a.alerts;
}
