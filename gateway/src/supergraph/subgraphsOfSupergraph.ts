export interface SupergraphSubgraph {
  readonly name: string;
  /** The default address composition wrote for it. */
  readonly url: string;
}

const JOIN_GRAPH = /@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g;

/**
 * The subgraphs a composed supergraph names (its `join__Graph` enum), read from the text
 * alone: the gateway learns its subgraphs from the supergraph, never from subgraph code.
 */
export function subgraphsOfSupergraph(supergraphSdl: string): SupergraphSubgraph[] {
  return [...supergraphSdl.matchAll(JOIN_GRAPH)].map(([, name, url]) => ({ name: name!, url: url! }));
}

const variablePrefixOf = (subgraphName: string): string => subgraphName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** The variable that says where a subgraph runs: `sichuan` → `SICHUAN_URL`. */
export const urlVariableOf = (subgraphName: string): string => `${variablePrefixOf(subgraphName)}_URL`;

/** The variable that says where a subgraph answers whether it is ready: `sichuan` → `SICHUAN_READY_URL`. */
export const readyUrlVariableOf = (subgraphName: string): string => `${variablePrefixOf(subgraphName)}_READY_URL`;
