/**
 * The year of `[Nov 14 22:13:20]` stamps, which have none. In order:
 *   1. `--year` (SourceOptions.year): the year of the first year-less stamp, later ones following the months;
 *   2. the year of the nearest earlier full date in the same file: a `[2023-11-14 …]` stamp (Asterisk writes
 *      one in the banner at every start and logger reload), an RFC 5424 stamp, or the EventTV of a security
 *      event. From there the year follows the months: a step back of more than six months (Dec → Jan) is a
 *      new year, a step forward of more than six months is the year before;
 *   3. the current year, or the previous one when the date would be more than a day in the future.
 * Each use is counted by rule, for the input's notes. In a chain of rotated logs the year goes on from one
 * file into the next; each file's notes count its own stamps (see takeNotes), and a reference made in the
 * file before is named as such (see nextFile).
 */
import { stampAsUtc, type Stamp } from './time.js';

export type YearSource = 'option' | 'full-date line' | 'EventTV' | 'clock' | 'earlier file' | 'earlier file, clock';

const YEAR_NOTE: Record<YearSource, string> = {
  option: 'the --year option',
  'full-date line': 'the nearest earlier line with a full date in this file',
  EventTV: 'the EventTV of a security event in this file',
  clock: 'the current year (the previous one when the date would be in the future): no full date seen earlier in this file',
  'earlier file': 'the file before in the chain (the year of its last time stamps, followed through the months)',
  'earlier file, clock': 'the file before in the chain, which took it from the current year (no full date seen there)',
};

/** The year of a stamp in `month`, after one in `year`/`refMonth`: a step back of more than six months (Dec → Jan) is a new year, a step forward of more than six the year before. */
function followMonths(year: number, refMonth: number, month: number): number {
  if (month < refMonth - 6) return year + 1;
  if (month > refMonth + 6) return year - 1;
  return year;
}

const ISO_DATE = /^\d{4}-\d{2}-/;
const EPOCH_DASH = /^\d{9,11}-/;

export class YearResolver {
  private refYear = 0;
  private refMonth = 0;
  private refSource: YearSource = 'full-date line';
  private readonly uses: Record<YearSource, number> = newUses();
  /** The year and month of the last year-less stamp under `--year`. */
  private optYear = 0;
  private optMonth = 0;

  constructor(
    private readonly option: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The year of a stamp (its own when it has one). */
  yearOf(s: Stamp): number {
    if (s.hasYear) return s.year;
    if (this.option !== undefined) {
      // the option's year is the first stamp's; from there the year follows the months, across a year end too
      this.uses.option++;
      if (this.optYear === 0) this.optYear = this.option;
      else this.optYear = followMonths(this.optYear, this.optMonth, s.month);
      this.optMonth = s.month;
      return this.optYear;
    }
    if (this.refYear !== 0) {
      const y = followMonths(this.refYear, this.refMonth, s.month);
      this.refYear = y;
      this.refMonth = s.month;
      this.uses[this.refSource]++;
      return y;
    }
    this.uses.clock++;
    const now = this.now();
    let y = new Date(now).getUTCFullYear();
    if (stampAsUtc(s, y) > now + 86_400_000) y--;
    this.refYear = y;
    this.refMonth = s.month;
    this.refSource = 'clock';
    return y;
  }

  /** The year `yearOf` would give `s`, without taking it: no count, no change of state. */
  peekYear(s: Stamp): number {
    if (s.hasYear) return s.year;
    if (this.option !== undefined) return this.optYear === 0 ? this.option : followMonths(this.optYear, this.optMonth, s.month);
    if (this.refYear !== 0) return followMonths(this.refYear, this.refMonth, s.month);
    const now = this.now();
    const y = new Date(now).getUTCFullYear();
    return stampAsUtc(s, y) > now + 86_400_000 ? y - 1 : y;
  }

  /** A stamp with a full date was read (called for every stamped line: two compares, no work otherwise). */
  fullDate(s: Stamp): void {
    if (s.hasYear) {
      this.refYear = s.year;
      this.refMonth = s.month;
      this.refSource = 'full-date line';
    }
  }

  /** `EventTV="2021-12-21T12:57:01.209+0000"` or `EventTV="1368439853-500975"` in a security line. */
  eventTv(msg: string): void {
    if (this.refYear !== 0 && this.refSource !== 'clock' && this.refSource !== 'earlier file, clock') return;
    const i = msg.indexOf('EventTV="');
    if (i < 0) return;
    const v = msg.slice(i + 9, i + 29);
    let y = 0;
    let mo = 0;
    if (ISO_DATE.test(v)) {
      y = Number(v.slice(0, 4));
      mo = Number(v.slice(5, 7));
    } else if (EPOCH_DASH.test(v)) {
      const d = new Date(Number(v.slice(0, v.indexOf('-'))) * 1000);
      y = d.getUTCFullYear();
      mo = d.getUTCMonth() + 1;
    }
    if (y >= 1970 && mo >= 1 && mo <= 12) {
      this.refYear = y;
      this.refMonth = mo;
      this.refSource = 'EventTV';
    }
  }

  /** Whether some year-less stamp took its year from the clock (no option, no full date before it). */
  get guessed(): boolean {
    return this.uses.clock > 0;
  }

  /** One note per rule used: `yearInferredFrom: N year-less timestamps took their year from …`. */
  notes(): string[] {
    const out: string[] = [];
    for (const k of Object.keys(this.uses) as YearSource[]) {
      const n = this.uses[k];
      if (n > 0) out.push(`yearInferredFrom: ${n} year-less ${n === 1 ? 'timestamp took its' : 'timestamps took their'} year from ${YEAR_NOTE[k]}`);
    }
    return out;
  }

  /** The notes of the stamps counted so far (one file's), and the counts start again for the next file. */
  takeNotes(): string[] {
    const out = this.notes();
    for (const k of Object.keys(this.uses) as YearSource[]) this.uses[k] = 0;
    return out;
  }

  /**
   * The next file of a chain begins: the year goes on from this one's last stamps until a full date of its
   * own, and its notes say where it came from.
   */
  nextFile(): void {
    if (this.refYear === 0) return;
    if (this.refSource === 'clock' || this.refSource === 'earlier file, clock') this.refSource = 'earlier file, clock';
    else this.refSource = 'earlier file';
  }
}

function newUses(): Record<YearSource, number> {
  return { option: 0, 'full-date line': 0, EventTV: 0, clock: 0, 'earlier file': 0, 'earlier file, clock': 0 };
}
