import { PROVINCE_TABLE } from '../provinces';

/**
 * Fields whose every selection costs real work or writes records, whatever
 * the rest of the operation asks: a password (or client secret) hash and a new
 * session, a booking, a card check that records its grants. Aliases and
 * batches would otherwise multiply them under one request, so each selection
 * counts (analyzeOperation.ts), a request holds at most MAX_EXPENSIVE_FIELDS of
 * them, and the gateway charges each kind to the caller's own budget per minute.
 */
export const EXPENSIVE_FIELD_KINDS = ['signIn', 'booking', 'cardCheck'] as const;
export type ExpensiveFieldKind = (typeof EXPENSIVE_FIELD_KINDS)[number];

/** The kind of each expensive field, by schema coordinate (`Type.field`), for every service's schema. */
export const EXPENSIVE_FIELDS: ReadonlyMap<string, ExpensiveFieldKind> = new Map<string, ExpensiveFieldKind>([
  ['Mutation.login', 'signIn'],
  ['Mutation.issueClientToken', 'signIn'],
  ['Mutation.exchangeAuthorizationCode', 'signIn'],
  ...PROVINCE_TABLE.map(({ typePrefix }): [string, ExpensiveFieldKind] => [`Mutation.book${typePrefix}Instrument`, 'booking']),
  ['Query.verifyTalentCard', 'cardCheck'],
]);

/** Expensive-field selections one request may hold unless configured otherwise (`MAX_EXPENSIVE_FIELDS`), at every service. */
export const DEFAULT_MAX_EXPENSIVE_FIELDS = 5;

/**
 * Sign-ins one operation may hold: each hashes a password, and one sign-in per
 * operation is all a client needs. Fixed, like MAX_COMPARISONS.
 */
export const MAX_SIGN_INS_PER_OPERATION = 1;

/** Selections of expensive fields, by schema coordinate. */
export type ExpensiveFieldCounts = ReadonlyMap<string, number>;

/** The same selections by kind, every kind present (0 when none). */
export function countByKind(fields: ExpensiveFieldCounts): Record<ExpensiveFieldKind, number> {
  const counts: Record<ExpensiveFieldKind, number> = { signIn: 0, booking: 0, cardCheck: 0 };
  for (const [coordinate, count] of fields) {
    const kind = EXPENSIVE_FIELDS.get(coordinate);
    if (kind) counts[kind] += count;
  }
  return counts;
}

/** Adds `more` into `into` (saturating far beyond any limit). */
export function addCounts(into: Map<string, number>, more: ExpensiveFieldCounts): void {
  for (const [coordinate, count] of more) into.set(coordinate, Math.min(Number.MAX_SAFE_INTEGER, (into.get(coordinate) ?? 0) + count));
}

/** `Mutation.login ×10, Query.verifyTalentCard ×2`: what a refusal names. */
export const describeCounts = (fields: ExpensiveFieldCounts) =>
  [...fields].map(([coordinate, count]) => `${coordinate} ×${count}`).join(', ');
