/** Appended to a description that was cut. */
export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `maxLength` characters (UTF-16 units, ellipsis included), at the last
 * word boundary when one falls in the second half of the allowance, else mid-word. Text that
 * already fits is returned unchanged.
 */
export function truncateDescription(text: string, maxLength: number): string {
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`maxDescriptionLength must be a positive integer, got ${maxLength}`);
  }
  if (text.length <= maxLength) return text;
  let cut = text.slice(0, maxLength - ELLIPSIS.length);
  // Cutting at a word boundary reads better, but not at the cost of dropping most of the allowance.
  const endsOnBoundary = /\s/.test(text.charAt(cut.length));
  const boundary = cut.search(/\s\S*$/);
  if (!endsOnBoundary && boundary >= cut.length / 2) cut = cut.slice(0, boundary);
  // Never leave half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // Trailing spaces and punctuation, en and em dashes included (escaped: the bundles stay ASCII).
  return cut.replace(/[\s,;:.\-\u2013\u2014]+$/u, '') + ELLIPSIS;
}
