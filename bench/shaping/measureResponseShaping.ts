import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { apolloComputeResponse, shapeResponse, supergraphForGateway, type ShapeInput } from '../../gateway/src';
import { median } from '../report/median';
import { EVALUATION_PAGE, SEARCH_SICHUAN } from '../scenarios/operations';

/** One kind of answer shaped by both implementations, in microseconds per answer. */
export interface ShapingResult {
  readonly answer: string;
  readonly values: number;
  readonly apolloMicros: number;
  readonly oursMicros: number;
}

type Shape = (input: ShapeInput) => unknown;

const FIGURES = {
  effectiveHours: 123.5, externalServiceHours: 33.25, otherProvinceServiceHours: 2, uses: 44, usersServed: 12, institutionsServed: 3, noShows: 1,
  lateCancellations: 0, ratings: 5, averageRating: 4.2, serviceRequests: 3, samples: 12, incomeFen: '123456',
};

function evaluationPage(): Record<string, unknown> {
  const page = () => ({
    evaluation: {
      instruments: {
        edges: Array.from({ length: 100 }, (_, n) => ({ node: { assetCode: `SC-${n}`, name: `Instrument ${n}`, institution: 'Sichuan University', figures: { ...FIGURES } } })),
        pageInfo: { hasNextPage: true, endCursor: 'cursor' },
      },
    },
  });
  return { sichuan: page(), chongqing: page() };
}

function searchPage(): Record<string, unknown> {
  return {
    sichuan: {
      instruments: {
        edges: Array.from({ length: 20 }, (_, n) => ({
          cursor: `cursor-${n}`,
          node: { id: `sc:instrument:${n}`, name: 'Gene sequencer', model: 'NovaSeq', manufacturer: 'Illumina', institution: 'Sichuan University', hourlyFee: 320.5, bookable: true, lab: { name: 'Genomics' } },
        })),
        pageInfo: { hasNextPage: true, endCursor: 'cursor-19' },
      },
    },
  };
}

/**
 * Shapes the answers of two bench operations (an evaluation page of 200 instruments, a search page of 20) from the
 * merged subgraph data, with `@apollo/gateway`'s `computeResponse` and with the gateway's `shapeResponse`, in
 * alternating rounds in this process; checks first that both answer the same text.
 */
export function measureResponseShaping(rounds = 5, answersPerRound = 300): ShapingResult[] {
  // The module's export is the gateway's own shaping once a gateway was made in this process (the hostile step makes one).
  const apollo = apolloComputeResponse as Shape | undefined;
  if (!apollo || apollo === shapeResponse) throw new Error("@apollo/gateway's own computeResponse is not at hand to compare with");
  const sdl = supergraphForGateway(readFileSync(join(__dirname, '../../gateway/supergraph.graphql'), 'utf8'));
  const schema = Supergraph.build(sdl).apiSchema();
  const cases = [
    { answer: 'evaluation page, 200 instruments of 13 figures', query: EVALUATION_PAGE, make: evaluationPage, variables: { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' } },
    { answer: 'search page, 20 instruments', query: SEARCH_SICHUAN, make: searchPage, variables: { category: 'genomics', keyword: 'sequencer' } },
  ];
  return cases.map(({ answer, query, make, variables }) => {
    const operation = operationFromDocument(schema, parse(query));
    const run = (shape: Shape, input: Record<string, unknown>) => shape({ operation, variables, input, introspectionHandling: () => null });
    const reference = run(apollo, make()) as { errors: unknown[] };
    // Answers with errors would time the making of GraphQL errors (a stack trace each), not the shaping.
    if (reference.errors.length > 0) throw new Error(`the ${answer} made for the bench does not fit the schema: ${JSON.stringify(reference.errors)}`);
    if (JSON.stringify(run(shapeResponse, make())) !== JSON.stringify(reference)) throw new Error(`shapeResponse answers the ${answer} differently from @apollo/gateway`);
    const times = { apollo: [] as number[], ours: [] as number[] };
    for (let round = 0; round <= rounds; round += 1) {
      for (const [name, shape] of [['apollo', apollo], ['ours', shapeResponse]] as const) {
        const inputs = Array.from({ length: answersPerRound }, make);
        const started = process.hrtime.bigint();
        for (const input of inputs) run(shape, input);
        // Round 0 warms both up.
        if (round > 0) times[name].push(Number(process.hrtime.bigint() - started) / answersPerRound / 1000);
      }
    }
    return { answer, values: countValues(make()), apolloMicros: median(times.apollo), oursMicros: median(times.ours) };
  });
}

function countValues(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countValues(item), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + countValues(item), 0);
  return 1;
}

export function describeShapingResult({ answer, values, apolloMicros, oursMicros }: ShapingResult): string {
  return `${answer} (${values} values): @apollo/gateway ${apolloMicros.toFixed(0)} µs, gateway ${oursMicros.toFixed(0)} µs (${(apolloMicros / oursMicros).toFixed(1)}×)`;
}
