import { readFileSync } from 'node:fs';
import { getOperationAST, parse } from 'graphql';
import { DASHBOARD_QUERY } from '../../../dashboard/src/dashboardQuery';
import { analyzeOperation } from '../../../shared/src/limits/analyzeOperation';
import { Supergraph } from '@apollo/federation-internals';
import { SUPERGRAPH_FILE } from '../supergraph/supergraphFile';
import { supergraphForGateway } from '../supergraphForGateway';

// The wall dashboard is a client the gateway always serves: its one query stays within the default limits.
describe("the wall dashboard's query", () => {
  it("is within the gateway's default MAX_QUERY_COST (20 000) over a whole year", () => {
    const schema = Supergraph.build(supergraphForGateway(readFileSync(SUPERGRAPH_FILE, 'utf8'))).apiSchema().toGraphQLJSSchema();
    const document = parse(DASHBOARD_QUERY);
    const shape = analyzeOperation(document, getOperationAST(document)!, { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' }, schema);
    expect(shape.cost).toBeLessThanOrEqual(20_000);
  });
});
