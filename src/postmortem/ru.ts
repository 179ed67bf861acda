/**
 * Russian number wording for the post-mortem texts: the plural form a count takes (1 пакет, 2 пакета, 5 пакетов,
 * 11 пакетов, 21 пакет) and the decimal comma (3,2 с).
 */

/**
 * The form of a Russian noun after the count `n` (a non-negative integer): `one` after 1, 21, 101… (not 11),
 * `few` after 2–4, 22–24… (not 12–14), `many` otherwise (0, 5–20, 25–30…).
 */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const k = Math.abs(Math.trunc(n));
  const d10 = k % 10;
  const d100 = k % 100;
  if (d100 >= 11 && d100 <= 14) return many;
  if (d10 === 1) return one;
  if (d10 >= 2 && d10 <= 4) return few;
  return many;
}

/** `201 пакет`, `192 пакета`, `425 пакетов`. */
export const ruCount = (n: number, one: string, few: string, many: string): string => `${n} ${ruPlural(n, one, few, many)}`;

/** `3 раза`, `5 раз`, `21 раз`: how many times something was sent. */
export const ruTimes = (n: number): string => ruCount(n, 'раз', 'раза', 'раз');

/** A number written with a decimal point (`3.2`, `-0.5`) with the Russian decimal comma (`3,2`). */
export const ruDecimal = (s: string): string => s.replace('.', ',');
