import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { DASHBOARD_QUERY } from '../../../dashboard/src/dashboardQuery';
import { analyzeOperation } from '../../../shared/src/limits/analyzeOperation';

/**
 * The schema the gateway serves: the committed supergraph's API schema, as `npm run compose` publishes it beside the
 * supergraph (scripts/composition/__tests__/composition.test.ts derives it from the supergraph afresh and compares).
 * Read from the published file rather than derived from the supergraph again: that costs a second of CPU.
 */
const API_SCHEMA_FILE = join(__dirname, '..', '..', 'api', 'schema.graphql');

// The wall dashboard is a client the gateway always serves: its one query stays within the default limits.
describe("the wall dashboard's query", () => {
  it("is within the gateway's default MAX_QUERY_COST (20 000) over a whole year", () => {
    const schema = buildSchema(readFileSync(API_SCHEMA_FILE, 'utf8'));
    const document = parse(DASHBOARD_QUERY);
    const shape = analyzeOperation(document, getOperationAST(document)!, { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' }, schema);
    expect(shape.cost).toBeLessThanOrEqual(20_000);
  });
});
