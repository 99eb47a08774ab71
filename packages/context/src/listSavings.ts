import { countTokens } from './countTokens';

/** Tokens of a full list, of what was actually sent instead, and the difference. */
export interface ListSavings {
  /** Tokens of the full, unfiltered and uncompacted list. */
  fullTokens: number;
  /** Tokens of the list that was sent. */
  sentTokens: number;
  /** `fullTokens - sentTokens`; negative if what was sent is larger (e.g. meta-tools for a tiny list). */
  saved: number;
}

/** Compares the token cost of two lists (each counted as one JSON array, as it travels in a list result). */
export function listSavings(full: unknown[], sent: unknown[]): ListSavings {
  const fullTokens = countTokens(full);
  const sentTokens = countTokens(sent);
  return { fullTokens, sentTokens, saved: fullTokens - sentTokens };
}
