/**
 * npm run subgraph:check -- --subgraph chongqing --schema path/to/schema.graphql
 * npm run subgraph:check -- --province sichuan --schema http://localhost:4002/graphql
 * npm run -s subgraph:check -- --province chongqing --schema subgraphs/province/schema.graphql --print-sdl
 *
 * `--print-sdl` only prints the candidate's SDL as composition sees it (a template rendered for that
 * province), to read or diff before checking.
 * Composes the candidate with the other subgraphs' current SDL (subgraphs/supergraph.yaml) and explains
 * composition errors and breaking changes against the committed supergraph in the subgraphs' terms: which
 * other subgraph uses the field and why (explainCheck.ts). After a passing check it says whether the
 * supergraph must be recomposed and committed.
 * Exit code 0: safe to deploy; 1: errors or breaking changes; 2: bad usage.
 */
import { runSubgraphCheck } from './subgraphCheckCommand';

runSubgraphCheck(process.argv.slice(2), process).then((code) => {
  process.exitCode = code;
});
