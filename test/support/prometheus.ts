/** One sample of Prometheus' text format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Fetches a service's `/metrics` (next to its `/graphql` URL) and parses every sample. */
export async function scrape(graphqlUrl: string): Promise<Sample[]> {
  const response = await fetch(new URL('/metrics', graphqlUrl));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseSamples(await response.text());
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseSamples(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    if (line.startsWith('#')) return [];
    const match = SAMPLE.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map(([, key, value]) => [key!, value!]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

/** Samples of `name` whose labels include every one of `labels`. */
export function samples(all: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return all.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

const sum = (found: readonly Sample[]) => found.reduce((total, sample) => total + sample.value, 0);

/** The sum of the matching samples' values, failing when there is none. */
export function valueOf(all: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples(all, name, labels);
  if (found.length === 0) throw new Error(`no ${name} series with ${JSON.stringify(labels)}; have: ${[...new Set(all.map((s) => s.name))].filter((n) => n.startsWith(name.split('_')[0]!)).join(', ')}`);
  return sum(found);
}

/**
 * Scrapes a service before and after `act`; `grew` tells how much the matching
 * counters grew in between (a series first seen after counts from 0).
 */
export async function countersDuring(graphqlUrl: string, act: () => Promise<unknown>) {
  const before = await scrape(graphqlUrl);
  await act();
  const after = await scrape(graphqlUrl);
  const grew = (name: string, labels: Record<string, string> = {}) => sum(samples(after, name, labels)) - sum(samples(before, name, labels));
  return { after, grew };
}
