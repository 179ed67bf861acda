/**
 * Tooltip text of a final response code in the reports, from the catalogue (`describeCode`): the phrase,
 * the meaning of the provider's own phrase when the catalogue knows it, the code's meaning and RFC, the
 * first troubleshooting hints and whether a switch re-routes it. Plain text: the HTML renderer escapes it.
 */
import type { CodeShare } from '../analysis/result.js';
import { describeCode } from '../catalogue/index.js';
import { codeLabel } from './format.js';

export function codeTooltip(c: CodeShare, maxHints = 2): string {
  const parts = [codeLabel(c.code, c.reason)];
  const d = describeCode(c.code, c.reason);
  if (d) {
    if (d.variant) parts.push(d.variant.description.en);
    parts.push(d.description.en + (d.rfc ? ` (${d.rfc})` : ''));
    for (const h of d.hints.slice(0, maxHints)) parts.push(`Hint: ${h.text.en}`);
  } else if (c.meaning) {
    // Code 0 ("no final response") and codes outside 100–699 are not in the catalogue.
    parts.push(c.meaning);
  }
  if (c.reroutable === true) parts.push('A switch would re-route this failure to another vendor.');
  else if (c.reroutable === false && (c.code < 200 || c.code >= 300)) parts.push('Not re-routed to another vendor.');
  return parts.join('\n');
}
