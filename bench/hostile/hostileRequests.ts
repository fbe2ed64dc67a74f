/** A hostile request of the bench: a small anonymous body built to make the gateway work hard before it answers. */
export interface HostileRequest {
  readonly key: string;
  readonly title: string;
  /** The JSON body (an array: each is a batch of MAX_BATCH_SIZE operations). */
  readonly body: string;
}

const BATCH = 10;
const batch = (query: string) => JSON.stringify(Array.from({ length: BATCH }, () => ({ query })));

/** Each fragment spreads the next twice: 2^levels fields once inlined, from a document of about 1.6 KB. */
export function fragmentChain(levels: number): string {
  let fragments = '';
  for (let i = 0; i < levels; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
  return `{ ...F0 } ${fragments}fragment F${levels} on Query { __typename }`;
}

/** Free slots over 31 days of 100 instruments, under `aliases` aliases: every list but `instruments` has no `first`. */
export function aliasedAvailability(aliases: number): string {
  const from = '2030-01-01T00:00:00Z';
  const to = '2030-02-01T00:00:00Z';
  const page = `instruments(first: 100) { edges { node { availability(from: "${from}", to: "${to}") { start end } } } }`;
  return `{ sichuan { ${Array.from({ length: aliases }, (_, i) => `a${i}: ${page}`).join(' ')} } }`;
}

/** The same field repeated in one selection set: validation compares every pair (OverlappingFieldsCanBeMerged). */
export function repeatedFields(count: number): string {
  return `{ sichuan { ${'instruments { totalCount } '.repeat(count)}} }`;
}

/** The hostile requests (17: defects 3 and 5), and one that makes validation quadratic. */
export const HOSTILE_REQUESTS: readonly HostileRequest[] = [
  { key: 'fragmentChain', title: 'Fragment chain, 40 levels doubled, batch of 10', body: batch(fragmentChain(40)) },
  { key: 'aliasedAvailability', title: 'Availability 31 days × 100 instruments, 10 aliases, batch of 10', body: batch(aliasedAvailability(10)) },
  { key: 'repeatedFields', title: 'One field repeated 950 times, batch of 10', body: batch(repeatedFields(950)) },
];
